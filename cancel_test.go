package clerk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hangLimit bounds how long a test waits for a call that should have returned already; it
// only turns a hang into a failure and is not a speed figure.
const hangLimit = 10 * time.Second

// doAsync starts b.Do and returns a channel that receives its error.
func doAsync(ctx context.Context, b *Backend, req *Request) <-chan error {
	done := make(chan error, 1)
	go func() { done <- b.Do(ctx, req, &User{}) }()
	return done
}

func waitErr(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(hangLimit):
		t.Fatalf("the call did not return after its context ended")
		return nil
	}
}

func waitArrival(t *testing.T, fs *faultServer) {
	t.Helper()
	select {
	case <-fs.arrived:
	case <-time.After(hangLimit):
		t.Fatalf("no request reached the server")
	}
}

// manualDeadline is a context whose deadline passes when the test says so, so that a test
// can end it at an exact step of a call without racing a clock.
type manualDeadline struct {
	context.Context
	once sync.Once
	done chan struct{}
}

func newManualDeadline() *manualDeadline {
	return &manualDeadline{Context: context.Background(), done: make(chan struct{})}
}

func (c *manualDeadline) Deadline() (time.Time, bool) { return time.Now().Add(time.Hour), true }
func (c *manualDeadline) Done() <-chan struct{}       { return c.done }
func (c *manualDeadline) expire()                     { c.once.Do(func() { close(c.done) }) }

func (c *manualDeadline) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// ending is a way of ending a call's context: cancelling it, or passing its deadline.
type ending struct {
	name string
	want error
	// start returns the context and the function that ends it.
	start func() (context.Context, func())
}

var endings = []ending{
	{"cancel", context.Canceled, func() (context.Context, func()) {
		return context.WithCancel(context.Background())
	}},
	{"deadline", context.DeadlineExceeded, func() (context.Context, func()) {
		ctx := newManualDeadline()
		return ctx, ctx.expire
	}},
}

// TestContextEndsRequest ends the context while the server holds the request: the call
// returns the context's error and nothing is sent again, whatever the method.
func TestContextEndsRequest(t *testing.T) {
	noLeak := checkNoLeak(t)
	for _, e := range endings {
		for _, method := range faultMethods {
			t.Run(e.name+"/"+method, func(t *testing.T) {
				fs := newFaultServer(t)
				fs.steps = []faultStep{fs.stall}
				b, rec := faultBackend(t, fs)
				ctx, end := e.start()
				defer end()

				done := doAsync(ctx, b, faultRequest(method))
				waitArrival(t, fs)
				end()
				err := waitErr(t, done)
				assert.ErrorIs(t, err, e.want)
				assert.Equal(t, 1, fs.count(), "no attempt after the context ended")
				assert.Empty(t, rec.all(), "no wait after the context ended")
			})
		}
	}
	noLeak()
}

// TestContextEndsBackoff ends the context during the wait before a retry, with the real
// sleep and a wait of an hour: the call returns at once with the context's error, and the
// retry is never sent.
func TestContextEndsBackoff(t *testing.T) {
	noLeak := checkNoLeak(t)
	for _, e := range endings {
		for _, method := range faultMethods {
			t.Run(e.name+"/"+method, func(t *testing.T) {
				fs := newFaultServer(t, reply(429), reply(200))
				b, _ := faultBackend(t, fs, func(c *ClientConfig) {
					c.RetryWaitMin, c.RetryWaitMax = time.Hour, time.Hour
				})
				waiting := make(chan time.Duration, 1)
				b.sleep = func(ctx context.Context, d time.Duration) error {
					waiting <- d
					return sleepContext(ctx, d)
				}
				ctx, end := e.start()
				defer end()

				done := doAsync(ctx, b, faultRequest(method))
				select {
				case d := <-waiting:
					assert.Equal(t, time.Hour, d)
				case <-time.After(hangLimit):
					t.Fatalf("the call never started waiting")
				}
				end()
				err := waitErr(t, done)
				assert.ErrorIs(t, err, e.want)
				var apiErr *APIError
				assert.False(t, errors.As(err, &apiErr), "got the 429 instead of %v", e.want)
				assert.Equal(t, 1, fs.count(), "no attempt after the context ended")
			})
		}
	}
	noLeak()
}

// readSignal is a transport that closes reading once the SDK has read the first bytes of a
// response body, so a test can act while the rest of the body is awaited.
type readSignal struct {
	rt      http.RoundTripper
	reading chan struct{}
	once    sync.Once
}

func (s *readSignal) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.rt.RoundTrip(req)
	if err == nil {
		resp.Body = &signalBody{ReadCloser: resp.Body, s: s}
	}
	return resp, err
}

type signalBody struct {
	io.ReadCloser
	s *readSignal
}

func (b *signalBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.s.once.Do(func() { close(b.s.reading) })
	}
	return n, err
}

// TestContextEndsBodyRead ends the context while the body of a success is still arriving.
func TestContextEndsBodyRead(t *testing.T) {
	noLeak := checkNoLeak(t)
	for _, e := range endings {
		t.Run(e.name, func(t *testing.T) {
			fs := newFaultServer(t)
			fs.steps = []faultStep{func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"id":"user_1","first_name":"`))
				w.(http.Flusher).Flush()
				fs.stall(w, r)
			}}
			tr := &http.Transport{DisableKeepAlives: true}
			t.Cleanup(tr.CloseIdleConnections)
			sig := &readSignal{rt: tr, reading: make(chan struct{})}
			b, rec := faultBackend(t, fs, func(c *ClientConfig) {
				c.HTTPClient = &http.Client{Transport: sig}
			})
			ctx, end := e.start()
			defer end()

			var out User
			done := make(chan error, 1)
			go func() { done <- b.Do(ctx, faultRequest("GET"), &out) }()
			select {
			case <-sig.reading:
			case <-time.After(hangLimit):
				t.Fatalf("the body was never read")
			}
			end()
			err := waitErr(t, done)
			assert.ErrorIs(t, err, e.want)
			assert.Empty(t, out.ID, "nothing is decoded from half a body")
			assert.Equal(t, 1, fs.count())
			assert.Empty(t, rec.all())
		})
	}
	noLeak()
}

// TestRealDeadline runs the same checks with a context.WithTimeout deadline, the way callers
// set one, during a request and during a wait.
func TestRealDeadline(t *testing.T) {
	noLeak := checkNoLeak(t)
	t.Run("request", func(t *testing.T) {
		fs := newFaultServer(t)
		fs.steps = []faultStep{fs.stall}
		b, _ := faultBackend(t, fs)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := waitErr(t, doAsync(ctx, b, faultRequest("PUT")))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1, fs.count())
	})
	t.Run("wait", func(t *testing.T) {
		fs := newFaultServer(t, reply(503))
		b, _ := faultBackend(t, fs, func(c *ClientConfig) {
			c.RetryWaitMin, c.RetryWaitMax = time.Hour, time.Hour
		})
		b.sleep = sleepContext
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := waitErr(t, doAsync(ctx, b, faultRequest("GET")))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1, fs.count())
	})
	noLeak()
}

// TestTimeoutNeverOverridesDeadline checks ClientConfig.Timeout against the caller's own
// deadline: a Timeout far too short for any request has no effect when the context has a
// deadline, and ends the call when it has none.
func TestTimeoutNeverOverridesDeadline(t *testing.T) {
	t.Parallel()
	fs := newFaultServer(t, reply(200))
	b, _ := faultBackend(t, fs, func(c *ClientConfig) { c.Timeout = time.Nanosecond })

	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	var out User
	require.NoError(t, b.Do(ctx, faultRequest("GET"), &out), "the caller's deadline wins")
	assert.Equal(t, "user_1", out.ID)

	err := b.Do(context.Background(), faultRequest("GET"), &out)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "Timeout bounds a call without deadline")
	assert.Equal(t, 1, fs.count(), "the timed-out call sent nothing more")
}
