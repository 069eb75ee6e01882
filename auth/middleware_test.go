package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk/auth"
)

// recordingHandler notes whether it was called and the claims its request carried.
type recordingHandler struct {
	called bool
	claims *auth.Claims
}

func (h *recordingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.called = true
	h.claims, _ = auth.ClaimsFromContext(r.Context())
	w.WriteHeader(http.StatusNoContent)
}

// requestWith builds a request carrying an Authorization header and a session cookie when
// they are not empty.
func requestWith(authorization, cookie string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/api/me", nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: cookie})
	}
	return r
}

type middlewareCase struct {
	name          string
	authorization string
	cookie        string
	valid         bool   // whether the request carries a valid session
	code          string // RequireSession's error code when it does not
	status        int
}

func middlewareCases(t *testing.T) []middlewareCase {
	valid := sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims())
	expired := sign(t, rsaKeyA(), jose.RS256, kidA, withClaims(map[string]any{
		"exp": testNow.Add(-time.Hour).Unix()}))
	tampered := valid[:len(valid)-2] + "AA"
	return []middlewareCase{
		{name: "Bearer", authorization: "Bearer " + valid, valid: true},
		{name: "bearer", authorization: "bearer " + valid, valid: true},
		{name: "BEARER", authorization: "BEARER " + valid, valid: true},
		{name: "spaces around the token", authorization: "Bearer   " + valid + " ", valid: true},
		{name: "cookie", cookie: valid, valid: true},
		{name: "bearer preferred to cookie", authorization: "Bearer " + valid,
			cookie: "junk", valid: true},
		{name: "other scheme, cookie used", authorization: "Basic dXNlcjpwYXNz",
			cookie: valid, valid: true},
		{name: "missing", code: "session_token_missing", status: http.StatusUnauthorized},
		{name: "empty bearer", authorization: "Bearer ", code: "session_token_missing",
			status: http.StatusUnauthorized},
		{name: "other scheme only", authorization: "Basic dXNlcjpwYXNz",
			code: "session_token_missing", status: http.StatusUnauthorized},
		{name: "no scheme", authorization: valid, code: "session_token_missing",
			status: http.StatusUnauthorized},
		{name: "tampered", authorization: "Bearer " + tampered, code: "session_token_invalid",
			status: http.StatusUnauthorized},
		{name: "garbage cookie", cookie: "not-a-token", code: "session_token_invalid",
			status: http.StatusUnauthorized},
		{name: "invalid bearer wins over a valid cookie", authorization: "Bearer " + tampered,
			cookie: valid, code: "session_token_invalid", status: http.StatusUnauthorized},
		{name: "expired", authorization: "Bearer " + expired, code: "session_token_expired",
			status: http.StatusUnauthorized},
	}
}

func TestRequireSession(t *testing.T) {
	t.Parallel()
	v := jwksVerifier(t)
	for _, tt := range middlewareCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			next := &recordingHandler{}
			rec := httptest.NewRecorder()
			v.RequireSession(next).ServeHTTP(rec, requestWith(tt.authorization, tt.cookie))

			if tt.valid {
				require.True(t, next.called, "got next not called, want called")
				require.NotNil(t, next.claims, "got no claims in the context")
				assert.Equal(t, "user_2abc", next.claims.Subject)
				assert.Equal(t, http.StatusNoContent, rec.Code)
				return
			}
			assert.False(t, next.called, "got next called, want not called")
			assertErrorResponse(t, rec, tt.status, tt.code)
		})
	}
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	v := jwksVerifier(t)
	for _, tt := range middlewareCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			next := &recordingHandler{}
			rec := httptest.NewRecorder()
			v.Middleware(next).ServeHTTP(rec, requestWith(tt.authorization, tt.cookie))

			require.True(t, next.called, "got next not called, want called")
			assert.Equal(t, http.StatusNoContent, rec.Code)
			if tt.valid {
				require.NotNil(t, next.claims, "got no claims in the context")
				assert.Equal(t, "user_2abc", next.claims.Subject)
				return
			}
			assert.Nil(t, next.claims, "got claims for a request without a valid session")
		})
	}
}

func TestRequireSessionKeysUnavailable(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS()
	fake.Fail(errors.New("jwks endpoint down"))
	v := cachedVerifier(t, fake, newClock())
	token := sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims())

	next := &recordingHandler{}
	rec := httptest.NewRecorder()
	v.RequireSession(next).ServeHTTP(rec, requestWith("Bearer "+token, ""))

	assert.False(t, next.called, "got next called, want not called")
	assertErrorResponse(t, rec, http.StatusServiceUnavailable, "session_keys_unavailable")
	assert.NotContains(t, rec.Body.String(), "jwks endpoint down",
		"the fetch error belongs in server logs, not in the response")
}

// TestRequireSessionOverHTTP runs the middleware behind a real server on loopback.
func TestRequireSessionOverHTTP(t *testing.T) {
	t.Parallel()
	v := jwksVerifier(t)
	srv := httptest.NewServer(v.RequireSession(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			claims, _ := auth.ClaimsFromContext(r.Context())
			_, _ = w.Write([]byte(claims.Subject))
		})))
	t.Cleanup(srv.Close)

	send := func(authorization string) *http.Response {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
		require.NoError(t, err)
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}

	resp := send("Bearer " + sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims()))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp = send("")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
}

func assertErrorResponse(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	assert.Equal(t, status, rec.Code, "got status %d, want %d", rec.Code, status)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	if status == http.StatusUnauthorized {
		assert.NotEmpty(t, rec.Header().Get("WWW-Authenticate"))
	}
	var body struct {
		Errors []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), "body %q", rec.Body.String())
	require.Len(t, body.Errors, 1)
	assert.Equal(t, code, body.Errors[0].Code)
	assert.NotEmpty(t, body.Errors[0].Message)
}

func TestClaimsContext(t *testing.T) {
	t.Parallel()
	_, ok := auth.ClaimsFromContext(context.Background())
	assert.False(t, ok, "got claims from an empty context")

	_, ok = auth.ClaimsFromContext(auth.ContextWithClaims(context.Background(), nil))
	assert.False(t, ok, "got claims from a context holding nil claims")

	want := &auth.Claims{Subject: "user_2abc"}
	got, ok := auth.ClaimsFromContext(auth.ContextWithClaims(context.Background(), want))
	require.True(t, ok)
	assert.Same(t, want, got)
}
