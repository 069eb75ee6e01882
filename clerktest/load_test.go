package clerktest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/user"
)

// Size of the load: loadWorkers goroutines, each making loadOps calls.
const (
	loadWorkers = 16
	loadOps     = 40
)

// loadUser is what a worker expects one of its users to be, from what it did to it.
type loadUser struct {
	id        string
	firstName string
	emails    []string // every address, in no particular order
	primary   string   // the primary address
	public    map[string]any
	private   map[string]any
}

// loadWorker makes a deterministic sequence of calls on users of its own, and merges one key
// of its own into the metadata of users that every worker shares.
type loadWorker struct {
	n       int
	users   *user.Client
	emails  *emailaddress.Client
	rng     *rand.Rand
	live    []*loadUser
	deleted []string
	created int
	// shared holds the value this worker last merged into each shared user's metadata.
	shared map[string]int
}

func (w *loadWorker) run(ctx context.Context, sharedIDs []string) error {
	for op := range loadOps {
		var err error
		switch k := w.rng.IntN(10); {
		case len(w.live) == 0 || k < 2:
			err = w.create(ctx)
		case k < 4:
			err = w.rename(ctx)
		case k < 6:
			err = w.mergeOwn(ctx)
		case k < 7:
			err = w.addEmail(ctx)
		case k < 8:
			err = w.replacePrivate(ctx)
		case k < 9:
			err = w.mergeShared(ctx, sharedIDs[w.rng.IntN(len(sharedIDs))], op)
		default:
			err = w.delete(ctx)
		}
		if err != nil {
			return fmt.Errorf("worker %d, call %d: %w", w.n, op, err)
		}
	}
	return nil
}

func (w *loadWorker) pick() *loadUser { return w.live[w.rng.IntN(len(w.live))] }

func (w *loadWorker) create(ctx context.Context) error {
	w.created++
	addr := fmt.Sprintf("w%02d-u%03d@example.com", w.n, w.created)
	name := fmt.Sprintf("W%dU%d", w.n, w.created)
	u, err := w.users.Create(ctx, &user.CreateParams{EmailAddresses: []string{addr},
		FirstName:      clerk.String(name),
		PublicMetadata: rawJSON(map[string]any{"owner": w.n})})
	if err != nil {
		return err
	}
	w.live = append(w.live, &loadUser{id: u.ID, firstName: name, emails: []string{addr},
		primary: addr, public: map[string]any{"owner": float64(w.n)}, private: map[string]any{}})
	return nil
}

func (w *loadWorker) rename(ctx context.Context) error {
	u := w.pick()
	name := fmt.Sprintf("W%dR%d", w.n, w.rng.IntN(1000))
	if _, err := w.users.Update(ctx, u.id, &user.UpdateParams{FirstName: &name}); err != nil {
		return err
	}
	u.firstName = name
	return nil
}

// mergeOwn sets, overwrites or removes (with null) a key of a user's public metadata.
func (w *loadWorker) mergeOwn(ctx context.Context) error {
	u := w.pick()
	key := fmt.Sprintf("k%d", w.rng.IntN(4))
	var val any = w.rng.IntN(100)
	if w.rng.IntN(4) == 0 {
		val = nil
	}
	_, err := w.users.UpdateMetadata(ctx, u.id, &user.MetadataParams{
		PublicMetadata: rawJSON(map[string]any{key: val, "nested": map[string]any{key: val}})})
	if err != nil {
		return err
	}
	nested, _ := u.public["nested"].(map[string]any)
	if nested == nil {
		nested = map[string]any{}
		u.public["nested"] = nested
	}
	if val == nil {
		delete(u.public, key)
		delete(nested, key)
	} else {
		u.public[key] = float64(val.(int))
		nested[key] = float64(val.(int))
	}
	return nil
}

// addEmail adds a verified address, primary half the time.
func (w *loadWorker) addEmail(ctx context.Context) error {
	u := w.pick()
	addr := fmt.Sprintf("w%02d-extra%03d@example.com", w.n, w.rng.IntN(1_000_000))
	if slices.Contains(u.emails, addr) {
		return nil
	}
	primary := w.rng.IntN(2) == 0
	_, err := w.emails.Create(ctx, &emailaddress.CreateParams{UserID: &u.id,
		EmailAddress: &addr, Verified: clerk.Bool(true), Primary: &primary})
	if err != nil {
		return err
	}
	u.emails = append(u.emails, addr)
	if primary {
		u.primary = addr
	}
	return nil
}

func (w *loadWorker) replacePrivate(ctx context.Context) error {
	u := w.pick()
	private := map[string]any{"plan": fmt.Sprintf("p%d", w.rng.IntN(5))}
	_, err := w.users.ReplaceMetadata(ctx, u.id, &user.MetadataParams{
		PrivateMetadata: rawJSON(private)})
	if err != nil {
		return err
	}
	u.private = private
	return nil
}

func (w *loadWorker) mergeShared(ctx context.Context, id string, op int) error {
	key := fmt.Sprintf("w%02d", w.n)
	_, err := w.users.UpdateMetadata(ctx, id, &user.MetadataParams{
		PublicMetadata: rawJSON(map[string]any{"workers": map[string]any{key: op}})})
	if err == nil {
		w.shared[id] = op
	}
	return err
}

func (w *loadWorker) delete(ctx context.Context) error {
	i := w.rng.IntN(len(w.live))
	u := w.live[i]
	d, err := w.users.Delete(ctx, u.id)
	if err != nil {
		return err
	}
	if !d.Deleted || d.ID != u.id {
		return fmt.Errorf("got deleted object %+v for %s", d, u.id)
	}
	w.live = slices.Delete(w.live, i, i+1)
	w.deleted = append(w.deleted, u.id)
	return nil
}

func rawJSON(v any) *json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return clerk.JSONRawMessage(b)
}

func decodeObject(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	out := map[string]any{}
	if len(raw) > 0 && string(raw) != "null" {
		require.NoError(t, json.Unmarshal(raw, &out))
	}
	return out
}

// TestLoadMixedTraffic runs loadWorkers goroutines of mixed creates, updates, metadata
// merges, address additions and deletes against one server through the SDK, then checks
// that every user is exactly what the calls made it.
func TestLoadMixedTraffic(t *testing.T) {
	t.Parallel()
	srv := clerktest.NewServer()
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	users := user.NewClient(cfg)
	ctx := context.Background()

	var sharedIDs []string
	for i := range 3 {
		u, err := users.Create(ctx, &user.CreateParams{
			EmailAddresses: []string{fmt.Sprintf("shared%d@example.com", i)}})
		require.NoError(t, err)
		sharedIDs = append(sharedIDs, u.ID)
	}

	workers := make([]*loadWorker, loadWorkers)
	errs := make([]error, loadWorkers)
	var wg sync.WaitGroup
	for i := range workers {
		workers[i] = &loadWorker{n: i, users: user.NewClient(cfg),
			emails: emailaddress.NewClient(cfg), rng: rand.New(rand.NewPCG(uint64(i), 42)),
			shared: map[string]int{}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = workers[i].run(ctx, sharedIDs)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}

	owners := map[string]string{} // address -> user ID, across every user
	live := 0
	for _, w := range workers {
		for _, want := range w.live {
			live++
			got, err := users.Get(ctx, want.id)
			require.NoError(t, err)
			checkLoadUser(t, got, want, owners)
		}
		for _, id := range w.deleted {
			_, err := users.Get(ctx, id)
			assert.ErrorIs(t, err, clerk.ErrNotFound, "deleted user %s", id)
		}
	}
	for _, id := range sharedIDs {
		got, err := users.Get(ctx, id)
		require.NoError(t, err)
		want := map[string]any{}
		for _, w := range workers {
			if v, ok := w.shared[id]; ok {
				want[fmt.Sprintf("w%02d", w.n)] = float64(v)
			}
		}
		public := decodeObject(t, got.PublicMetadata)
		if len(want) == 0 {
			assert.NotContains(t, public, "workers")
			continue
		}
		assert.Equal(t, want, public["workers"], "shared user %s: every merge kept", id)
	}

	count, err := users.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(live+len(sharedIDs)), count)
	var walked []string
	for u, err := range users.All(ctx, nil) {
		require.NoError(t, err)
		walked = append(walked, u.ID)
	}
	assert.Len(t, walked, live+len(sharedIDs))
}

// checkLoadUser compares a user with what its worker expects, and checks that no address
// belongs to two users.
func checkLoadUser(t *testing.T, got *clerk.User, want *loadUser, owners map[string]string) {
	t.Helper()
	require.NotNil(t, got.FirstName)
	assert.Equal(t, want.firstName, *got.FirstName, "user %s first name", want.id)

	var addrs []string
	var primary string
	for _, e := range got.EmailAddresses {
		addrs = append(addrs, e.EmailAddress)
		if got.PrimaryEmailAddressID != nil && e.ID == *got.PrimaryEmailAddressID {
			primary = e.EmailAddress
		}
		if other, ok := owners[e.EmailAddress]; ok && other != got.ID {
			t.Errorf("address %s belongs to %s and %s", e.EmailAddress, other, got.ID)
		}
		owners[e.EmailAddress] = got.ID
	}
	sort.Strings(addrs)
	wantAddrs := slices.Sorted(slices.Values(want.emails))
	assert.Equal(t, wantAddrs, addrs, "user %s addresses", want.id)
	assert.Equal(t, want.primary, primary, "user %s primary address", want.id)

	// An object emptied by null merges stays, empty, as the model keeps it.
	assert.Equal(t, want.public, decodeObject(t, got.PublicMetadata),
		"user %s public metadata", want.id)
	assert.Equal(t, want.private, decodeObject(t, got.PrivateMetadata),
		"user %s private metadata", want.id)
}

// TestAllDuringCreates walks every user with All while users are created, both between the
// pages (at known points) and from another goroutine: every user that existed when the walk
// started is seen exactly once, in both created_at orders, and no user is seen twice.
func TestAllDuringCreates(t *testing.T) {
	t.Parallel()
	for _, order := range []*string{nil, clerk.String("created_at"), clerk.String("-created_at")} {
		name := "default"
		if order != nil {
			name = *order
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := clerktest.NewServer()
			t.Cleanup(srv.Close)
			users := user.NewClient(srv.Config())
			ctx := context.Background()

			const initial = 120
			before := map[string]bool{}
			for i := range initial {
				u, err := users.Create(ctx, &user.CreateParams{
					EmailAddresses: []string{fmt.Sprintf("before%03d@example.com", i)}})
				require.NoError(t, err)
				before[u.ID] = true
			}

			// A creator in the background, bounded in count, stopped when the walk ends.
			stop := make(chan struct{})
			var made atomic.Int32
			var creatorErr error
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 200; i++ {
					select {
					case <-stop:
						return
					default:
					}
					_, err := users.Create(ctx, &user.CreateParams{
						EmailAddresses: []string{fmt.Sprintf("during%03d@example.com", i)}})
					if err != nil {
						creatorErr = err
						return
					}
					made.Add(1)
				}
			}()

			seen := map[string]int{}
			between := 0
			for u, err := range users.All(ctx, &user.ListParams{Limit: clerk.Int64(7),
				OrderBy: order}) {
				require.NoError(t, err)
				seen[u.ID]++
				if len(seen)%10 == 0 {
					// Creates between pages, at points the walk is sure to reach.
					between++
					_, err := users.Create(ctx, &user.CreateParams{EmailAddresses: []string{
						fmt.Sprintf("between%03d@example.com", between)}})
					require.NoError(t, err)
				}
			}
			close(stop)
			wg.Wait()
			require.NoError(t, creatorErr)

			for id := range before {
				assert.Equal(t, 1, seen[id], "user %s that existed at the start", id)
			}
			for id, n := range seen {
				assert.Equal(t, 1, n, "user %s seen %d times", id, n)
			}
			assert.Greater(t, between, 5, "users were created during the walk")
			t.Logf("walked %d users; %d created between pages, %d by the creator",
				len(seen), between, made.Load())
		})
	}
}
