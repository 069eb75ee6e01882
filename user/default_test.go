package user_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/user"
)

// TestPackageFunctions calls every package-level function against the default
// configuration. It changes that configuration, so neither it nor its subtests run in
// parallel (parallel tests start only once it has finished).
func TestPackageFunctions(t *testing.T) {
	ctx := context.Background()
	t.Cleanup(func() { clerk.SetConfig(nil) })
	tests := []struct {
		fixtures []string
		call     func() (any, error)
	}{
		{[]string{"get"}, func() (any, error) { return user.Get(ctx, janeID) }},
		{[]string{"list"}, func() (any, error) {
			return user.List(ctx, &user.ListParams{
				EmailAddresses: []string{"jane.doe@example.com", "sam.okafor@example.com"},
				UserIDs:        []string{"-user_2gYkOld"}, UsernameQuery: clerk.String("doe"),
				Banned: clerk.Bool(false), CreatedAtAfter: clerk.Int64(1704067200000),
				Limit: clerk.Int64(20), OrderBy: clerk.String("-created_at")})
		}},
		{[]string{"count"}, func() (any, error) {
			return user.Count(ctx, &user.CountParams{
				EmailAddressQuery: clerk.String("example.com"),
				OrganizationIDs:   []string{"org_2gYkOrgAcme", "-org_2gYkOrgBeta"}})
		}},
		{[]string{"all_cursor_page1", "all_cursor_page2", "all_cursor_page3"},
			func() (any, error) {
				ids, errs := collect(user.All(ctx, &user.ListParams{Limit: clerk.Int64(2)}))
				if len(errs) > 0 {
					return nil, errs[0]
				}
				return ids, nil
			}},
		{[]string{"create_unprocessable"}, func() (any, error) {
			_, err := user.Create(ctx, &user.CreateParams{
				EmailAddresses: []string{"jane.doe@example.com"},
				Username:       clerk.String("jd"), Password: clerk.String("hunter2")})
			if err == nil {
				return nil, assert.AnError
			}
			return "refused", nil
		}},
		{[]string{"update_conflict"}, func() (any, error) {
			_, err := user.Update(ctx, janeID,
				&user.UpdateParams{ExternalID: clerk.String("crm-20981")})
			if err == nil {
				return nil, assert.AnError
			}
			return "refused", nil
		}},
		{[]string{"update_metadata"}, func() (any, error) {
			return user.UpdateMetadata(ctx, janeID, &user.MetadataParams{
				PublicMetadata: raw(`{"plan":"team","onboarding":{"step":null}}`)})
		}},
		{[]string{"replace_metadata"}, func() (any, error) {
			return user.ReplaceMetadata(ctx, janeID, &user.MetadataParams{
				PrivateMetadata: raw(`{"stripe_customer_id":"cus_R2mNq8"}`),
				UnsafeMetadata:  raw(`{}`)})
		}},
		{[]string{"delete"}, func() (any, error) { return user.Delete(ctx, janeID) }},
		{[]string{"ban"}, func() (any, error) { return user.Ban(ctx, janeID) }},
		{[]string{"unban"}, func() (any, error) { return user.Unban(ctx, janeID) }},
		{[]string{"ban_many"}, func() (any, error) {
			return user.BanMany(ctx, &user.BanManyParams{
				UserIDs: []string{janeID, "user_2gYm1Rk7PzQ4Vt8XnLc3WbHd5Ja"}})
		}},
		{[]string{"unban_many"}, func() (any, error) {
			return user.UnbanMany(ctx, &user.UnbanManyParams{
				UserIDs: []string{janeID, "user_2gYm1Rk7PzQ4Vt8XnLc3WbHd5Ja"}})
		}},
		{[]string{"lock"}, func() (any, error) { return user.Lock(ctx, janeID) }},
		{[]string{"unlock"}, func() (any, error) { return user.Unlock(ctx, janeID) }},
		{[]string{"set_profile_image"}, func() (any, error) {
			png := loadPNG(t)
			return user.SetProfileImage(ctx, janeID, &user.SetProfileImageParams{
				File: strings.NewReader(string(png)), Filename: "avatar.png"})
		}},
		{[]string{"delete_profile_image"}, func() (any, error) {
			return user.DeleteProfileImage(ctx, janeID)
		}},
		{[]string{"verify_password"}, func() (any, error) {
			return user.VerifyPassword(ctx, janeID,
				&user.VerifyPasswordParams{Password: "correct-horse-battery-staple"})
		}},
		{[]string{"verify_totp"}, func() (any, error) {
			return user.VerifyTOTP(ctx, janeID, &user.VerifyTOTPParams{Code: "492011"})
		}},
		{[]string{"disable_mfa"}, func() (any, error) { return user.DisableMFA(ctx, janeID) }},
		{[]string{"delete_backup_codes"}, func() (any, error) {
			return user.DeleteBackupCodes(ctx, janeID)
		}},
		{[]string{"delete_totp"}, func() (any, error) { return user.DeleteTOTP(ctx, janeID) }},
		{[]string{"remove_password_nil"}, func() (any, error) {
			return user.RemovePassword(ctx, janeID, nil)
		}},
		{[]string{"list_oauth_access_tokens"}, func() (any, error) {
			return user.ListOAuthAccessTokens(ctx, janeID, "oauth_google",
				&user.ListOAuthAccessTokensParams{Limit: clerk.Int64(5)})
		}},
		{[]string{"delete_passkey"}, func() (any, error) {
			return user.DeletePasskey(ctx, janeID, "idn_2gYkQ1PaSsKeY0000000000000")
		}},
		{[]string{"delete_web3_wallet"}, func() (any, error) {
			return user.DeleteWeb3Wallet(ctx, janeID, "idn_2gYkQ2WaLLeT0000000000000")
		}},
		{[]string{"replace_email_address"}, func() (any, error) {
			return user.ReplaceEmailAddress(ctx, janeID, &user.ReplaceEmailAddressParams{
				EmailAddress:                     "jane@doe.dev",
				IdentificationStatus:             clerk.String(user.IdentificationReserved),
				NotifyPrimaryEmailAddressChanged: clerk.Bool(true)})
		}},
		{[]string{"replace_phone_number"}, func() (any, error) {
			return user.ReplacePhoneNumber(ctx, janeID,
				&user.ReplacePhoneNumberParams{PhoneNumber: "+447700900123"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixtures[0], func(t *testing.T) {
			mt := fixture.ReplayFiles(t, tt.fixtures...)
			clerk.SetConfig(fixture.Config(mt))

			got, err := tt.call()
			require.NoError(t, err)
			assert.NotNil(t, got)
		})
	}
}

// TestPackageFunctionsSeeNewKey checks that a key set after a first call is used by the
// next one: package-level functions read the default configuration on every call.
func TestPackageFunctionsSeeNewKey(t *testing.T) {
	t.Cleanup(func() { clerk.SetConfig(nil) })
	ex := fixture.Load(t, "get")
	var mu sync.Mutex
	var auths []string
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		auths = append(auths, req.Header.Get("Authorization"))
		return ex.NewResponse(), nil
	})
	clerk.SetConfig(fixture.Config(mt))

	_, err := user.Get(context.Background(), janeID)
	require.NoError(t, err)
	clerk.SetKey("sk_test_rotated")
	_, err = user.Get(context.Background(), janeID)
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"Bearer " + fixture.Key, "Bearer sk_test_rotated"}, auths)
}

// loadPNG returns the image of the set_profile_image fixture.
func loadPNG(t *testing.T) []byte {
	t.Helper()
	var parts map[string]fixture.FormFile
	require.NoError(t, json.Unmarshal(fixture.Load(t, "set_profile_image").Request.Body,
		&parts))
	png, err := base64.StdEncoding.DecodeString(parts["file"].ContentBase64)
	require.NoError(t, err)
	return png
}
