package clerk_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
)

// userJSON is a user as the API sends it, valid against the spec's User schema, with every
// kind of identifier and account and null in every nullable field that allows it.
const userJSON = `{
  "id": "user_2aBcDeFgHiJkLmNoPqRsTuVwXyZ",
  "object": "user",
  "external_id": null,
  "primary_email_address_id": "idn_2email0001",
  "primary_phone_number_id": null,
  "primary_web3_wallet_id": null,
  "username": null,
  "first_name": null,
  "last_name": null,
  "locale": null,
  "image_url": "https://img.clerk.com/default.png",
  "has_image": false,
  "public_metadata": {"plan": "pro", "seats": 5},
  "private_metadata": {"stripe_customer_id": "cus_123"},
  "unsafe_metadata": {"theme": "dark"},
  "email_addresses": [
    {
      "id": "idn_2email0001",
      "object": "email_address",
      "email_address": "ada@example.com",
      "reserved": false,
      "verification": {
        "object": "verification_otp",
        "status": "verified",
        "strategy": "email_code",
        "attempts": 1,
        "expire_at": 1700000600000,
        "verified_at_client": null
      },
      "linked_to": [],
      "matches_sso_connection": false,
      "created_at": 1700000000000,
      "updated_at": 1700000100000
    },
    {
      "id": "idn_2email0002",
      "object": "email_address",
      "email_address": "ada@gmail.com",
      "reserved": false,
      "verification": {
        "object": "verification_from_oauth",
        "status": "verified",
        "strategy": "from_oauth_google",
        "attempts": null,
        "expire_at": null
      },
      "linked_to": [{"type": "oauth_google", "id": "idn_2google0001"}],
      "created_at": 1700000200000,
      "updated_at": 1700000200000
    }
  ],
  "phone_numbers": [
    {
      "id": "idn_2phone0001",
      "object": "phone_number",
      "phone_number": "+15555550100",
      "reserved_for_second_factor": true,
      "default_second_factor": true,
      "reserved": false,
      "verification": {
        "object": "verification_otp",
        "status": "verified",
        "strategy": "phone_code",
        "attempts": 2,
        "expire_at": 1700000900000,
        "channel": "sms"
      },
      "linked_to": [],
      "backup_codes": null,
      "created_at": 1700000300000,
      "updated_at": 1700000300000
    }
  ],
  "web3_wallets": [
    {
      "id": "idn_2web30001",
      "object": "web3_wallet",
      "web3_wallet": "0x0123456789abcdef0123456789abcdef01234567",
      "verification": {
        "object": "verification_web3",
        "status": "verified",
        "strategy": "web3_metamask_signature",
        "nonce": "a1b2c3",
        "message": null,
        "attempts": 1,
        "expire_at": null
      },
      "created_at": 1700000400000,
      "updated_at": 1700000400000
    }
  ],
  "passkeys": [
    {
      "id": "idn_2passkey0001",
      "object": "passkey",
      "name": "MacBook Touch ID",
      "last_used_at": 1700000500000,
      "verification": {
        "object": "verification_passkey",
        "status": "verified",
        "strategy": "passkey",
        "nonce": "nonce",
        "message": null,
        "attempts": null,
        "expire_at": null
      }
    }
  ],
  "password_enabled": true,
  "two_factor_enabled": true,
  "totp_enabled": false,
  "backup_code_enabled": false,
  "mfa_enabled_at": 1700000300000,
  "mfa_disabled_at": null,
  "password_last_updated_at": null,
  "external_accounts": [
    {
      "object": "external_account",
      "id": "eac_2google0001",
      "provider": "oauth_google",
      "identification_id": "idn_2email0002",
      "provider_user_id": "104857600000000000001",
      "approved_scopes": "email profile openid",
      "email_address": "ada@gmail.com",
      "email_address_verified": true,
      "first_name": "Ada",
      "last_name": "Lovelace",
      "image_url": "https://lh3.googleusercontent.com/a/ada",
      "username": null,
      "phone_number": null,
      "public_metadata": {},
      "label": null,
      "created_at": 1700000200000,
      "updated_at": 1700000200000,
      "verification": {
        "object": "verification_oauth",
        "status": "verified",
        "strategy": "oauth_google",
        "expire_at": 1700000800000,
        "attempts": null
      }
    }
  ],
  "saml_accounts": [
    {
      "id": "samlacc_2okta0001",
      "object": "saml_account",
      "provider": "saml_okta",
      "active": true,
      "email_address": "ada@corp.example.com",
      "first_name": null,
      "last_name": null,
      "provider_user_id": null,
      "last_authenticated_at": null,
      "public_metadata": {"department": "engineering"},
      "verification": {
        "object": "verification_saml",
        "status": "verified",
        "strategy": "saml",
        "external_verification_redirect_url": null,
        "expire_at": null,
        "attempts": null
      },
      "saml_connection": {
        "id": "samlc_2okta0001",
        "name": "Okta",
        "domains": ["corp.example.com"],
        "active": true,
        "provider": "saml_okta",
        "sync_user_attributes": true,
        "allow_subdomains": false,
        "allow_idp_initiated": true,
        "disable_additional_identifications": false,
        "created_at": 1690000000000,
        "updated_at": 1690000000000
      }
    }
  ],
  "enterprise_accounts": [],
  "last_sign_in_at": null,
  "banned": false,
  "locked": false,
  "lockout_expires_in_seconds": null,
  "verification_attempts_remaining": null,
  "updated_at": 1700000600000,
  "created_at": 1700000000000,
  "delete_self_enabled": true,
  "create_organization_enabled": false,
  "create_organizations_limit": null,
  "last_active_at": null,
  "legal_accepted_at": null,
  "scim": null
}`

// futureUserJSON is a user as a later API version might send it: a field this module does
// not know and enum values it has no constant for.
const futureUserJSON = `{
  "id": "user_future",
  "object": "user",
  "hair_color": "teal",
  "public_metadata": {},
  "email_addresses": [{
    "id": "idn_future",
    "object": "email_address_v2",
    "email_address": "x@example.com",
    "reserved": false,
    "verification": {
      "object": "verification_quantum",
      "status": "pending_review",
      "strategy": "carrier_pigeon",
      "attempts": null,
      "expire_at": null,
      "confidence": 0.9
    },
    "linked_to": [{"type": "oauth_mastodon", "id": "idn_x", "weight": 1}],
    "created_at": 1,
    "updated_at": 2
  }],
  "phone_numbers": [],
  "web3_wallets": [],
  "passkeys": [],
  "external_accounts": [{"object": "bluesky_account", "id": "eac_x", "provider": "oauth_bsky",
    "public_metadata": {}, "verification": null, "some_provider_extra": {"a": 1}}],
  "saml_accounts": [],
  "enterprise_accounts": [{"id": "eac_ent", "object": "enterprise_account",
    "protocol": "oidc", "provider": "oidc_custom", "active": true,
    "email_address": "x@corp.example.com", "verification": null}],
  "banned": false,
  "locked": false,
  "created_at": 1,
  "updated_at": 2
}`

const sessionJSON = `{
  "object": "session",
  "id": "sess_2abc",
  "user_id": "user_2aBcDeFgHiJkLmNoPqRsTuVwXyZ",
  "client_id": "client_2abc",
  "actor": null,
  "status": "active",
  "last_active_organization_id": null,
  "last_active_at": 1700000700000,
  "latest_activity": {
    "object": "session_activity",
    "id": "sess_activity_2abc",
    "device_type": "Macintosh",
    "is_mobile": false,
    "browser_name": "Firefox",
    "browser_version": "120.0",
    "ip_address": "203.0.113.7",
    "city": "London",
    "country": "GB"
  },
  "expire_at": 1700604800000,
  "abandon_at": 1702592000000,
  "updated_at": 1700000700000,
  "created_at": 1700000000000,
  "tasks": null
}`

const jwksJSON = `{
  "keys": [{
    "use": "sig",
    "kty": "RSA",
    "kid": "ins_2abc",
    "alg": "RS256",
    "n": "yLLHRcxJFmTFMVZ0m-aN4cUxwBuNu9mXLK6_IXwDIZcdY0QkgxWrvJNRN4RgbNMiwBXAYzNAZFkZ3RmhBFcVQGfPfTh1p1VNJHX6GxUbH8pj0Ck4wUnUoh4KbLs4MTLkQ4Pl3bdWR7wyFSXQK4qHoSwL4OfjEpBEhq2bqDPmDhVrcP6cIRQ9m7HfHqiPq2DPQl1Q9J4mNWwRLCdn9MxRXJ1rLDdHMO7I6xvvsPEM5FUhf3BYlQsLGKeFCD4QRCHDkzIt2WG8tt0s9ZAWP0JmCPOMb38LYMfnJmh6FNRaFkDEOjNyS1ZHBtXHBdGVBDZqhOD3TYmUfRjAVTsvMFaE7Q",
    "e": "AQAB"
  }]
}`

func TestUserDecode(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, u *clerk.User)
	}{
		{"spec user", userJSON, checkSpecUser},
		{"unknown fields and enum values", futureUserJSON, checkFutureUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			// Compacted input keeps raw metadata byte-equal across the round trip below.
			var body bytes.Buffer
			require.NoError(t, json.Compact(&body, []byte(tt.body)))
			var u clerk.User
			require.NoError(t, json.Unmarshal(body.Bytes(), &u))
			tt.check(t, &u)

			// Encoding and decoding again must give back the same value.
			enc, err := json.Marshal(&u)
			require.NoError(t, err)
			var again clerk.User
			require.NoError(t, json.Unmarshal(enc, &again))
			assert.Equal(t, u, again, "got the round-tripped user, want the decoded one")
		})
	}
}

func checkSpecUser(t *testing.T, u *clerk.User) {
	t.Helper()
	assert.Equal(t, "user_2aBcDeFgHiJkLmNoPqRsTuVwXyZ", u.ID)
	assert.Equal(t, "user", u.Object)
	for name, p := range map[string]*string{
		"external_id": u.ExternalID, "primary_phone_number_id": u.PrimaryPhoneNumberID,
		"primary_web3_wallet_id": u.PrimaryWeb3WalletID, "username": u.Username,
		"first_name": u.FirstName, "last_name": u.LastName, "locale": u.Locale,
	} {
		assert.Nil(t, p, "got %s %v, want nil", name, p)
	}
	for name, p := range map[string]*int64{
		"mfa_disabled_at": u.MFADisabledAt, "password_last_updated_at": u.PasswordLastUpdatedAt,
		"last_sign_in_at": u.LastSignInAt, "lockout_expires_in_seconds": u.LockoutExpiresInSeconds,
		"verification_attempts_remaining": u.VerificationAttemptsRemaining,
		"create_organizations_limit":      u.CreateOrganizationsLimit,
		"last_active_at":                  u.LastActiveAt, "legal_accepted_at": u.LegalAcceptedAt,
	} {
		assert.Nil(t, p, "got %s %v, want nil", name, p)
	}
	assert.Nil(t, u.SCIM)
	require.NotNil(t, u.PrimaryEmailAddressID)
	assert.Equal(t, "idn_2email0001", *u.PrimaryEmailAddressID)
	require.NotNil(t, u.MFAEnabledAt)
	assert.Equal(t, int64(1700000300000), *u.MFAEnabledAt)
	assert.True(t, u.PasswordEnabled)
	assert.True(t, u.TwoFactorEnabled)
	assert.True(t, u.DeleteSelfEnabled)
	assert.Equal(t, int64(1700000000000), u.CreatedAt)
	assert.Equal(t, int64(1700000600000), u.UpdatedAt)

	assert.JSONEq(t, `{"plan": "pro", "seats": 5}`, string(u.PublicMetadata))
	assert.JSONEq(t, `{"stripe_customer_id": "cus_123"}`, string(u.PrivateMetadata))
	assert.JSONEq(t, `{"theme": "dark"}`, string(u.UnsafeMetadata))

	require.Len(t, u.EmailAddresses, 2)
	first, second := u.EmailAddresses[0], u.EmailAddresses[1]
	assert.Equal(t, "ada@example.com", first.EmailAddress)
	require.NotNil(t, first.Verification)
	assert.Equal(t, clerk.VerificationStatusVerified, first.Verification.Status)
	assert.Equal(t, clerk.VerificationStrategyEmailCode, first.Verification.Strategy)
	assert.Equal(t, clerk.Int64(1), first.Verification.Attempts)
	assert.Equal(t, clerk.Int64(1700000600000), first.Verification.ExpireAt)
	assert.Nil(t, first.Verification.VerifiedAtClient)
	assert.Empty(t, first.LinkedTo)
	require.NotNil(t, second.Verification)
	assert.Equal(t, "verification_from_oauth", second.Verification.Object)
	assert.Equal(t, "from_oauth_google", second.Verification.Strategy)
	assert.Nil(t, second.Verification.Attempts)
	assert.Nil(t, second.Verification.ExpireAt)
	assert.Nil(t, second.Verification.Error)
	assert.Equal(t, []clerk.IdentificationLink{{Type: "oauth_google", ID: "idn_2google0001"}},
		second.LinkedTo)

	require.Len(t, u.PhoneNumbers, 1)
	phone := u.PhoneNumbers[0]
	assert.Equal(t, "+15555550100", phone.PhoneNumber)
	assert.True(t, phone.ReservedForSecondFactor)
	assert.True(t, phone.DefaultSecondFactor)
	assert.Nil(t, phone.BackupCodes)
	require.NotNil(t, phone.Verification)
	assert.Equal(t, clerk.String("sms"), phone.Verification.Channel)

	require.Len(t, u.Web3Wallets, 1)
	wallet := u.Web3Wallets[0]
	assert.Equal(t, "0x0123456789abcdef0123456789abcdef01234567", wallet.Web3Wallet)
	require.NotNil(t, wallet.Verification)
	assert.Equal(t, clerk.VerificationStrategyWeb3MetamaskSignature, wallet.Verification.Strategy)
	assert.Equal(t, clerk.String("a1b2c3"), wallet.Verification.Nonce)
	assert.Nil(t, wallet.Verification.Message)

	require.Len(t, u.Passkeys, 1)
	assert.Equal(t, "MacBook Touch ID", u.Passkeys[0].Name)
	assert.Equal(t, int64(1700000500000), u.Passkeys[0].LastUsedAt)
	require.NotNil(t, u.Passkeys[0].Verification)
	assert.Equal(t, clerk.VerificationStrategyPasskey, u.Passkeys[0].Verification.Strategy)

	require.Len(t, u.ExternalAccounts, 1)
	google := u.ExternalAccounts[0]
	assert.Equal(t, "oauth_google", google.Provider)
	assert.Equal(t, "104857600000000000001", google.ProviderUserID)
	assert.Equal(t, "email profile openid", google.ApprovedScopes)
	assert.Equal(t, clerk.Bool(true), google.EmailAddressVerified)
	assert.Equal(t, clerk.String("https://lh3.googleusercontent.com/a/ada"), google.ImageURL)
	assert.Nil(t, google.Username)
	assert.Nil(t, google.Label)
	assert.JSONEq(t, `{}`, string(google.PublicMetadata))
	require.NotNil(t, google.Verification)
	assert.Equal(t, "oauth_google", google.Verification.Strategy)
	assert.Equal(t, clerk.Int64(1700000800000), google.Verification.ExpireAt)

	require.Len(t, u.SAMLAccounts, 1)
	saml := u.SAMLAccounts[0]
	assert.Equal(t, "saml_okta", saml.Provider)
	assert.True(t, saml.Active)
	assert.Nil(t, saml.FirstName)
	assert.Nil(t, saml.LastAuthenticatedAt)
	require.NotNil(t, saml.Verification)
	assert.Nil(t, saml.Verification.ExternalVerificationRedirectURL)
	require.NotNil(t, saml.SAMLConnection)
	assert.Equal(t, []string{"corp.example.com"}, saml.SAMLConnection.Domains)
	assert.True(t, saml.SAMLConnection.AllowIDPInitiated)
	assert.True(t, saml.SAMLConnection.SyncUserAttributes)

	assert.NotNil(t, u.EnterpriseAccounts)
	assert.Empty(t, u.EnterpriseAccounts)
}

func checkFutureUser(t *testing.T, u *clerk.User) {
	t.Helper()
	require.Len(t, u.EmailAddresses, 1)
	v := u.EmailAddresses[0].Verification
	require.NotNil(t, v)
	assert.Equal(t, "verification_quantum", v.Object)
	assert.Equal(t, "pending_review", v.Status)
	assert.Equal(t, "carrier_pigeon", v.Strategy)
	assert.Equal(t, "email_address_v2", u.EmailAddresses[0].Object)
	require.Len(t, u.ExternalAccounts, 1)
	assert.Equal(t, "bluesky_account", u.ExternalAccounts[0].Object)
	assert.Nil(t, u.ExternalAccounts[0].Verification)
	require.Len(t, u.EnterpriseAccounts, 1)
	assert.Equal(t, "oidc", u.EnterpriseAccounts[0].Protocol)
	assert.Nil(t, u.Username)
	assert.Nil(t, u.PrivateMetadata)
}

// TestUserEncodeRequired checks that fields the API always sends are encoded even when they
// hold their zero value, so that a server built on these types answers as the spec says.
func TestUserEncodeRequired(t *testing.T) {
	t.Parallel()

	enc, err := json.Marshal(&clerk.User{})
	require.NoError(t, err)
	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(enc, &got))

	tests := []struct {
		key  string
		want string
	}{
		{"external_id", "null"},
		{"primary_email_address_id", "null"},
		{"username", "null"},
		{"first_name", "null"},
		{"last_sign_in_at", "null"},
		{"lockout_expires_in_seconds", "null"},
		{"verification_attempts_remaining", "null"},
		{"mfa_enabled_at", "null"},
		{"legal_accepted_at", "null"},
		{"last_active_at", "null"},
		{"has_image", "false"},
		{"banned", "false"},
		{"locked", "false"},
		{"create_organization_enabled", "false"},
		{"created_at", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			t.Parallel()
			v, ok := got[tt.key]
			require.True(t, ok, "got no %q key in %s, want %s", tt.key, enc, tt.want)
			assert.Equal(t, tt.want, string(v), "got %s, want %s", v, tt.want)
		})
	}

	// Optional fields stay out of the encoding when unset.
	for _, key := range []string{"locale", "scim", "organization_memberships", "deprovisioned"} {
		_, ok := got[key]
		assert.False(t, ok, "got %q in %s, want it omitted", key, enc)
	}
}

// TestVerificationEncodeOmitsUnused checks that a verification encodes none of the fields
// other verification kinds carry, since each kind's schema forbids unknown members.
func TestVerificationEncodeOmitsUnused(t *testing.T) {
	t.Parallel()

	v := clerk.Verification{
		Object: "verification_admin", Status: clerk.VerificationStatusVerified,
		Strategy: clerk.VerificationStrategyAdmin,
	}
	enc, err := json.Marshal(v)
	require.NoError(t, err)
	want := `{"object":"verification_admin","status":"verified","strategy":"admin",` +
		`"attempts":null,"expire_at":null}`
	assert.JSONEq(t, want, string(enc))
}

func TestSessionDecode(t *testing.T) {
	t.Parallel()

	var s clerk.Session
	require.NoError(t, json.Unmarshal([]byte(sessionJSON), &s))

	assert.Equal(t, "sess_2abc", s.ID)
	assert.Equal(t, clerk.SessionStatusActive, s.Status)
	assert.Nil(t, s.LastActiveOrganizationID)
	assert.Nil(t, s.Tasks)
	assert.Equal(t, int64(1700604800000), s.ExpireAt)
	assert.Equal(t, int64(1702592000000), s.AbandonAt)
	require.NotNil(t, s.LatestActivity)
	assert.Equal(t, clerk.SessionActivity{
		Object: "session_activity", ID: "sess_activity_2abc", DeviceType: "Macintosh",
		BrowserName: "Firefox", BrowserVersion: "120.0", IPAddress: "203.0.113.7",
		City: "London", Country: "GB",
	}, *s.LatestActivity)

	enc, err := json.Marshal(&s)
	require.NoError(t, err)
	var again clerk.Session
	require.NoError(t, json.Unmarshal(enc, &again))
	assert.Equal(t, s, again, "got the round-tripped session, want the decoded one")
}

func TestJSONWebKeySetDecode(t *testing.T) {
	t.Parallel()

	var set clerk.JSONWebKeySet
	require.NoError(t, json.Unmarshal([]byte(jwksJSON), &set))

	require.Len(t, set.Keys, 1)
	k := set.Keys[0]
	assert.Equal(t, "ins_2abc", k.KeyID)
	assert.Equal(t, "RSA", k.KeyType)
	assert.Equal(t, "RS256", k.Algorithm)
	assert.Equal(t, "sig", k.Use)
	assert.Equal(t, "AQAB", k.E)
	assert.True(t, strings.HasPrefix(k.N, "yLLHRcxJ"), "got n %q, want the modulus", k.N)
	assert.Empty(t, k.Curve)

	enc, err := json.Marshal(set)
	require.NoError(t, err)
	assert.JSONEq(t, jwksJSON, string(enc))
}

func TestJSONWebKeySetDropsPrivateMembers(t *testing.T) {
	t.Parallel()

	const body = `{"keys": [{"kid": "k1", "kty": "EC", "alg": "ES256", "use": "sig",
		"crv": "P-256", "x": "xx", "y": "yy", "d": "secret"}]}`
	var set clerk.JSONWebKeySet
	require.NoError(t, json.Unmarshal([]byte(body), &set))

	enc, err := json.Marshal(set)
	require.NoError(t, err)
	assert.NotContains(t, string(enc), "secret")
	assert.JSONEq(t, `{"keys": [{"kid": "k1", "kty": "EC", "alg": "ES256", "use": "sig",
		"crv": "P-256", "x": "xx", "y": "yy"}]}`, string(enc))
}

func TestSmallTypesRoundTrip(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		body string
		into any
	}{
		{"session token", `{"object": "token", "jwt": "eyJ.a.b"}`, &clerk.SessionToken{}},
		{"deleted user", `{"object": "user", "id": "user_1", "deleted": true}`,
			&clerk.DeletedObject{}},
		{"oauth access token", `{"object": "oauth_access_token", "external_account_id":
			"eac_1", "provider_user_id": "1048", "token": "ya29.x", "expires_at": null,
			"provider": "oauth_google", "public_metadata": {}, "label": null,
			"scopes": ["email", "openid"]}`, &clerk.OAuthAccessToken{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, json.Unmarshal([]byte(tt.body), tt.into))
			enc, err := json.Marshal(tt.into)
			require.NoError(t, err)
			assert.JSONEq(t, tt.body, string(enc))
		})
	}
}
