package session_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/session"
)

// TestInvalidInput checks that bad input is an *clerk.InvalidParamError naming the parameter,
// and that no request is sent for it.
func TestInvalidInput(t *testing.T) {
	t.Parallel()
	userOnly := func() *session.ListParams {
		return &session.ListParams{UserID: clerk.String(userID)}
	}
	withLimit := func(n int64) *session.ListParams {
		p := userOnly()
		p.Limit = clerk.Int64(n)
		return p
	}
	valid := &session.RefreshParams{ExpiredToken: "a.b.c", RefreshToken: "rt",
		RequestOrigin: "https://app.example.com"}
	refresh := func(change func(p *session.RefreshParams)) *session.RefreshParams {
		p := *valid
		change(&p)
		return &p
	}
	lifetime := func(n int64) *session.CreateTokenParams {
		return &session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(n)}
	}
	type call = func(ctx context.Context, c *session.Client) error
	tests := []struct {
		name      string
		call      call
		wantParam string
	}{
		{"get empty id", func(ctx context.Context, c *session.Client) error {
			_, err := c.Get(ctx, "")
			return err
		}, "session_id"},
		{"revoke empty id", func(ctx context.Context, c *session.Client) error {
			_, err := c.Revoke(ctx, "")
			return err
		}, "session_id"},
		{"create nil params", func(ctx context.Context, c *session.Client) error {
			_, err := c.Create(ctx, nil)
			return err
		}, "user_id"},
		{"create empty user id", func(ctx context.Context, c *session.Client) error {
			_, err := c.Create(ctx, &session.CreateParams{ActiveOrganizationID: clerk.String(orgID)})
			return err
		}, "user_id"},
		{"list nil params", func(ctx context.Context, c *session.Client) error {
			_, err := c.List(ctx, nil)
			return err
		}, "user_id"},
		{"list with neither user nor client", func(ctx context.Context, c *session.Client) error {
			_, err := c.List(ctx, &session.ListParams{Status: clerk.String("active")})
			return err
		}, "user_id"},
		{"list empty user id", func(ctx context.Context, c *session.Client) error {
			_, err := c.List(ctx, &session.ListParams{UserID: clerk.String("")})
			return err
		}, "user_id"},
		{"list empty client id", func(ctx context.Context, c *session.Client) error {
			_, err := c.List(ctx, &session.ListParams{UserID: clerk.String(userID),
				ClientID: clerk.String("")})
			return err
		}, "client_id"},
		{"list empty status", func(ctx context.Context, c *session.Client) error {
			p := userOnly()
			p.Status = clerk.String("")
			_, err := c.List(ctx, p)
			return err
		}, "status"},
		{"list limit 0", func(ctx context.Context, c *session.Client) error {
			_, err := c.List(ctx, withLimit(0))
			return err
		}, "limit"},
		{"list limit 501", func(ctx context.Context, c *session.Client) error {
			_, err := c.List(ctx, withLimit(501))
			return err
		}, "limit"},
		{"list negative offset", func(ctx context.Context, c *session.Client) error {
			p := userOnly()
			p.Offset = clerk.Int64(-1)
			_, err := c.List(ctx, p)
			return err
		}, "offset"},
		{"all nil params", func(ctx context.Context, c *session.Client) error {
			return firstError(c.All(ctx, nil))
		}, "user_id"},
		{"all limit 501", func(ctx context.Context, c *session.Client) error {
			return firstError(c.All(ctx, withLimit(501)))
		}, "limit"},
		{"refresh empty id", func(ctx context.Context, c *session.Client) error {
			_, err := c.Refresh(ctx, "", valid)
			return err
		}, "session_id"},
		{"refresh nil params", func(ctx context.Context, c *session.Client) error {
			_, err := c.Refresh(ctx, sessionID, nil)
			return err
		}, "expired_token"},
		{"refresh no expired token", func(ctx context.Context, c *session.Client) error {
			_, err := c.Refresh(ctx, sessionID,
				refresh(func(p *session.RefreshParams) { p.ExpiredToken = "" }))
			return err
		}, "expired_token"},
		{"refresh no refresh token", func(ctx context.Context, c *session.Client) error {
			_, err := c.Refresh(ctx, sessionID,
				refresh(func(p *session.RefreshParams) { p.RefreshToken = "" }))
			return err
		}, "refresh_token"},
		{"refresh no origin", func(ctx context.Context, c *session.Client) error {
			_, err := c.Refresh(ctx, sessionID,
				refresh(func(p *session.RefreshParams) { p.RequestOrigin = "" }))
			return err
		}, "request_origin"},
		{"token empty id", func(ctx context.Context, c *session.Client) error {
			_, err := c.CreateToken(ctx, "", nil)
			return err
		}, "session_id"},
		{"token lifetime 29 s", func(ctx context.Context, c *session.Client) error {
			_, err := c.CreateToken(ctx, sessionID, lifetime(29))
			return err
		}, "expires_in_seconds"},
		{"token lifetime over 10 years", func(ctx context.Context, c *session.Client) error {
			_, err := c.CreateToken(ctx, sessionID, lifetime(session.MaxTokenLifetimeSeconds+1))
			return err
		}, "expires_in_seconds"},
		{"template empty id", func(ctx context.Context, c *session.Client) error {
			_, err := c.CreateTokenFromTemplate(ctx, "", "custom_hasura", nil)
			return err
		}, "session_id"},
		{"template empty name", func(ctx context.Context, c *session.Client) error {
			_, err := c.CreateTokenFromTemplate(ctx, sessionID, "", nil)
			return err
		}, "template_name"},
		{"template lifetime 0", func(ctx context.Context, c *session.Client) error {
			_, err := c.CreateTokenFromTemplate(ctx, sessionID, "custom_hasura", lifetime(0))
			return err
		}, "expires_in_seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := fixture.Replay(t) // no exchange: any request fails the test
			c := session.NewClient(fixture.Config(mt))

			err := tt.call(context.Background(), c)

			var invalid *clerk.InvalidParamError
			require.True(t, errors.As(err, &invalid), "got %T (%v), want *clerk.InvalidParamError",
				err, err)
			assert.Equal(t, tt.wantParam, invalid.Param, "param")
			assert.ErrorIs(t, err, clerk.ErrInvalidParam)
			assert.Zero(t, mt.GetTotalCallCount(), "a request was sent for bad input")
		})
	}
}

// firstError ranges over seq and returns the first error it yields.
func firstError(seq func(func(*clerk.Session, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestPathEscaping checks that IDs and template names stay inside their own path segment.
func TestPathEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fixture  string
		call     func(ctx context.Context, c *session.Client) error
		wantPath string
	}{
		{"get", "get.json", func(ctx context.Context, c *session.Client) error {
			_, err := c.Get(ctx, "a/b?c#d")
			return err
		}, "/v1/sessions/a%2Fb%3Fc%23d"},
		{"revoke dot dot", "revoke.json", func(ctx context.Context, c *session.Client) error {
			_, err := c.Revoke(ctx, "..")
			return err
		}, "/v1/sessions/%2E%2E/revoke"},
		{"token", "create-token-default.json", func(ctx context.Context, c *session.Client) error {
			_, err := c.CreateToken(ctx, "../users", nil)
			return err
		}, "/v1/sessions/..%2Fusers/tokens"},
		{"template", "create-token-template.json",
			func(ctx context.Context, c *session.Client) error {
				_, err := c.CreateTokenFromTemplate(ctx, sessionID, "a/b",
					&session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(30)})
				return err
			}, "/v1/sessions/" + sessionID + "/tokens/a%2Fb"},
		{"refresh", "refresh-token.json", func(ctx context.Context, c *session.Client) error {
			_, err := c.Refresh(ctx, "x?y", refreshParams())
			return err
		}, "/v1/sessions/x%3Fy/refresh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Only the path differs from the recorded request.
			ex := fixture.Load(t, tt.fixture)
			ex.Request.Path = tt.wantPath
			c := session.NewClient(fixture.Config(fixture.Replay(t, ex)))

			require.NoError(t, tt.call(context.Background(), c))
		})
	}
}
