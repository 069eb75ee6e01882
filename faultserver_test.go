package clerk

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// faultStep is what the fault server does with one attempt.
type faultStep func(w http.ResponseWriter, r *http.Request)

// attempt is one request as the fault server received it.
type attempt struct {
	method, path, query, body string
	header                    http.Header
}

// faultServer answers attempt i with steps[i] (the last step repeats) and records every
// request it reads. Steps that stall are released when the test ends.
type faultServer struct {
	*httptest.Server
	steps   []faultStep
	release chan struct{}

	mu       sync.Mutex
	attempts []attempt
	// arrived receives the number of each attempt as it arrives, without blocking.
	arrived chan int
}

func newFaultServer(t *testing.T, steps ...faultStep) *faultServer {
	t.Helper()
	fs := &faultServer{steps: steps, release: make(chan struct{}), arrived: make(chan int, 64)}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(func() {
		close(fs.release)
		fs.Close()
	})
	return fs
}

func (fs *faultServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	fs.mu.Lock()
	fs.attempts = append(fs.attempts, attempt{method: r.Method, path: r.URL.EscapedPath(),
		query: r.URL.RawQuery, body: string(body), header: r.Header.Clone()})
	n := len(fs.attempts)
	step := fs.steps[min(n, len(fs.steps))-1]
	fs.mu.Unlock()
	select {
	case fs.arrived <- n:
	default:
	}
	// The attempt number lets a step tell the attempts apart in what it answers.
	r.Header.Set("X-Attempt", fmt.Sprint(n))
	step(w, r)
}

func (fs *faultServer) count() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.attempts)
}

func (fs *faultServer) recorded() []attempt {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]attempt(nil), fs.attempts...)
}

// apiErrorBody is a Clerk error document whose code names the attempt that sent it, so a
// test can tell which response an *APIError was decoded from.
func apiErrorBody(r *http.Request) string {
	return `{"errors":[{"code":"attempt_` + r.Header.Get("X-Attempt") +
		`","message":"failed","long_message":"failed on purpose"}],"clerk_trace_id":"trace_` +
		r.Header.Get("X-Attempt") + `"}`
}

// reply answers with code, a Clerk error body (for 400 and above) or okUser, and headers
// given as name, value pairs.
func reply(code int, headers ...string) faultStep {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code >= 400 {
			io.WriteString(w, apiErrorBody(r))
			return
		}
		io.WriteString(w, okUser)
	}
}

// replyHTML answers with code and an HTML page, as a proxy in front of the API would.
func replyHTML(code int) faultStep {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
		io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>")
	}
}

// dropBeforeHeaders closes the connection after reading the request, before any answer.
func dropBeforeHeaders(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// dropAfterHeaders sends the status line and headers, announcing a body, then closes the
// connection without sending it.
func dropAfterHeaders(code int) faultStep {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"+
			"Content-Length: 200\r\n\r\n", code, http.StatusText(code))
		buf.Flush()
		conn.Close()
	}
}

// cutBody sends code with the first half of a Clerk error body (or a user), announcing the
// whole length, then closes the connection.
func cutBody(code int) faultStep {
	return func(w http.ResponseWriter, r *http.Request) {
		full := okUser
		if code >= 400 {
			full = apiErrorBody(r)
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"+
			"Content-Length: %d\r\n\r\n%s", code, http.StatusText(code), len(full),
			full[:len(full)/2])
		buf.Flush()
		conn.Close()
	}
}

// stall never answers: it waits until the client goes away or the test ends.
func (fs *faultServer) stall(_ http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-fs.release:
	}
}

// delayed runs step after d, or not at all when the client goes away first.
func (fs *faultServer) delayed(d time.Duration, step faultStep) faultStep {
	return func(w http.ResponseWriter, r *http.Request) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			step(w, r)
		case <-r.Context().Done():
		case <-fs.release:
		}
	}
}

// waitRecorder replaces Backend.sleep: it records each wait and returns at once, unless the
// context is already done.
type waitRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *waitRecorder) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.waits = append(w.waits, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waitRecorder) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}

// Bounds of the waits in the fault tests: small, and never really slept.
const (
	faultWaitMin = 10 * time.Millisecond
	faultWaitMax = 80 * time.Millisecond
)

// faultBackend returns a backend for fs whose waits are recorded instead of slept. Its
// transport opens a new connection for every attempt, so that the attempts the server counts
// are exactly the ones the backend made (net/http may resend a GET on its own when a reused
// connection turns out to be closed).
func faultBackend(t *testing.T, fs *faultServer, mod ...func(*ClientConfig)) (*Backend,
	*waitRecorder) {
	t.Helper()
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := &ClientConfig{Key: testKey, BaseURL: fs.URL + "/v1", MaxRetries: 2,
		RetryWaitMin: faultWaitMin, RetryWaitMax: faultWaitMax,
		HTTPClient: &http.Client{Transport: tr}}
	for _, m := range mod {
		m(cfg)
	}
	b := NewBackend(cfg)
	rec := &waitRecorder{}
	b.sleep = rec.sleep
	return b, rec
}

// checkWaits checks that waits follow the backoff: the wait before attempt i+1 lies within
// [step/2, step] for step = min(RetryWaitMin*2^(i-1), RetryWaitMax), and within the bounds.
func checkWaits(t *testing.T, waits []time.Duration, lo, hi time.Duration) {
	t.Helper()
	step := lo
	for i, w := range waits {
		if w < lo || w > hi {
			t.Errorf("wait %d: got %s, want within [%s, %s]", i+1, w, lo, hi)
		}
		if w < step/2 || w > step {
			t.Errorf("wait %d: got %s, want within [%s, %s]", i+1, w, step/2, step)
		}
		step = min(step*2, hi)
	}
}

// methodHasBody reports whether the fault tests send a JSON body with method.
func methodHasBody(method string) bool {
	return method == http.MethodPost || method == http.MethodPatch || method == http.MethodPut
}

// faultRequest is the request the fault tests send: a query and, for POST, PATCH and PUT, a
// JSON body with fields of every kind.
func faultRequest(method string) *Request {
	req := &Request{Method: method, Path: JoinPath("users", "user_1"),
		Query: url.Values{"limit": {"10"}, "email_address": {"a@x.io", "b@x.io"}}}
	if methodHasBody(method) {
		req.Body = map[string]any{"first_name": "Ada", "banned": false, "limit": 0,
			"public_metadata": map[string]any{"plan": "pro"}}
	}
	return req
}

const faultRequestBody = `{"banned":false,"first_name":"Ada","limit":0,` +
	`"public_metadata":{"plan":"pro"}}`
