package clerktest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var userIDPattern = regexp.MustCompile(`^user_[0-9A-Za-z]{27}$`)

func TestCreateUserEveryField(t *testing.T) {
	t.Parallel()
	clock := newTestClock(1_750_000_000_000)
	s := start(t, WithClock(clock.Now))

	u := create(t, s, map[string]any{
		"external_id":                         "ext-42",
		"first_name":                          "Ada",
		"last_name":                           "Lovelace",
		"locale":                              "en-GB",
		"email_address":                       []string{"Ada@Example.com", "ada2@example.com"},
		"email_address_identification_status": []string{"verified", "reserved"},
		"phone_number":                        []string{"+15555550100"},
		"phone_number_identification_status":  []string{"reserved"},
		"web3_wallet":                         []string{"0xABCDEF0123456789abcdef0123456789ABCDEF01"},
		"username":                            "Ada_L",
		"password":                            "analytical-engine",
		"totp_secret":                         "JBSWY3DPEHPK3PXP",
		"backup_codes":                        []string{"one", "two"},
		"public_metadata":                     map[string]any{"plan": "pro"},
		"private_metadata":                    map[string]any{"stripe": "cus_1"},
		"unsafe_metadata":                     map[string]any{"theme": "dark"},
		"delete_self_enabled":                 false,
		"create_organization_enabled":         false,
		"create_organizations_limit":          5,
		"legal_accepted_at":                   "2024-01-02T03:04:05.5Z",
		"created_at":                          "2020-05-06T07:08:09Z",
		"bypass_client_trust":                 true,
		"banned":                              true,
		"locked":                              true,
		"skip_password_checks":                false,
		"skip_password_requirement":           true,
		"skip_legal_checks":                   true,
		"skip_user_requirement":               true,
	})

	assert.Regexp(t, userIDPattern, u.ID)
	assert.Equal(t, "user", u.Object)
	assert.Equal(t, "ext-42", *u.ExternalID)
	assert.Equal(t, "Ada", *u.FirstName)
	assert.Equal(t, "Lovelace", *u.LastName)
	assert.Equal(t, "en-GB", *u.Locale)
	assert.Equal(t, "ada_l", *u.Username)

	require.Len(t, u.EmailAddresses, 2)
	first, second := u.EmailAddresses[0], u.EmailAddresses[1]
	assert.Equal(t, "ada@example.com", first.EmailAddress)
	assert.Equal(t, &clerk.Verification{Object: "verification_admin", Status: "verified",
		Strategy: "admin"}, first.Verification)
	assert.False(t, first.Reserved)
	assert.Equal(t, []clerk.IdentificationLink{}, first.LinkedTo)
	assert.True(t, second.Reserved)
	assert.Equal(t, "unverified", second.Verification.Status)
	assert.Equal(t, first.ID, *u.PrimaryEmailAddressID)

	require.Len(t, u.PhoneNumbers, 1)
	assert.True(t, u.PhoneNumbers[0].Reserved)
	assert.Equal(t, "verification_otp", u.PhoneNumbers[0].Verification.Object)
	assert.Equal(t, u.PhoneNumbers[0].ID, *u.PrimaryPhoneNumberID)
	require.Len(t, u.Web3Wallets, 1)
	assert.Equal(t, "0xabcdef0123456789abcdef0123456789abcdef01", u.Web3Wallets[0].Web3Wallet)
	assert.Equal(t, u.Web3Wallets[0].ID, *u.PrimaryWeb3WalletID)

	assert.True(t, u.PasswordEnabled)
	assert.Equal(t, int64(1_750_000_000_000), *u.PasswordLastUpdatedAt)
	assert.True(t, u.TOTPEnabled)
	assert.True(t, u.BackupCodeEnabled)
	assert.True(t, u.TwoFactorEnabled)
	assert.Equal(t, int64(1_750_000_000_000), *u.MFAEnabledAt)
	assert.Nil(t, u.MFADisabledAt)

	assert.JSONEq(t, `{"plan":"pro"}`, string(u.PublicMetadata))
	assert.JSONEq(t, `{"stripe":"cus_1"}`, string(u.PrivateMetadata))
	assert.JSONEq(t, `{"theme":"dark"}`, string(u.UnsafeMetadata))
	assert.False(t, u.DeleteSelfEnabled)
	assert.False(t, u.CreateOrganizationEnabled)
	assert.Equal(t, int64(5), *u.CreateOrganizationsLimit)
	assert.Equal(t, int64(1_704_164_645_500), *u.LegalAcceptedAt)
	assert.Equal(t, int64(1_588_748_889_000), u.CreatedAt)
	assert.Equal(t, int64(1_750_000_000_000), u.UpdatedAt)
	assert.True(t, u.BypassClientTrust)
	assert.True(t, u.Banned)
	assert.True(t, u.Locked)

	got := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+u.ID, nil))
	assert.Equal(t, u, got)
}

// TestUserWireShape checks the raw JSON: every field the API always sends is there, lists
// and metadata are never null.
func TestUserWireShape(t *testing.T) {
	t.Parallel()
	s := start(t)
	r := do(t, s, http.MethodPost, "/users", map[string]any{})
	require.Equal(t, http.StatusOK, r.status)

	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(r.body, &raw))
	for _, key := range []string{
		"id", "object", "username", "first_name", "last_name", "has_image",
		"primary_email_address_id", "primary_phone_number_id", "primary_web3_wallet_id",
		"password_enabled", "two_factor_enabled", "totp_enabled", "backup_code_enabled",
		"external_id", "last_sign_in_at", "banned", "locked", "lockout_expires_in_seconds",
		"verification_attempts_remaining", "created_at", "updated_at", "delete_self_enabled",
		"create_organization_enabled", "last_active_at", "mfa_enabled_at", "mfa_disabled_at",
		"legal_accepted_at", "image_url",
	} {
		assert.Contains(t, raw, key)
	}
	for _, key := range []string{"email_addresses", "phone_numbers", "web3_wallets", "passkeys",
		"external_accounts", "saml_accounts", "enterprise_accounts"} {
		assert.Equal(t, "[]", string(raw[key]), key)
	}
	for _, key := range []string{"public_metadata", "private_metadata", "unsafe_metadata"} {
		assert.Equal(t, "{}", string(raw[key]), key)
	}
}

func TestCreateUserErrors(t *testing.T) {
	t.Parallel()
	s := start(t)
	create(t, s, map[string]any{
		"email_address": []string{"taken@example.com"}, "phone_number": []string{"+15555550111"},
		"username": "taken", "external_id": "ext-taken",
		"web3_wallet": []string{"0x2222222222222222222222222222222222222222"},
	})

	tests := []struct {
		name  string
		body  any
		code  string
		param string
	}{
		{"bad email", map[string]any{"email_address": []string{"nope"}},
			"form_param_format_invalid", "email_address"},
		{"email taken, other case", map[string]any{"email_address": []string{"TAKEN@example.com"}},
			"form_identifier_exists", "email_address"},
		{"email twice", map[string]any{"email_address": []string{"a@x.io", "A@x.io"}},
			"form_identifier_exists", "email_address"},
		{"phone taken", map[string]any{"phone_number": []string{"+15555550111"}},
			"form_identifier_exists", "phone_number"},
		{"bad phone", map[string]any{"phone_number": []string{"5555550111"}},
			"form_param_format_invalid", "phone_number"},
		{"wallet taken", map[string]any{
			"web3_wallet": []string{"0x2222222222222222222222222222222222222222"}},
			"form_identifier_exists", "web3_wallet"},
		{"bad wallet", map[string]any{"web3_wallet": []string{"0x12"}},
			"form_param_format_invalid", "web3_wallet"},
		{"username taken", map[string]any{"username": "TAKEN"},
			"form_identifier_exists", "username"},
		{"username short", map[string]any{"username": "abc"},
			"form_username_invalid_length", "username"},
		{"username characters", map[string]any{"username": "a b c d"},
			"form_username_invalid_character", "username"},
		{"external id taken", map[string]any{"external_id": "ext-taken"},
			"form_identifier_exists", "external_id"},
		{"short password", map[string]any{"password": "short"},
			"form_password_length_too_short", "password"},
		{"password and digest", map[string]any{"password": "long-enough",
			"password_digest": "x", "password_hasher": "md5"},
			"form_param_value_invalid", "password_digest"},
		{"digest without hasher", map[string]any{"password_digest": "x"},
			"form_param_missing", "password_hasher"},
		{"hasher without digest", map[string]any{"password_hasher": "bcrypt"},
			"form_param_missing", "password_digest"},
		{"unknown hasher", map[string]any{"password_digest": "x", "password_hasher": "rot13"},
			"form_param_value_invalid", "password_hasher"},
		{"bad totp secret", map[string]any{"totp_secret": "not base32!"},
			"form_param_format_invalid", "totp_secret"},
		{"empty backup code", map[string]any{"backup_codes": []string{""}},
			"form_param_format_invalid", "backup_codes"},
		{"metadata not an object", map[string]any{"public_metadata": []int{1}},
			"form_param_format_invalid", "public_metadata"},
		{"metadata null", `{"private_metadata":null}`,
			"form_param_format_invalid", "private_metadata"},
		{"bad legal_accepted_at", map[string]any{"legal_accepted_at": "yesterday"},
			"form_param_format_invalid", "legal_accepted_at"},
		{"bad created_at", map[string]any{"created_at": "1700000000"},
			"form_param_format_invalid", "created_at"},
		{"negative organizations limit", map[string]any{"create_organizations_limit": -1},
			"form_param_value_invalid", "create_organizations_limit"},
		{"status count mismatch", map[string]any{"email_address": []string{"b@x.io"},
			"email_address_identification_status": []string{"verified", "verified"}},
			"form_param_value_invalid", "email_address_identification_status"},
		{"unknown status", map[string]any{"phone_number": []string{"+15555550112"},
			"phone_number_identification_status": []string{"unverified"}},
			"form_param_value_invalid", "phone_number_identification_status"},
		{"wrong type", map[string]any{"first_name": 5},
			"form_param_format_invalid", "first_name"},
		{"unknown parameter", map[string]any{"nickname": "x"},
			"form_param_unknown", "nickname"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			failedParam(t, do(t, s, http.MethodPost, "/users", tt.body),
				http.StatusUnprocessableEntity, tt.code, tt.param)
		})
	}

	t.Run("nothing stored after a failure", func(t *testing.T) {
		// A request that fails late must not leave its early identifiers behind.
		failedParam(t, do(t, s, http.MethodPost, "/users", map[string]any{
			"email_address": []string{"late@example.com"}, "username": "no",
		}), http.StatusUnprocessableEntity, "form_username_invalid_length", "username")
		create(t, s, map[string]any{"email_address": []string{"late@example.com"}})
	})
}

func TestGetUserNotFound(t *testing.T) {
	t.Parallel()
	s := start(t)
	e := failed(t, do(t, s, http.MethodGet, "/users/user_missing", nil), http.StatusNotFound,
		"resource_not_found")
	assert.Len(t, e.Errors, 1)
}

func TestUpdateUser(t *testing.T) {
	t.Parallel()
	base := map[string]any{
		"email_address":                       []string{"up@example.com", "up2@example.com", "up3@example.com"},
		"email_address_identification_status": []string{"verified", "verified", "reserved"},
		"phone_number":                        []string{"+15555550120", "+15555550121"},
		"username":                            "updater",
		"first_name":                          "Up",
		"last_name":                           "Date",
		"external_id":                         "ext-up",
		"locale":                              "fr-FR",
		"legal_accepted_at":                   "2024-01-01T00:00:00Z",
		"create_organizations_limit":          2,
	}
	const later = 1_700_000_060_000

	tests := []struct {
		name  string
		body  func(before *clerk.User) map[string]any
		check func(t *testing.T, before, after *clerk.User)
	}{
		{"names",
			func(*clerk.User) map[string]any { return map[string]any{"first_name": "New", "last_name": nil} },
			func(t *testing.T, before, u *clerk.User) {
				assert.Equal(t, "New", *u.FirstName)
				assert.Nil(t, u.LastName)
				assert.Equal(t, before.Username, u.Username, "an untouched field changed")
				assert.Equal(t, int64(later), u.UpdatedAt)
			}},
		{"username removed by empty string",
			func(*clerk.User) map[string]any { return map[string]any{"username": ""} },
			func(t *testing.T, _, u *clerk.User) { assert.Nil(t, u.Username) }},
		{"username removed by null",
			func(*clerk.User) map[string]any { return map[string]any{"username": nil} },
			func(t *testing.T, _, u *clerk.User) { assert.Nil(t, u.Username) }},
		{"own username in another case",
			func(*clerk.User) map[string]any { return map[string]any{"username": "UPDATER"} },
			func(t *testing.T, _, u *clerk.User) { assert.Equal(t, "updater", *u.Username) }},
		{"external id and locale",
			func(*clerk.User) map[string]any {
				return map[string]any{"external_id": "ext-new", "locale": nil}
			},
			func(t *testing.T, _, u *clerk.User) {
				assert.Equal(t, "ext-new", *u.ExternalID)
				assert.Nil(t, u.Locale)
			}},
		{"primary email and phone",
			func(b *clerk.User) map[string]any {
				return map[string]any{"primary_email_address_id": b.EmailAddresses[1].ID,
					"primary_phone_number_id": b.PhoneNumbers[1].ID}
			},
			func(t *testing.T, before, u *clerk.User) {
				assert.Equal(t, before.EmailAddresses[1].ID, *u.PrimaryEmailAddressID)
				assert.Equal(t, before.PhoneNumbers[1].ID, *u.PrimaryPhoneNumberID)
			}},
		{"password",
			func(*clerk.User) map[string]any {
				return map[string]any{"password": "new-password", "sign_out_of_other_sessions": true}
			},
			func(t *testing.T, _, u *clerk.User) {
				assert.True(t, u.PasswordEnabled)
				assert.Equal(t, int64(later), *u.PasswordLastUpdatedAt)
			}},
		{"password digest",
			func(*clerk.User) map[string]any {
				return map[string]any{"password_digest": "abc", "password_hasher": "sha256"}
			},
			func(t *testing.T, _, u *clerk.User) { assert.True(t, u.PasswordEnabled) }},
		{"totp and backup codes",
			func(*clerk.User) map[string]any {
				return map[string]any{"totp_secret": "JBSWY3DPEHPK3PXP", "backup_codes": []string{"b1"}}
			},
			func(t *testing.T, _, u *clerk.User) {
				assert.True(t, u.TOTPEnabled)
				assert.True(t, u.BackupCodeEnabled)
				assert.True(t, u.TwoFactorEnabled)
				assert.Equal(t, int64(later), *u.MFAEnabledAt)
			}},
		{"settings",
			func(*clerk.User) map[string]any {
				return map[string]any{"delete_self_enabled": false,
					"create_organization_enabled": false, "bypass_client_trust": true,
					"create_organizations_limit": nil, "legal_accepted_at": nil,
					"created_at": "2021-01-01T00:00:00Z", "skip_legal_checks": true,
					"notify_primary_email_address_changed": true}
			},
			func(t *testing.T, _, u *clerk.User) {
				assert.False(t, u.DeleteSelfEnabled)
				assert.False(t, u.CreateOrganizationEnabled)
				assert.True(t, u.BypassClientTrust)
				assert.Nil(t, u.CreateOrganizationsLimit)
				assert.Nil(t, u.LegalAcceptedAt)
				assert.Equal(t, int64(1_609_459_200_000), u.CreatedAt)
			}},
		{"profile image id",
			func(*clerk.User) map[string]any { return map[string]any{"profile_image_id": "img_123"} },
			func(t *testing.T, _, u *clerk.User) {
				assert.True(t, u.HasImage)
				assert.Contains(t, u.ImageURL, "img_123")
			}},
		{"empty body",
			func(*clerk.User) map[string]any { return map[string]any{} },
			func(t *testing.T, before, u *clerk.User) {
				before.UpdatedAt = u.UpdatedAt
				assert.Equal(t, before, u)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newTestClock(1_700_000_000_000)
			s := start(t, WithClock(clock.Now))
			before := create(t, s, base)

			clock.Add(time.Minute)
			after := ok[*clerk.User](t,
				do(t, s, http.MethodPatch, "/users/"+before.ID, tt.body(before)))
			tt.check(t, before, after)
			stored := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+before.ID, nil))
			assert.Equal(t, after, stored)
		})
	}
}

func TestUpdateUserErrors(t *testing.T) {
	t.Parallel()
	s := start(t)
	other := create(t, s, map[string]any{"username": "other", "external_id": "ext-other"})
	u := create(t, s, map[string]any{
		"email_address":                       []string{"err@example.com", "res@example.com"},
		"email_address_identification_status": []string{"verified", "reserved"},
		"username":                            "erring",
	})

	tests := []struct {
		name  string
		body  any
		code  string
		param string
	}{
		{"username taken", map[string]any{"username": "OTHER"}, "form_identifier_exists", "username"},
		{"external id taken", map[string]any{"external_id": "ext-other"},
			"form_identifier_exists", "external_id"},
		{"bad username", map[string]any{"username": "no"}, "form_username_invalid_length", "username"},
		{"primary email of another user",
			map[string]any{"primary_email_address_id": "idn_missing"},
			"form_param_value_invalid", "primary_email_address_id"},
		{"unverified primary email",
			map[string]any{"primary_email_address_id": u.EmailAddresses[1].ID},
			"form_param_value_invalid", "primary_email_address_id"},
		{"unknown primary phone", map[string]any{"primary_phone_number_id": "idn_x"},
			"form_param_value_invalid", "primary_phone_number_id"},
		{"unknown primary wallet", map[string]any{"primary_web3_wallet_id": "idn_x"},
			"form_param_value_invalid", "primary_web3_wallet_id"},
		{"short password", map[string]any{"password": "short"},
			"form_password_length_too_short", "password"},
		{"metadata is not accepted here", map[string]any{"public_metadata": map[string]any{}},
			"form_param_unknown", "public_metadata"},
		{"bad created_at", map[string]any{"created_at": "soon"},
			"form_param_format_invalid", "created_at"},
		{"wrong type", map[string]any{"delete_self_enabled": "yes"},
			"form_param_format_invalid", "delete_self_enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			failedParam(t, do(t, s, http.MethodPatch, "/users/"+u.ID, tt.body),
				http.StatusUnprocessableEntity, tt.code, tt.param)
		})
	}

	t.Run("a failed update changes nothing", func(t *testing.T) {
		t.Parallel()
		before := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+other.ID, nil))
		// created_at is checked last, after every other field was applied to a copy.
		failedParam(t, do(t, s, http.MethodPatch, "/users/"+other.ID, map[string]any{
			"first_name": "Changed", "username": "renamed", "password": "long-enough",
			"created_at": "soon",
		}), http.StatusUnprocessableEntity, "form_param_format_invalid", "created_at")
		after := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+other.ID, nil))
		assert.Equal(t, before, after)
	})
	t.Run("unknown user", func(t *testing.T) {
		t.Parallel()
		failed(t, do(t, s, http.MethodPatch, "/users/user_missing", map[string]any{}),
			http.StatusNotFound, "resource_not_found")
	})
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	s := start(t)
	u := create(t, s, map[string]any{"email_address": []string{"gone@example.com"}})

	deleted := ok[clerk.DeletedObject](t, do(t, s, http.MethodDelete, "/users/"+u.ID, nil))
	assert.Equal(t, clerk.DeletedObject{Object: "user", ID: u.ID, Deleted: true}, deleted)
	failed(t, do(t, s, http.MethodGet, "/users/"+u.ID, nil), http.StatusNotFound,
		"resource_not_found")
	failed(t, do(t, s, http.MethodDelete, "/users/"+u.ID, nil), http.StatusNotFound,
		"resource_not_found")
	// The address is free again.
	create(t, s, map[string]any{"email_address": []string{"gone@example.com"}})
}

func TestBanAndLock(t *testing.T) {
	t.Parallel()
	s := start(t)
	u := create(t, s, map[string]any{"username": "flagged"})

	tests := []struct {
		path   string
		banned bool
		locked bool
	}{
		{"ban", true, false},
		{"ban", true, false},
		{"lock", true, true},
		{"unban", false, true},
		{"unlock", false, false},
		{"unlock", false, false},
	}
	for _, tt := range tests {
		got := ok[*clerk.User](t, do(t, s, http.MethodPost, "/users/"+u.ID+"/"+tt.path, nil))
		assert.Equal(t, tt.banned, got.Banned, "after %s: banned", tt.path)
		assert.Equal(t, tt.locked, got.Locked, "after %s: locked", tt.path)
	}
	for _, path := range []string{"ban", "unban", "lock", "unlock"} {
		failed(t, do(t, s, http.MethodPost, "/users/user_missing/"+path, nil),
			http.StatusNotFound, "resource_not_found")
	}
}

func TestBanMany(t *testing.T) {
	t.Parallel()
	s := start(t)
	a := create(t, s, map[string]any{"username": "many_a"})
	b := create(t, s, map[string]any{"username": "many_b"})
	c := create(t, s, map[string]any{"username": "many_c"})

	banned := ok[[]*clerk.User](t, do(t, s, http.MethodPost, "/users/ban",
		map[string]any{"user_ids": []string{b.ID, "user_missing", a.ID, b.ID}}))
	assert.Equal(t, []string{b.ID, a.ID}, ids(banned))
	for _, u := range banned {
		assert.True(t, u.Banned)
	}
	assert.False(t, ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+c.ID, nil)).Banned)

	unbanned := ok[[]*clerk.User](t, do(t, s, http.MethodPost, "/users/unban",
		map[string]any{"user_ids": []string{a.ID}}))
	assert.Equal(t, []string{a.ID}, ids(unbanned))
	assert.False(t, unbanned[0].Banned)
	assert.True(t, ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+b.ID, nil)).Banned)

	none := ok[[]*clerk.User](t, do(t, s, http.MethodPost, "/users/ban",
		map[string]any{"user_ids": []string{"user_missing"}}))
	assert.Equal(t, []*clerk.User{}, none)

	tooMany := make([]string, 51)
	for i := range tooMany {
		tooMany[i] = a.ID
	}
	for name, body := range map[string]any{
		"missing":  map[string]any{},
		"empty":    map[string]any{"user_ids": []string{}},
		"too many": map[string]any{"user_ids": tooMany},
		"unknown":  map[string]any{"user_ids": []string{a.ID}, "reason": "spam"},
	} {
		r := do(t, s, http.MethodPost, "/users/ban", body)
		assert.Equal(t, http.StatusBadRequest, r.status, "%s: body %s", name, r.body)
	}
}
