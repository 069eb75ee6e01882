package user_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
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
	mt := replayFixtures(t, "get_not_found")

	u, err := user.NewClient(mockConfig(mt)).Get(context.Background(),
		"user_2gYkNoSuchUserXXXXXXXXXXXX")
	assert.Nil(t, u)
	require.ErrorIs(t, err, clerk.ErrNotFound)
	assert.NotErrorIs(t, err, clerk.ErrUnprocessable)
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.HTTPStatusCode)
	assert.Equal(t, "4f7d2b1c9e8a4c3b8d6e5f4a3b2c1d0e", apiErr.TraceID)
	assert.Equal(t, http.MethodGet, apiErr.Method)
	assert.Equal(t, "/users/user_2gYkNoSuchUserXXXXXXXXXXXX", apiErr.Path)
	require.Len(t, apiErr.Errors, 1)
	assert.Equal(t, "resource_not_found", apiErr.Errors[0].Code)
	assert.Equal(t, "Resource not found", apiErr.Errors[0].LongMessage)
	assert.Empty(t, apiErr.Body, "a Clerk error body is decoded, not kept as an excerpt")
}

func TestGetEmptyNotFound(t *testing.T) {
	t.Parallel()
	mt := replayFixtures(t, "get_empty_not_found")

	_, err := user.NewClient(mockConfig(mt)).Get(context.Background(),
		"user_2gYkNoSuchUserXXXXXXXXXXXX")
	require.ErrorIs(t, err, clerk.ErrNotFound)
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.HTTPStatusCode)
	assert.Empty(t, apiErr.Errors)
	assert.Empty(t, apiErr.Body)
}

func TestCreateUnprocessable(t *testing.T) {
	t.Parallel()
	mt := replayFixtures(t, "create_unprocessable")

	u, err := user.NewClient(mockConfig(mt)).Create(context.Background(), &user.CreateParams{
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
	assert.NotContains(t, err.Error(), testKey)
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
			mt := replayFixtures(t, tt.fixture)
			err := tt.call(user.NewClient(mockConfig(mt)))
			apiErr := apiError(t, err)
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
			cfg := mockConfig(mt)
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
	mt := replay(t)
	cfg := mockConfig(mt)
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
			ex := loadExchange(t, "get_empty_not_found")
			ex.Request.Path = tt.path
			mt := replay(t, ex)
			_, err := user.NewClient(mockConfig(mt)).Get(context.Background(), tt.id)
			require.ErrorIs(t, err, clerk.ErrNotFound)
		})
	}
}
