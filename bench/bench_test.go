// Package bench measures the SDK against the floor (net/http and encoding/json, or go-jose
// alone, for the same work) and against the official Go SDK, side by side in one run, on
// loopback servers that answer with bodies valid against the API description.
//
// Every benchmark has the sub-benchmarks floor, official and this. Besides time and
// allocations they report requests per operation (req/op), TCP connections opened (conns, and
// timed-conns for those of the timed part) and, for walks, the peak of the live heap above
// its level before the walk (peak-live-B).
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"testing"

	sdk "github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"

	"github.com/clerkcompat/clerk"
)

// listLimit is the page size of ListUsers.
const listLimit = 100

// walkLimit is the page size of WalkUsers. It does not divide the walk sizes: with a bare
// array for an answer, a walk whose last page is full needs one more, empty, page to learn
// that it is over, so 10,000 users in pages of 300 take ceil(10000/300) = 34 requests.
const walkLimit = 300

// concurrency is how many goroutines share one client in ConcurrentGet.
const concurrency = 64

// userView is what each implementation's result is checked by.
type userView struct {
	id     string
	emails int
}

func viewOf(u *clerk.User) userView { return userView{u.ID, len(u.EmailAddresses)} }

func viewOfSDK(u *sdk.User) userView { return userView{u.ID, len(u.EmailAddresses)} }

func checkView(tb testing.TB, got userView, wantID string) {
	tb.Helper()
	if got.id != wantID || got.emails != 2 {
		tb.Fatalf("got user %q with %d email addresses, want %q with 2", got.id, got.emails,
			wantID)
	}
}

// reportRequests reports the requests s received per operation since before.
func reportRequests(b *testing.B, s *apiServer, before int64) {
	after, _ := s.counts()
	b.ReportMetric(float64(after-before)/float64(b.N), "req/op")
}

type getImpl struct {
	name string
	new  func(s *apiServer) func(ctx context.Context, id string) (userView, error)
}

var getImpls = []getImpl{
	{"floor", func(s *apiServer) func(context.Context, string) (userView, error) {
		c := newFloorClient(s.baseURL())
		return func(ctx context.Context, id string) (userView, error) {
			u, err := c.getUser(ctx, id)
			if err != nil {
				return userView{}, err
			}
			return viewOf(u), nil
		}
	}},
	{"official", func(s *apiServer) func(context.Context, string) (userView, error) {
		return officialGet(newOfficialUsers(s, nil))
	}},
	{"this", thisGet},
}

// concurrentImpls adds the official SDK given the floor's pooled client, to show how much of
// its cost under concurrency comes from its default client's pool of 2 idle connections.
var concurrentImpls = []getImpl{
	getImpls[0],
	getImpls[1],
	{"official_pooled", func(s *apiServer) func(context.Context, string) (userView, error) {
		return officialGet(newOfficialUsers(s, pooledHTTPClient()))
	}},
	getImpls[2],
}

func BenchmarkGetUser(b *testing.B) {
	for _, im := range getImpls {
		b.Run(im.name, func(b *testing.B) {
			s := newAPIServer(b, 100)
			get := im.new(s)
			ctx := context.Background()
			v, err := get(ctx, benchUserID) // opens the connection and checks the answer
			if err != nil {
				b.Fatal(err)
			}
			checkView(b, v, benchUserID)
			before, _ := s.counts()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := get(ctx, benchUserID); err != nil {
					b.Fatal(err)
				}
			}
			reportRequests(b, s, before)
		})
	}
}

type listImpl struct {
	name string
	new  func(s *apiServer) func(ctx context.Context) (int, error)
}

var listImpls = []listImpl{
	{"floor", func(s *apiServer) func(context.Context) (int, error) {
		c := newFloorClient(s.baseURL())
		return func(ctx context.Context) (int, error) {
			users, err := c.listUsers(ctx, listLimit, "")
			return len(users), err
		}
	}},
	{"official", func(s *apiServer) func(context.Context) (int, error) {
		c := newOfficialUsers(s, nil)
		return func(ctx context.Context) (int, error) {
			page, err := c.List(ctx, &officialListParams)
			if err != nil {
				return 0, err
			}
			return len(page.Users), nil
		}
	}},
	{"this", thisList},
}

func BenchmarkListUsers(b *testing.B) {
	for _, im := range listImpls {
		b.Run(im.name, func(b *testing.B) {
			s := newAPIServer(b, 1000)
			list := im.new(s)
			ctx := context.Background()
			n, err := list(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if n != listLimit {
				b.Fatalf("got %d users, want %d", n, listLimit)
			}
			before, _ := s.counts()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := list(ctx); err != nil {
					b.Fatal(err)
				}
			}
			reportRequests(b, s, before)
		})
	}
}

// liveHeapPeak walks once more, untimed, collecting garbage in the middle of every page, and
// returns how far the live heap rose above its level before the walk: what the walk keeps
// reachable while it runs. A walk that kept every user would show a peak that grows with
// the number of users; a walk that holds one page at a time shows the same peak at any size.
func liveHeapPeak(ctx context.Context, b *testing.B,
	walk func(context.Context, func(userView)) error) uint64 {
	b.Helper()
	live := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	runtime.GC() // the second collection of live() then empties sync.Pools: a clean base
	base := live()
	peak := base
	seen := 0
	err := walk(ctx, func(userView) {
		if seen%walkLimit == walkLimit/2 {
			peak = max(peak, live())
		}
		seen++
	})
	if err != nil {
		b.Fatal(err)
	}
	return peak - base
}

type walkImpl struct {
	name string
	// new returns one walk over every user; visit is called for each.
	new func(s *apiServer) func(ctx context.Context, visit func(userView)) error
}

var walkImpls = []walkImpl{
	{"floor", func(s *apiServer) func(context.Context, func(userView)) error {
		c := newFloorClient(s.baseURL())
		return func(ctx context.Context, visit func(userView)) error {
			return c.walkUsers(ctx, walkLimit, func(u *clerk.User) { visit(viewOf(u)) })
		}
	}},
	{"official", func(s *apiServer) func(context.Context, func(userView)) error {
		c := newOfficialUsers(s, nil)
		return func(ctx context.Context, visit func(userView)) error {
			return officialWalk(ctx, c, walkLimit, func(u *sdk.User) { visit(viewOfSDK(u)) })
		}
	}},
	{"this", thisWalk},
}

func BenchmarkWalkUsers(b *testing.B) {
	for _, users := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			for _, im := range walkImpls {
				b.Run(im.name, func(b *testing.B) { benchWalk(b, im, users) })
			}
		})
	}
}

func benchWalk(b *testing.B, im walkImpl, users int) {
	s := newAPIServer(b, users)
	walk := im.new(s)
	ctx := context.Background()
	seen := 0
	visit := func(v userView) {
		if v.id != userID(seen) {
			b.Fatalf("got user %q at %d, want %q", v.id, seen, userID(seen))
		}
		seen++
	}
	before, _ := s.counts()
	b.ReportAllocs()
	for b.Loop() {
		seen = 0
		if err := walk(ctx, visit); err != nil {
			b.Fatal(err)
		}
		if seen != users {
			b.Fatalf("got %d users, want %d", seen, users)
		}
	}
	reportRequests(b, s, before)
	b.ReportMetric(float64(liveHeapPeak(ctx, b, walk)), "peak-live-B")
}

type verifyImpl struct {
	name string
	new  func(b *testing.B, s *apiServer) func(ctx context.Context, token string) (string, error)
}

var verifyImpls = []verifyImpl{
	{"floor", func(b *testing.B, s *apiServer) func(context.Context, string) (string, error) {
		v := &floorVerifier{key: signingKey().Public(), leeway: 5e9}
		return func(_ context.Context, token string) (string, error) {
			c, err := v.verify(token)
			if err != nil {
				return "", err
			}
			return c.Subject, nil
		}
	}},
	{"official", func(b *testing.B, s *apiServer) func(context.Context, string) (string, error) {
		jwk, err := officialJWK(s)
		if err != nil {
			b.Fatal(err)
		}
		return func(ctx context.Context, token string) (string, error) {
			c, err := officialVerify(ctx, jwk, token)
			if err != nil {
				return "", err
			}
			return c.Subject, nil
		}
	}},
	{"official_fetch", func(b *testing.B, s *apiServer,
	) func(context.Context, string) (string, error) {
		c := jwks.NewClient(officialConfig(s, nil))
		return func(ctx context.Context, token string) (string, error) {
			claims, err := officialVerifyFetch(ctx, c, token)
			if err != nil {
				return "", err
			}
			return claims.Subject, nil
		}
	}},
	{"this", thisVerify},
}

func BenchmarkVerifyToken(b *testing.B) {
	token := sessionToken(b)
	for _, im := range verifyImpls {
		b.Run(im.name, func(b *testing.B) {
			s := newAPIServer(b, 1)
			verify := im.new(b, s)
			ctx := context.Background()
			sub, err := verify(ctx, token) // warms any key cache
			if err != nil {
				b.Fatal(err)
			}
			if sub != benchUserID {
				b.Fatalf("got subject %q, want %q", sub, benchUserID)
			}
			before, _ := s.counts()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := verify(ctx, token); err != nil {
					b.Fatal(err)
				}
			}
			reportRequests(b, s, before)
		})
	}
}

// warmupCalls is how many calls each goroutine of ConcurrentGet makes before the timed run.
const warmupCalls = 4

func BenchmarkConcurrentGet(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	perProc := (concurrency + procs - 1) / procs
	goroutines := perProc * procs
	for _, im := range concurrentImpls {
		b.Run(im.name, func(b *testing.B) {
			// A new server per run, so that conns counts this run's connections only.
			s := newAPIServer(b, 100)
			get := im.new(s)
			ctx := context.Background()
			call := func() bool {
				v, err := get(ctx, benchUserID)
				if err != nil {
					b.Error(err)
					return false
				}
				if v.id != benchUserID {
					b.Errorf("got user %q, want %q", v.id, benchUserID)
					return false
				}
				return true
			}
			// The same number of goroutines warm the client up first: their start, all at
			// once, is where net/http may open a few connections more than goroutines (a
			// request waiting for its dial takes a connection freed meanwhile, and the
			// dialled one joins the pool). The timed run then shows the steady state.
			var wg sync.WaitGroup
			for range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range warmupCalls {
						if !call() {
							return
						}
					}
				}()
			}
			wg.Wait()
			warmRequests, warmConns := s.counts()

			b.ReportAllocs()
			b.SetParallelism(perProc)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if !call() {
						return
					}
				}
			})
			b.StopTimer()
			requests, conns := s.counts()
			b.ReportMetric(float64(requests-warmRequests)/float64(b.N), "req/op")
			b.ReportMetric(float64(conns), "conns")
			b.ReportMetric(float64(conns-warmConns), "timed-conns")
			b.ReportMetric(float64(goroutines), "goroutines")
		})
	}
}

// BenchmarkDecodeUsers decodes one 100-user page with encoding/json alone, into this SDK's
// types and into the official SDK's, with no HTTP: it isolates what the types themselves cost,
// since this SDK's types keep more of the API's fields (verification objects, channels, link
// lists by value) and every non-empty string or non-null pointer is an allocation.
func BenchmarkDecodeUsers(b *testing.B) {
	page := []byte{'['}
	for i := range listLimit {
		if i > 0 {
			page = append(page, ',')
		}
		page = appendUser(page, i)
	}
	page = append(page, ']')
	b.Run("official_types", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var users []*sdk.User
			if err := json.Unmarshal(page, &users); err != nil || len(users) != listLimit {
				b.Fatalf("got %d users, error %v", len(users), err)
			}
		}
	})
	b.Run("this_types", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var users []*clerk.User
			if err := json.Unmarshal(page, &users); err != nil || len(users) != listLimit {
				b.Fatalf("got %d users, error %v", len(users), err)
			}
		}
	})
}
