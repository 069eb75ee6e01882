package user_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/user"
)

// TestInvalidParams checks that bad input is an *clerk.InvalidParamError naming the
// parameter, and that no request is sent for it.
func TestInvalidParams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	first := func(seq func(func(*clerk.User, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	tests := []struct {
		name  string
		param string
		call  func(c *user.Client) error
	}{
		{"Get empty ID", "user_id", func(c *user.Client) error {
			_, err := c.Get(ctx, "")
			return err
		}},
		{"Update empty ID", "user_id", func(c *user.Client) error {
			_, err := c.Update(ctx, "", &user.UpdateParams{FirstName: clerk.String("x")})
			return err
		}},
		{"Delete empty ID", "user_id", func(c *user.Client) error {
			_, err := c.Delete(ctx, "")
			return err
		}},
		{"Create empty metadata", "public_metadata", func(c *user.Client) error {
			_, err := c.Create(ctx, &user.CreateParams{PublicMetadata: raw("")})
			return err
		}},
		{"Create nil metadata value", "private_metadata", func(c *user.Client) error {
			_, err := c.Create(ctx, &user.CreateParams{
				PrivateMetadata: clerk.JSONRawMessage(nil)})
			return err
		}},
		{"Create invalid metadata", "unsafe_metadata", func(c *user.Client) error {
			_, err := c.Create(ctx, &user.CreateParams{UnsafeMetadata: raw(`{"a":`)})
			return err
		}},
		{"UpdateMetadata empty", "public_metadata", func(c *user.Client) error {
			_, err := c.UpdateMetadata(ctx, janeID, &user.MetadataParams{
				PublicMetadata: raw("  ")})
			return err
		}},
		{"UpdateMetadata not JSON", "private_metadata", func(c *user.Client) error {
			_, err := c.UpdateMetadata(ctx, janeID, &user.MetadataParams{
				PrivateMetadata: raw(`{plan: "pro"}`)})
			return err
		}},
		{"ReplaceMetadata not an object", "unsafe_metadata", func(c *user.Client) error {
			_, err := c.ReplaceMetadata(ctx, janeID, &user.MetadataParams{
				UnsafeMetadata: raw(`["a"]`)})
			return err
		}},
		{"ReplaceMetadata null", "public_metadata", func(c *user.Client) error {
			_, err := c.ReplaceMetadata(ctx, janeID, &user.MetadataParams{
				PublicMetadata: raw(`null`)})
			return err
		}},
		{"UpdateMetadata empty ID", "user_id", func(c *user.Client) error {
			_, err := c.UpdateMetadata(ctx, "", &user.MetadataParams{PublicMetadata: raw(`{}`)})
			return err
		}},
		{"List empty email list", "email_address", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{EmailAddresses: []string{}})
			return err
		}},
		{"List empty user ID list", "user_id", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{UserIDs: []string{}})
			return err
		}},
		{"List empty provider user ID list", "provider_user_id", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{Provider: clerk.String("oauth_google"),
				ProviderUserIDs: []string{}})
			return err
		}},
		{"List limit 0", "limit", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{Limit: clerk.Int64(0)})
			return err
		}},
		{"List limit 501", "limit", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{Limit: clerk.Int64(501)})
			return err
		}},
		{"List negative offset", "offset", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{Offset: clerk.Int64(-1)})
			return err
		}},
		{"List empty cursor", "starting_after", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{StartingAfter: clerk.String("")})
			return err
		}},
		{"List cursor with another order", "starting_after", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{StartingAfter: clerk.String("user_1"),
				OrderBy: clerk.String("-last_sign_in_at")})
			return err
		}},
		{"List cursor with offset", "starting_after", func(c *user.Client) error {
			_, err := c.List(ctx, &user.ListParams{StartingAfter: clerk.String("user_1"),
				Offset: clerk.Int64(10)})
			return err
		}},
		{"Count empty organization list", "organization_id", func(c *user.Client) error {
			_, err := c.Count(ctx, &user.CountParams{OrganizationIDs: []string{}})
			return err
		}},
		{"Count empty web3 wallet list", "web3_wallet", func(c *user.Client) error {
			_, err := c.Count(ctx, &user.CountParams{Web3Wallets: []string{}})
			return err
		}},
		{"All empty username list", "username", func(c *user.Client) error {
			return first(c.All(ctx, &user.ListParams{Usernames: []string{}}))
		}},
		{"All limit 501", "limit", func(c *user.Client) error {
			return first(c.All(ctx, &user.ListParams{Limit: clerk.Int64(501)}))
		}},
		{"All cursor with another order", "starting_after", func(c *user.Client) error {
			return first(c.All(ctx, &user.ListParams{StartingAfter: clerk.String("user_1"),
				OrderBy: clerk.String("username")}))
		}},
		{"Ban empty ID", "user_id", func(c *user.Client) error {
			_, err := c.Ban(ctx, "")
			return err
		}},
		{"Unban empty ID", "user_id", func(c *user.Client) error {
			_, err := c.Unban(ctx, "")
			return err
		}},
		{"Lock empty ID", "user_id", func(c *user.Client) error {
			_, err := c.Lock(ctx, "")
			return err
		}},
		{"Unlock empty ID", "user_id", func(c *user.Client) error {
			_, err := c.Unlock(ctx, "")
			return err
		}},
		{"BanMany nil", "user_ids", func(c *user.Client) error {
			_, err := c.BanMany(ctx, nil)
			return err
		}},
		{"BanMany empty", "user_ids", func(c *user.Client) error {
			_, err := c.BanMany(ctx, &user.BanManyParams{UserIDs: []string{}})
			return err
		}},
		{"BanMany 51", "user_ids", func(c *user.Client) error {
			_, err := c.BanMany(ctx, &user.BanManyParams{UserIDs: make51()})
			return err
		}},
		{"UnbanMany empty entry", "user_ids", func(c *user.Client) error {
			_, err := c.UnbanMany(ctx, &user.UnbanManyParams{UserIDs: []string{janeID, ""}})
			return err
		}},
		{"UnbanMany nil", "user_ids", func(c *user.Client) error {
			_, err := c.UnbanMany(ctx, nil)
			return err
		}},
		{"SetProfileImage empty ID", "user_id", func(c *user.Client) error {
			_, err := c.SetProfileImage(ctx, "", &user.SetProfileImageParams{
				File: strings.NewReader("GIF89a")})
			return err
		}},
		{"SetProfileImage nil params", "file", func(c *user.Client) error {
			_, err := c.SetProfileImage(ctx, janeID, nil)
			return err
		}},
		{"SetProfileImage nil file", "file", func(c *user.Client) error {
			_, err := c.SetProfileImage(ctx, janeID, &user.SetProfileImageParams{
				Filename: "a.png"})
			return err
		}},
		{"SetProfileImage empty file", "file", func(c *user.Client) error {
			_, err := c.SetProfileImage(ctx, janeID, &user.SetProfileImageParams{
				File: strings.NewReader("")})
			return err
		}},
		{"SetProfileImage endless file", "file", func(c *user.Client) error {
			_, err := c.SetProfileImage(ctx, janeID, &user.SetProfileImageParams{
				File: endless{}})
			return err
		}},
		{"DeleteProfileImage empty ID", "user_id", func(c *user.Client) error {
			_, err := c.DeleteProfileImage(ctx, "")
			return err
		}},
		{"VerifyPassword empty ID", "user_id", func(c *user.Client) error {
			_, err := c.VerifyPassword(ctx, "", &user.VerifyPasswordParams{Password: "x"})
			return err
		}},
		{"VerifyPassword nil", "password", func(c *user.Client) error {
			_, err := c.VerifyPassword(ctx, janeID, nil)
			return err
		}},
		{"VerifyPassword empty", "password", func(c *user.Client) error {
			_, err := c.VerifyPassword(ctx, janeID, &user.VerifyPasswordParams{})
			return err
		}},
		{"VerifyTOTP empty ID", "user_id", func(c *user.Client) error {
			_, err := c.VerifyTOTP(ctx, "", &user.VerifyTOTPParams{Code: "123456"})
			return err
		}},
		{"VerifyTOTP empty code", "code", func(c *user.Client) error {
			_, err := c.VerifyTOTP(ctx, janeID, &user.VerifyTOTPParams{})
			return err
		}},
		{"DisableMFA empty ID", "user_id", func(c *user.Client) error {
			_, err := c.DisableMFA(ctx, "")
			return err
		}},
		{"DeleteBackupCodes empty ID", "user_id", func(c *user.Client) error {
			_, err := c.DeleteBackupCodes(ctx, "")
			return err
		}},
		{"DeleteTOTP empty ID", "user_id", func(c *user.Client) error {
			_, err := c.DeleteTOTP(ctx, "")
			return err
		}},
		{"RemovePassword empty ID", "user_id", func(c *user.Client) error {
			_, err := c.RemovePassword(ctx, "", nil)
			return err
		}},
		{"ListOAuthAccessTokens empty ID", "user_id", func(c *user.Client) error {
			_, err := c.ListOAuthAccessTokens(ctx, "", "oauth_google", nil)
			return err
		}},
		{"ListOAuthAccessTokens empty provider", "provider", func(c *user.Client) error {
			_, err := c.ListOAuthAccessTokens(ctx, janeID, "", nil)
			return err
		}},
		{"ListOAuthAccessTokens limit 0", "limit", func(c *user.Client) error {
			_, err := c.ListOAuthAccessTokens(ctx, janeID, "oauth_google",
				&user.ListOAuthAccessTokensParams{Limit: clerk.Int64(0)})
			return err
		}},
		{"ListOAuthAccessTokens negative offset", "offset", func(c *user.Client) error {
			_, err := c.ListOAuthAccessTokens(ctx, janeID, "oauth_google",
				&user.ListOAuthAccessTokensParams{Offset: clerk.Int64(-5)})
			return err
		}},
		{"DeletePasskey empty user ID", "user_id", func(c *user.Client) error {
			_, err := c.DeletePasskey(ctx, "", "idn_1")
			return err
		}},
		{"DeletePasskey empty ID", "passkey_identification_id", func(c *user.Client) error {
			_, err := c.DeletePasskey(ctx, janeID, "")
			return err
		}},
		{"DeleteWeb3Wallet empty user ID", "user_id", func(c *user.Client) error {
			_, err := c.DeleteWeb3Wallet(ctx, "", "idn_1")
			return err
		}},
		{"DeleteWeb3Wallet empty ID", "web3_wallet_identification_id",
			func(c *user.Client) error {
				_, err := c.DeleteWeb3Wallet(ctx, janeID, "")
				return err
			}},
		{"ReplaceEmailAddress empty ID", "user_id", func(c *user.Client) error {
			_, err := c.ReplaceEmailAddress(ctx, "",
				&user.ReplaceEmailAddressParams{EmailAddress: "a@example.com"})
			return err
		}},
		{"ReplaceEmailAddress nil", "email_address", func(c *user.Client) error {
			_, err := c.ReplaceEmailAddress(ctx, janeID, nil)
			return err
		}},
		{"ReplaceEmailAddress empty", "email_address", func(c *user.Client) error {
			_, err := c.ReplaceEmailAddress(ctx, janeID, &user.ReplaceEmailAddressParams{})
			return err
		}},
		{"ReplacePhoneNumber empty ID", "user_id", func(c *user.Client) error {
			_, err := c.ReplacePhoneNumber(ctx, "",
				&user.ReplacePhoneNumberParams{PhoneNumber: "+15555550100"})
			return err
		}},
		{"ReplacePhoneNumber empty", "phone_number", func(c *user.Client) error {
			_, err := c.ReplacePhoneNumber(ctx, janeID, &user.ReplacePhoneNumberParams{})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := fixture.Replay(t) // no exchange: any request fails the test

			err := tt.call(user.NewClient(fixture.Config(mt)))
			var invalid *clerk.InvalidParamError
			require.True(t, errors.As(err, &invalid), "got %T (%v), want *InvalidParamError",
				err, err)
			assert.Equal(t, tt.param, invalid.Param)
			assert.ErrorIs(t, err, clerk.ErrInvalidParam)
			assert.Zero(t, mt.GetTotalCallCount(), "got %d requests, want 0",
				mt.GetTotalCallCount())
		})
	}
}

// TestValidParamsEdges checks values at the edge of what is allowed: they are sent.
func TestValidParamsEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params *user.ListParams
		query  string
	}{
		{"limit 1", &user.ListParams{Limit: clerk.Int64(1)}, "limit=1"},
		{"limit 500", &user.ListParams{Limit: clerk.Int64(500)}, "limit=500"},
		{"cursor with zero offset", &user.ListParams{StartingAfter: clerk.String("user_1"),
			Offset: clerk.Int64(0)}, "offset=0&starting_after=user_1"},
		{"cursor with -created_at", &user.ListParams{StartingAfter: clerk.String("user_1"),
			OrderBy: clerk.String("-created_at")}, "order_by=-created_at&starting_after=user_1"},
		{"nil filters", &user.ListParams{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, "all_offset_page3") // an empty page
			ex.Request.Query = tt.query
			mt := fixture.Replay(t, ex)

			users, err := user.NewClient(fixture.Config(mt)).List(context.Background(), tt.params)
			require.NoError(t, err)
			assert.Empty(t, users)
		})
	}
}

func make51() []string {
	ids := make([]string, 51)
	for i := range ids {
		ids[i] = "user_" + strings.Repeat("x", i+1)
	}
	return ids
}

// endless is a reader that never ends, like a mistaken pipe.
type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }

var _ io.Reader = endless{}
