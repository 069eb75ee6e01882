package user_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/user"
)

// janeID is the user of most fixtures.
const janeID = "user_2gYkP8t5QwXz3RbNc7VmLd4HjKa"

func raw(s string) *json.RawMessage { return clerk.JSONRawMessage(json.RawMessage(s)) }

func TestGet(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "get")

	u, err := user.NewClient(fixture.Config(mt)).Get(context.Background(), janeID)
	require.NoError(t, err)

	fixture.AssertDecoded(t, fixture.Load(t, "get"), u)
	assert.Equal(t, janeID, u.ID)
	assert.Equal(t, "user", u.Object)
	require.NotNil(t, u.FirstName)
	assert.Equal(t, "Jane", *u.FirstName)
	require.NotNil(t, u.ExternalID)
	assert.Equal(t, "crm-10442", *u.ExternalID)
	assert.Nil(t, u.PrimaryWeb3WalletID)
	assert.Nil(t, u.CreateOrganizationsLimit)
	assert.Equal(t, int64(1716200000000), u.CreatedAt)
	assert.True(t, u.TwoFactorEnabled)
	assert.JSONEq(t, `{"plan":"pro","onboarding":{"completed":true,"step":4}}`,
		string(u.PublicMetadata))
	assert.JSONEq(t, `{"stripe_customer_id":"cus_Q8fLk2mZr7TxYp"}`, string(u.PrivateMetadata))
	require.Len(t, u.EmailAddresses, 1)
	email := u.EmailAddresses[0]
	assert.Equal(t, "jane.doe@example.com", email.EmailAddress)
	require.NotNil(t, email.Verification)
	assert.Equal(t, "from_oauth_google", email.Verification.Strategy)
	assert.Equal(t, []clerk.IdentificationLink{
		{Type: "oauth_google", ID: "idn_2gYkP7aCr4Ys9UwMn2SdQ6KeLgF"}}, email.LinkedTo)
	require.Len(t, u.PhoneNumbers, 1)
	assert.Equal(t, "+15555550123", u.PhoneNumbers[0].PhoneNumber)
	require.Len(t, u.ExternalAccounts, 1)
	assert.Equal(t, "oauth_google", u.ExternalAccounts[0].Provider)
	assert.Empty(t, u.Web3Wallets)
	assert.NotNil(t, u.Web3Wallets, "an empty list on the wire decodes as empty, not nil")
}

func TestCreate(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "create")

	u, err := user.NewClient(fixture.Config(mt)).Create(context.Background(), &user.CreateParams{
		ExternalID:               clerk.String("crm-20981"),
		FirstName:                clerk.String("Priya"),
		LastName:                 clerk.String("Raman"),
		Locale:                   clerk.String("en-GB"),
		EmailAddresses:           []string{"priya.raman@example.com"},
		Username:                 clerk.String("priya"),
		Password:                 clerk.String("correct-horse-battery-staple"),
		SkipPasswordChecks:       clerk.Bool(false), // false is sent when set
		PublicMetadata:           raw(`{"plan":"free"}`),
		PrivateMetadata:          raw(`{"source":"import-2024-05"}`),
		LegalAcceptedAt:          clerk.String("2024-05-20T10:03:20Z"),
		CreateOrganizationsLimit: clerk.Int64(3),
		DeleteSelfEnabled:        clerk.Bool(true),
	})
	require.NoError(t, err)

	fixture.AssertDecoded(t, fixture.Load(t, "create"), u)
	assert.Equal(t, "user_2gZ3kQn8VwRt5YxLp2MbHc7DfJs", u.ID)
	assert.Nil(t, u.LastSignInAt)
	require.NotNil(t, u.LegalAcceptedAt)
	assert.Equal(t, int64(1716199000000), *u.LegalAcceptedAt)
	require.NotNil(t, u.CreateOrganizationsLimit)
	assert.Equal(t, int64(3), *u.CreateOrganizationsLimit)
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "update")

	u, err := user.NewClient(fixture.Config(mt)).Update(context.Background(), janeID,
		&user.UpdateParams{
			FirstName:                        clerk.String("Janet"),
			Username:                         clerk.String(""), // removes the username
			CreateOrganizationEnabled:        clerk.Bool(false),
			NotifyPrimaryEmailAddressChanged: clerk.Bool(false),
		})
	require.NoError(t, err)

	fixture.AssertDecoded(t, fixture.Load(t, "update"), u)
	assert.Equal(t, "Janet", *u.FirstName)
	assert.Nil(t, u.Username)
	assert.False(t, u.CreateOrganizationEnabled)
}

// TestNilParamsBody checks that a nil params sends {} where the API requires a body, and
// nothing where it does not.
func TestNilParamsBody(t *testing.T) {
	t.Parallel()
	janeBody := fixture.Load(t, "get").Response.Body
	withBody := func(method, path, body string) *fixture.Exchange {
		ex := &fixture.Exchange{Name: method + " " + path}
		ex.Request.Method = method
		ex.Request.Path = "/v1" + path
		if body != "" {
			ex.Request.Body = json.RawMessage(body)
		}
		ex.Response.Status = 200
		ex.Response.Headers = map[string]string{"Content-Type": "application/json"}
		ex.Response.Body = janeBody
		return ex
	}
	tests := []struct {
		name string
		ex   *fixture.Exchange
		call func(c *user.Client) (*clerk.User, error)
	}{
		{"Create", withBody("POST", "/users", `{}`),
			func(c *user.Client) (*clerk.User, error) {
				return c.Create(context.Background(), nil)
			}},
		{"Update", withBody("PATCH", "/users/"+janeID, `{}`),
			func(c *user.Client) (*clerk.User, error) {
				return c.Update(context.Background(), janeID, nil)
			}},
		{"UpdateMetadata", withBody("PATCH", "/users/"+janeID+"/metadata", `{}`),
			func(c *user.Client) (*clerk.User, error) {
				return c.UpdateMetadata(context.Background(), janeID, nil)
			}},
		{"ReplaceMetadata", withBody("PUT", "/users/"+janeID+"/metadata", `{}`),
			func(c *user.Client) (*clerk.User, error) {
				return c.ReplaceMetadata(context.Background(), janeID, nil)
			}},
		{"Ban", withBody("POST", "/users/"+janeID+"/ban", ""),
			func(c *user.Client) (*clerk.User, error) {
				return c.Ban(context.Background(), janeID)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := fixture.Replay(t, tt.ex)
			u, err := tt.call(user.NewClient(fixture.Config(mt)))
			require.NoError(t, err)
			assert.Equal(t, janeID, u.ID)
		})
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "delete")

	d, err := user.NewClient(fixture.Config(mt)).Delete(context.Background(), janeID)
	require.NoError(t, err)
	assert.Equal(t, &clerk.DeletedObject{Object: "user", ID: janeID, Deleted: true}, d)
}

func TestMetadata(t *testing.T) {
	t.Parallel()
	t.Run("UpdateMetadata", func(t *testing.T) {
		t.Parallel()
		mt := fixture.ReplayFiles(t, "update_metadata")
		// The null asks the API to remove the key; it must reach the wire as null.
		u, err := user.NewClient(fixture.Config(mt)).UpdateMetadata(context.Background(), janeID,
			&user.MetadataParams{
				PublicMetadata: raw(`{"plan":"team","onboarding":{"step":null}}`),
			})
		require.NoError(t, err)
		fixture.AssertDecoded(t, fixture.Load(t, "update_metadata"), u)
		assert.JSONEq(t, `{"plan":"team","onboarding":{"completed":true}}`,
			string(u.PublicMetadata))
	})
	t.Run("ReplaceMetadata", func(t *testing.T) {
		t.Parallel()
		mt := fixture.ReplayFiles(t, "replace_metadata")
		u, err := user.NewClient(fixture.Config(mt)).ReplaceMetadata(context.Background(), janeID,
			&user.MetadataParams{
				PrivateMetadata: raw(` {"stripe_customer_id":"cus_R2mNq8"}`),
				UnsafeMetadata:  raw(`{}`),
			})
		require.NoError(t, err)
		fixture.AssertDecoded(t, fixture.Load(t, "replace_metadata"), u)
		assert.JSONEq(t, `{"stripe_customer_id":"cus_R2mNq8"}`, string(u.PrivateMetadata))
		assert.JSONEq(t, `{}`, string(u.UnsafeMetadata))
		assert.JSONEq(t, `{"plan":"pro","onboarding":{"completed":true,"step":4}}`,
			string(u.PublicMetadata), "public metadata was not sent, so it is unchanged")
	})
}

// TestUserActions covers the calls that send no parameters but the user ID and answer
// with the user.
func TestUserActions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		call    func(c *user.Client) (*clerk.User, error)
		check   func(t *testing.T, u *clerk.User)
	}{
		{"ban", func(c *user.Client) (*clerk.User, error) {
			return c.Ban(context.Background(), janeID)
		}, func(t *testing.T, u *clerk.User) { assert.True(t, u.Banned) }},
		{"unban", func(c *user.Client) (*clerk.User, error) {
			return c.Unban(context.Background(), janeID)
		}, func(t *testing.T, u *clerk.User) { assert.False(t, u.Banned) }},
		{"lock", func(c *user.Client) (*clerk.User, error) {
			return c.Lock(context.Background(), janeID)
		}, func(t *testing.T, u *clerk.User) {
			assert.True(t, u.Locked)
			require.NotNil(t, u.LockoutExpiresInSeconds)
			assert.Equal(t, int64(3600), *u.LockoutExpiresInSeconds)
		}},
		{"unlock", func(c *user.Client) (*clerk.User, error) {
			return c.Unlock(context.Background(), janeID)
		}, func(t *testing.T, u *clerk.User) { assert.False(t, u.Locked) }},
		{"delete_profile_image", func(c *user.Client) (*clerk.User, error) {
			return c.DeleteProfileImage(context.Background(), janeID)
		}, func(t *testing.T, u *clerk.User) { assert.False(t, u.HasImage) }},
		{"remove_password", func(c *user.Client) (*clerk.User, error) {
			return c.RemovePassword(context.Background(), janeID,
				&user.RemovePasswordParams{SignOutOfOtherSessions: clerk.Bool(true)})
		}, func(t *testing.T, u *clerk.User) { assert.False(t, u.PasswordEnabled) }},
		{"remove_password_nil", func(c *user.Client) (*clerk.User, error) {
			return c.RemovePassword(context.Background(), janeID, nil)
		}, func(t *testing.T, u *clerk.User) { assert.False(t, u.PasswordEnabled) }},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			mt := fixture.ReplayFiles(t, tt.fixture)
			u, err := tt.call(user.NewClient(fixture.Config(mt)))
			require.NoError(t, err)
			fixture.AssertDecoded(t, fixture.Load(t, tt.fixture), u)
			assert.Equal(t, janeID, u.ID)
			tt.check(t, u)
		})
	}
}

func TestBanMany(t *testing.T) {
	t.Parallel()
	ids := []string{janeID, "user_2gYm1Rk7PzQ4Vt8XnLc3WbHd5Ja"}
	t.Run("BanMany", func(t *testing.T) {
		t.Parallel()
		mt := fixture.ReplayFiles(t, "ban_many")
		users, err := user.NewClient(fixture.Config(mt)).BanMany(context.Background(),
			&user.BanManyParams{UserIDs: ids})
		require.NoError(t, err)
		fixture.AssertDecoded(t, fixture.Load(t, "ban_many"), users)
		require.Len(t, users, 2)
		for i, u := range users {
			assert.Equal(t, ids[i], u.ID)
			assert.True(t, u.Banned, "user %d: got banned false, want true", i)
		}
	})
	t.Run("UnbanMany", func(t *testing.T) {
		t.Parallel()
		mt := fixture.ReplayFiles(t, "unban_many")
		users, err := user.NewClient(fixture.Config(mt)).UnbanMany(context.Background(),
			&user.UnbanManyParams{UserIDs: ids})
		require.NoError(t, err)
		fixture.AssertDecoded(t, fixture.Load(t, "unban_many"), users)
		require.Len(t, users, 2)
		for i, u := range users {
			assert.False(t, u.Banned, "user %d: got banned true, want false", i)
		}
	})
}

func TestSetProfileImage(t *testing.T) {
	t.Parallel()
	png := loadPNG(t)
	mt := fixture.ReplayFiles(t, "set_profile_image")

	// The reader is a plain io.Reader (no Seek, no Len), as an upload stream would be.
	u, err := user.NewClient(fixture.Config(mt)).SetProfileImage(context.Background(), janeID,
		&user.SetProfileImageParams{File: struct{ *strings.Reader }{strings.NewReader(
			string(png))}, Filename: "avatar.png"})
	require.NoError(t, err)
	fixture.AssertDecoded(t, fixture.Load(t, "set_profile_image"), u)
	assert.True(t, u.HasImage)
	assert.Contains(t, u.ImageURL, "https://img.clerk.com/")
}

// TestSetProfileImageFilename checks the file name's escaping and the default name.
func TestSetProfileImageFilename(t *testing.T) {
	t.Parallel()
	tests := []struct{ given, sent string }{
		{"", "profile_image"},
		{`me "at" work.jpg`, `me "at" work.jpg`},
		{"a\r\nX-Injected: 1.png", "a%0D%0AX-Injected: 1.png"},
	}
	for _, tt := range tests {
		t.Run(tt.sent, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, "set_profile_image")
			// GIF bytes sent under any name are described as a GIF.
			gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
			body, err := json.Marshal(map[string]fixture.FormFile{"file": {Filename: tt.sent,
				ContentType: "image/gif", ContentBase64: base64.StdEncoding.EncodeToString(gif)}})
			require.NoError(t, err)
			ex.Request.Body = body
			mt := fixture.Replay(t, ex)

			_, err = user.NewClient(fixture.Config(mt)).SetProfileImage(context.Background(),
				janeID, &user.SetProfileImageParams{File: strings.NewReader(string(gif)),
					Filename: tt.given})
			require.NoError(t, err)
		})
	}
}

func TestVerifyPassword(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "verify_password")
	v, err := user.NewClient(fixture.Config(mt)).VerifyPassword(context.Background(), janeID,
		&user.VerifyPasswordParams{Password: "correct-horse-battery-staple"})
	require.NoError(t, err)
	assert.Equal(t, &user.PasswordVerification{Verified: true}, v)
}

func TestVerifyTOTP(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "verify_totp")
	v, err := user.NewClient(fixture.Config(mt)).VerifyTOTP(context.Background(), janeID,
		&user.VerifyTOTPParams{Code: "492011"})
	require.NoError(t, err)
	assert.Equal(t, &user.TOTPVerification{Verified: true, CodeType: "totp"}, v)
}

func TestSecondFactors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		call    func(c *user.Client) (*user.MFAResponse, error)
	}{
		{"disable_mfa", func(c *user.Client) (*user.MFAResponse, error) {
			return c.DisableMFA(context.Background(), janeID)
		}},
		{"delete_backup_codes", func(c *user.Client) (*user.MFAResponse, error) {
			return c.DeleteBackupCodes(context.Background(), janeID)
		}},
		{"delete_totp", func(c *user.Client) (*user.MFAResponse, error) {
			return c.DeleteTOTP(context.Background(), janeID)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			mt := fixture.ReplayFiles(t, tt.fixture)
			got, err := tt.call(user.NewClient(fixture.Config(mt)))
			require.NoError(t, err)
			assert.Equal(t, &user.MFAResponse{UserID: janeID}, got)
		})
	}
}

func TestDeleteIdentifiers(t *testing.T) {
	t.Parallel()
	t.Run("DeletePasskey", func(t *testing.T) {
		t.Parallel()
		mt := fixture.ReplayFiles(t, "delete_passkey")
		d, err := user.NewClient(fixture.Config(mt)).DeletePasskey(context.Background(), janeID,
			"idn_2gYkQ1PaSsKeY0000000000000")
		require.NoError(t, err)
		assert.Equal(t, &clerk.DeletedObject{Object: "passkey",
			ID: "idn_2gYkQ1PaSsKeY0000000000000", Deleted: true}, d)
	})
	t.Run("DeleteWeb3Wallet", func(t *testing.T) {
		t.Parallel()
		mt := fixture.ReplayFiles(t, "delete_web3_wallet")
		d, err := user.NewClient(fixture.Config(mt)).DeleteWeb3Wallet(context.Background(), janeID,
			"idn_2gYkQ2WaLLeT0000000000000")
		require.NoError(t, err)
		assert.Equal(t, &clerk.DeletedObject{Object: "web3_wallet",
			ID: "idn_2gYkQ2WaLLeT0000000000000", Deleted: true}, d)
	})
}

func TestReplaceIdentifiers(t *testing.T) {
	t.Parallel()
	t.Run("ReplaceEmailAddress", func(t *testing.T) {
		t.Parallel()
		mt := fixture.ReplayFiles(t, "replace_email_address")
		e, err := user.NewClient(fixture.Config(mt)).ReplaceEmailAddress(context.Background(),
			janeID, &user.ReplaceEmailAddressParams{
				EmailAddress:                     "jane@doe.dev",
				IdentificationStatus:             clerk.String(user.IdentificationReserved),
				NotifyPrimaryEmailAddressChanged: clerk.Bool(true),
			})
		require.NoError(t, err)
		fixture.AssertDecoded(t, fixture.Load(t, "replace_email_address"), e)
		assert.Equal(t, "jane@doe.dev", e.EmailAddress)
		assert.True(t, e.Reserved)
		require.NotNil(t, e.Verification)
		assert.Equal(t, clerk.VerificationStatusUnverified, e.Verification.Status)
	})
	t.Run("ReplacePhoneNumber", func(t *testing.T) {
		t.Parallel()
		mt := fixture.ReplayFiles(t, "replace_phone_number")
		p, err := user.NewClient(fixture.Config(mt)).ReplacePhoneNumber(context.Background(),
			janeID, &user.ReplacePhoneNumberParams{PhoneNumber: "+447700900123"})
		require.NoError(t, err)
		fixture.AssertDecoded(t, fixture.Load(t, "replace_phone_number"), p)
		assert.Equal(t, "+447700900123", p.PhoneNumber)
		require.NotNil(t, p.Verification)
		assert.Equal(t, clerk.VerificationStrategyAdmin, p.Verification.Strategy)
	})
}

func TestListOAuthAccessTokens(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "list_oauth_access_tokens")
	tokens, err := user.NewClient(fixture.Config(mt)).ListOAuthAccessTokens(context.Background(),
		janeID, "oauth_google", &user.ListOAuthAccessTokensParams{Limit: clerk.Int64(5)})
	require.NoError(t, err)
	fixture.AssertDecoded(t, fixture.Load(t, "list_oauth_access_tokens"), tokens)
	require.Len(t, tokens, 1)
	tok := tokens[0]
	assert.Equal(t, "ya29.a0AfB_byC7kLmQ2xYzPq9rTuVwXs3n", tok.Token)
	assert.Equal(t, "eac_2gYkP9bDs5Zt1VxNo4TeR7LfMhG", tok.ExternalAccountID)
	assert.Equal(t, []string{"email", "openid", "profile"}, tok.Scopes)
	require.NotNil(t, tok.ExpiresAt)
	assert.Equal(t, int64(1716203600000), *tok.ExpiresAt)
	assert.Nil(t, tok.Label)
}
