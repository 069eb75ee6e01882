package externalaccount_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
)

const (
	testBaseURL = "https://api.example.test/v1"
	testKey     = "sk_test_externalaccount"
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

func loadFixture(t testing.TB, name string) fixture {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var f fixture
	require.NoError(t, json.Unmarshal(raw, &f), "fixture %s", name)
	return f
}

// sent is a request as the SDK sent it, body included.
type sent struct {
	method, path, query string
	header              http.Header
	body                []byte
}

// recorder answers requests and keeps what it was sent.
type recorder struct {
	mu   sync.Mutex
	reqs []sent
}

func (r *recorder) record(req *http.Request) error {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, sent{
		method: req.Method, path: req.URL.EscapedPath(), query: req.URL.RawQuery,
		header: req.Header.Clone(), body: body,
	})
	return nil
}

func (r *recorder) sent() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.reqs...)
}

// replay returns a config whose every request is answered with f's response.
func replay(f fixture) (*clerk.ClientConfig, *recorder) {
	rec := &recorder{}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		if err := rec.record(req); err != nil {
			return nil, err
		}
		resp := httpmock.NewBytesResponse(f.Response.Status, f.Response.Body)
		for k, v := range f.Response.Headers {
			resp.Header.Set(k, v)
		}
		return resp, nil
	})
	return mockConfig(mt), rec
}

func mockConfig(mt *httpmock.MockTransport) *clerk.ClientConfig {
	return &clerk.ClientConfig{
		Key:        testKey,
		BaseURL:    testBaseURL,
		HTTPClient: &http.Client{Transport: mt},
		MaxRetries: -1,
	}
}

// assertSent checks that the SDK sent exactly the fixture's request, once.
func assertSent(t *testing.T, f fixture, rec *recorder) {
	t.Helper()
	reqs := rec.sent()
	require.Len(t, reqs, 1, "got %d requests, want 1", len(reqs))
	got := reqs[0]
	assert.Equal(t, f.Request.Method, got.method, "method")
	assert.Equal(t, f.Request.Path, got.path, "path")
	assert.Equal(t, f.Request.Query, got.query, "query")
	assert.Equal(t, "Bearer "+testKey, got.header.Get("Authorization"), "authorization")
	if len(f.Request.Body) == 0 {
		assert.Empty(t, got.body, "got body %s, want none", got.body)
		return
	}
	assert.Equal(t, "application/json", got.header.Get("Content-Type"), "content type")
	assert.JSONEq(t, string(f.Request.Body), string(got.body), "body")
}

// recordedAPI returns a configuration whose requests are answered from the named recorded
// exchanges, each request by the exchange whose method, path and query it matches.
func recordedAPI(names ...string) *clerk.ClientConfig {
	mt := httpmock.NewMockTransport()
	for _, name := range names {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			panic(err)
		}
		var f fixture
		if err := json.Unmarshal(raw, &f); err != nil {
			panic(err)
		}
		u := testBaseURL + strings.TrimPrefix(f.Request.Path, "/v1")
		if f.Request.Query != "" {
			u += "?" + f.Request.Query
		}
		mt.RegisterResponder(f.Request.Method, u,
			httpmock.NewBytesResponder(f.Response.Status, f.Response.Body))
	}
	return mockConfig(mt)
}
