package session_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/session"
)

// sameToken checks that got is the token of f's response and that it looks like a JWT.
func sameToken(t *testing.T, ex *fixture.Exchange, got any) {
	tok, ok := got.(*clerk.SessionToken)
	require.True(t, ok, "got %T, want *clerk.SessionToken", got)
	assert.Equal(t, fixture.Decode[*clerk.SessionToken](t, ex), tok)
	assert.Equal(t, "token", tok.Object)
	assert.Regexp(t, `^[\w-]+\.[\w-]+\.[\w-]+$`, tok.JWT)
}

func TestTokens(t *testing.T) {
	t.Parallel()
	runExchangeTests(t, []exchangeTest{
		{
			name: "create token with a lifetime", fixture: "create-token.json", check: sameToken,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.CreateToken(ctx, sessionID,
					&session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(3600)}))
			},
		},
		{
			name: "create token with nil params sends {}", fixture: "create-token-default.json",
			check: sameToken,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.CreateToken(ctx, sessionID, nil))
			},
		},
		{
			name: "create token with empty params sends {}", fixture: "create-token-default.json",
			check: sameToken,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.CreateToken(ctx, sessionID, &session.CreateTokenParams{}))
			},
		},
		{
			name: "create token not found", fixture: "create-token-not-found.json",
			wantErr: clerk.ErrNotFound,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.CreateToken(ctx, "sess_missing", nil))
			},
		},
		{
			name: "create token unauthorized", fixture: "create-token-unauthorized.json",
			wantErr: clerk.ErrUnauthorized,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.CreateToken(ctx, sessionID, nil))
			},
		},
		{
			name: "from template", fixture: "create-token-template.json", check: sameToken,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.CreateTokenFromTemplate(ctx, sessionID, "custom_hasura",
					&session.CreateTokenParams{
						ExpiresInSeconds: clerk.Int64(session.MinTokenLifetimeSeconds)}))
			},
		},
		{
			name: "from unknown template", fixture: "create-token-template-not-found.json",
			wantErr: clerk.ErrNotFound,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.CreateTokenFromTemplate(ctx, sessionID, "no_such_template", nil))
			},
		},
		{
			name:    "from template unauthorized",
			fixture: "create-token-template-unauthorized.json", wantErr: clerk.ErrUnauthorized,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.CreateTokenFromTemplate(ctx, sessionID, "custom_hasura", nil))
			},
		},
	})
}

// refreshParams are the required fields of the recorded refresh requests.
func refreshParams() *session.RefreshParams {
	return &session.RefreshParams{
		ExpiredToken: "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yYWJjIiwidHlwIjoiSldUIn0." +
			"eyJzaWQiOiJzZXNzXzJwUjFhQmNEZUZnSGlKa0xtTm9QcVJzVHVWdyIsImV4cCI6MTc2NzIyOTIwMH0." +
			"c2lnbmF0dXJl",
		RefreshToken:  "rt_2pR1aRefreshTokenValue",
		RequestOrigin: "https://app.example.com",
	}
}

func TestRefresh(t *testing.T) {
	t.Parallel()
	runExchangeTests(t, []exchangeTest{
		{
			name: "token", fixture: "refresh-token.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Refresh(ctx, sessionID, refreshParams()))
			},
			check: func(t *testing.T, ex *fixture.Exchange, got any) {
				r, ok := got.(*session.RefreshResponse)
				require.True(t, ok, "got %T, want *session.RefreshResponse", got)
				assert.Equal(t, session.RefreshObjectToken, r.Object)
				assert.Regexp(t, `^eyJ[\w-]+\.[\w-]+\.[\w-]+$`, r.JWT)
				assert.Nil(t, r.Cookies)
				assert.Equal(t, fixture.Decode[*session.RefreshResponse](t, ex), r)
			},
		},
		{
			name: "cookies", fixture: "refresh-cookies.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				p := refreshParams()
				p.Format = clerk.String(session.RefreshFormatCookie)
				p.RequestOriginatingIP = clerk.String("203.0.113.42")
				p.RequestHeaders = http.Header{
					"Cookie":     {"__session=old; __refresh=rt_2pR1aRefreshTokenValue"},
					"User-Agent": {"Mozilla/5.0"},
				}
				return result(c.Refresh(ctx, sessionID, p))
			},
			check: func(t *testing.T, ex *fixture.Exchange, got any) {
				r, ok := got.(*session.RefreshResponse)
				require.True(t, ok, "got %T, want *session.RefreshResponse", got)
				assert.Equal(t, session.RefreshObjectCookies, r.Object)
				assert.Empty(t, r.JWT)
				require.Len(t, r.Cookies, 2)
				assert.Regexp(t, `^__session=`, r.Cookies[0])
				assert.Regexp(t, `^__client_uat=`, r.Cookies[1])
				assert.Equal(t, fixture.Decode[*session.RefreshResponse](t, ex), r)
			},
		},
		{
			name: "invalid tokens", fixture: "refresh-unauthorized.json",
			wantErr: clerk.ErrUnauthorized,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Refresh(ctx, sessionID, refreshParams()))
			},
		},
		{
			name: "bad request", fixture: "refresh-bad-request.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				p := refreshParams()
				p.RequestOrigin = "not an origin"
				return result(c.Refresh(ctx, sessionID, p))
			},
		},
	})
}
