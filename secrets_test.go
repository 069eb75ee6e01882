package clerk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretPart is the part of testKey that must never show: the sk_test_ prefix alone says
// nothing.
const secretPart = "SECRETVALUE123"

// syncBuffer is a bytes.Buffer that a logger may write to from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestKeyNeverInErrorsOrLogs drives calls into every kind of failure with a debug logger
// and checks that neither the errors (in every fmt form) nor the log lines hold the key, a
// header or the request body.
func TestKeyNeverInErrorsOrLogs(t *testing.T) {
	t.Parallel()
	refused := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ln.Close()
		return "http://" + ln.Addr().String()
	}()
	cases := []struct {
		name     string
		steps    func(fs *faultServer) []faultStep
		baseURL  string
		mod      func(*ClientConfig)
		attempts int // log lines expected
	}{
		{name: "success", attempts: 1,
			steps: func(*faultServer) []faultStep { return []faultStep{reply(200)} }},
		{name: "retried then 404", attempts: 3, steps: func(*faultServer) []faultStep {
			return []faultStep{reply(503, "Retry-After", "0"), reply(429), reply(404)}
		}},
		{name: "retries run out", attempts: 3,
			steps: func(*faultServer) []faultStep { return []faultStep{reply(502)} }},
		{name: "reset", attempts: 3,
			steps: func(*faultServer) []faultStep { return []faultStep{dropBeforeHeaders} }},
		{name: "cut body", attempts: 3,
			steps: func(*faultServer) []faultStep { return []faultStep{cutBody(200)} }},
		{name: "html success", attempts: 1,
			steps: func(*faultServer) []faultStep { return []faultStep{replyHTML(200)} }},
		{name: "timeout", attempts: 3, mod: func(c *ClientConfig) {
			c.HTTPClient = &http.Client{Timeout: perAttemptTimeout}
		}, steps: func(fs *faultServer) []faultStep { return []faultStep{fs.stall} }},
		{name: "refused", attempts: 3, baseURL: refused},
		{name: "bad key", attempts: 0, mod: func(c *ClientConfig) {
			c.Key = "sk_test_" + secretPart + "\r\nX-Injected: 1"
			c.MaxRetries = -1
		}, steps: func(*faultServer) []faultStep { return []faultStep{reply(200)} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			logger := slog.New(slog.NewJSONHandler(&logs,
				&slog.HandlerOptions{Level: slog.LevelDebug}))
			fs := newFaultServer(t)
			if tc.steps != nil {
				fs.steps = tc.steps(fs)
			}
			b, _ := faultBackend(t, fs, func(c *ClientConfig) {
				c.Logger = logger
				if tc.baseURL != "" {
					c.BaseURL = tc.baseURL
				}
				if tc.mod != nil {
					tc.mod(c)
				}
			})
			err := b.Do(context.Background(), faultRequest("PUT"), &User{})
			if tc.name == "success" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				for _, form := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
					text := fmt.Sprintf(form, err)
					assert.NotContains(t, text, secretPart, "key in the error (%s): %s", form,
						text)
				}
			}

			text := logs.String()
			assert.NotContains(t, text, secretPart, "key in the logs: %s", text)
			if tc.attempts == 0 {
				assert.Empty(t, text, "nothing is sent, so nothing is logged")
				return
			}
			assert.NotContains(t, text, "Bearer")
			assert.NotContains(t, text, "Ada", "a request body in the logs: %s", text)
			lines := strings.Split(strings.TrimSpace(text), "\n")
			assert.Len(t, lines, tc.attempts, "one line per attempt: %s", text)
			for i, line := range lines {
				var rec map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &rec), "line %q", line)
				assert.Equal(t, "PUT", rec["method"], "line %d", i+1)
				assert.Equal(t, "/users/user_1", rec["path"], "line %d", i+1)
				assert.EqualValues(t, i+1, rec["attempt"], "line %d", i+1)
				assert.NotContains(t, rec, "headers")
				assert.NotContains(t, rec, "body")
			}
		})
	}
}

// TestKeyNeverInConfigOrBackendText prints configurations and backends in every fmt form,
// alone and inside a struct of the caller's. Not parallel: it sets the default configuration.
func TestKeyNeverInConfigOrBackendText(t *testing.T) {
	t.Cleanup(func() { SetConfig(nil) })
	cfg := ClientConfig{Key: testKey, BaseURL: "http://127.0.0.1:1/v1", MaxRetries: 2,
		Logger: slog.New(slog.DiscardHandler), HTTPClient: &http.Client{}}
	b := NewBackend(&cfg)
	values := map[string]any{
		"config": cfg, "*config": &cfg, "backend": b, "backend value": *b,
		"nil-config backend": NewBackend(nil),
		"config in a struct": struct {
			Name   string
			Config ClientConfig
		}{"app", cfg},
		"*config in a struct": struct{ Config *ClientConfig }{&cfg},
		"backend config":      b.Config(),
	}
	SetKey(testKey)
	values["default backend"] = DefaultBackend()
	values["default config"] = DefaultBackend().Config()
	for name, v := range values {
		for _, form := range []string{"%v", "%+v", "%#v", "%s"} {
			if _, ok := v.(fmt.Stringer); !ok && form == "%s" {
				continue // go vet reports %s of a value that is not a Stringer
			}
			text := fmt.Sprintf(form, v)
			assert.NotContains(t, text, secretPart, "key in %s printed with %s: %s", name, form,
				text)
		}
	}
	assert.Contains(t, fmt.Sprintf("%+v", cfg), "[redacted]", "a set key is shown as set")
}

// TestRedirectsKeepKeyOnItsHost follows redirects of every kind to another host, which must
// not receive the key, and to the same host, which does (so the test can see the header).
func TestRedirectsKeepKeyOnItsHost(t *testing.T) {
	t.Parallel()
	type seen struct{ auth, method, body string }
	var mu sync.Mutex
	var got []seen
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Header.Get("Authorization"), r.Method, string(body)})
		mu.Unlock()
		io.WriteString(w, okUser)
	}))
	t.Cleanup(target.Close)
	// 127.0.0.1 and localhost are different hosts to the redirect rules.
	otherHost := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)

	doers := map[string]Doer{
		"http.Client": &http.Client{},
		"plain Doer":  doerFunc(http.DefaultTransport.RoundTrip),
	}
	cases := []struct {
		method string
		code   int
	}{{"GET", 302}, {"GET", 301}, {"DELETE", 307}, {"POST", 307}, {"PUT", 308},
		{"PATCH", 307}}
	for doerName, doer := range doers {
		for _, tc := range cases {
			for _, host := range []string{otherHost, target.URL} {
				mu.Lock()
				got = nil
				mu.Unlock()
				fs := newFaultServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, host+"/elsewhere", tc.code)
				})
				b, _ := faultBackend(t, fs, func(c *ClientConfig) { c.HTTPClient = doer })
				require.NoError(t, b.Do(context.Background(), faultRequest(tc.method), nil))

				mu.Lock()
				require.Len(t, got, 1)
				s := got[0]
				mu.Unlock()
				name := fmt.Sprintf("%s %s %d to %s", doerName, tc.method, tc.code, host)
				if host == otherHost {
					assert.Empty(t, s.auth, "%s: the key followed the redirect", name)
				} else {
					assert.Equal(t, "Bearer "+testKey, s.auth, "%s: same host", name)
				}
				if tc.code >= 307 && methodHasBody(tc.method) {
					assert.JSONEq(t, faultRequestBody, s.body, "%s: body", name)
				}
			}
		}
	}
}

// doerFunc is a Doer that is not an *http.Client.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }

// TestRedirectLoopNotRetried checks that a redirect loop, which no retry can cure, fails
// after one round of redirects rather than one per attempt.
func TestRedirectLoopNotRetried(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	fs := newFaultServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	})
	b, rec := faultBackend(t, fs)
	err := waitErr(t, doAsync(context.Background(), b, faultRequest("GET")))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "redirects")
	assert.Equal(t, int32(10), hits.Load(), "got %d requests, want one round of 10",
		hits.Load())
	assert.Empty(t, rec.all())
}
