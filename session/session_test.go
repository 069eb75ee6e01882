package session_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/session"
)

const (
	sessionID = "sess_2pR1aBcDeFgHiJkLmNoPqRsTuVw"
	userID    = "user_2pQx7mKcT4nW9bLfR1sYdE3aZvH"
	clientID  = "client_2pQx8AbCdEfGhIjKlMnOpQrStUv"
	orgID     = "org_2pQxOrGaNiZaTiOnIdAbCdEfGhI"
)

// result hides a nil *T behind a nil interface, so that a table can check "no value".
func result[T any](v *T, err error) (any, error) {
	if v == nil {
		return nil, err
	}
	return v, err
}

// exchangeTest is one call replayed against one fixture.
type exchangeTest struct {
	name    string
	fixture string
	call    func(ctx context.Context, c *session.Client) (any, error)
	// wantErr is the sentinel that the error of a failing call (a fixture status of 400 or
	// above) matches; nil for a success, and for a 400, which has no sentinel.
	wantErr error
	// check asserts the decoded value of a success.
	check func(t *testing.T, ex *fixture.Exchange, got any)
}

func runExchangeTests(t *testing.T, tests []exchangeTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, tt.fixture)
			c := session.NewClient(fixture.Config(fixture.Replay(t, ex)))

			got, err := tt.call(context.Background(), c)

			if ex.Response.Status >= 400 {
				require.Error(t, err)
				if tt.wantErr != nil {
					require.ErrorIs(t, err, tt.wantErr)
				}
				assert.Nil(t, got, "got a value with an error")
				fixture.AssertAPIError(t, ex, err)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got)
			tt.check(t, ex, got)
		})
	}
}

// sameSession checks that got is the session of f's response, and runs more checks on it.
func sameSession(
	more func(t *testing.T, s *clerk.Session),
) func(*testing.T, *fixture.Exchange, any) {
	return func(t *testing.T, ex *fixture.Exchange, got any) {
		s, ok := got.(*clerk.Session)
		require.True(t, ok, "got %T, want *clerk.Session", got)
		assert.Equal(t, fixture.Decode[*clerk.Session](t, ex), s)
		more(t, s)
	}
}

func TestGetRevokeCreate(t *testing.T) {
	t.Parallel()
	runExchangeTests(t, []exchangeTest{
		{
			name: "get", fixture: "get.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Get(ctx, sessionID))
			},
			check: sameSession(func(t *testing.T, s *clerk.Session) {
				assert.Equal(t, sessionID, s.ID)
				assert.Equal(t, userID, s.UserID)
				assert.Equal(t, clientID, s.ClientID)
				assert.Equal(t, clerk.SessionStatusActive, s.Status)
				require.NotNil(t, s.LastActiveOrganizationID)
				assert.Equal(t, orgID, *s.LastActiveOrganizationID)
				assert.Equal(t, int64(1767225600000), s.CreatedAt)
				assert.Equal(t, int64(1767830400000), s.ExpireAt)
				assert.JSONEq(t, `{"sub":"user_2pQxImPeRsOnAtOrAbCdEfGhIjK",
					"iss":"https://dashboard.clerk.com"}`, string(s.Actor))
				require.NotNil(t, s.LatestActivity)
				assert.Equal(t, "Lyon", s.LatestActivity.City)
				assert.Equal(t, []clerk.SessionTask{{Key: "choose-organization"}}, s.Tasks)
			}),
		},
		{
			name: "get not found", fixture: "get-not-found.json", wantErr: clerk.ErrNotFound,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Get(ctx, "sess_missing"))
			},
		},
		{
			name: "get unauthorized", fixture: "get-unauthorized.json",
			wantErr: clerk.ErrUnauthorized,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Get(ctx, sessionID))
			},
		},
		{
			name: "revoke", fixture: "revoke.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Revoke(ctx, sessionID))
			},
			check: sameSession(func(t *testing.T, s *clerk.Session) {
				assert.Equal(t, sessionID, s.ID)
				assert.Equal(t, clerk.SessionStatusRevoked, s.Status)
				assert.Nil(t, s.LastActiveOrganizationID)
			}),
		},
		{
			name: "revoke not found", fixture: "revoke-not-found.json",
			wantErr: clerk.ErrNotFound,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Revoke(ctx, "sess_missing"))
			},
		},
		{
			name: "revoke bad request", fixture: "revoke-bad-request.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Revoke(ctx, "sess_2pQzQwErTyUiOpAsDfGhJkLzXcV"))
			},
		},
		{
			name: "create", fixture: "create.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Create(ctx, &session.CreateParams{
					UserID: userID, ActiveOrganizationID: clerk.String(orgID)}))
			},
			check: sameSession(func(t *testing.T, s *clerk.Session) {
				assert.Equal(t, "sess_2pR2nEwSeSsIoNcReAtEdDuRiNg", s.ID)
				assert.Equal(t, userID, s.UserID)
				assert.Nil(t, s.LatestActivity)
				assert.Nil(t, s.Tasks)
			}),
		},
		{
			name: "create user not found", fixture: "create-user-not-found.json",
			wantErr: clerk.ErrNotFound,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Create(ctx, &session.CreateParams{UserID: "user_missing"}))
			},
		},
		{
			name: "create on a production instance", fixture: "create-production.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Create(ctx, &session.CreateParams{UserID: userID}))
			},
		},
		{
			name: "create unprocessable", fixture: "create-unprocessable.json",
			wantErr: clerk.ErrUnprocessable,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.Create(ctx, &session.CreateParams{
					UserID: userID, ActiveOrganizationID: clerk.String("org_other")}))
			},
		},
	})
}
