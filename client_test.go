package clerk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testKey = "sk_test_SECRETVALUE123"

// script answers attempt i with steps[i] (the last step repeats) and records every request.
type script struct {
	mu     sync.Mutex
	steps  []func(w http.ResponseWriter, r *http.Request)
	calls  int
	bodies []string
	reqs   []*http.Request
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	i := s.calls
	s.calls++
	s.bodies = append(s.bodies, string(body))
	s.reqs = append(s.reqs, r)
	step := s.steps[min(i, len(s.steps)-1)]
	s.mu.Unlock()
	step(w, r)
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func status(code int, body string, headers ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

// hangUp closes the connection without answering, after the request was read.
func hangUp(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

const okUser = `{"id":"user_1","object":"user"}`

// newTestBackend serves s and returns a backend whose waits are recorded instead of slept.
func newTestBackend(t *testing.T, s *script, mod ...func(*ClientConfig)) (*Backend, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	cfg := &ClientConfig{Key: testKey, BaseURL: srv.URL + "/v1", RetryWaitMin: 10 * time.Millisecond,
		RetryWaitMax: 80 * time.Millisecond}
	for _, m := range mod {
		m(cfg)
	}
	b := NewBackend(cfg)
	var mu sync.Mutex
	waits := &[]time.Duration{}
	b.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*waits = append(*waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return b, waits
}

func TestDoSendsHeadersAndDecodes(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, okUser)}}
	b, _ := newTestBackend(t, s, func(c *ClientConfig) { c.UserAgent = "myapp/2" })

	var out struct{ ID string }
	body := struct {
		Name  *string `json:"name,omitempty"`
		Admin *bool   `json:"admin,omitempty"`
	}{Name: String(""), Admin: Bool(false)}
	err := b.Do(context.Background(), &Request{Method: "POST", Path: JoinPath("users", "a/b"),
		Query: url.Values{"x": {"1", "2"}}, Body: &body}, &out)
	require.NoError(t, err)
	assert.Equal(t, "user_1", out.ID)

	r := s.reqs[0]
	assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
	assert.Equal(t, APIVersion, r.Header.Get("Clerk-API-Version"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "myapp/2 clerk-go/"+Version),
		"got User-Agent %q", r.Header.Get("User-Agent"))
	assert.Equal(t, "/v1/users/a%2Fb", r.URL.EscapedPath())
	assert.JSONEq(t, `{"name":"","admin":false}`, s.bodies[0])
}

func TestDoNilBodySendsNothing(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, okUser)}}
	b, _ := newTestBackend(t, s)
	var params *struct{ A string }
	require.NoError(t, b.Do(context.Background(), &Request{Method: "POST", Path: "users/u/ban",
		Body: params}, nil))
	assert.Equal(t, "", s.bodies[0], "a nil params pointer must send no body, never null")
	assert.Equal(t, "", s.reqs[0].Header.Get("Content-Type"))
}

func TestDoWithoutKeySendsNothing(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, okUser)}}
	b, _ := newTestBackend(t, s, func(c *ClientConfig) { c.Key = "" })
	err := b.Do(context.Background(), &Request{Method: "GET", Path: "users"}, nil)
	var ip *InvalidParamError
	require.ErrorAs(t, err, &ip)
	assert.Equal(t, "Key", ip.Param)
	assert.Equal(t, 0, s.count())
}

func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	fail := func(code int) func(http.ResponseWriter, *http.Request) {
		return status(code, `{"errors":[{"code":"oops","message":"m","long_message":"lm"}]}`)
	}
	ok := status(200, okUser)
	cases := []struct {
		method   string
		first    func(http.ResponseWriter, *http.Request)
		attempts int
	}{
		{"GET", fail(503), 2}, {"PUT", fail(502), 2}, {"DELETE", fail(504), 2},
		{"POST", fail(503), 1}, {"PATCH", fail(502), 1}, {"GET", fail(500), 1},
		{"POST", fail(429), 2}, {"PATCH", fail(429), 2}, {"GET", fail(429), 2},
		{"GET", fail(404), 1}, {"POST", fail(422), 1}, {"DELETE", fail(400), 1},
		{"GET", hangUp, 2}, {"PUT", hangUp, 2}, {"POST", hangUp, 1}, {"PATCH", hangUp, 1},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s after %p", tc.method, tc.first), func(t *testing.T) {
			t.Parallel()
			s := &script{steps: []func(http.ResponseWriter, *http.Request){tc.first, ok}}
			b, _ := newTestBackend(t, s)
			err := b.Do(context.Background(), &Request{Method: tc.method, Path: "users/u",
				Body: map[string]int{"n": 1}}, nil)
			assert.Equal(t, tc.attempts, s.count(), "got %d attempts, want %d", s.count(), tc.attempts)
			if tc.attempts == 2 {
				assert.NoError(t, err)
				assert.Equal(t, s.bodies[0], s.bodies[1], "a retry must send the same body")
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestRetriesExhaustedReturnLastAPIError(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(503, `{"errors":[{"code":"first","message":"a","long_message":"a"}]}`),
		status(503, `{"errors":[{"code":"last","message":"b","long_message":"b"}],`+
			`"clerk_trace_id":"tr_9"}`, "Content-Type", "application/json"),
	}}
	b, waits := newTestBackend(t, s, func(c *ClientConfig) { c.MaxRetries = 2 })
	err := b.Do(context.Background(), &Request{Method: "GET", Path: "users"}, nil)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.HTTPStatusCode)
	assert.Equal(t, "last", apiErr.Errors[0].Code)
	assert.Equal(t, "tr_9", apiErr.TraceID)
	assert.Equal(t, 3, s.count())
	assert.Len(t, *waits, 2)
	for _, w := range *waits {
		assert.True(t, w >= 10*time.Millisecond && w <= 80*time.Millisecond, "wait %s out of bounds", w)
	}
}

func TestRetryAfterHonouredAndCapped(t *testing.T) {
	t.Parallel()
	date := time.Now().Add(30 * time.Millisecond).UTC().Format(http.TimeFormat)
	cases := []struct {
		name, header string
		check        func(time.Duration) bool
	}{
		{"seconds capped at RetryWaitMax", "120", func(d time.Duration) bool { return d == 80*time.Millisecond }},
		{"zero seconds", "0", func(d time.Duration) bool { return d == 0 }},
		{"http date capped", "Wed, 21 Oct 2099 07:28:00 GMT", func(d time.Duration) bool { return d == 80*time.Millisecond }},
		{"http date soon", date, func(d time.Duration) bool { return d <= 80*time.Millisecond }},
		{"garbage falls back to backoff", "soon", func(d time.Duration) bool { return d >= 10*time.Millisecond }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &script{steps: []func(http.ResponseWriter, *http.Request){
				status(429, `{"errors":[]}`, "Retry-After", tc.header), status(200, okUser)}}
			b, waits := newTestBackend(t, s)
			require.NoError(t, b.Do(context.Background(), &Request{Method: "POST", Path: "users"}, nil))
			require.Len(t, *waits, 1)
			assert.True(t, tc.check((*waits)[0]), "got wait %s", (*waits)[0])
		})
	}
}

func TestConnectionRefusedIsRetriedForAnyMethod(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: the request can never be sent

	b := NewBackend(&ClientConfig{Key: testKey, BaseURL: "http://" + addr + "/v1", MaxRetries: 2})
	var waits int
	b.sleep = func(ctx context.Context, _ time.Duration) error { waits++; return nil }
	err = b.Do(context.Background(), &Request{Method: "POST", Path: "users", Body: map[string]int{}}, nil)
	require.Error(t, err)
	assert.Equal(t, 2, waits, "a POST that never reached the server may be retried")
	assert.NotContains(t, err.Error(), testKey)
}

func TestContextCancelStopsBackoff(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, "")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	b := NewBackend(&ClientConfig{Key: testKey, BaseURL: srv.URL, RetryWaitMin: time.Hour,
		RetryWaitMax: time.Hour})

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := b.Do(ctx, &Request{Method: "GET", Path: "users"}, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Equal(t, 1, s.count(), "no attempt after cancellation")
}

func TestContextDeadlineDuringRequest(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	b := NewBackend(&ClientConfig{Key: testKey, BaseURL: srv.URL})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := b.Do(ctx, &Request{Method: "GET", Path: "users"}, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, s.count())
}

func TestTimeoutAppliesOnlyWithoutDeadline(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	b := NewBackend(&ClientConfig{Key: testKey, BaseURL: srv.URL, Timeout: 50 * time.Millisecond})
	err := b.Do(context.Background(), &Request{Method: "POST", Path: "users"}, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestErrorResponses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		step     func(http.ResponseWriter, *http.Request)
		sentinel error
		check    func(t *testing.T, e *APIError)
	}{
		{"clerk 404", status(404, `{"errors":[{"code":"resource_not_found","message":"not found",`+
			`"long_message":"User not found"}],"clerk_trace_id":"abc"}`), ErrNotFound,
			func(t *testing.T, e *APIError) {
				assert.Equal(t, "resource_not_found", e.Errors[0].Code)
				assert.Equal(t, "abc", e.TraceID)
				assert.True(t, e.HasCode("resource_not_found"))
				assert.Contains(t, e.Error(), "User not found")
			}},
		{"empty 404", status(404, ""), ErrNotFound, func(t *testing.T, e *APIError) {
			assert.Empty(t, e.Errors)
			assert.Empty(t, e.Body)
		}},
		{"422 with several errors", status(422, `{"errors":[`+
			`{"code":"form_param_missing","message":"a","long_message":"a","meta":{"param_name":"x"}},`+
			`{"code":"form_password_pwned","message":"b","long_message":"b"}]}`), ErrUnprocessable,
			func(t *testing.T, e *APIError) {
				require.Len(t, e.Errors, 2)
				assert.JSONEq(t, `{"param_name":"x"}`, string(e.Errors[0].Meta))
				assert.Contains(t, e.Error(), "and 1 more")
			}},
		{"html from a proxy", status(502, "<html><body>Bad Gateway</body></html>",
			"Content-Type", "text/html", "Clerk-Trace-Id", "hdr"), nil, func(t *testing.T, e *APIError) {
			assert.Equal(t, 502, e.HTTPStatusCode)
			assert.Contains(t, e.Body, "Bad Gateway")
			assert.Equal(t, "hdr", e.TraceID)
		}},
		{"401", status(401, `{"errors":[]}`), ErrUnauthorized, nil},
		{"403", status(403, `{}`), ErrForbidden, nil},
		{"409", status(409, `nope`), ErrConflict, nil},
		{"429", status(429, ``, "Retry-After", "7"), ErrRateLimited, func(t *testing.T, e *APIError) {
			assert.Equal(t, 7*time.Second, e.RetryAfter)
		}},
		{"huge html error", status(500, strings.Repeat("x", 1<<20)), nil, func(t *testing.T, e *APIError) {
			assert.LessOrEqual(t, len(e.Body), maxErrorExcerpt+3)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &script{steps: []func(http.ResponseWriter, *http.Request){tc.step}}
			b, _ := newTestBackend(t, s, func(c *ClientConfig) { c.MaxRetries = -1 })
			err := b.Do(context.Background(), &Request{Method: "GET", Path: "users/u"}, &struct{}{})
			var e *APIError
			require.ErrorAs(t, err, &e)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			for _, other := range []error{ErrNotFound, ErrUnauthorized, ErrConflict} {
				if !errors.Is(other, tc.sentinel) {
					assert.NotErrorIs(t, err, other)
				}
			}
			if tc.check != nil {
				tc.check(t, e)
			}
		})
	}
}

func TestSuccessBodyProblems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		step func(http.ResponseWriter, *http.Request)
		want error
	}{
		{"html 200", status(200, "<html>login</html>"), nil},
		{"empty 200", status(200, ""), nil},
		{"too large", func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, `{"id":"`)
			chunk := bytes.Repeat([]byte("a"), 1<<20)
			for i := 0; i < 40; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, ErrResponseTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &script{steps: []func(http.ResponseWriter, *http.Request){tc.step}}
			b, _ := newTestBackend(t, s)
			var out struct{ ID string }
			err := b.Do(context.Background(), &Request{Method: "GET", Path: "users/u"}, &out)
			require.Error(t, err)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
}

func TestKeyNeverLeaks(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, "x"), status(404, "")}}
	b, _ := newTestBackend(t, s, func(c *ClientConfig) { c.Logger = logger })
	err := b.Do(context.Background(), &Request{Method: "GET", Path: "users/u"}, nil)
	require.Error(t, err)

	cfg := b.Config()
	for name, text := range map[string]string{
		"error": err.Error(), "logs": logs.String(),
		"%+v config": fmt.Sprintf("%+v", cfg), "%#v config": fmt.Sprintf("%#v", cfg),
		"%v backend": fmt.Sprintf("%v", b), "%+v backend value": fmt.Sprintf("%+v", *b),
	} {
		assert.NotContains(t, text, "SECRETVALUE", "key leaked in %s: %s", name, text)
	}
	assert.Equal(t, 2, strings.Count(logs.String(), "clerk request"), "one line per attempt: %s", logs.String())
	assert.Contains(t, logs.String(), "wait=")
}

func TestSilentByDefault(t *testing.T) {
	// Not parallel: it swaps os.Stderr's stand-in, the default slog logger.
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, ""), status(200, "{}")}}
	b, _ := newTestBackend(t, s)
	require.NoError(t, b.Do(context.Background(), &Request{Method: "GET", Path: "users"}, nil))
	assert.Empty(t, buf.String())
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Authorization") + "|")
		io.WriteString(w, "{}")
	}))
	defer other.Close()
	// 127.0.0.1 and localhost are different hosts to the redirect rules.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, otherURL, http.StatusFound) }}}
	b, _ := newTestBackend(t, s)
	err := b.Do(context.Background(), &Request{Method: "GET", Path: "users"}, nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.HTTPStatusCode)
	assert.Nil(t, got.Load(), "the key and body must not follow a redirect anywhere")
}

func TestJoinPathKeepsSegments(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"a/b": "users/a%2Fb", "..": "users/%2E%2E", ".": "users/%2E", "../x": "users/..%2Fx",
		"a?b": "users/a%3Fb", "a#b": "users/a%23b", "a%2F": "users/a%252F", "user_1": "users/user_1",
	}
	for id, want := range cases {
		assert.Equal(t, want, JoinPath("users", id), "JoinPath(%q)", id)
	}
}

func TestEscapedIDReachesServerAsOneSegment(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, "{}")}}
	b, _ := newTestBackend(t, s)
	for _, id := range []string{"..", "a/b", "a?b", "a#b", "../x"} {
		require.NoError(t, b.Do(context.Background(), &Request{Method: "DELETE",
			Path: JoinPath("users", id)}, nil))
	}
	for i, want := range []string{"/v1/users/%2E%2E", "/v1/users/a%2Fb", "/v1/users/a%3Fb",
		"/v1/users/a%23b", "/v1/users/..%2Fx"} {
		assert.Equal(t, want, s.reqs[i].URL.EscapedPath())
		assert.Empty(t, s.reqs[i].URL.RawQuery)
	}
}

func TestDefaultConfigConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); SetKey(fmt.Sprintf("sk_test_%d", i)) }()
		go func() { defer wg.Done(); _ = DefaultBackend().Config().Key }()
	}
	wg.Wait()
	SetConfig(&ClientConfig{MaxRetries: -1, BaseURL: "http://127.0.0.1:1"})
	SetKey("sk_test_later")
	cfg := DefaultBackend().Config()
	assert.Equal(t, "sk_test_later", cfg.Key)
	assert.Equal(t, 0, cfg.MaxRetries, "SetKey keeps the other settings")
	assert.Equal(t, "http://127.0.0.1:1", cfg.BaseURL)
	SetConfig(nil)
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true}, {" 0 ", 0, true}, {"-1", 0, false}, {"", 0, false},
		{"Thu, 01 Jan 2026 00:00:10 GMT", 10 * time.Second, true},
		{"Wed, 31 Dec 2025 23:00:00 GMT", 0, true}, {"later", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		assert.Equal(t, tc.ok, ok, "parseRetryAfter(%q) ok", tc.in)
		assert.Equal(t, tc.want, got, "parseRetryAfter(%q)", tc.in)
	}
}

func TestInvalidParamError(t *testing.T) {
	t.Parallel()
	err := RequireID("user_id", "")
	assert.ErrorIs(t, err, ErrInvalidParam)
	assert.EqualError(t, err, "clerk: invalid parameter user_id: must not be empty")
	assert.NoError(t, RequireID("user_id", "user_1"))
	var _ = json.RawMessage{}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, okUser)}}
	b, _ := newTestBackend(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := b.Do(ctx, &Request{Method: "POST", Path: "users"}, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, s.count())
}

func TestNilConfigFollowsDefault(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, okUser)}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	b := NewBackend(nil)
	SetConfig(&ClientConfig{BaseURL: srv.URL})
	defer SetConfig(nil)
	SetKey("sk_test_set_after_the_client_was_built")
	require.NoError(t, b.Do(context.Background(), &Request{Method: "GET", Path: "users"}, nil))
	assert.Equal(t, "Bearer sk_test_set_after_the_client_was_built", s.reqs[0].Header.Get("Authorization"))
}

func TestBadConfigSendsNothing(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, okUser)}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	cases := []struct {
		name, param string
		cfg         ClientConfig
	}{
		{"blank key", "Key", ClientConfig{Key: "   ", BaseURL: srv.URL}},
		{"key with a newline", "Key", ClientConfig{Key: testKey + "\n", BaseURL: srv.URL}},
		{"query in base URL", "BaseURL", ClientConfig{Key: testKey, BaseURL: srv.URL + "/v1?x=1"}},
		{"fragment in base URL", "BaseURL", ClientConfig{Key: testKey, BaseURL: srv.URL + "#f"}},
		{"ftp base URL", "BaseURL", ClientConfig{Key: testKey, BaseURL: "ftp://127.0.0.1/v1"}},
		{"no host", "BaseURL", ClientConfig{Key: testKey, BaseURL: "http:///v1"}},
		{"not a URL", "BaseURL", ClientConfig{Key: testKey, BaseURL: "::nope"}},
		{"control in user agent", "UserAgent", ClientConfig{Key: testKey, BaseURL: srv.URL,
			UserAgent: "app\r\nX: 1"}},
	}
	for _, tc := range cases {
		err := NewBackend(&tc.cfg).Do(context.Background(), &Request{Method: "GET", Path: "users"}, nil)
		var ip *InvalidParamError
		require.ErrorAs(t, err, &ip, tc.name)
		assert.Equal(t, tc.param, ip.Param, tc.name)
		assert.NotContains(t, err.Error(), "SECRETVALUE", tc.name)
	}
	assert.Equal(t, 0, s.count(), "no request for a bad configuration")
}

func TestRetryWaitMaxIsACeiling(t *testing.T) {
	t.Parallel()
	for _, cfg := range []ClientConfig{
		{RetryWaitMax: 100 * time.Millisecond},
		{RetryWaitMin: time.Second, RetryWaitMax: 100 * time.Millisecond},
	} {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){
			status(429, "", "Retry-After", "3600"), status(502, ""), status(200, okUser)}}
		b, waits := newTestBackend(t, s, func(c *ClientConfig) {
			c.RetryWaitMin, c.RetryWaitMax = cfg.RetryWaitMin, cfg.RetryWaitMax
		})
		require.NoError(t, b.Do(context.Background(), &Request{Method: "GET", Path: "users"}, nil))
		require.Len(t, *waits, 2)
		for _, w := range *waits {
			assert.LessOrEqual(t, w, 100*time.Millisecond, "got wait %s over RetryWaitMax", w)
		}
	}
}

func TestNullBodyIsAnError(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, " null\n")}}
	b, _ := newTestBackend(t, s)
	var out struct{ ID string }
	err := b.Do(context.Background(), &Request{Method: "GET", Path: "users/u"}, &out)
	assert.ErrorIs(t, err, errNullBody)
}

func TestRequireIDRefusesBlank(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", " ", "\t", " \n "} {
		assert.ErrorIs(t, RequireID("user_id", id), ErrInvalidParam, "RequireID(%q)", id)
	}
	for _, id := range []string{"user_1", " user_1", "a b"} {
		assert.NoError(t, RequireID("user_id", id), "RequireID(%q)", id)
	}
}
