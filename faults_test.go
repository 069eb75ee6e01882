package clerk

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var faultMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut,
	http.MethodDelete}

// perAttemptTimeout bounds each attempt of the "timeout" fault; the server never answers, so
// each such attempt lasts this long. Healthy answers on loopback come far sooner.
const perAttemptTimeout = 150 * time.Millisecond

// matrixFault is one way an attempt can fail, and which methods the SDK retries after it.
type matrixFault struct {
	name string
	step func(fs *faultServer) faultStep
	// status is the HTTP status of the failure, or 0 when no response comes back.
	status int
	// retried reports whether method is sent again after this fault.
	retried func(method string) bool
	// perAttemptTimeout gives each attempt a deadline of its own (http.Client.Timeout).
	perAttemptTimeout bool
}

func always(string) bool { return true }
func never(string) bool  { return false }

// idempotentMethod is the SDK's rule, written out: GET, PUT and DELETE may be sent twice.
func idempotentMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodPut || m == http.MethodDelete
}

var matrixFaults = []matrixFault{
	{name: "429", status: 429, retried: always,
		step: func(*faultServer) faultStep { return reply(429) }},
	{name: "500", status: 500, retried: never,
		step: func(*faultServer) faultStep { return reply(500) }},
	{name: "502", status: 502, retried: idempotentMethod,
		step: func(*faultServer) faultStep { return reply(502) }},
	{name: "503", status: 503, retried: idempotentMethod,
		step: func(*faultServer) faultStep { return reply(503) }},
	{name: "504", status: 504, retried: idempotentMethod,
		step: func(*faultServer) faultStep { return reply(504) }},
	{name: "reset", retried: idempotentMethod,
		step: func(*faultServer) faultStep { return dropBeforeHeaders }},
	{name: "timeout", retried: idempotentMethod, perAttemptTimeout: true,
		step: func(fs *faultServer) faultStep { return fs.stall }},
	// Other client errors are the caller's to fix: sending them again cannot help.
	{name: "400", status: 400, retried: never,
		step: func(*faultServer) faultStep { return reply(400) }},
	{name: "401", status: 401, retried: never,
		step: func(*faultServer) faultStep { return reply(401) }},
	{name: "403", status: 403, retried: never,
		step: func(*faultServer) faultStep { return reply(403) }},
	{name: "404", status: 404, retried: never,
		step: func(*faultServer) faultStep { return reply(404) }},
	{name: "409", status: 409, retried: never,
		step: func(*faultServer) faultStep { return reply(409) }},
	{name: "422", status: 422, retried: never,
		step: func(*faultServer) faultStep { return reply(422) }},
	{name: "501", status: 501, retried: never,
		step: func(*faultServer) faultStep { return reply(501) }},
}

func (f matrixFault) backend(t *testing.T, fs *faultServer) (*Backend, *waitRecorder) {
	if !f.perAttemptTimeout {
		return faultBackend(t, fs)
	}
	return faultBackend(t, fs, func(c *ClientConfig) {
		tr := &http.Transport{DisableKeepAlives: true}
		t.Cleanup(tr.CloseIdleConnections)
		c.HTTPClient = &http.Client{Transport: tr, Timeout: perAttemptTimeout}
	})
}

// TestFaultMatrix sends every method into every fault twice: once when the fault happens a
// single time (a retried request then succeeds), once when it never ends (retries run out).
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	for _, f := range matrixFaults {
		for _, method := range faultMethods {
			t.Run(method+"/"+f.name+"/once", func(t *testing.T) {
				t.Parallel()
				testFaultOnce(t, f, method)
			})
			t.Run(method+"/"+f.name+"/always", func(t *testing.T) {
				t.Parallel()
				testFaultAlways(t, f, method)
			})
		}
	}
}

func testFaultOnce(t *testing.T, f matrixFault, method string) {
	fs := newFaultServer(t)
	fs.steps = []faultStep{f.step(fs), reply(200)}
	b, rec := f.backend(t, fs)

	var out User
	err := b.Do(context.Background(), faultRequest(method), &out)

	want := 1
	if f.retried(method) {
		want = 2
	}
	got := fs.recorded()
	require.Len(t, got, want, "got %d attempts, want %d", len(got), want)
	checkSameRequest(t, method, got)
	assert.Len(t, rec.all(), want-1, "got waits %v", rec.all())
	checkWaits(t, rec.all(), faultWaitMin, faultWaitMax)
	if want == 2 {
		require.NoError(t, err)
		assert.Equal(t, "user_1", out.ID)
		return
	}
	checkFaultError(t, f, method, err, 1)
}

func testFaultAlways(t *testing.T, f matrixFault, method string) {
	fs := newFaultServer(t)
	fs.steps = []faultStep{f.step(fs)}
	b, rec := f.backend(t, fs)

	err := b.Do(context.Background(), faultRequest(method), &User{})

	want := 1
	if f.retried(method) {
		want = 3 // MaxRetries is 2
	}
	got := fs.recorded()
	require.Len(t, got, want, "got %d attempts, want %d", len(got), want)
	checkSameRequest(t, method, got)
	assert.Len(t, rec.all(), want-1, "got waits %v", rec.all())
	checkWaits(t, rec.all(), faultWaitMin, faultWaitMax)
	checkFaultError(t, f, method, err, want)
}

// checkSameRequest checks that every attempt was the same request: method, path, query,
// body and the headers that matter.
func checkSameRequest(t *testing.T, method string, got []attempt) {
	t.Helper()
	for i, a := range got {
		assert.Equal(t, method, a.method, "attempt %d method", i+1)
		assert.Equal(t, "/v1/users/user_1", a.path, "attempt %d path", i+1)
		assert.Equal(t, "email_address=a%40x.io&email_address=b%40x.io&limit=10", a.query,
			"attempt %d query", i+1)
		if methodHasBody(method) {
			assert.JSONEq(t, faultRequestBody, a.body, "attempt %d body", i+1)
			assert.Equal(t, "application/json", a.header.Get("Content-Type"))
		} else {
			assert.Empty(t, a.body, "attempt %d body", i+1)
		}
		assert.Equal(t, got[0].body, a.body, "attempt %d must send the first body again", i+1)
		assert.Equal(t, "Bearer "+testKey, a.header.Get("Authorization"), "attempt %d", i+1)
		assert.Equal(t, APIVersion, a.header.Get("Clerk-API-Version"), "attempt %d", i+1)
	}
}

// checkFaultError checks the error of a call that failed after attempts attempts: the last
// *APIError, decoded, for a status; the transport's error otherwise.
func checkFaultError(t *testing.T, f matrixFault, method string, err error, attempts int) {
	t.Helper()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "giving up", "the caller gets the failure itself")
	assert.Contains(t, err.Error(), method+" /users/user_1")
	var apiErr *APIError
	if f.status == 0 {
		assert.False(t, errors.As(err, &apiErr), "got an *APIError for %s: %v", f.name, err)
		if f.perAttemptTimeout {
			var ne net.Error
			require.True(t, errors.As(err, &ne), "got %T %v, want a net.Error", err, err)
			assert.True(t, ne.Timeout(), "got %v, want a timeout", err)
		}
		return
	}
	require.True(t, errors.As(err, &apiErr), "got %T %v, want *APIError", err, err)
	assert.Equal(t, f.status, apiErr.HTTPStatusCode)
	require.Len(t, apiErr.Errors, 1)
	n := strconv.Itoa(attempts)
	assert.Equal(t, "attempt_"+n, apiErr.Errors[0].Code, "the error of the last attempt")
	assert.Equal(t, "failed on purpose", apiErr.Errors[0].LongMessage)
	assert.Equal(t, "trace_"+n, apiErr.TraceID)
	assert.Equal(t, method, apiErr.Method)
	assert.Equal(t, "/users/user_1", apiErr.Path)
	if f.status == 429 {
		assert.ErrorIs(t, err, ErrRateLimited)
	}
}

// TestRetryAfter checks that a wait the server asks for is honoured, in seconds or as an HTTP
// date, but never beyond RetryWaitMax, and that a value that cannot be read falls back to the
// backoff.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 12, 10, 0, 0, 0, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	const hi = 10 * time.Second
	cases := []struct {
		name, method string
		status       int
		header       string
		want         time.Duration // -1: the backoff's first step, RetryWaitMin
	}{
		{"429 seconds", "POST", 429, "3", 3 * time.Second},
		{"429 seconds PATCH", "PATCH", 429, "2", 2 * time.Second},
		{"503 seconds", "GET", 503, "2", 2 * time.Second},
		{"502 seconds", "PUT", 502, "1", time.Second},
		{"504 seconds", "DELETE", 504, "4", 4 * time.Second},
		{"429 http date", "GET", 429, date(4 * time.Second), 4 * time.Second},
		{"503 http date", "DELETE", 503, date(7 * time.Second), 7 * time.Second},
		{"seconds capped", "POST", 429, "120", hi},
		{"a day of seconds capped", "GET", 429, "86400000", hi},
		{"http date capped", "GET", 429, date(time.Hour), hi},
		{"http date passed", "GET", 429, date(-time.Minute), 0},
		{"zero", "GET", 429, "0", 0},
		{"negative", "GET", 429, "-5", -1},
		{"fraction", "GET", 429, "1.5", -1},
		{"words", "GET", 429, "soon", -1},
		{"empty", "GET", 429, "", -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := newFaultServer(t, reply(tc.status, "Retry-After", tc.header), reply(200))
			b, rec := faultBackend(t, fs, func(c *ClientConfig) { c.RetryWaitMax = hi })
			b.now = func() time.Time { return now }

			require.NoError(t, b.Do(context.Background(), faultRequest(tc.method), nil))
			assert.Equal(t, 2, fs.count(), "got %d attempts, want 2", fs.count())
			want := tc.want
			if want < 0 {
				want = faultWaitMin
			}
			assert.Equal(t, []time.Duration{want}, rec.all())
		})
	}
}

// TestRetryAfterNotRetried checks that Retry-After never makes a create be sent again, and
// that the caller still learns how long the server asked to wait.
func TestRetryAfterNotRetried(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"POST", "PATCH"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			fs := newFaultServer(t, reply(503, "Retry-After", "1"), reply(200))
			b, rec := faultBackend(t, fs)
			err := b.Do(context.Background(), faultRequest(method), nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, time.Second, apiErr.RetryAfter)
			assert.Equal(t, 1, fs.count())
			assert.Empty(t, rec.all())
		})
	}
}

// TestResponseCutShort covers answers that go wrong after the status line: a dropped
// connection, a body cut short, HTML instead of JSON, an empty body.
func TestResponseCutShort(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method string
		step         faultStep
		attempts     int
		status       int    // the *APIError's status, or 0
		bodyHas      string // a part of the *APIError's Body excerpt
		wantErr      error  // matched with errors.Is
	}{
		{"503 cut body GET", "GET", cutBody(503), 3, 503, `{"errors":[{"code":"attempt_3"`, nil},
		{"503 cut body POST", "POST", cutBody(503), 1, 503, `"attempt_1"`, nil},
		{"503 then hang up GET", "GET", dropAfterHeaders(503), 3, 503, "", nil},
		{"503 then hang up PATCH", "PATCH", dropAfterHeaders(503), 1, 503, "", nil},
		{"429 then hang up POST", "POST", dropAfterHeaders(429), 3, 429, "", ErrRateLimited},
		{"404 then hang up", "DELETE", dropAfterHeaders(404), 1, 404, "", ErrNotFound},
		{"502 html GET", "GET", replyHTML(502), 3, 502, "502 Bad Gateway", nil},
		{"502 html PUT", "PUT", replyHTML(502), 3, 502, "nginx", nil},
		{"502 html POST", "POST", replyHTML(502), 1, 502, "<html>", nil},
		{"404 empty", "GET", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(404)
		}, 1, 404, "", ErrNotFound},
		// A success whose body does not arrive whole is an error, never a partial value; the
		// body is read within the attempt, so the methods that may be retried are.
		{"200 cut body GET", "GET", cutBody(200), 3, 0, "", io.ErrUnexpectedEOF},
		{"200 cut body POST", "POST", cutBody(200), 1, 0, "", io.ErrUnexpectedEOF},
		{"200 then hang up", "PUT", dropAfterHeaders(200), 3, 0, "", io.ErrUnexpectedEOF},
		{"200 then hang up PATCH", "PATCH", dropAfterHeaders(200), 1, 0, "", io.ErrUnexpectedEOF},
		{"200 html", "GET", replyHTML(200), 1, 0, "", nil},
		{"200 empty", "POST", func(w http.ResponseWriter, _ *http.Request) {}, 1, 0, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := newFaultServer(t, tc.step)
			b, rec := faultBackend(t, fs)
			var out User
			err := b.Do(context.Background(), faultRequest(tc.method), &out)
			require.Error(t, err)
			assert.Equal(t, tc.attempts, fs.count(), "got %d attempts, want %d", fs.count(),
				tc.attempts)
			assert.Len(t, rec.all(), tc.attempts-1)
			checkSameRequest(t, tc.method, fs.recorded())
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
			}
			var apiErr *APIError
			if tc.status == 0 {
				assert.False(t, errors.As(err, &apiErr), "got an *APIError: %v", err)
				assert.Empty(t, out.ID, "nothing may be decoded from a broken answer")
				return
			}
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.HTTPStatusCode)
			assert.Empty(t, apiErr.Errors, "a cut or foreign body is not decoded as errors")
			assert.Contains(t, apiErr.Body, tc.bodyHas)
		})
	}
}

// TestCreateNeverSentTwice sends POST and PATCH over a kept-alive connection, the way a busy
// program does, into every fault after which the request may already have been carried out:
// the server must see each exactly once.
func TestCreateNeverSentTwice(t *testing.T) {
	t.Parallel()
	faults := map[string]func(fs *faultServer) faultStep{
		"500":                func(*faultServer) faultStep { return reply(500) },
		"502":                func(*faultServer) faultStep { return reply(502) },
		"503":                func(*faultServer) faultStep { return reply(503) },
		"504":                func(*faultServer) faultStep { return reply(504) },
		"502 html":           func(*faultServer) faultStep { return replyHTML(502) },
		"reset":              func(*faultServer) faultStep { return dropBeforeHeaders },
		"reset after status": func(*faultServer) faultStep { return dropAfterHeaders(200) },
		"body cut short":     func(*faultServer) faultStep { return cutBody(201) },
		"timeout":            func(fs *faultServer) faultStep { return fs.stall },
	}
	for name, fault := range faults {
		for _, method := range []string{"POST", "PATCH"} {
			t.Run(method+"/"+name, func(t *testing.T) {
				t.Parallel()
				fs := newFaultServer(t)
				// The first attempt (a GET) opens the connection that the create then reuses.
				fs.steps = []faultStep{reply(200), fault(fs), reply(200)}
				tr := &http.Transport{}
				t.Cleanup(tr.CloseIdleConnections)
				b, rec := faultBackend(t, fs, func(c *ClientConfig) {
					c.HTTPClient = &http.Client{Transport: tr, Timeout: perAttemptTimeout}
					c.MaxRetries = 5
				})
				require.NoError(t, b.Do(context.Background(), faultRequest("GET"), nil))

				err := b.Do(context.Background(), faultRequest(method), &User{})
				require.Error(t, err)
				got := fs.recorded()
				require.Len(t, got, 2, "got %d requests, want the GET and one %s", len(got),
					method)
				assert.Equal(t, method, got[1].method)
				assert.Empty(t, rec.all(), "no wait, since no retry")
			})
		}
	}
}

// TestNeverSentRetriedForAnyMethod checks that a request that could not even connect is sent
// again whatever its method: nothing reached the server, so nothing can happen twice.
func TestNeverSentRetriedForAnyMethod(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: no attempt can connect

	for _, method := range faultMethods {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			var dials atomic.Int32
			tr := &http.Transport{DialContext: func(ctx context.Context, network, a string,
			) (net.Conn, error) {
				dials.Add(1)
				return (&net.Dialer{}).DialContext(ctx, network, a)
			}}
			b := NewBackend(&ClientConfig{Key: testKey, BaseURL: "http://" + addr + "/v1",
				MaxRetries: 3, RetryWaitMin: faultWaitMin, RetryWaitMax: faultWaitMax,
				HTTPClient: &http.Client{Transport: tr}})
			rec := &waitRecorder{}
			b.sleep = rec.sleep
			err := b.Do(context.Background(), faultRequest(method), nil)
			var opErr *net.OpError
			require.ErrorAs(t, err, &opErr, "got %v, want the dial error", err)
			assert.Equal(t, "dial", opErr.Op)
			assert.Equal(t, int32(4), dials.Load(), "got %d attempts, want 4", dials.Load())
			assert.Len(t, rec.all(), 3)
			checkWaits(t, rec.all(), faultWaitMin, faultWaitMax)
		})
	}
}

// TestBackoffGrowsWithJitter checks the waits of a long run of failures: doubling from
// RetryWaitMin, capped at RetryWaitMax, each drawn from the upper half of its step.
func TestBackoffGrowsWithJitter(t *testing.T) {
	t.Parallel()
	fs := newFaultServer(t, reply(503))
	b, rec := faultBackend(t, fs, func(c *ClientConfig) {
		c.MaxRetries = 8
		c.RetryWaitMax = 300 * time.Millisecond
	})
	require.Error(t, b.Do(context.Background(), faultRequest("GET"), nil))
	assert.Equal(t, 9, fs.count())
	require.Len(t, rec.all(), 8)
	checkWaits(t, rec.all(), faultWaitMin, 300*time.Millisecond)

	// The same attempt does not always wait the same: clients that failed together must not
	// come back together.
	seen := map[time.Duration]bool{}
	for range 200 {
		d := b.backoff(3, nil)
		require.True(t, d >= 20*time.Millisecond && d <= 40*time.Millisecond,
			"got %s, want within [20ms, 40ms]", d)
		seen[d] = true
	}
	assert.Greater(t, len(seen), 1, "got the same wait 200 times: no jitter")
}

// TestRetriesOff checks that a negative MaxRetries means a single attempt, even on 429.
func TestRetriesOff(t *testing.T) {
	t.Parallel()
	for _, step := range []faultStep{reply(429), reply(503), dropBeforeHeaders} {
		fs := newFaultServer(t, step, reply(200))
		b, rec := faultBackend(t, fs, func(c *ClientConfig) { c.MaxRetries = -1 })
		require.Error(t, b.Do(context.Background(), faultRequest("GET"), nil))
		assert.Equal(t, 1, fs.count())
		assert.Empty(t, rec.all())
	}
}

// TestRetrySendsSameRawBody checks that a pre-encoded body (a multipart upload) is sent
// again byte for byte, with its content type.
func TestRetrySendsSameRawBody(t *testing.T) {
	t.Parallel()
	raw := []byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n" +
		"\r\n\x89PNG\x00\x01\xff\r\n--b--\r\n")
	fs := newFaultServer(t, reply(503), dropBeforeHeaders, reply(200))
	b, _ := faultBackend(t, fs)
	err := b.Do(context.Background(), &Request{Method: "PUT", Path: "users/u/profile_image",
		RawBody: raw, ContentType: "multipart/form-data; boundary=b"}, nil)
	require.NoError(t, err)
	got := fs.recorded()
	require.Len(t, got, 3)
	for i, a := range got {
		assert.Equal(t, string(raw), a.body, "attempt %d body", i+1)
		assert.Equal(t, "multipart/form-data; boundary=b", a.header.Get("Content-Type"))
	}
}

// TestSlowAnswerIsWaitedFor checks that an answer that is slow, not failed, is waited for
// with the default transport: no hidden per-attempt timeout turns it into a retry.
func TestSlowAnswerIsWaitedFor(t *testing.T) {
	t.Parallel()
	fs := newFaultServer(t)
	fs.steps = []faultStep{fs.delayed(200*time.Millisecond, reply(201))}
	b, rec := faultBackend(t, fs, func(c *ClientConfig) { c.HTTPClient = nil })
	var out User
	require.NoError(t, b.Do(context.Background(), faultRequest("POST"), &out))
	assert.Equal(t, "user_1", out.ID)
	assert.Equal(t, 1, fs.count())
	assert.Empty(t, rec.all())
}
