package externalaccount_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/internal/fixture"
)

const (
	userID    = "user_2ada"
	googleUID = "104857600000000000001"
)

// call runs one client method and returns its result as an interface, so that one table can
// hold every operation.
type call func(ctx context.Context, c *externalaccount.Client) (any, error)

func TestClientSuccess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		call    call
		// want returns the value the call must return, from the fixture's body.
		want  func(t *testing.T, ex *fixture.Exchange) any
		check func(t *testing.T, got any)
	}{
		{"delete.json", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.Delete(ctx, userID, "eac_2adaGoogle")
		}, func(t *testing.T, ex *fixture.Exchange) any {
			return fixture.Decode[*clerk.DeletedObject](t, ex)
		}, func(t *testing.T, got any) {
			del := got.(*clerk.DeletedObject)
			assert.True(t, del.Deleted)
			assert.Equal(t, "eac_2adaGoogle", del.ID)
		}},
		{"list_for_user.json", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.ListForUser(ctx, userID)
		}, func(t *testing.T, ex *fixture.Exchange) any {
			return fixture.Decode[*clerk.User](t, ex).ExternalAccounts
		}, func(t *testing.T, got any) {
			accounts := got.([]*clerk.ExternalAccount)
			require.Len(t, accounts, 2)
			assert.Equal(t, "oauth_google", accounts[0].Provider)
			assert.Equal(t, googleUID, accounts[0].ProviderUserID)
			assert.Equal(t, clerk.Bool(true), accounts[0].EmailAddressVerified)
			assert.JSONEq(t, `{}`, string(accounts[0].PublicMetadata))
			assert.Equal(t, "verification_oauth", accounts[0].Verification.Object)
			assert.Equal(t, "oauth_github", accounts[1].Provider)
			assert.Equal(t, clerk.String("work"), accounts[1].Label)
			assert.Equal(t, clerk.String("ada"), accounts[1].Username)
		}},
		{"list_for_user_none.json", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.ListForUser(ctx, "user_2grace")
		}, func(t *testing.T, ex *fixture.Exchange) any {
			return []*clerk.ExternalAccount{}
		}, func(t *testing.T, got any) {
			assert.NotNil(t, got.([]*clerk.ExternalAccount), "got nil, want an empty slice")
		}},
		{"find_user.json", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.FindUser(ctx, "oauth_google", googleUID)
		}, func(t *testing.T, ex *fixture.Exchange) any {
			return fixture.Decode[[]*clerk.User](t, ex)[0]
		}, func(t *testing.T, got any) {
			u := got.(*clerk.User)
			assert.Equal(t, userID, u.ID)
			require.Len(t, u.ExternalAccounts, 1)
			assert.Equal(t, googleUID, u.ExternalAccounts[0].ProviderUserID)
		}},
		{"access_token.json", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.AccessToken(ctx, userID, "oauth_google")
		}, func(t *testing.T, ex *fixture.Exchange) any {
			return fixture.Decode[[]*clerk.OAuthAccessToken](t, ex)
		}, func(t *testing.T, got any) {
			tokens := got.([]*clerk.OAuthAccessToken)
			require.Len(t, tokens, 2)
			assert.Equal(t, "ya29.fixture-token-1", tokens[0].Token)
			assert.Equal(t, "eac_2adaGoogle", tokens[0].ExternalAccountID)
			assert.Equal(t, []string{"email", "openid", "profile"}, tokens[0].Scopes)
			assert.NotEmpty(t, tokens[0].IDToken)
			assert.Equal(t, clerk.Int64(1717003600000), tokens[0].ExpiresAt)
			assert.Nil(t, tokens[1].ExpiresAt)
			assert.Equal(t, clerk.String("work"), tokens[1].Label)
		}},
		{"access_token_none.json", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.AccessToken(ctx, userID, "oauth_github")
		}, func(t *testing.T, ex *fixture.Exchange) any {
			return []*clerk.OAuthAccessToken{}
		}, func(t *testing.T, got any) {
			assert.NotNil(t, got.([]*clerk.OAuthAccessToken), "got nil, want an empty slice")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, tt.fixture)
			c := externalaccount.NewClient(fixture.Config(fixture.Replay(t, ex)))

			got, err := tt.call(context.Background(), c)
			require.NoError(t, err)
			assert.Equal(t, tt.want(t, ex), got)
			tt.check(t, got)
		})
	}
}

func TestClientAPIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		call    call
		want    error
		code    string
	}{
		{"delete_not_found.json", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.Delete(ctx, userID, "eac_missing")
		}, clerk.ErrNotFound, "resource_not_found"},
		{"list_for_user_not_found.json",
			func(ctx context.Context, c *externalaccount.Client) (any, error) {
				return c.ListForUser(ctx, "user_missing")
			}, clerk.ErrNotFound, "resource_not_found"},
		{"find_user_unauthorized.json",
			func(ctx context.Context, c *externalaccount.Client) (any, error) {
				return c.FindUser(ctx, "oauth_google", googleUID)
			}, clerk.ErrUnauthorized, "authentication_invalid"},
		{"access_token_not_found.json",
			func(ctx context.Context, c *externalaccount.Client) (any, error) {
				return c.AccessToken(ctx, "user_missing", "oauth_google")
			}, clerk.ErrNotFound, "resource_not_found"},
		{"access_token_bad_provider.json",
			func(ctx context.Context, c *externalaccount.Client) (any, error) {
				return c.AccessToken(ctx, userID, "google")
			}, clerk.ErrUnprocessable, "form_param_value_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, tt.fixture)
			c := externalaccount.NewClient(fixture.Config(fixture.Replay(t, ex)))

			got, err := tt.call(context.Background(), c)
			assert.Nil(t, got, "got a result with an error")
			apiErr := fixture.AssertAPIError(t, ex, err)
			assert.True(t, apiErr.HasCode(tt.code), "got codes %v, want %s", apiErr.Errors, tt.code)
			assert.NotEmpty(t, apiErr.TraceID, "trace id")
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// TestFindUserNoMatch checks the errors FindUser makes itself from an answer of 200: no user,
// or more than one.
func TestFindUserNoMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture, providerUserID string
		want                    []error
		notWant                 error
	}{
		{"find_user_none.json", "unknown",
			[]error{externalaccount.ErrUserNotFound, clerk.ErrNotFound},
			externalaccount.ErrMultipleUsers},
		{"find_user_several.json", googleUID,
			[]error{externalaccount.ErrMultipleUsers}, clerk.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			c := externalaccount.NewClient(fixture.Config(fixture.ReplayFiles(t, tt.fixture)))

			u, err := c.FindUser(context.Background(), "oauth_google", tt.providerUserID)
			assert.Nil(t, u, "got a user with an error")
			for _, want := range tt.want {
				assert.ErrorIs(t, err, want)
			}
			assert.NotErrorIs(t, err, tt.notWant)
			var apiErr *clerk.APIError
			assert.False(t, errors.As(err, &apiErr), "got an *APIError for an answer of 200")
			assert.Contains(t, err.Error(), tt.providerUserID, "error names the account")
		})
	}
}

// TestAccessTokenPages checks that every page is read when the first one is full, and that
// the offsets follow each other.
func TestAccessTokenPages(t *testing.T) {
	t.Parallel()
	const pageSize = 500
	tests := []struct {
		total     int
		wantPages []string
	}{
		{pageSize - 1, []string{"limit=500&offset=0"}},
		{pageSize, []string{"limit=500&offset=0", "limit=500&offset=500"}},
		{pageSize + 1, []string{"limit=500&offset=0", "limit=500&offset=500"}},
		{2*pageSize + 3, []string{"limit=500&offset=0", "limit=500&offset=500",
			"limit=500&offset=1000"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.total), func(t *testing.T) {
			t.Parallel()
			all := make([]*clerk.OAuthAccessToken, tt.total)
			for i := range all {
				all[i] = &clerk.OAuthAccessToken{
					Object: "oauth_access_token", ExternalAccountID: fmt.Sprintf("eac_%d", i),
					ProviderUserID: fmt.Sprint(i), Token: fmt.Sprintf("tok_%d", i),
					Provider: "oauth_google", PublicMetadata: json.RawMessage(`{}`),
				}
			}
			var (
				mu      sync.Mutex
				queries []string
			)
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder(http.MethodGet,
				fixture.BaseURL+"/users/user_2ada/oauth_access_tokens/oauth_google",
				func(req *http.Request) (*http.Response, error) {
					mu.Lock()
					queries = append(queries, req.URL.RawQuery)
					mu.Unlock()
					offset, err := strconv.Atoi(req.URL.Query().Get("offset"))
					if err != nil {
						return nil, err
					}
					limit, err := strconv.Atoi(req.URL.Query().Get("limit"))
					if err != nil {
						return nil, err
					}
					end := min(offset+limit, len(all))
					return httpmock.NewJsonResponse(http.StatusOK, all[min(offset, end):end])
				})

			got, err := externalaccount.NewClient(fixture.Config(mt)).AccessToken(
				context.Background(), userID, "oauth_google")
			require.NoError(t, err)
			assert.Equal(t, all, got)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, tt.wantPages, queries, "queries")
		})
	}
}

// TestAccessTokenEndlessPages checks that a server that ignores offset, and so answers every
// page full, cannot keep the call going for ever.
func TestAccessTokenEndlessPages(t *testing.T) {
	t.Parallel()
	page := make([]*clerk.OAuthAccessToken, 500)
	for i := range page {
		page[i] = &clerk.OAuthAccessToken{Object: "oauth_access_token", Token: "same"}
	}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewJsonResponderOrPanic(http.StatusOK, page))

	got, err := externalaccount.NewClient(fixture.Config(mt)).AccessToken(context.Background(),
		userID, "oauth_google")
	require.Error(t, err)
	assert.Nil(t, got)
	assert.Contains(t, err.Error(), "more than")
	assert.Equal(t, 20, mt.GetTotalCallCount(), "requests")
}

func TestClientInvalidParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		call  call
		param string
	}{
		{"delete no user", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.Delete(ctx, "", "eac_2adaGoogle")
		}, "user_id"},
		{"delete no account", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.Delete(ctx, userID, "")
		}, "external_account_id"},
		{"list no user", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.ListForUser(ctx, "")
		}, "user_id"},
		{"find no provider", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.FindUser(ctx, "", googleUID)
		}, "provider"},
		{"find no provider user", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.FindUser(ctx, "oauth_google", "")
		}, "provider_user_id"},
		{"token no user", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.AccessToken(ctx, "", "oauth_google")
		}, "user_id"},
		{"token no provider", func(ctx context.Context, c *externalaccount.Client) (any, error) {
			return c.AccessToken(ctx, userID, "")
		}, "provider"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := fixture.Replay(t) // no exchange: any request fails the test
			c := externalaccount.NewClient(fixture.Config(mt))
			got, err := tt.call(context.Background(), c)

			assert.Nil(t, got, "got a result with an error")
			var invalid *clerk.InvalidParamError
			require.True(t, errors.As(err, &invalid), "got %T (%v), want *clerk.InvalidParamError",
				err, err)
			assert.Equal(t, tt.param, invalid.Param, "param")
			assert.Zero(t, mt.GetTotalCallCount(), "got %d requests, want 0",
				mt.GetTotalCallCount())
		})
	}
}

// TestClientEscapesIDs checks that each ID stays one path segment whatever it holds.
func TestClientEscapesIDs(t *testing.T) {
	t.Parallel()
	deleted := fixture.Load(t, "delete.json")
	deleted.Request.Path = "/v1/users/..%2Fx/external_accounts/a%2Fb%3Fc"
	tokens := fixture.Load(t, "access_token_none.json")
	tokens.Request.Path = "/v1/users/%2E%2E/oauth_access_tokens/oauth%23x"
	c := externalaccount.NewClient(fixture.Config(fixture.Replay(t, deleted, tokens)))
	ctx := context.Background()

	_, err := c.Delete(ctx, "../x", "a/b?c")
	require.NoError(t, err)
	_, err = c.AccessToken(ctx, "..", "oauth#x")
	require.NoError(t, err)
}

// TestPackageFunctions runs every package-level function against the default configuration.
// It changes that configuration, so it does not run in parallel.
func TestPackageFunctions(t *testing.T) {
	t.Cleanup(func() { clerk.SetConfig(nil) })
	ctx := context.Background()
	tests := []struct {
		fixture string
		call    func() (any, error)
	}{
		{"delete.json", func() (any, error) {
			return externalaccount.Delete(ctx, userID, "eac_2adaGoogle")
		}},
		{"list_for_user.json", func() (any, error) {
			return externalaccount.ListForUser(ctx, userID)
		}},
		{"find_user.json", func() (any, error) {
			return externalaccount.FindUser(ctx, "oauth_google", googleUID)
		}},
		{"access_token.json", func() (any, error) {
			return externalaccount.AccessToken(ctx, userID, "oauth_google")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			clerk.SetConfig(fixture.Config(fixture.ReplayFiles(t, tt.fixture)))

			got, err := tt.call()
			require.NoError(t, err)
			assert.NotNil(t, got)
		})
	}
}
