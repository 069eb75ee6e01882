package clerktest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddUser(t *testing.T) {
	t.Parallel()
	clock := newTestClock(1_600_000_000_000)
	s := start(t, WithClock(clock.Now))
	signIn := int64(1_500_000_000_000)

	in := &clerk.User{
		ID:             "user_fixed",
		FirstName:      clerk.String("Seed"),
		LastSignInAt:   &signIn,
		LastActiveAt:   &signIn,
		EmailAddresses: []*clerk.EmailAddress{{EmailAddress: "seed@example.com"}, nil},
		PhoneNumbers: []*clerk.PhoneNumber{{PhoneNumber: "+15555550130",
			ReservedForSecondFactor: true}},
		Passkeys:         []*clerk.Passkey{{Name: "phone", LastUsedAt: signIn}},
		ExternalAccounts: []*clerk.ExternalAccount{{Provider: "oauth_github", ProviderUserID: "gh-1"}},
		SAMLAccounts:     []*clerk.SAMLAccount{{Provider: "saml_okta", EmailAddress: "s@corp.io"}},
		PasswordEnabled:  true, // derived: AddUser sets no password
	}
	u, err := s.AddUser(in)
	require.NoError(t, err)

	assert.Equal(t, "user_fixed", u.ID)
	assert.Equal(t, "user", u.Object)
	assert.Equal(t, int64(1_600_000_000_000), u.CreatedAt)
	assert.Equal(t, signIn, *u.LastSignInAt)
	require.Len(t, u.EmailAddresses, 1)
	assert.Regexp(t, `^idn_`, u.EmailAddresses[0].ID)
	assert.Equal(t, u.EmailAddresses[0].ID, *u.PrimaryEmailAddressID)
	assert.Equal(t, "verification_admin", u.EmailAddresses[0].Verification.Object)
	assert.Equal(t, "verification_passkey", u.Passkeys[0].Verification.Object)
	assert.Equal(t, "verification_oauth", u.ExternalAccounts[0].Verification.Object)
	assert.Equal(t, "verification_saml", u.SAMLAccounts[0].Verification.Object)
	assert.JSONEq(t, `{}`, string(u.ExternalAccounts[0].PublicMetadata))
	assert.JSONEq(t, `{}`, string(u.PublicMetadata))
	assert.False(t, u.PasswordEnabled)
	assert.True(t, u.TwoFactorEnabled)

	got := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/user_fixed", nil))
	assert.Equal(t, u, got)

	// The stored user shares no memory with the value given or returned.
	in.FirstName = clerk.String("Changed")
	in.EmailAddresses[0].EmailAddress = "changed@example.com"
	u.PhoneNumbers[0].PhoneNumber = "+19999999999"
	again := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/user_fixed", nil))
	assert.Equal(t, got, again)
}

func TestAddUserErrors(t *testing.T) {
	t.Parallel()
	s := start(t)
	_, err := s.AddUser(&clerk.User{ID: "user_taken", Username: clerk.String("taken")})
	require.NoError(t, err)

	tests := []struct {
		name string
		user *clerk.User
	}{
		{"nil", nil},
		{"ID taken", &clerk.User{ID: "user_taken"}},
		{"username taken", &clerk.User{Username: clerk.String("TAKEN")}},
		{"dangling primary", &clerk.User{PrimaryEmailAddressID: clerk.String("idn_x")}},
		{"metadata not an object", &clerk.User{PublicMetadata: json.RawMessage(`[1]`)}},
		{"raw JSON that is not JSON", &clerk.User{PrivateMetadata: json.RawMessage(`{`)}},
		{"account metadata not an object", &clerk.User{ExternalAccounts: []*clerk.ExternalAccount{
			{Provider: "oauth_x", PublicMetadata: json.RawMessage(`"s"`)}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := s.AddUser(tt.user)
			assert.Error(t, err)
		})
	}
	count := ok[map[string]any](t, do(t, s, http.MethodGet, "/users/count", nil))
	assert.Equal(t, float64(1), count["total_count"], "a failed AddUser stored a user")
}

func TestSeedExternalAccount(t *testing.T) {
	t.Parallel()
	s := start(t)
	u := create(t, s, map[string]any{"email_address": []string{"own@example.com"},
		"first_name": "Own", "last_name": "Er"})
	other := create(t, s, map[string]any{"email_address": []string{"other@example.com"}})

	google, err := s.SeedExternalAccount(u.ID, "oauth_google", "g-1")
	require.NoError(t, err)
	assert.Regexp(t, `^eac_`, google.ID)
	assert.Equal(t, "own@example.com", google.EmailAddress)
	assert.Equal(t, "Own", google.FirstName)
	assert.Equal(t, "email profile", google.ApprovedScopes)

	github, err := s.SeedExternalAccount(u.ID, "oauth_github", "gh-1",
		AccountEmail("new@example.com"), AccountName("Git", "Hub"), AccountLabel("work"),
		AccountToken("gho_secret", "repo", "user"))
	require.NoError(t, err)
	assert.Equal(t, "work", *github.Label)
	assert.Equal(t, "repo user", github.ApprovedScopes)

	got := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+u.ID, nil))
	require.Len(t, got.ExternalAccounts, 2)
	require.Len(t, got.EmailAddresses, 2)
	assert.Equal(t, []clerk.IdentificationLink{{Type: "oauth_google", ID: google.ID}},
		got.EmailAddresses[0].LinkedTo)
	assert.Equal(t, "new@example.com", got.EmailAddresses[1].EmailAddress)
	assert.Equal(t, "from_oauth_github", got.EmailAddresses[1].Verification.Strategy)
	assert.Equal(t, []clerk.IdentificationLink{{Type: "oauth_github", ID: github.ID}},
		got.EmailAddresses[1].LinkedTo)

	tests := []struct {
		name                     string
		userID, provider, userOf string
		opts                     []AccountOption
	}{
		{"unknown user", "user_missing", "oauth_google", "g-2", nil},
		{"provider without prefix", u.ID, "google", "g-2", nil},
		{"provider with capitals", u.ID, "oauth_Google", "g-2", nil},
		{"empty provider user ID", u.ID, "oauth_google", "", nil},
		{"account linked already", other.ID, "oauth_google", "g-1", nil},
		{"email of another user", u.ID, "oauth_apple", "a-1",
			[]AccountOption{AccountEmail("other@example.com")}},
		{"bad email", u.ID, "oauth_apple", "a-1", []AccountOption{AccountEmail("nope")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.SeedExternalAccount(tt.userID, tt.provider, tt.userOf, tt.opts...)
			assert.Error(t, err)
		})
	}
}

func TestOAuthAccessTokens(t *testing.T) {
	t.Parallel()
	s := start(t)
	u := create(t, s, map[string]any{})
	a, err := s.SeedExternalAccount(u.ID, "oauth_google", "g-1", AccountToken("tok-1", "email"))
	require.NoError(t, err)
	b, err := s.SeedExternalAccount(u.ID, "oauth_google", "g-2", AccountLabel("second"))
	require.NoError(t, err)
	_, err = s.SeedExternalAccount(u.ID, "oauth_github", "gh-1")
	require.NoError(t, err)

	tokens := ok[[]*clerk.OAuthAccessToken](t, do(t, s, http.MethodGet,
		"/users/"+u.ID+"/oauth_access_tokens/oauth_google", nil))
	require.Len(t, tokens, 2)
	assert.Equal(t, &clerk.OAuthAccessToken{Object: "oauth_access_token",
		ExternalAccountID: a.ID, ProviderUserID: "g-1", Token: "tok-1", Provider: "oauth_google",
		PublicMetadata: json.RawMessage(`{}`), Scopes: []string{"email"}}, tokens[0])
	assert.Equal(t, b.ID, tokens[1].ExternalAccountID)
	assert.Equal(t, "second", *tokens[1].Label)
	assert.Regexp(t, `^oauth_access_[0-9A-Za-z]{32}$`, tokens[1].Token)

	short := ok[[]*clerk.OAuthAccessToken](t, do(t, s, http.MethodGet,
		"/users/"+u.ID+"/oauth_access_tokens/google?limit=1&offset=1", nil))
	require.Len(t, short, 1)
	assert.Equal(t, b.ID, short[0].ExternalAccountID)

	type envelope struct {
		Data       []*clerk.OAuthAccessToken `json:"data"`
		TotalCount int                       `json:"total_count"`
	}
	page := ok[envelope](t, do(t, s, http.MethodGet,
		"/users/"+u.ID+"/oauth_access_tokens/oauth_google?paginated=true&limit=1", nil))
	assert.Equal(t, 2, page.TotalCount)
	assert.Len(t, page.Data, 1)

	none := ok[[]*clerk.OAuthAccessToken](t, do(t, s, http.MethodGet,
		"/users/"+u.ID+"/oauth_access_tokens/oauth_apple", nil))
	assert.Equal(t, []*clerk.OAuthAccessToken{}, none)

	failed(t, do(t, s, http.MethodGet, "/users/user_missing/oauth_access_tokens/oauth_google",
		nil), http.StatusNotFound, "resource_not_found")
	failedParam(t, do(t, s, http.MethodGet,
		"/users/"+u.ID+"/oauth_access_tokens/oauth_google?limit=0", nil),
		http.StatusUnprocessableEntity, "form_param_value_invalid", "limit")
	failedParam(t, do(t, s, http.MethodGet,
		"/users/"+u.ID+"/oauth_access_tokens/oauth_google?paginated=maybe", nil),
		http.StatusUnprocessableEntity, "form_param_format_invalid", "paginated")
}

func TestDeleteUserParts(t *testing.T) {
	t.Parallel()
	s := start(t)
	u, err := s.AddUser(&clerk.User{
		EmailAddresses: []*clerk.EmailAddress{{EmailAddress: "parts@example.com"}},
		Passkeys:       []*clerk.Passkey{{Name: "key"}},
		Web3Wallets: []*clerk.Web3Wallet{
			{Web3Wallet: "0x3333333333333333333333333333333333333333"},
			{Web3Wallet: "0x4444444444444444444444444444444444444444"}},
	})
	require.NoError(t, err)
	acct, err := s.SeedExternalAccount(u.ID, "oauth_google", "g-1")
	require.NoError(t, err)

	tests := []struct {
		path, object, id string
		check            func(t *testing.T, u *clerk.User)
	}{
		{"passkeys", "passkey", u.Passkeys[0].ID, func(t *testing.T, u *clerk.User) {
			assert.Empty(t, u.Passkeys)
		}},
		{"web3_wallets", "web3_wallet", u.Web3Wallets[0].ID, func(t *testing.T, got *clerk.User) {
			require.Len(t, got.Web3Wallets, 1)
			assert.Equal(t, u.Web3Wallets[1].ID, *got.PrimaryWeb3WalletID)
		}},
		{"external_accounts", "external_account", acct.ID, func(t *testing.T, u *clerk.User) {
			assert.Empty(t, u.ExternalAccounts)
			assert.Equal(t, []clerk.IdentificationLink{}, u.EmailAddresses[0].LinkedTo)
		}},
	}
	for _, tt := range tests {
		path := "/users/" + u.ID + "/" + tt.path + "/" + tt.id
		deleted := ok[clerk.DeletedObject](t, do(t, s, http.MethodDelete, path, nil))
		assert.Equal(t, clerk.DeletedObject{Object: tt.object, ID: tt.id, Deleted: true}, deleted)
		tt.check(t, ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+u.ID, nil)))
		failed(t, do(t, s, http.MethodDelete, path, nil), http.StatusNotFound,
			"resource_not_found")
		failed(t, do(t, s, http.MethodDelete, "/users/user_missing/"+tt.path+"/"+tt.id, nil),
			http.StatusNotFound, "resource_not_found")
	}
	tokens := ok[[]*clerk.OAuthAccessToken](t, do(t, s, http.MethodGet,
		"/users/"+u.ID+"/oauth_access_tokens/oauth_google", nil))
	assert.Empty(t, tokens, "the deleted account's token is still served")
}
