package user_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/user"
)

// apiError asserts that err is an *clerk.APIError and returns it.
func apiError(t *testing.T, err error) *clerk.APIError {
	t.Helper()
	var apiErr *clerk.APIError
	require.True(t, errors.As(err, &apiErr), "got %T (%v), want *clerk.APIError", err, err)
	return apiErr
}

func TestGetNotFound(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "get_not_found")

	u, err := user.NewClient(fixture.Config(mt)).Get(context.Background(),
		"user_2gYkNoSuchUser000000000000")
	assert.Nil(t, u)
	require.ErrorIs(t, err, clerk.ErrNotFound)
	assert.NotErrorIs(t, err, clerk.ErrUnprocessable)
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.HTTPStatusCode)
	assert.Equal(t, "4f7d2b1c9e8a4c3b8d6e5f4a3b2c1d0e", apiErr.TraceID)
	assert.Equal(t, http.MethodGet, apiErr.Method)
	assert.Equal(t, "/users/user_2gYkNoSuchUser000000000000", apiErr.Path)
	require.Len(t, apiErr.Errors, 1)
	assert.Equal(t, "resource_not_found", apiErr.Errors[0].Code)
	assert.Equal(t, "Resource not found", apiErr.Errors[0].LongMessage)
	assert.Empty(t, apiErr.Body, "a Clerk error body is decoded, not kept as an excerpt")
}

func TestGetEmptyNotFound(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "get_empty_not_found")

	_, err := user.NewClient(fixture.Config(mt)).Get(context.Background(),
		"user_2gYkNoSuchUser000000000000")
	require.ErrorIs(t, err, clerk.ErrNotFound)
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.HTTPStatusCode)
	assert.Empty(t, apiErr.Errors)
	assert.Empty(t, apiErr.Body)
}

func TestCreateUnprocessable(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "create_unprocessable")

	u, err := user.NewClient(fixture.Config(mt)).Create(context.Background(), &user.CreateParams{
		EmailAddresses: []string{"jane.doe@example.com"},
		Username:       clerk.String("jd"),
		Password:       clerk.String("hunter2"),
	})
	assert.Nil(t, u)
	require.ErrorIs(t, err, clerk.ErrUnprocessable)
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusUnprocessableEntity, apiErr.HTTPStatusCode)
	assert.Equal(t, "0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f", apiErr.TraceID)
	require.Len(t, apiErr.Errors, 3)
	codes := make([]string, len(apiErr.Errors))
	for i, e := range apiErr.Errors {
		codes[i] = e.Code
	}
	assert.Equal(t, []string{"form_identifier_exists", "form_username_invalid_length",
		"form_password_length_too_short"}, codes)
	assert.True(t, apiErr.HasCode("form_username_invalid_length"))
	var meta struct {
		ParamName string `json:"param_name"`
	}
	require.NoError(t, json.Unmarshal(apiErr.Errors[2].Meta, &meta))
	assert.Equal(t, "password", meta.ParamName)
	assert.Contains(t, err.Error(), "form_identifier_exists")
	assert.Contains(t, err.Error(), "(and 2 more)")
	assert.NotContains(t, err.Error(), fixture.Key)
}

// TestRecordedErrors replays the other error answers of the fixtures.
func TestRecordedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		call    func(c *user.Client) error
		status  int
		is      error
		code    string
	}{
		{"update_conflict", func(c *user.Client) error {
			_, err := c.Update(context.Background(), janeID,
				&user.UpdateParams{ExternalID: clerk.String("crm-20981")})
			return err
		}, http.StatusConflict, clerk.ErrConflict, "duplicate_record"},
		{"ban_payment_required", func(c *user.Client) error {
			_, err := c.Ban(context.Background(), janeID)
			return err
		}, http.StatusPaymentRequired, nil, "feature_not_enabled"},
		{"verify_password_incorrect", func(c *user.Client) error {
			_, err := c.VerifyPassword(context.Background(), janeID,
				&user.VerifyPasswordParams{Password: "wrong"})
			return err
		}, http.StatusUnprocessableEntity, clerk.ErrUnprocessable, "incorrect_password"},
		{"list_unprocessable", func(c *user.Client) error {
			_, err := c.List(context.Background(),
				&user.ListParams{ProviderUserIDs: []string{"109876543210987654321"}})
			return err
		}, http.StatusUnprocessableEntity, clerk.ErrUnprocessable, "form_param_missing"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, tt.fixture)
			err := tt.call(user.NewClient(fixture.Config(fixture.Replay(t, ex))))
			apiErr := fixture.AssertAPIError(t, ex, err)
			assert.Equal(t, tt.status, apiErr.HTTPStatusCode)
			assert.True(t, apiErr.HasCode(tt.code), "got codes %v, want %s", apiErr.Errors,
				tt.code)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			assert.NotErrorIs(t, err, clerk.ErrNotFound)
		})
	}
}

// proxyPage is what a proxy in front of the API answers when the API is unreachable.
const proxyPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n" +
	"<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n" +
	"</body>\r\n</html>\r\n"

func proxyTransport() *httpmock.MockTransport {
	mt := httpmock.NewMockTransport()
	resp := httpmock.NewStringResponse(http.StatusBadGateway, proxyPage)
	resp.Header.Set("Content-Type", "text/html")
	mt.RegisterNoResponder(httpmock.ResponderFromResponse(resp))
	return mt
}

func TestProxyError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		maxRetries int
		call       func(c *user.Client) error
		attempts   int
	}{
		{"GET, no retries", -1, func(c *user.Client) error {
			_, err := c.Get(context.Background(), janeID)
			return err
		}, 1},
		// A GET is retried on 502, so the page is seen once per attempt.
		{"GET, 2 retries", 2, func(c *user.Client) error {
			_, err := c.Get(context.Background(), janeID)
			return err
		}, 3},
		// A POST is never sent twice after a 5xx: a ban may already have been carried out.
		{"POST, 2 retries", 2, func(c *user.Client) error {
			_, err := c.Ban(context.Background(), janeID)
			return err
		}, 1},
		{"All, 2 retries", 2, func(c *user.Client) error {
			for _, err := range c.All(context.Background(), nil) {
				if err != nil {
					return err
				}
			}
			return nil
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := proxyTransport()
			cfg := fixture.Config(mt)
			cfg.MaxRetries = tt.maxRetries
			cfg.RetryWaitMin = time.Millisecond
			cfg.RetryWaitMax = time.Millisecond

			err := tt.call(user.NewClient(cfg))
			apiErr := apiError(t, err)
			assert.Equal(t, http.StatusBadGateway, apiErr.HTTPStatusCode)
			assert.Empty(t, apiErr.Errors)
			assert.Contains(t, apiErr.Body, "502 Bad Gateway")
			assert.NotErrorIs(t, err, clerk.ErrNotFound)
			assert.Equal(t, tt.attempts, mt.GetTotalCallCount(), "got %d attempts, want %d",
				mt.GetTotalCallCount(), tt.attempts)
		})
	}
}

func TestNoKey(t *testing.T) {
	t.Parallel()
	mt := fixture.Replay(t)
	cfg := fixture.Config(mt)
	cfg.Key = ""

	_, err := user.NewClient(cfg).Get(context.Background(), janeID)
	require.ErrorIs(t, err, clerk.ErrInvalidParam)
}

// TestIDEscaping checks that an ID stays one path segment, whatever it holds.
func TestIDEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct{ id, path string }{
		{"user_1/ban", "/v1/users/user_1%2Fban"},
		{"..", "/v1/users/%2E%2E"},
		{"user_1?limit=1#x", "/v1/users/user_1%3Flimit=1%23x"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, "get_empty_not_found")
			ex.Request.Path = tt.path
			mt := fixture.Replay(t, ex)
			_, err := user.NewClient(fixture.Config(mt)).Get(context.Background(), tt.id)
			require.ErrorIs(t, err, clerk.ErrNotFound)
		})
	}
}

// TestEveryMethodNotFound sends every call to a server that answers 404, and checks that
// each returns the *clerk.APIError and no value.
func TestEveryMethodNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\n")
	calls := map[string]func(c *user.Client) (any, error){
		"Get":    func(c *user.Client) (any, error) { return c.Get(ctx, janeID) },
		"List":   func(c *user.Client) (any, error) { return c.List(ctx, nil) },
		"Count":  func(c *user.Client) (any, error) { return c.Count(ctx, nil) },
		"Create": func(c *user.Client) (any, error) { return c.Create(ctx, nil) },
		"Update": func(c *user.Client) (any, error) { return c.Update(ctx, janeID, nil) },
		"UpdateMetadata": func(c *user.Client) (any, error) {
			return c.UpdateMetadata(ctx, janeID, nil)
		},
		"ReplaceMetadata": func(c *user.Client) (any, error) {
			return c.ReplaceMetadata(ctx, janeID, nil)
		},
		"Delete": func(c *user.Client) (any, error) { return c.Delete(ctx, janeID) },
		"Ban":    func(c *user.Client) (any, error) { return c.Ban(ctx, janeID) },
		"Unban":  func(c *user.Client) (any, error) { return c.Unban(ctx, janeID) },
		"BanMany": func(c *user.Client) (any, error) {
			return c.BanMany(ctx, &user.BanManyParams{UserIDs: []string{janeID}})
		},
		"UnbanMany": func(c *user.Client) (any, error) {
			return c.UnbanMany(ctx, &user.UnbanManyParams{UserIDs: []string{janeID}})
		},
		"Lock":   func(c *user.Client) (any, error) { return c.Lock(ctx, janeID) },
		"Unlock": func(c *user.Client) (any, error) { return c.Unlock(ctx, janeID) },
		"SetProfileImage": func(c *user.Client) (any, error) {
			return c.SetProfileImage(ctx, janeID,
				&user.SetProfileImageParams{File: strings.NewReader(string(png))})
		},
		"DeleteProfileImage": func(c *user.Client) (any, error) {
			return c.DeleteProfileImage(ctx, janeID)
		},
		"VerifyPassword": func(c *user.Client) (any, error) {
			return c.VerifyPassword(ctx, janeID, &user.VerifyPasswordParams{Password: "pw"})
		},
		"VerifyTOTP": func(c *user.Client) (any, error) {
			return c.VerifyTOTP(ctx, janeID, &user.VerifyTOTPParams{Code: "123456"})
		},
		"DisableMFA": func(c *user.Client) (any, error) { return c.DisableMFA(ctx, janeID) },
		"DeleteBackupCodes": func(c *user.Client) (any, error) {
			return c.DeleteBackupCodes(ctx, janeID)
		},
		"DeleteTOTP": func(c *user.Client) (any, error) { return c.DeleteTOTP(ctx, janeID) },
		"RemovePassword": func(c *user.Client) (any, error) {
			return c.RemovePassword(ctx, janeID, nil)
		},
		"ListOAuthAccessTokens": func(c *user.Client) (any, error) {
			return c.ListOAuthAccessTokens(ctx, janeID, "oauth_google", nil)
		},
		"DeletePasskey": func(c *user.Client) (any, error) {
			return c.DeletePasskey(ctx, janeID, "idn_1")
		},
		"DeleteWeb3Wallet": func(c *user.Client) (any, error) {
			return c.DeleteWeb3Wallet(ctx, janeID, "idn_1")
		},
		"ReplaceEmailAddress": func(c *user.Client) (any, error) {
			return c.ReplaceEmailAddress(ctx, janeID,
				&user.ReplaceEmailAddressParams{EmailAddress: "a@example.com"})
		},
		"ReplacePhoneNumber": func(c *user.Client) (any, error) {
			return c.ReplacePhoneNumber(ctx, janeID,
				&user.ReplacePhoneNumberParams{PhoneNumber: "+15555550100"})
		},
	}
	notFound := fixture.Load(t, "get_not_found").Response.Body
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			resp := httpmock.NewBytesResponse(http.StatusNotFound, notFound)
			resp.Header.Set("Content-Type", "application/json")
			mt.RegisterNoResponder(httpmock.ResponderFromResponse(resp))

			got, err := call(user.NewClient(fixture.Config(mt)))
			require.ErrorIs(t, err, clerk.ErrNotFound)
			assert.Equal(t, http.StatusNotFound, apiError(t, err).HTTPStatusCode)
			assert.Equal(t, 1, mt.GetTotalCallCount())
			switch v := got.(type) {
			case int64:
				assert.Zero(t, v)
			default:
				assert.True(t, reflect.ValueOf(got).IsNil(), "got %v with the error, want nil",
					got)
			}
		})
	}
}
