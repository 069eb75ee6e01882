package session_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/session"
)

const (
	testBaseURL = "https://api.example.test/v1"
	testKey     = "sk_test_session"
)

// fixture is one recorded exchange from testdata.
type fixture struct {
	Request struct {
		Method string          `json:"method"`
		Path   string          `json:"path"`
		Query  string          `json:"query"`
		Body   json.RawMessage `json:"body"`
	} `json:"request"`
	Response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"response"`
}

func loadFixture(t *testing.T, name string) fixture {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var f fixture
	require.NoError(t, json.Unmarshal(raw, &f), "fixture %s", name)
	return f
}

// sent is a request as the mock transport received it, body included.
type sent struct {
	method      string
	path        string // escaped, as on the wire
	query       string
	body        []byte
	contentType string
	auth        string
}

// replayer answers the n-th request with the n-th fixture and records every request. A
// request beyond the last fixture is answered 418, which no call expects.
type replayer struct {
	mu       sync.Mutex
	fixtures []fixture
	seen     []sent
}

func (r *replayer) respond(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		body = b
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, sent{
		method:      req.Method,
		path:        req.URL.EscapedPath(),
		query:       req.URL.RawQuery,
		body:        body,
		contentType: req.Header.Get("Content-Type"),
		auth:        req.Header.Get("Authorization"),
	})
	n := len(r.seen) - 1
	if n >= len(r.fixtures) {
		return httpmock.NewStringResponse(http.StatusTeapot, "no fixture left"), nil
	}
	f := r.fixtures[n]
	resp := httpmock.NewBytesResponse(f.Response.Status, f.Response.Body)
	for k, v := range f.Response.Headers {
		resp.Header.Set(k, v)
	}
	return resp, nil
}

func (r *replayer) requests() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.seen...)
}

// mockConfig sends every request to r, with retries off so that each call is one request.
func mockConfig(r *replayer) *clerk.ClientConfig {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(r.respond)
	return &clerk.ClientConfig{
		Key:        testKey,
		BaseURL:    testBaseURL,
		HTTPClient: &http.Client{Transport: mt},
		MaxRetries: -1,
	}
}

// newReplay returns a client that answers its requests with the named fixtures, in order.
func newReplay(t *testing.T, names ...string) (*session.Client, *replayer, []fixture) {
	t.Helper()
	r := &replayer{}
	for _, name := range names {
		r.fixtures = append(r.fixtures, loadFixture(t, name))
	}
	return session.NewClient(mockConfig(r)), r, r.fixtures
}

// assertRequest checks that got is exactly the request recorded in f: method, escaped path,
// query parameters and JSON body (or no body at all when the fixture has none).
func assertRequest(t *testing.T, f fixture, got sent) {
	t.Helper()
	assert.Equal(t, f.Request.Method, got.method, "method")
	assert.Equal(t, f.Request.Path, got.path, "path")
	wantQuery, err := url.ParseQuery(f.Request.Query)
	require.NoError(t, err)
	gotQuery, err := url.ParseQuery(got.query)
	require.NoError(t, err)
	assert.Equal(t, wantQuery, gotQuery, "query: got %q, want %q", got.query, f.Request.Query)
	if len(f.Request.Body) == 0 {
		assert.Empty(t, got.body, "body: got %q, want none", got.body)
	} else {
		assert.JSONEq(t, string(f.Request.Body), string(got.body), "body")
		assert.Equal(t, "application/json", got.contentType, "content type")
	}
	assert.Equal(t, "Bearer "+testKey, got.auth, "authorization")
}

// assertAPIError checks that err is the *clerk.APIError that f's response describes.
func assertAPIError(t *testing.T, f fixture, err error) {
	t.Helper()
	var apiErr *clerk.APIError
	require.True(t, errors.As(err, &apiErr), "got %T (%v), want *clerk.APIError", err, err)
	assert.Equal(t, f.Response.Status, apiErr.HTTPStatusCode, "status")

	var want struct {
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
		TraceID string `json:"clerk_trace_id"`
	}
	require.NoError(t, json.Unmarshal(f.Response.Body, &want))
	require.Len(t, apiErr.Errors, len(want.Errors), "errors")
	for i := range want.Errors {
		assert.Equal(t, want.Errors[i].Code, apiErr.Errors[i].Code, "errors[%d].code", i)
	}
	assert.Equal(t, want.TraceID, apiErr.TraceID, "trace ID")
	assert.NotContains(t, err.Error(), testKey, "the error must not show the key")
}

// decodeAs decodes f's response body into a new value of the type *T.
func decodeAs[T any](t *testing.T, f fixture) *T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(f.Response.Body, &v))
	return &v
}
