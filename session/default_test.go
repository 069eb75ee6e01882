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

// TestPackageFunctions checks that every package-level function sends its request with the
// default configuration. It changes that configuration, so it does not run in parallel.
func TestPackageFunctions(t *testing.T) {
	t.Cleanup(func() { clerk.SetConfig(nil) })
	ctx := context.Background()
	tests := []struct {
		fixtures []string
		call     func() error
	}{
		{[]string{"get.json"}, func() error {
			_, err := session.Get(ctx, sessionID)
			return err
		}},
		{[]string{"revoke.json"}, func() error {
			_, err := session.Revoke(ctx, sessionID)
			return err
		}},
		{[]string{"create.json"}, func() error {
			_, err := session.Create(ctx, &session.CreateParams{
				UserID: userID, ActiveOrganizationID: clerk.String(orgID)})
			return err
		}},
		{[]string{"list.json"}, func() error {
			_, err := session.List(ctx, &session.ListParams{ClientID: clerk.String(clientID),
				Status: clerk.String("active"), Limit: clerk.Int64(2), Offset: clerk.Int64(4)})
			return err
		}},
		{[]string{"all-page1.json", "all-page2.json"}, func() error {
			n := 0
			for _, err := range session.All(ctx, &session.ListParams{
				UserID: clerk.String(userID), Limit: clerk.Int64(2)}) {
				if err != nil {
					return err
				}
				n++
			}
			assert.Equal(t, 3, n, "got %d sessions, want 3", n)
			return nil
		}},
		{[]string{"refresh-token.json"}, func() error {
			_, err := session.Refresh(ctx, sessionID, refreshParams())
			return err
		}},
		{[]string{"create-token.json"}, func() error {
			_, err := session.CreateToken(ctx, sessionID,
				&session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(3600)})
			return err
		}},
		{[]string{"create-token-template.json"}, func() error {
			_, err := session.CreateTokenFromTemplate(ctx, sessionID, "custom_hasura",
				&session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(30)})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixtures[0], func(t *testing.T) {
			mt := fixture.ReplayFiles(t, tt.fixtures...)
			clerk.SetConfig(fixture.Config(mt))

			require.NoError(t, tt.call())
			assert.Equal(t, len(tt.fixtures), mt.GetTotalCallCount(), "requests")
		})
	}
}

// TestAllReadsDefaultWhenRanged checks that session.All uses the default configuration in
// force when the loop starts, not when All was called.
func TestAllReadsDefaultWhenRanged(t *testing.T) {
	t.Cleanup(func() { clerk.SetConfig(nil) })
	page := fixture.Load(t, "list-by-user.json") // asked by All, so with a page size and start
	page.Request.Query = "limit=100&offset=0&paginated=true&user_id=" + userID
	early, late := fixture.Replay(t), fixture.Replay(t, page)
	clerk.SetConfig(fixture.Config(early))

	seq := session.All(context.Background(), &session.ListParams{UserID: clerk.String(userID)})
	clerk.SetConfig(fixture.Config(late))
	for _, err := range seq {
		require.NoError(t, err)
	}

	assert.Zero(t, early.GetTotalCallCount(), "requests with the early configuration")
	assert.Equal(t, 1, late.GetTotalCallCount(), "requests with the late configuration")
}
