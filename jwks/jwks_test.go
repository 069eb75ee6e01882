package jwks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/jwks"
)

const testBaseURL = "https://api.example.test/v1"

// fixture is one recorded exchange from testdata.
type fixture struct {
	Request struct {
		Method string `json:"method"`
		Path   string `json:"path"`
		Query  string `json:"query"`
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
	require.NoError(t, json.Unmarshal(raw, &f))
	return f
}

// replay answers every request with the fixture's response and records the requests it saw.
func replay(f fixture, seen *[]*http.Request) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		*seen = append(*seen, req)
		resp := httpmock.NewBytesResponse(f.Response.Status, f.Response.Body)
		for k, v := range f.Response.Headers {
			resp.Header.Set(k, v)
		}
		return resp, nil
	}
}

func mockConfig(mt *httpmock.MockTransport) *clerk.ClientConfig {
	return &clerk.ClientConfig{
		Key:        "sk_test_jwks",
		BaseURL:    testBaseURL,
		HTTPClient: &http.Client{Transport: mt},
		MaxRetries: -1,
	}
}

func TestClientGet(t *testing.T) {
	t.Parallel()
	f := loadFixture(t, "get.json")
	mt := httpmock.NewMockTransport()
	var seen []*http.Request
	mt.RegisterNoResponder(replay(f, &seen))

	set, err := jwks.NewClient(mockConfig(mt)).Get(context.Background())
	require.NoError(t, err)

	require.Len(t, seen, 1, "got %d requests, want 1", len(seen))
	req := seen[0]
	assert.Equal(t, f.Request.Method, req.Method, "method")
	assert.Equal(t, f.Request.Path, req.URL.Path, "path")
	assert.Equal(t, f.Request.Query, req.URL.RawQuery, "query")
	assert.Equal(t, "Bearer sk_test_jwks", req.Header.Get("Authorization"), "authorization")

	// The decoded set must hold exactly what the recorded body holds.
	var want clerk.JSONWebKeySet
	dec := json.NewDecoder(bytes.NewReader(f.Response.Body))
	require.NoError(t, dec.Decode(&want))
	require.Len(t, want.Keys, 2, "fixture should hold two keys")
	assert.Equal(t, &want, set)

	rsaKey := set.Keys[0]
	assert.Equal(t, "ins_2abcDEFghiJKLmnoPQRstuVWXyz", rsaKey.KeyID)
	assert.Equal(t, "RSA", rsaKey.KeyType)
	assert.Equal(t, "RS256", rsaKey.Algorithm)
	assert.Equal(t, "sig", rsaKey.Use)
	assert.Equal(t, "AQAB", rsaKey.E)
	assert.NotEmpty(t, rsaKey.N)

	ecKey := set.Keys[1]
	assert.Equal(t, "EC", ecKey.KeyType)
	assert.Equal(t, "P-256", ecKey.Curve)
	assert.NotEmpty(t, ecKey.X)
	assert.NotEmpty(t, ecKey.Y)
}

func TestClientGetErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"unauthorized", http.StatusUnauthorized,
			`{"errors":[{"code":"authentication_invalid","message":"bad key"}]}`,
			clerk.ErrUnauthorized},
		{"not found", http.StatusNotFound, ``, clerk.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder(http.MethodGet, testBaseURL+"/jwks",
				httpmock.NewStringResponder(tt.status, tt.body))

			set, err := jwks.NewClient(mockConfig(mt)).Get(context.Background())
			assert.Nil(t, set)
			require.ErrorIs(t, err, tt.want)
			var apiErr *clerk.APIError
			require.True(t, errors.As(err, &apiErr), "got %T, want *clerk.APIError", err)
			assert.Equal(t, tt.status, apiErr.HTTPStatusCode)
		})
	}
}

// TestGetDefault changes the package-level default configuration, so it does not run in
// parallel with other tests.
func TestGetDefault(t *testing.T) {
	f := loadFixture(t, "get.json")
	mt := httpmock.NewMockTransport()
	var seen []*http.Request
	mt.RegisterNoResponder(replay(f, &seen))
	clerk.SetConfig(mockConfig(mt))
	t.Cleanup(func() { clerk.SetConfig(nil) })

	set, err := jwks.Get(context.Background())
	require.NoError(t, err)
	require.Len(t, seen, 1)
	assert.Equal(t, "/v1/jwks", seen[0].URL.Path)
	assert.Len(t, set.Keys, 2)
}
