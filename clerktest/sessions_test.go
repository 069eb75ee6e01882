package clerktest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/jwks"
	"github.com/clerkcompat/clerk/session"
	"github.com/clerkcompat/clerk/user"
)

// sessionEnv is a server with clients for it.
type sessionEnv struct {
	srv      *clerktest.Server
	sessions *session.Client
	users    *user.Client
}

func newSessionEnv(t *testing.T, opts ...clerktest.Option) *sessionEnv {
	t.Helper()
	srv := clerktest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return &sessionEnv{
		srv:      srv,
		sessions: session.NewClient(srv.Config()),
		users:    user.NewClient(srv.Config()),
	}
}

func (e *sessionEnv) newUser(t *testing.T, first string) *clerk.User {
	t.Helper()
	u, err := e.users.Create(context.Background(), &user.CreateParams{
		FirstName: clerk.String(first), SkipPasswordRequirement: clerk.Bool(true)})
	require.NoError(t, err)
	return u
}

func (e *sessionEnv) newSession(t *testing.T, userID string) *clerk.Session {
	t.Helper()
	s, err := e.sessions.Create(context.Background(), &session.CreateParams{UserID: userID})
	require.NoError(t, err)
	return s
}

// verifier returns a verifier that fetches the server's keys from GET /jwks.
func (e *sessionEnv) verifier(t *testing.T, opts auth.Options) *auth.Verifier {
	t.Helper()
	opts.Config = e.srv.Config()
	v, err := auth.NewVerifier(opts)
	require.NoError(t, err)
	return v
}

// requireAPIError checks that err is an *clerk.APIError with status and code.
func requireAPIError(t *testing.T, err error, status int, code string) *clerk.APIError {
	t.Helper()
	var apiErr *clerk.APIError
	require.True(t, errors.As(err, &apiErr), "got %T (%v), want *clerk.APIError", err, err)
	require.Equal(t, status, apiErr.HTTPStatusCode, "got status %d, want %d (%v)",
		apiErr.HTTPStatusCode, status, err)
	require.NotEmpty(t, apiErr.Errors)
	assert.Equal(t, code, apiErr.Errors[0].Code, "got code %q, want %q",
		apiErr.Errors[0].Code, code)
	return apiErr
}

// rawGet sends GET path (below /v1, with its query) with the server's key and returns the
// status and body, for requests that the SDK never sends.
func rawGet(t *testing.T, srv *clerktest.Server, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.Key())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body
}

// unverified returns the claims of token without checking its signature or times.
func unverified(t *testing.T, token string) map[string]any {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, tok.UnsafeClaimsWithoutVerification(&claims))
	return claims
}

// lifetime returns exp - iat of verified claims.
func lifetime(c *auth.Claims) time.Duration { return c.Expiry.Sub(c.IssuedAt) }

func TestSessionCreateGetRevoke(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")

	created := e.newSession(t, u.ID)
	assert.Equal(t, "session", created.Object)
	assert.True(t, strings.HasPrefix(created.ID, "sess_"), "got id %q, want sess_...", created.ID)
	assert.True(t, strings.HasPrefix(created.ClientID, "client_"),
		"got client_id %q, want client_...", created.ClientID)
	assert.Equal(t, u.ID, created.UserID)
	assert.Equal(t, clerk.SessionStatusActive, created.Status)
	assert.Equal(t, created.CreatedAt, created.UpdatedAt)
	assert.Equal(t, created.CreatedAt, created.LastActiveAt)
	assert.Equal(t, created.CreatedAt+(7*24*time.Hour).Milliseconds(), created.ExpireAt)
	assert.Greater(t, created.AbandonAt, created.ExpireAt)

	got, err := e.sessions.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	revoked, err := e.sessions.Revoke(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, clerk.SessionStatusRevoked, revoked.Status)
	assert.Equal(t, created.ID, revoked.ID)
	got, err = e.sessions.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, clerk.SessionStatusRevoked, got.Status)

	_, err = e.sessions.Revoke(ctx, created.ID)
	requireAPIError(t, err, http.StatusBadRequest, "session_already_ended")
}

func TestSessionErrors(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")
	sess := e.newSession(t, u.ID)
	require.NoError(t, e.srv.AddJWTTemplate("known", nil, 0))

	tests := []struct {
		name   string
		call   func(ctx context.Context) error
		status int
		code   string
	}{
		{"create for unknown user", func(ctx context.Context) error {
			_, err := e.sessions.Create(ctx, &session.CreateParams{UserID: "user_missing"})
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"create with an organization", func(ctx context.Context) error {
			_, err := e.sessions.Create(ctx, &session.CreateParams{UserID: u.ID,
				ActiveOrganizationID: clerk.String("org_1")})
			return err
		}, http.StatusUnprocessableEntity, "form_param_value_invalid"},
		{"get unknown", func(ctx context.Context) error {
			_, err := e.sessions.Get(ctx, "sess_missing")
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"revoke unknown", func(ctx context.Context) error {
			_, err := e.sessions.Revoke(ctx, "sess_missing")
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"token for unknown session", func(ctx context.Context) error {
			_, err := e.sessions.CreateToken(ctx, "sess_missing", nil)
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"template token for unknown session", func(ctx context.Context) error {
			_, err := e.sessions.CreateTokenFromTemplate(ctx, "sess_missing", "known", nil)
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"unknown template", func(ctx context.Context) error {
			_, err := e.sessions.CreateTokenFromTemplate(ctx, sess.ID, "no_such", nil)
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"list pending", func(ctx context.Context) error {
			_, err := e.sessions.List(ctx, &session.ListParams{UserID: clerk.String(u.ID),
				Status: clerk.String(clerk.SessionStatusPending)})
			return err
		}, http.StatusUnprocessableEntity, "form_param_value_invalid"},
		{"refresh unknown session", func(ctx context.Context) error {
			_, err := e.sessions.Refresh(ctx, "sess_missing", &session.RefreshParams{
				ExpiredToken: "a.b.c", RefreshToken: "rt", RequestOrigin: "https://a.example"})
			return err
		}, http.StatusUnauthorized, "token_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			requireAPIError(t, tt.call(context.Background()), tt.status, tt.code)
		})
	}

	t.Run("unknown user names the parameter", func(t *testing.T) {
		t.Parallel()
		_, err := e.sessions.Create(context.Background(),
			&session.CreateParams{UserID: "user_missing"})
		apiErr := requireAPIError(t, err, http.StatusNotFound, "resource_not_found")
		assert.JSONEq(t, `{"param_name":"user_id"}`, string(apiErr.Errors[0].Meta))
		assert.ErrorIs(t, err, clerk.ErrNotFound)
	})
	t.Run("wrong key", func(t *testing.T) {
		t.Parallel()
		cfg := e.srv.Config()
		cfg.Key = "sk_test_wrong"
		_, err := session.NewClient(cfg).Get(context.Background(), sess.ID)
		assert.ErrorIs(t, err, clerk.ErrUnauthorized)
		_, err = jwks.NewClient(cfg).Get(context.Background())
		assert.ErrorIs(t, err, clerk.ErrUnauthorized)
	})
}

func TestSessionCreateRefusedOnProduction(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t, clerktest.WithKey("sk_live_clerktestProduction"))
	u := e.newUser(t, "Ada")
	_, err := e.sessions.Create(context.Background(), &session.CreateParams{UserID: u.ID})
	requireAPIError(t, err, http.StatusBadRequest, "operation_not_allowed_on_production")
}

func TestSessionList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSessionEnv(t)
	ada, bob := e.newUser(t, "Ada"), e.newUser(t, "Bob")
	var adas []*clerk.Session
	for range 3 {
		adas = append(adas, e.newSession(t, ada.ID))
	}
	bobs := e.newSession(t, bob.ID)
	_, err := e.sessions.Revoke(ctx, adas[0].ID)
	require.NoError(t, err)

	ids := func(ss []*clerk.Session) []string {
		out := []string{}
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	tests := []struct {
		name      string
		params    session.ListParams
		wantIDs   []string
		wantTotal int64
	}{
		{"by user, newest first", session.ListParams{UserID: clerk.String(ada.ID)},
			[]string{adas[2].ID, adas[1].ID, adas[0].ID}, 3},
		{"by client", session.ListParams{ClientID: clerk.String(bobs.ClientID)},
			[]string{bobs.ID}, 1},
		{"by user and another user's client", session.ListParams{
			UserID: clerk.String(ada.ID), ClientID: clerk.String(bobs.ClientID)}, []string{}, 0},
		{"active", session.ListParams{UserID: clerk.String(ada.ID),
			Status: clerk.String(clerk.SessionStatusActive)},
			[]string{adas[2].ID, adas[1].ID}, 2},
		{"revoked", session.ListParams{UserID: clerk.String(ada.ID),
			Status: clerk.String(clerk.SessionStatusRevoked)}, []string{adas[0].ID}, 1},
		{"limit and offset", session.ListParams{UserID: clerk.String(ada.ID),
			Limit: clerk.Int64(1), Offset: clerk.Int64(1)}, []string{adas[1].ID}, 3},
		{"offset past the end", session.ListParams{UserID: clerk.String(ada.ID),
			Offset: clerk.Int64(10)}, []string{}, 3},
		{"unknown user", session.ListParams{UserID: clerk.String("user_missing")},
			[]string{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page, err := e.sessions.List(ctx, &tt.params)
			require.NoError(t, err)
			assert.Equal(t, tt.wantIDs, ids(page.Sessions))
			assert.Equal(t, tt.wantTotal, page.TotalCount)
		})
	}

	t.Run("all pages", func(t *testing.T) {
		t.Parallel()
		var got []*clerk.Session
		for s, err := range e.sessions.All(ctx, &session.ListParams{UserID: clerk.String(ada.ID),
			Limit: clerk.Int64(2)}) {
			require.NoError(t, err)
			got = append(got, s)
		}
		assert.Equal(t, []string{adas[2].ID, adas[1].ID, adas[0].ID}, ids(got))
	})

	t.Run("bare array unless paginated", func(t *testing.T) {
		t.Parallel()
		for _, query := range []string{"", "&paginated=false"} {
			status, body := rawGet(t, e.srv, "/sessions?user_id="+ada.ID+"&limit=2"+query)
			require.Equal(t, http.StatusOK, status, "got %d, want 200: %s", status, body)
			var list []*clerk.Session
			require.NoError(t, json.Unmarshal(body, &list), "got %s, want an array", body)
			assert.Equal(t, []string{adas[2].ID, adas[1].ID}, ids(list))
		}
	})

	t.Run("bad queries", func(t *testing.T) {
		t.Parallel()
		for query, want := range map[string]string{
			"":                                        "form_param_missing",
			"?status=active":                          "form_param_missing",
			"?user_id=" + ada.ID + "&limit=0":         "form_param_value_invalid",
			"?user_id=" + ada.ID + "&limit=501":       "form_param_value_invalid",
			"?user_id=" + ada.ID + "&limit=x":         "form_param_format_invalid",
			"?user_id=" + ada.ID + "&offset=-1":       "form_param_value_invalid",
			"?user_id=" + ada.ID + "&paginated=maybe": "form_param_format_invalid",
			"?user_id=" + ada.ID + "&status=":         "form_param_value_invalid",
		} {
			status, body := rawGet(t, e.srv, "/sessions"+query)
			assert.Equal(t, http.StatusUnprocessableEntity, status, "%q: got %d, want 422",
				query, status)
			assert.Contains(t, string(body), `"code":"`+want+`"`, "%q", query)
		}
	})
}

func TestJWKS(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSessionEnv(t)
	c := jwks.NewClient(e.srv.Config())

	set, err := c.Get(ctx)
	require.NoError(t, err)
	require.Len(t, set.Keys, 1)
	k := set.Keys[0]
	assert.Equal(t, "RSA", k.KeyType)
	assert.Equal(t, "RS256", k.Algorithm)
	assert.Equal(t, "sig", k.Use)
	assert.True(t, strings.HasPrefix(k.KeyID, "ins_"), "got kid %q, want ins_...", k.KeyID)
	n, err := base64.RawURLEncoding.DecodeString(k.N)
	require.NoError(t, err)
	assert.Equal(t, 2048, new(big.Int).SetBytes(n).BitLen())
	assert.Equal(t, "AQAB", k.E)

	again, err := c.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, set, again, "the key must not change")

	other, err := jwks.NewClient(newSessionEnv(t).srv.Config()).Get(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, k.KeyID, other.Keys[0].KeyID, "two servers must not share a key")
}

func TestSessionTokenVerifies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")

	token, err := e.srv.SessionToken(u.ID)
	require.NoError(t, err)
	claims, err := e.verifier(t, auth.Options{Issuer: e.srv.Issuer()}).Verify(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, u.ID, claims.Subject)
	assert.Equal(t, e.srv.Issuer(), claims.Issuer)
	assert.Empty(t, claims.AuthorizedParty)
	assert.Equal(t, 60*time.Second, lifetime(claims))
	assert.Equal(t, 10*time.Second, claims.IssuedAt.Sub(claims.NotBefore))
	assert.Nil(t, claims.Custom)

	// The token belongs to a new active session of the user.
	sess, err := e.sessions.Get(ctx, claims.SessionID)
	require.NoError(t, err)
	assert.Equal(t, u.ID, sess.UserID)
	assert.Equal(t, clerk.SessionStatusActive, sess.Status)

	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	set, err := jwks.NewClient(e.srv.Config()).Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, set.Keys[0].KeyID, tok.Headers[0].KeyID)
	assert.Equal(t, "JWT", tok.Headers[0].ExtraHeaders["typ"])
}

func TestSessionTokenOptions(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")
	const origin = "https://app.example.com"

	tests := []struct {
		name    string
		opts    []clerktest.TokenOption
		verify  auth.Options
		wantErr error
		check   func(t *testing.T, c *auth.Claims)
	}{
		{name: "expired", opts: []clerktest.TokenOption{clerktest.Expired()},
			wantErr: auth.ErrExpired},
		{name: "expired with a long lifetime", opts: []clerktest.TokenOption{
			clerktest.WithLifetime(time.Hour), clerktest.Expired()}, wantErr: auth.ErrExpired},
		{name: "not yet valid", opts: []clerktest.TokenOption{clerktest.NotYetValid()},
			wantErr: auth.ErrNotYetValid},
		{name: "foreign signed", opts: []clerktest.TokenOption{clerktest.ForeignSigned()},
			wantErr: auth.ErrInvalidSignature},
		{name: "authorized party", opts: []clerktest.TokenOption{
			clerktest.WithAuthorizedParty(origin)},
			verify: auth.Options{AuthorizedParties: []string{origin}},
			check: func(t *testing.T, c *auth.Claims) {
				assert.Equal(t, origin, c.AuthorizedParty)
			}},
		{name: "no authorized party where one is required",
			verify:  auth.Options{AuthorizedParties: []string{origin}},
			wantErr: auth.ErrInvalidAuthorizedParty},
		{name: "custom claims", opts: []clerktest.TokenOption{
			clerktest.WithClaims(map[string]any{"role": "admin"}),
			clerktest.WithClaims(map[string]any{"org_id": "org_1"})},
			check: func(t *testing.T, c *auth.Claims) {
				assert.Equal(t, map[string]json.RawMessage{"role": json.RawMessage(`"admin"`)},
					c.Custom)
				assert.Equal(t, "org_1", c.ActiveOrganizationID)
			}},
		{name: "claims replace standard ones", opts: []clerktest.TokenOption{
			clerktest.WithClaims(map[string]any{"iss": "https://evil.example"})},
			verify: auth.Options{Issuer: e.srv.Issuer()}, wantErr: auth.ErrInvalidIssuer},
		{name: "lifetime", opts: []clerktest.TokenOption{clerktest.WithLifetime(2 * time.Hour)},
			check: func(t *testing.T, c *auth.Claims) {
				assert.Equal(t, 2*time.Hour, lifetime(c))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			token, err := e.srv.SessionToken(u.ID, tt.opts...)
			require.NoError(t, err)
			claims, err := e.verifier(t, tt.verify).Verify(context.Background(), token)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, u.ID, claims.Subject)
			tt.check(t, claims)
		})
	}
}

func TestSessionTokenRefusals(t *testing.T) {
	t.Parallel()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")

	tests := []struct {
		name   string
		userID string
		opts   []clerktest.TokenOption
	}{
		{"unknown user", "user_missing", nil},
		{"empty user", "", nil},
		{"expired and not yet valid", u.ID,
			[]clerktest.TokenOption{clerktest.Expired(), clerktest.NotYetValid()}},
		{"zero lifetime", u.ID, []clerktest.TokenOption{clerktest.WithLifetime(0)}},
		{"negative lifetime", u.ID, []clerktest.TokenOption{clerktest.WithLifetime(-time.Second)}},
		{"claim that is not JSON", u.ID, []clerktest.TokenOption{
			clerktest.WithClaims(map[string]any{"f": func() {}})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, err := e.srv.SessionToken(tt.userID, tt.opts...)
			assert.Error(t, err)
			assert.Empty(t, token)
		})
	}

	// A refused token leaves no session behind.
	page, err := e.sessions.List(context.Background(),
		&session.ListParams{UserID: clerk.String(u.ID)})
	require.NoError(t, err)
	assert.Zero(t, page.TotalCount, "got %d sessions, want 0", page.TotalCount)
}

func TestCreateToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")
	sess := e.newSession(t, u.ID)
	v := e.verifier(t, auth.Options{Issuer: e.srv.Issuer()})

	tests := []struct {
		name         string
		params       *session.CreateTokenParams
		wantLifetime time.Duration
	}{
		{"default lifetime", nil, time.Minute},
		{"no field set", &session.CreateTokenParams{}, time.Minute},
		{"expires_in_seconds", &session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(3600)},
			time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := e.sessions.CreateToken(ctx, sess.ID, tt.params)
			require.NoError(t, err)
			assert.Equal(t, "token", tok.Object)
			claims, err := v.Verify(ctx, tok.JWT)
			require.NoError(t, err)
			assert.Equal(t, u.ID, claims.Subject)
			assert.Equal(t, sess.ID, claims.SessionID)
			assert.Equal(t, tt.wantLifetime, lifetime(claims))
		})
	}
}

func TestTokensOfEndedSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var clock atomic.Int64
	clock.Store(time.Now().UnixMilli())
	e := newSessionEnv(t, clerktest.WithClock(func() time.Time {
		return time.UnixMilli(clock.Load())
	}))
	require.NoError(t, e.srv.AddJWTTemplate("tmpl", nil, 0))

	u := e.newUser(t, "Ada")
	revoked := e.newSession(t, u.ID)
	_, err := e.sessions.Revoke(ctx, revoked.ID)
	require.NoError(t, err)

	deletedUser := e.newUser(t, "Bob")
	ofDeleted := e.newSession(t, deletedUser.ID)
	_, err = e.users.Delete(ctx, deletedUser.ID)
	require.NoError(t, err)

	expired := e.newSession(t, u.ID)
	clock.Add((7*24*time.Hour + time.Second).Milliseconds())

	for _, tt := range []struct {
		name       string
		id         string
		wantStatus string
	}{
		{"revoked", revoked.ID, clerk.SessionStatusRevoked},
		{"user deleted", ofDeleted.ID, clerk.SessionStatusRevoked},
		{"expired", expired.ID, clerk.SessionStatusExpired},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := e.sessions.Get(ctx, tt.id)
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, got.Status)

			_, err = e.sessions.CreateToken(ctx, tt.id, nil)
			requireAPIError(t, err, http.StatusNotFound, "resource_not_found")
			_, err = e.sessions.CreateTokenFromTemplate(ctx, tt.id, "tmpl", nil)
			requireAPIError(t, err, http.StatusNotFound, "resource_not_found")
			_, err = e.sessions.Revoke(ctx, tt.id)
			requireAPIError(t, err, http.StatusBadRequest, "session_already_ended")
		})
	}
}

func TestJWTTemplates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")
	sess := e.newSession(t, u.ID)
	v := e.verifier(t, auth.Options{})

	hasura := map[string]any{
		"https://hasura.io/jwt/claims": map[string]any{
			"x-hasura-default-role":  "user",
			"x-hasura-allowed-roles": []string{"user", "admin"},
		},
		"plan": "pro",
	}
	require.NoError(t, e.srv.AddJWTTemplate("custom_hasura", hasura, 0))
	require.NoError(t, e.srv.AddJWTTemplate("long", map[string]any{"n": 1}, 10*time.Minute))
	// Registration copies the claims: a later change by the caller does not show.
	hasura["plan"] = "free"

	tests := []struct {
		name         string
		template     string
		params       *session.CreateTokenParams
		wantCustom   map[string]string
		wantLifetime time.Duration
	}{
		{"claims merged", "custom_hasura", nil, map[string]string{
			"https://hasura.io/jwt/claims": `{"x-hasura-allowed-roles":["user","admin"],` +
				`"x-hasura-default-role":"user"}`,
			"plan": `"pro"`,
		}, time.Minute},
		{"template lifetime", "long", nil, map[string]string{"n": "1"}, 10 * time.Minute},
		{"expires_in_seconds wins", "long",
			&session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(45)},
			map[string]string{"n": "1"}, 45 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := e.sessions.CreateTokenFromTemplate(ctx, sess.ID, tt.template, tt.params)
			require.NoError(t, err)
			claims, err := v.Verify(ctx, tok.JWT)
			require.NoError(t, err)
			assert.Equal(t, u.ID, claims.Subject)
			assert.Equal(t, sess.ID, claims.SessionID)
			assert.Equal(t, tt.wantLifetime, lifetime(claims))
			require.Len(t, claims.Custom, len(tt.wantCustom))
			for name, want := range tt.wantCustom {
				assert.JSONEq(t, want, string(claims.Custom[name]), "claim %s", name)
			}
		})
	}

	t.Run("refused templates", func(t *testing.T) {
		t.Parallel()
		for _, bad := range []struct {
			name     string
			claims   map[string]any
			lifetime time.Duration
		}{
			{"", nil, 0},
			{"reserved", map[string]any{"sub": "user_other"}, 0},
			{"reserved sid", map[string]any{"sid": "sess_other"}, 0},
			{"not json", map[string]any{"ch": make(chan int)}, 0},
			{"too short", nil, 29 * time.Second},
			{"negative", nil, -time.Minute},
			{"too long", nil, 315360001 * time.Second},
		} {
			assert.Error(t, e.srv.AddJWTTemplate(bad.name, bad.claims, bad.lifetime),
				"template %q", bad.name)
			if bad.name != "" {
				_, err := e.sessions.CreateTokenFromTemplate(ctx, sess.ID, bad.name, nil)
				requireAPIError(t, err, http.StatusNotFound, "resource_not_found")
			}
		}
	})
}

func TestRefresh(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")
	const origin = "https://app.example.com"

	// expiredFor returns an expired token of a new session of u, and that session's ID.
	expiredFor := func(t *testing.T, opts ...clerktest.TokenOption) (string, string) {
		token, err := e.srv.SessionToken(u.ID, append(opts, clerktest.Expired())...)
		require.NoError(t, err)
		return token, unverified(t, token)["sid"].(string)
	}
	params := func(token string) *session.RefreshParams {
		return &session.RefreshParams{ExpiredToken: token, RefreshToken: "rt_anything",
			RequestOrigin: origin}
	}
	v := e.verifier(t, auth.Options{AuthorizedParties: []string{origin}})

	t.Run("token", func(t *testing.T) {
		t.Parallel()
		old, sid := expiredFor(t, clerktest.WithAuthorizedParty(origin))
		out, err := e.sessions.Refresh(ctx, sid, params(old))
		require.NoError(t, err)
		assert.Equal(t, session.RefreshObjectToken, out.Object)
		assert.Empty(t, out.Cookies)
		claims, err := v.Verify(ctx, out.JWT)
		require.NoError(t, err)
		assert.Equal(t, sid, claims.SessionID)
		assert.Equal(t, u.ID, claims.Subject)
		assert.Equal(t, origin, claims.AuthorizedParty)
	})

	t.Run("cookie", func(t *testing.T) {
		t.Parallel()
		old, sid := expiredFor(t)
		p := params(old)
		p.Format = clerk.String(session.RefreshFormatCookie)
		p.RequestHeaders = http.Header{"User-Agent": {"test"}}
		p.RequestOriginatingIP = clerk.String("127.0.0.1")
		out, err := e.sessions.Refresh(ctx, sid, p)
		require.NoError(t, err)
		assert.Equal(t, session.RefreshObjectCookies, out.Object)
		require.Len(t, out.Cookies, 1)
		cookie, err := http.ParseSetCookie(out.Cookies[0])
		require.NoError(t, err)
		assert.Equal(t, auth.SessionCookie, cookie.Name)
		assert.True(t, cookie.Secure, "got Secure false for an https origin, want true")
		claims, err := v.Verify(ctx, cookie.Value)
		require.NoError(t, err)
		assert.Equal(t, sid, claims.SessionID)
	})

	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		old, sid := expiredFor(t)
		foreign, foreignSID := expiredFor(t, clerktest.ForeignSigned())
		otherParty, otherPartySID := expiredFor(t,
			clerktest.WithAuthorizedParty("https://other.example.com"))
		_, otherSID := expiredFor(t)
		revokedToken, revokedSID := expiredFor(t)
		_, err := e.sessions.Revoke(ctx, revokedSID)
		require.NoError(t, err)

		withOrigin := func(token, origin string) *session.RefreshParams {
			p := params(token)
			p.RequestOrigin = origin
			return p
		}
		withFormat := params(old)
		withFormat.Format = clerk.String("xml")

		for _, tt := range []struct {
			name   string
			id     string
			params *session.RefreshParams
			status int
			code   string
		}{
			{"another session's token", otherSID, params(old), 401, "token_invalid"},
			{"foreign signature", foreignSID, params(foreign), 401, "token_invalid"},
			{"not a token", sid, params("a.b.c"), 401, "token_invalid"},
			{"another origin", otherPartySID, params(otherParty), 401, "token_invalid"},
			{"revoked session", revokedSID, params(revokedToken), 401, "token_invalid"},
			{"origin with a path", sid, withOrigin(old, origin+"/app"), 400,
				"form_param_format_invalid"},
			{"origin without scheme", sid, withOrigin(old, "app.example.com"), 400,
				"form_param_format_invalid"},
			{"unknown format", sid, withFormat, 400, "form_param_value_invalid"},
		} {
			_, err := e.sessions.Refresh(ctx, tt.id, tt.params)
			requireAPIError(t, err, tt.status, tt.code)
		}
	})
}

// TestSessionsConcurrent mints, verifies, lists and revokes from many goroutines at once, so
// that -race sees the server's state and its signing keys shared.
func TestSessionsConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSessionEnv(t)
	u := e.newUser(t, "Ada")
	v := e.verifier(t, auth.Options{})
	require.NoError(t, e.srv.AddJWTTemplate("t", map[string]any{"k": "v"}, 0))

	const workers, rounds = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				errs <- concurrentRound(ctx, e, v, u.ID, i%2 == 0)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	page, err := e.sessions.List(ctx, &session.ListParams{UserID: clerk.String(u.ID),
		Status: clerk.String(clerk.SessionStatusRevoked)})
	require.NoError(t, err)
	assert.EqualValues(t, workers*rounds, page.TotalCount)
}

// concurrentRound makes a session (through SessionToken or the API), a token for it, checks
// the token, lists the user's sessions and revokes the session.
func concurrentRound(ctx context.Context, e *sessionEnv, v *auth.Verifier, userID string,
	direct bool) error {
	var token string
	if direct {
		t, err := e.srv.SessionToken(userID)
		if err != nil {
			return err
		}
		token = t
	} else {
		s, err := e.sessions.Create(ctx, &session.CreateParams{UserID: userID})
		if err != nil {
			return err
		}
		t, err := e.sessions.CreateTokenFromTemplate(ctx, s.ID, "t", nil)
		if err != nil {
			return err
		}
		token = t.JWT
	}
	claims, err := v.Verify(ctx, token)
	if err != nil {
		return err
	}
	if _, err := e.sessions.List(ctx, &session.ListParams{UserID: clerk.String(userID)}); err != nil {
		return err
	}
	_, err = e.sessions.Revoke(ctx, claims.SessionID)
	return err
}
