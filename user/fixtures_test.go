package user_test

// Recorded exchanges and their replay. Each file under testdata/ holds one request as the
// SDK must send it and the response the API gave:
//
//	{"request":  {"method": "GET", "path": "/v1/users/user_1", "query": "limit=10",
//	              "headers": {...}, "body": {...}},
//	 "response": {"status": 200, "headers": {...}, "body": {...}}}
//
// replay serves a sequence of exchanges: the n-th request the client sends is checked
// against the n-th exchange (method, escaped path, query, body) and answered with its
// response. A request body absent from the fixture means that no body may be sent. A
// multipart/form-data body is described part by part, since its boundary is random:
//
//	"body": {"file": {"filename": "a.png", "content_type": "image/png",
//	                  "content_base64": "iVBORw0..."}}
//
// This file depends only on the fixture format; other resource packages can copy it as it
// is and change the package name.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
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

// testBaseURL is where mocked clients send requests; its path is the API's /v1 prefix, as
// in the fixtures.
const testBaseURL = "https://api.clerk.test/v1"

// testKey is the secret key of mocked clients.
const testKey = "sk_test_fixture_replay"

// exchange is one recorded request and its response.
type exchange struct {
	Name    string `json:"-"`
	Request struct {
		Method  string            `json:"method"`
		Path    string            `json:"path"`
		Query   string            `json:"query,omitempty"`
		Headers map[string]string `json:"headers,omitempty"`
		Body    json.RawMessage   `json:"body,omitempty"`
	} `json:"request"`
	Response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers,omitempty"`
		Body    json.RawMessage   `json:"body,omitempty"`
	} `json:"response"`
}

// loadExchange reads testdata/<name>.json.
func loadExchange(t *testing.T, name string) *exchange {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	require.NoError(t, err)
	var ex exchange
	require.NoError(t, json.Unmarshal(raw, &ex), "fixture %s", name)
	require.NotEmpty(t, ex.Request.Method, "fixture %s: request.method", name)
	require.NotZero(t, ex.Response.Status, "fixture %s: response.status", name)
	ex.Name = name
	return &ex
}

// mockConfig returns a configuration whose requests go to mt, with retries off so that every
// exchange is one request.
func mockConfig(mt *httpmock.MockTransport) *clerk.ClientConfig {
	return &clerk.ClientConfig{
		Key:        testKey,
		BaseURL:    testBaseURL,
		HTTPClient: &http.Client{Transport: mt},
		MaxRetries: -1,
	}
}

// replayFixtures loads the named fixtures and returns a transport that serves them in order.
func replayFixtures(t *testing.T, names ...string) *httpmock.MockTransport {
	t.Helper()
	exs := make([]*exchange, len(names))
	for i, n := range names {
		exs[i] = loadExchange(t, n)
	}
	return replay(t, exs...)
}

// replay returns a transport that checks the n-th request against exs[n] and answers with
// its response. A request beyond the last exchange fails the test. At the end of the test,
// every exchange must have been used.
func replay(t *testing.T, exs ...*exchange) *httpmock.MockTransport {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var mu sync.Mutex
	next := 0
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		if next >= len(exs) {
			t.Errorf("got request %d (%s %s), want only %d", next+1, req.Method, req.URL,
				len(exs))
			return nil, fmt.Errorf("no recorded exchange for %s %s", req.Method, req.URL)
		}
		ex := exs[next]
		next++
		checkRequest(t, ex, req)
		return recordedResponse(ex), nil
	})
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		assert.Equal(t, len(exs), next, "got %d requests, want %d", next, len(exs))
	})
	return mt
}

// checkRequest asserts that req is the request ex recorded. It runs inside the transport,
// so it reports with assert (never FailNow).
func checkRequest(t *testing.T, ex *exchange, req *http.Request) {
	t.Helper()
	want := ex.Request
	assert.Equal(t, want.Method, req.Method, "%s: method", ex.Name)
	assert.Equal(t, want.Path, req.URL.EscapedPath(), "%s: path", ex.Name)
	wantQuery, err := url.ParseQuery(want.Query)
	assert.NoError(t, err, "%s: fixture query", ex.Name)
	gotQuery, err := url.ParseQuery(req.URL.RawQuery)
	assert.NoError(t, err, "%s: sent query", ex.Name)
	assert.Equal(t, wantQuery, gotQuery, "%s: query %q", ex.Name, req.URL.RawQuery)
	assert.Equal(t, "Bearer "+testKey, req.Header.Get("Authorization"), "%s: auth", ex.Name)
	assert.Equal(t, clerk.APIVersion, req.Header.Get("Clerk-API-Version"), "%s", ex.Name)

	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(req.Body)
		assert.NoError(t, err, "%s: reading body", ex.Name)
	}
	wantType := want.Headers["Content-Type"]
	mediaType, params, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	switch {
	case len(want.Body) == 0 || string(want.Body) == "null":
		assert.Empty(t, string(body), "%s: got a body, want none", ex.Name)
	case strings.HasPrefix(wantType, "multipart/form-data"):
		assert.Equal(t, "multipart/form-data", mediaType, "%s: content type", ex.Name)
		checkMultipart(t, ex, body, params["boundary"])
	default:
		assert.Equal(t, "application/json", mediaType, "%s: content type", ex.Name)
		assert.JSONEq(t, string(want.Body), string(body), "%s: body", ex.Name)
	}
}

// formFile is a file part of a multipart body, as a fixture describes it.
type formFile struct {
	Filename      string `json:"filename"`
	ContentType   string `json:"content_type"`
	ContentBase64 string `json:"content_base64"`
}

// checkMultipart asserts that body holds exactly the parts ex describes.
func checkMultipart(t *testing.T, ex *exchange, body []byte, boundary string) {
	t.Helper()
	var want map[string]formFile
	if !assert.NoError(t, json.Unmarshal(ex.Request.Body, &want), "%s: fixture", ex.Name) {
		return
	}
	got := map[string]formFile{}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if !assert.NoError(t, err, "%s: multipart body", ex.Name) {
			return
		}
		content, err := io.ReadAll(part)
		assert.NoError(t, err, "%s: part %s", ex.Name, part.FormName())
		got[part.FormName()] = formFile{
			Filename:      part.FileName(),
			ContentType:   part.Header.Get("Content-Type"),
			ContentBase64: base64.StdEncoding.EncodeToString(content),
		}
	}
	assert.Equal(t, want, got, "%s: multipart parts", ex.Name)
}

// recordedResponse builds the response ex recorded.
func recordedResponse(ex *exchange) *http.Response {
	var body []byte
	if b := ex.Response.Body; len(b) > 0 && string(b) != "null" {
		body = b
	}
	resp := httpmock.NewBytesResponse(ex.Response.Status, body)
	for k, v := range ex.Response.Headers {
		resp.Header.Set(k, v)
	}
	return resp
}

// wantBody decodes the recorded response body of the named fixture into a new T, to compare
// with what the SDK decoded.
func wantBody[T any](t *testing.T, name string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(loadExchange(t, name).Response.Body, &v))
	return v
}
