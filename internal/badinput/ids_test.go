package badinput_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/session"
	"github.com/clerkcompat/clerk/user"
)

// hostileIDs are IDs that would change the request if they were not escaped: path
// separators, dot segments, query and fragment starts, escapes, spaces, control bytes,
// invalid UTF-8 and a very long ID.
var hostileIDs = []string{
	"a/b", "../x", "..", ".", "./", "a?b", "a#b", "a?limit=1&user_id=x", "a%2Fb", "%", "a b",
	"a;b", `a\b`, "a\x00b", "a\nb", "\xff\xfe", "ü/ß", "a&b=c", "+", "user_1/../../jwks",
	strings.Repeat("x", 10<<10),
}

// pathOp is a call that puts an ID into the path. call receives the ID for the slot the
// template marks with {}; its other IDs are ordinary.
type pathOp struct {
	name     string
	method   string
	template string
	// param is the InvalidParamError's Param for an empty ID.
	param string
	// query is the query the call sends, whatever the ID.
	query string
	call  func(ctx context.Context, c *clients, id string) error
}

func str(s string) *string { return &s }

var pathOps = []pathOp{
	{"user.Get", "GET", "/v1/users/{}", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.Get(ctx, id)
			return err
		}},
	{"user.Update", "PATCH", "/v1/users/{}", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.Update(ctx, id, &user.UpdateParams{FirstName: str("Ada")})
			return err
		}},
	{"user.Delete", "DELETE", "/v1/users/{}", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.Delete(ctx, id)
			return err
		}},
	{"user.UpdateMetadata", "PATCH", "/v1/users/{}/metadata", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.UpdateMetadata(ctx, id, &user.MetadataParams{
				PublicMetadata: clerk.JSONRawMessage([]byte(`{"a":1}`))})
			return err
		}},
	{"user.ReplaceMetadata", "PUT", "/v1/users/{}/metadata", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.ReplaceMetadata(ctx, id, nil)
			return err
		}},
	{"user.Ban", "POST", "/v1/users/{}/ban", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.Ban(ctx, id)
			return err
		}},
	{"user.Unban", "POST", "/v1/users/{}/unban", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.Unban(ctx, id)
			return err
		}},
	{"user.Lock", "POST", "/v1/users/{}/lock", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.Lock(ctx, id)
			return err
		}},
	{"user.Unlock", "POST", "/v1/users/{}/unlock", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.Unlock(ctx, id)
			return err
		}},
	{"user.SetProfileImage", "POST", "/v1/users/{}/profile_image", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.SetProfileImage(ctx, id, &user.SetProfileImageParams{
				File: strings.NewReader("\x89PNG\r\n\x1a\n")})
			return err
		}},
	{"user.DeleteProfileImage", "DELETE", "/v1/users/{}/profile_image", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.DeleteProfileImage(ctx, id)
			return err
		}},
	{"user.VerifyPassword", "POST", "/v1/users/{}/verify_password", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.VerifyPassword(ctx, id, &user.VerifyPasswordParams{Password: "pw"})
			return err
		}},
	{"user.VerifyTOTP", "POST", "/v1/users/{}/verify_totp", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.VerifyTOTP(ctx, id, &user.VerifyTOTPParams{Code: "123456"})
			return err
		}},
	{"user.DisableMFA", "DELETE", "/v1/users/{}/mfa", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.DisableMFA(ctx, id)
			return err
		}},
	{"user.DeleteBackupCodes", "DELETE", "/v1/users/{}/backup_code", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.DeleteBackupCodes(ctx, id)
			return err
		}},
	{"user.DeleteTOTP", "DELETE", "/v1/users/{}/totp", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.DeleteTOTP(ctx, id)
			return err
		}},
	{"user.RemovePassword", "POST", "/v1/users/{}/remove_password", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.RemovePassword(ctx, id, nil)
			return err
		}},
	{"user.ListOAuthAccessTokens user", "GET", "/v1/users/{}/oauth_access_tokens/oauth_google",
		"user_id", "limit=5",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.ListOAuthAccessTokens(ctx, id, "oauth_google",
				&user.ListOAuthAccessTokensParams{Limit: clerk.Int64(5)})
			return err
		}},
	{"user.ListOAuthAccessTokens provider", "GET", "/v1/users/user_1/oauth_access_tokens/{}",
		"provider", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.ListOAuthAccessTokens(ctx, "user_1", id, nil)
			return err
		}},
	{"user.DeletePasskey user", "DELETE", "/v1/users/{}/passkeys/pk_1", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.DeletePasskey(ctx, id, "pk_1")
			return err
		}},
	{"user.DeletePasskey passkey", "DELETE", "/v1/users/user_1/passkeys/{}",
		"passkey_identification_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.DeletePasskey(ctx, "user_1", id)
			return err
		}},
	{"user.DeleteWeb3Wallet user", "DELETE", "/v1/users/{}/web3_wallets/w_1", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.DeleteWeb3Wallet(ctx, id, "w_1")
			return err
		}},
	{"user.DeleteWeb3Wallet wallet", "DELETE", "/v1/users/user_1/web3_wallets/{}",
		"web3_wallet_identification_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.DeleteWeb3Wallet(ctx, "user_1", id)
			return err
		}},
	{"user.ReplaceEmailAddress", "PUT", "/v1/users/{}/email_address", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.ReplaceEmailAddress(ctx, id,
				&user.ReplaceEmailAddressParams{EmailAddress: "a@example.com"})
			return err
		}},
	{"user.ReplacePhoneNumber", "PUT", "/v1/users/{}/phone_number", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.user.ReplacePhoneNumber(ctx, id,
				&user.ReplacePhoneNumberParams{PhoneNumber: "+15555550100"})
			return err
		}},

	{"emailaddress.Get", "GET", "/v1/email_addresses/{}", "email_address_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.email.Get(ctx, id)
			return err
		}},
	{"emailaddress.Update", "PATCH", "/v1/email_addresses/{}", "email_address_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.email.Update(ctx, id, &emailaddress.UpdateParams{
				Verified: clerk.Bool(true)})
			return err
		}},
	{"emailaddress.Delete", "DELETE", "/v1/email_addresses/{}", "email_address_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.email.Delete(ctx, id)
			return err
		}},
	{"emailaddress.PrepareVerification", "POST", "/v1/email_addresses/{}/prepare_verification",
		"email_address_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.email.PrepareVerification(ctx, id)
			return err
		}},
	{"emailaddress.AttemptVerification", "POST", "/v1/email_addresses/{}/attempt_verification",
		"email_address_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.email.AttemptVerification(ctx, id, &emailaddress.AttemptVerificationParams{
				VerificationID: str("ver_1"), Code: str("424242")})
			return err
		}},

	{"phonenumber.Get", "GET", "/v1/phone_numbers/{}", "phone_number_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.phone.Get(ctx, id)
			return err
		}},
	{"phonenumber.Update", "PATCH", "/v1/phone_numbers/{}", "phone_number_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.phone.Update(ctx, id, nil)
			return err
		}},
	{"phonenumber.Delete", "DELETE", "/v1/phone_numbers/{}", "phone_number_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.phone.Delete(ctx, id)
			return err
		}},
	{"phonenumber.PrepareVerification", "POST", "/v1/phone_numbers/{}/prepare_verification",
		"phone_number_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.phone.PrepareVerification(ctx, id)
			return err
		}},
	{"phonenumber.AttemptVerification", "POST", "/v1/phone_numbers/{}/attempt_verification",
		"phone_number_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.phone.AttemptVerification(ctx, id, &phonenumber.AttemptVerificationParams{
				VerificationID: str("ver_1"), Code: str("424242")})
			return err
		}},

	{"externalaccount.Delete user", "DELETE", "/v1/users/{}/external_accounts/eac_1", "user_id",
		"",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.account.Delete(ctx, id, "eac_1")
			return err
		}},
	{"externalaccount.Delete account", "DELETE", "/v1/users/user_1/external_accounts/{}",
		"external_account_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.account.Delete(ctx, "user_1", id)
			return err
		}},
	{"externalaccount.ListForUser", "GET", "/v1/users/{}", "user_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.account.ListForUser(ctx, id)
			return err
		}},
	{"externalaccount.AccessToken user", "GET", "/v1/users/{}/oauth_access_tokens/oauth_github",
		"user_id", "limit=500&offset=0",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.account.AccessToken(ctx, id, "oauth_github")
			return err
		}},
	{"externalaccount.AccessToken provider", "GET", "/v1/users/user_1/oauth_access_tokens/{}",
		"provider", "limit=500&offset=0",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.account.AccessToken(ctx, "user_1", id)
			return err
		}},

	{"session.Get", "GET", "/v1/sessions/{}", "session_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.session.Get(ctx, id)
			return err
		}},
	{"session.Revoke", "POST", "/v1/sessions/{}/revoke", "session_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.session.Revoke(ctx, id)
			return err
		}},
	{"session.Refresh", "POST", "/v1/sessions/{}/refresh", "session_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.session.Refresh(ctx, id, &session.RefreshParams{ExpiredToken: "e",
				RefreshToken: "r", RequestOrigin: "https://app.example.com"})
			return err
		}},
	{"session.CreateToken", "POST", "/v1/sessions/{}/tokens", "session_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.session.CreateToken(ctx, id, nil)
			return err
		}},
	{"session.CreateTokenFromTemplate session", "POST", "/v1/sessions/{}/tokens/tpl",
		"session_id", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.session.CreateTokenFromTemplate(ctx, id, "tpl", nil)
			return err
		}},
	{"session.CreateTokenFromTemplate template", "POST", "/v1/sessions/sess_1/tokens/{}",
		"template_name", "",
		func(ctx context.Context, c *clients, id string) error {
			_, err := c.session.CreateTokenFromTemplate(ctx, "sess_1", id, nil)
			return err
		}},
}

// TestEmptyIDs checks that every call refuses an empty ID, naming it, before any request:
// never a call to a list or collection endpoint such as DELETE /users.
func TestEmptyIDs(t *testing.T) {
	t.Parallel()
	for _, op := range pathOps {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(t)
			err := op.call(context.Background(), newClients(rec), "")
			ip := invalidParam(err)
			require.NotNil(t, ip, "got %v, want an *clerk.InvalidParamError", err)
			assert.Equal(t, op.param, ip.Param)
			assert.ErrorIs(t, err, clerk.ErrInvalidParam)
			assert.Empty(t, rec.take(), "no request may be sent for an empty ID")
		})
	}
}

// TestHostileIDs checks that every call sends each hostile ID as exactly one path segment of
// the right endpoint, with the right method and no query of the ID's making.
func TestHostileIDs(t *testing.T) {
	t.Parallel()
	for _, op := range pathOps {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(t)
			c := newClients(rec)
			for _, id := range hostileIDs {
				short := id[:min(len(id), 24)]
				err := op.call(context.Background(), c, id)
				reqs := rec.take()
				if ip := invalidParam(err); ip != nil {
					assert.Empty(t, reqs, "ID %q refused yet sent", short)
					continue
				}
				require.NoError(t, err, "ID %q", short)
				require.Len(t, reqs, 1, "ID %q: got %d requests, want 1", short, len(reqs))
				r := reqs[0]
				assert.Equal(t, op.method, r.method, "ID %q", short)
				if why := checkPath(r.path, op.template, id); why != "" {
					t.Errorf("ID %q: path %.80s: %s", short, r.path, why)
				}
				assert.Equal(t, op.query, r.query, "ID %q: query", short)
				assert.NotEqual(t, "null", r.body, "ID %q: a null body", short)
			}
		})
	}
}

// TestHostileIDsInQueries checks the calls that send an ID or a filter value in the query:
// the value stays one value of its own key, and adds no key.
func TestHostileIDsInQueries(t *testing.T) {
	t.Parallel()
	ops := []struct {
		name string
		// call sends id; want is the query the request must carry for it.
		call func(ctx context.Context, c *clients, id string) error
		want func(id string) map[string][]string
	}{
		{"externalaccount.FindUser provider",
			func(ctx context.Context, c *clients, id string) error {
				_, err := c.account.FindUser(ctx, id, "12345")
				return err
			},
			func(id string) map[string][]string {
				return map[string][]string{"provider": {id}, "provider_user_id": {"12345"},
					"limit": {"2"}}
			}},
		{"externalaccount.FindUser provider user",
			func(ctx context.Context, c *clients, id string) error {
				_, err := c.account.FindUser(ctx, "oauth_google", id)
				return err
			},
			func(id string) map[string][]string {
				return map[string][]string{"provider": {"oauth_google"},
					"provider_user_id": {id}, "limit": {"2"}}
			}},
		{"session.List user",
			func(ctx context.Context, c *clients, id string) error {
				_, err := c.session.List(ctx, &session.ListParams{UserID: &id})
				return err
			},
			func(id string) map[string][]string {
				return map[string][]string{"user_id": {id}, "paginated": {"true"}}
			}},
		{"session.All client",
			func(ctx context.Context, c *clients, id string) error {
				return first(c.session.All(ctx, &session.ListParams{ClientID: &id}))
			},
			nil},
		{"user.List filters",
			func(ctx context.Context, c *clients, id string) error {
				_, err := c.user.List(ctx, &user.ListParams{EmailAddresses: []string{id, "b"},
					UserIDs: []string{id}, Query: &id})
				return err
			},
			func(id string) map[string][]string {
				return map[string][]string{"email_address": {id, "b"}, "user_id": {id},
					"query": {id}}
			}},
		{"user.Count filters",
			func(ctx context.Context, c *clients, id string) error {
				_, err := c.user.Count(ctx, &user.CountParams{Usernames: []string{id},
					ProviderUserIDs: []string{id, id}})
				return err
			},
			func(id string) map[string][]string {
				return map[string][]string{"username": {id}, "provider_user_id": {id, id}}
			}},
		{"user.All filter",
			func(ctx context.Context, c *clients, id string) error {
				return first(c.user.All(ctx, &user.ListParams{ExternalIDs: []string{id}}))
			},
			func(id string) map[string][]string {
				return map[string][]string{"external_id": {id}, "limit": {"100"}}
			}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(t)
			c := newClients(rec)
			for _, id := range hostileIDs {
				short := id[:min(len(id), 24)]
				err := op.call(context.Background(), c, id)
				reqs := rec.take()
				require.NoError(t, err, "ID %q", short)
				require.Len(t, reqs, 1, "ID %q", short)
				r := reqs[0]
				assert.Equal(t, http.MethodGet, r.method)
				assert.NotContains(t, r.path, "?")
				got, err := parseQuery(r.query)
				require.NoError(t, err, "ID %q: query %.80s", short, r.query)
				if op.want == nil {
					assert.Contains(t, got["client_id"], id)
					continue
				}
				assert.Equal(t, op.want(id), got, "ID %q", short)
			}
		})
	}
}
