package clerktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/require"
)

// start returns a server that the test closes when it ends.
func start(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// response is what a request got back.
type response struct {
	status int
	body   []byte
}

// errorBody is Clerk's error document.
type errorBody struct {
	Errors []struct {
		Code        string         `json:"code"`
		Message     string         `json:"message"`
		LongMessage string         `json:"long_message"`
		Meta        map[string]any `json:"meta"`
	} `json:"errors"`
	TraceID string `json:"clerk_trace_id"`
}

// do sends method path (below /v1, with its query) with body encoded as JSON (a string is sent
// as it is; nil sends nothing) and the server's key.
func do(t *testing.T, s *Server, method, path string, body any) response {
	t.Helper()
	return doKey(t, s, s.Key(), method, path, body)
}

func doKey(t *testing.T, s *Server, key, method, path string, body any) response {
	t.Helper()
	r, err := send(s, key, method, path, body)
	require.NoError(t, err)
	return r
}

// send is doKey for goroutines other than the test's, which must not stop the test.
func send(s *Server, key, method, path string, body any) (response, error) {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return response{}, err
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.URL()+path, r)
	if err != nil {
		return response{}, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	if ct := resp.Header.Get("Content-Type"); len(raw) > 0 && ct != "application/json" {
		return response{}, fmt.Errorf("%s %s: got Content-Type %q, want application/json",
			method, path, ct)
	}
	return response{status: resp.StatusCode, body: raw}, nil
}

// ok requires status 200 and decodes the body into a T.
func ok[T any](t *testing.T, r response) T {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var v T
	require.NoError(t, json.Unmarshal(r.body, &v), "body: %s", r.body)
	return v
}

// failed requires status and an error document whose first error has code, and returns it.
func failed(t *testing.T, r response, status int, code string) errorBody {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	var e errorBody
	require.NoError(t, json.Unmarshal(r.body, &e), "body: %s", r.body)
	require.NotEmpty(t, e.Errors, "body: %s", r.body)
	require.Equal(t, code, e.Errors[0].Code, "body: %s", r.body)
	require.NotEmpty(t, e.Errors[0].Message)
	require.NotEmpty(t, e.Errors[0].LongMessage)
	require.NotEmpty(t, e.TraceID)
	return e
}

// failedParam is failed for a 4xx about one parameter, which meta.param_name names.
func failedParam(t *testing.T, r response, status int, code, param string) {
	t.Helper()
	e := failed(t, r, status, code)
	require.Equal(t, param, e.Errors[0].Meta["param_name"], "body: %s", r.body)
}

// create makes a user through the API.
func create(t *testing.T, s *Server, body map[string]any) *clerk.User {
	t.Helper()
	return ok[*clerk.User](t, do(t, s, http.MethodPost, "/users", body))
}

// testClock is a clock that only the test moves, safe to read from the server's goroutines.
type testClock struct{ ms atomic.Int64 }

func newTestClock(ms int64) *testClock {
	c := &testClock{}
	c.ms.Store(ms)
	return c
}

func (c *testClock) Now() time.Time { return time.UnixMilli(c.ms.Load()) }

func (c *testClock) Add(d time.Duration) { c.ms.Add(d.Milliseconds()) }

func ids(users []*clerk.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}
