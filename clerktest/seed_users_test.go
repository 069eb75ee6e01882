package clerktest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/user"
)

const seedFile = `[
  {"id": "user_ada", "first_name": "Ada", "last_name": "Lovelace", "username": "Ada_L",
   "external_id": "crm-1", "email_address": ["Ada@Example.com", "ada@work.example.com"],
   "phone_number": ["+15555550100"], "password": "engine",
   "public_metadata": {"plan": "pro", "seats": 3}, "private_metadata": {"crm": 1},
   "created_at": 1600000000000,
   "external_accounts": [{"provider": "oauth_github", "provider_user_id": "gh-ada",
                          "token": "gho_ada", "scopes": ["read:user"]}]},
  {"first_name": "Grace", "email_address": ["grace@example.com"], "banned": true,
   "locked": true}
]`

func TestSeedJSON(t *testing.T) {
	t.Parallel()
	s := start(t)
	ctx := context.Background()

	seeded, err := s.SeedJSON(strings.NewReader(seedFile))
	require.NoError(t, err)
	require.Len(t, seeded, 2)

	users := user.NewClient(s.Config())
	ada, err := users.Get(ctx, "user_ada")
	require.NoError(t, err)
	assert.Equal(t, seeded[0], ada, "the returned user is the stored one")
	assert.Equal(t, "Ada", *ada.FirstName)
	assert.Equal(t, "ada_l", *ada.Username, "usernames are kept in lower case")
	assert.Equal(t, "crm-1", *ada.ExternalID)
	assert.Equal(t, int64(1600000000000), ada.CreatedAt)
	require.Len(t, ada.EmailAddresses, 2)
	assert.Equal(t, "ada@example.com", ada.EmailAddresses[0].EmailAddress)
	assert.Equal(t, ada.EmailAddresses[0].ID, *ada.PrimaryEmailAddressID)
	assert.Equal(t, clerk.VerificationStatusVerified, ada.EmailAddresses[0].Verification.Status)
	require.Len(t, ada.PhoneNumbers, 1)
	assert.Equal(t, "+15555550100", ada.PhoneNumbers[0].PhoneNumber)
	assert.JSONEq(t, `{"plan":"pro","seats":3}`, string(ada.PublicMetadata))
	assert.JSONEq(t, `{"crm":1}`, string(ada.PrivateMetadata))
	assert.JSONEq(t, `{}`, string(ada.UnsafeMetadata))
	assert.True(t, ada.PasswordEnabled)
	assert.False(t, ada.Banned)

	ok, err := users.VerifyPassword(ctx, "user_ada",
		&user.VerifyPasswordParams{Password: "engine"})
	require.NoError(t, err)
	assert.True(t, ok.Verified)

	found, err := externalaccount.NewClient(s.Config()).FindUser(ctx, "oauth_github", "gh-ada")
	require.NoError(t, err)
	assert.Equal(t, "user_ada", found.ID)
	tokens, err := externalaccount.NewClient(s.Config()).AccessToken(ctx, "user_ada",
		"oauth_github")
	require.NoError(t, err)
	require.Len(t, tokens, 1)
	assert.Equal(t, "gho_ada", tokens[0].Token)
	assert.Equal(t, []string{"read:user"}, tokens[0].Scopes)

	grace := seeded[1]
	assert.Regexp(t, `^user_`, grace.ID)
	assert.True(t, grace.Banned)
	assert.True(t, grace.Locked)
	assert.False(t, grace.PasswordEnabled)

	n, err := users.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
}

func TestSeedUsersDefaultScopes(t *testing.T) {
	t.Parallel()
	s := start(t)
	_, err := s.SeedUsers([]SeedUser{{ID: "user_1", EmailAddresses: []string{"a@example.com"},
		ExternalAccounts: []SeedAccount{{Provider: "oauth_google", ProviderUserID: "g1",
			Token: "ya29.token"}}}})
	require.NoError(t, err)

	tokens, err := externalaccount.NewClient(s.Config()).AccessToken(context.Background(),
		"user_1", "oauth_google")
	require.NoError(t, err)
	require.Len(t, tokens, 1)
	assert.Equal(t, "ya29.token", tokens[0].Token)
	assert.Equal(t, []string{"email", "profile"}, tokens[0].Scopes)
}

func TestSeedJSONErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		json   string
		stored int // users stored before the failure
		want   string
	}{
		{"not an array", `{"id": "user_1"}`, 0, "JSON array"},
		{"unknown field", `[{"emails": ["a@example.com"]}]`, 0, `unknown field "emails"`},
		{"data after the array", `[] []`, 0, "data after"},
		{"bad email", `[{"email_address": ["not-an-address"]}]`, 0, "user 1"},
		{"bad phone", `[{"phone_number": ["555-0100"]}]`, 0, "E.164"},
		{"short username", `[{"username": "ab"}]`, 0, "username"},
		{"empty password", `[{"password": ""}]`, 0, "password is empty"},
		{"metadata not an object", `[{"public_metadata": [1]}]`, 0, "public_metadata"},
		{"bad provider", `[{"external_accounts": [{"provider": "github",
			"provider_user_id": "1"}]}]`, 0, "oauth_<name>"},
		{"email taken by an earlier user",
			`[{"email_address": ["a@example.com"]}, {"email_address": ["A@example.com"]}]`,
			1, "user 2"},
		{"id taken", `[{"id": "user_x"}, {"id": "user_x"}]`, 1, `"user_x" exists`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := start(t)
			got, err := s.SeedJSON(strings.NewReader(tt.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Len(t, got, tt.stored)

			list, err := user.NewClient(s.Config()).List(context.Background(), nil)
			require.NoError(t, err)
			assert.Len(t, list, tt.stored, "got %d users stored, want %d", len(list), tt.stored)
		})
	}
}

// TestSeedUserJSONNames checks that a SeedUser encodes with the names of a create-user
// request, so a seed file reads like one.
func TestSeedUserJSONNames(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(SeedUser{EmailAddresses: []string{"a@example.com"},
		PhoneNumbers: []string{"+15555550100"}, FirstName: clerk.String("A")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"email_address":["a@example.com"],"phone_number":["+15555550100"],
		"first_name":"A"}`, string(b))
}
