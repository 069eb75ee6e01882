package bench

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/user"
)

// TestCancelledCallKeepsThePool checks that a call given up by its caller closes no more than
// its own connection: the other connections of the pool that every client shares stay open
// for the next calls.
func TestCancelledCallKeepsThePool(t *testing.T) {
	t.Parallel()
	const n = 10
	var conns atomic.Int64
	var gate sync.WaitGroup // holds every answer of a burst until the whole burst has arrived
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		if r.URL.Path == "/v1/users/"+userID(1) { // the call that is given up
			<-r.Context().Done()
			return
		}
		gate.Done()
		gate.Wait()
		writeJSON(w, userBody(0))
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := user.NewClient(&clerk.ClientConfig{Key: testKey, BaseURL: srv.URL + "/v1"})

	burst := func() {
		gate.Add(n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Get(context.Background(), userID(0)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	burst()
	if got := conns.Load(); got != n {
		t.Fatalf("got %d connections for %d calls at once, want %d", got, n, n)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Get(ctx, userID(1)); err == nil {
		t.Fatal("got no error from a call whose context expired, want one")
	}

	// The given-up call took one idle connection and closed it; the other n-1 are reused, so
	// the next burst dials one, not n.
	before := conns.Load()
	burst()
	if got := conns.Load() - before; got > 1 {
		t.Errorf("got %d new connections after a call was given up, want at most 1", got)
	}
}
