package phonenumber_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/phonenumber"
)

const (
	numID   = "idn_2gracePhone0001"
	phone   = "+15555550100"
	verifID = "ver_2graceCode0001"
)

// call runs one client method and returns its result as an interface, so that one table can
// hold every operation.
type call func(ctx context.Context, c *phonenumber.Client) (any, error)

func attempt(code string) call {
	return func(ctx context.Context, c *phonenumber.Client) (any, error) {
		return c.AttemptVerification(ctx, numID, &phonenumber.AttemptVerificationParams{
			VerificationID: clerk.String(verifID), Code: clerk.String(code),
		})
	}
}

func createParams() *phonenumber.CreateParams {
	return &phonenumber.CreateParams{
		UserID:                  clerk.String("user_2grace"),
		PhoneNumber:             clerk.String(phone),
		Verified:                clerk.Bool(true),
		Primary:                 clerk.Bool(false),
		ReservedForSecondFactor: clerk.Bool(true),
	}
}

func updateParams() *phonenumber.UpdateParams {
	return &phonenumber.UpdateParams{
		Verified:                clerk.Bool(true),
		Primary:                 clerk.Bool(true),
		ReservedForSecondFactor: clerk.Bool(false),
	}
}

func TestClientSuccess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		call    call
		check   func(t *testing.T, got any)
	}{
		{"create.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Create(ctx, createParams())
		}, func(t *testing.T, got any) {
			num := got.(*clerk.PhoneNumber)
			assert.Equal(t, numID, num.ID)
			assert.Equal(t, phone, num.PhoneNumber)
			assert.True(t, num.ReservedForSecondFactor)
			assert.True(t, num.DefaultSecondFactor)
			assert.Equal(t, clerk.VerificationStrategyAdmin, num.Verification.Strategy)
			assert.NotNil(t, num.LinkedTo, "got nil linked_to, want empty")
		}},
		{"get.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Get(ctx, numID)
		}, func(t *testing.T, got any) {
			num := got.(*clerk.PhoneNumber)
			assert.Equal(t, "phone_number", num.Object)
			assert.Equal(t, clerk.VerificationStatusVerified, num.Verification.Status)
			assert.Equal(t, clerk.VerificationStrategyPhoneCode, num.Verification.Strategy)
			assert.Equal(t, clerk.String("sms"), num.Verification.Channel)
			assert.Equal(t, int64(1717000001000), num.UpdatedAt)
		}},
		{"update.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Update(ctx, numID, updateParams())
		}, func(t *testing.T, got any) {
			num := got.(*clerk.PhoneNumber)
			assert.False(t, num.ReservedForSecondFactor)
			assert.Equal(t, "verification_admin", num.Verification.Object)
		}},
		{"delete.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Delete(ctx, numID)
		}, func(t *testing.T, got any) {
			del := got.(*clerk.DeletedObject)
			assert.True(t, del.Deleted)
			assert.Equal(t, numID, del.ID)
			assert.Equal(t, "phone_number", del.Object)
		}},
		{"prepare_verification.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.PrepareVerification(ctx, numID)
		}, func(t *testing.T, got any) {
			v := got.(*phonenumber.Verification)
			assert.Equal(t, verifID, v.ID)
			assert.Equal(t, clerk.VerificationStatusUnverified, v.Status)
			assert.Equal(t, clerk.VerificationStrategyPhoneCode, v.Strategy)
			assert.Equal(t, clerk.String("sms"), v.Channel)
			assert.Equal(t, clerk.Int64(0), v.Attempts)
			assert.False(t, v.Verified())
		}},
		{"attempt_verification.json", attempt("424242"), func(t *testing.T, got any) {
			v := got.(*phonenumber.Verification)
			assert.Equal(t, verifID, v.ID)
			assert.Equal(t, clerk.VerificationStatusVerified, v.Status)
			assert.True(t, v.Verified())
		}},
		// A wrong or expired code is an answer, not an error: the status says what happened.
		{"attempt_verification_wrong_code.json", attempt("000000"), func(t *testing.T, got any) {
			v := got.(*phonenumber.Verification)
			assert.Equal(t, clerk.VerificationStatusFailed, v.Status)
			assert.Equal(t, clerk.Int64(1), v.Attempts)
			assert.False(t, v.Verified())
		}},
		{"attempt_verification_expired.json", attempt("424242"), func(t *testing.T, got any) {
			v := got.(*phonenumber.Verification)
			assert.Equal(t, clerk.VerificationStatusExpired, v.Status)
			assert.False(t, v.Verified())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, tt.fixture)
			c := phonenumber.NewClient(fixture.Config(fixture.Replay(t, ex)))

			got, err := tt.call(context.Background(), c)
			require.NoError(t, err)
			fixture.AssertDecoded(t, ex, got)
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
		{"create_exists.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Create(ctx, &phonenumber.CreateParams{
				UserID: clerk.String("user_2grace"), PhoneNumber: clerk.String("+15555550199"),
			})
		}, clerk.ErrUnprocessable, "form_identifier_exists"},
		{"create_invalid.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Create(ctx, &phonenumber.CreateParams{
				UserID: clerk.String("user_2grace"), PhoneNumber: clerk.String("555-0100"),
			})
		}, clerk.ErrUnprocessable, "form_param_format_invalid"},
		{"get_not_found.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Get(ctx, "idn_missing")
		}, clerk.ErrNotFound, "resource_not_found"},
		{"update_not_found.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Update(ctx, "idn_missing", &phonenumber.UpdateParams{Primary: clerk.Bool(true)})
		}, clerk.ErrNotFound, "resource_not_found"},
		{"delete_not_found.json", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Delete(ctx, "idn_missing")
		}, clerk.ErrNotFound, "resource_not_found"},
		{"prepare_verification_not_found.json",
			func(ctx context.Context, c *phonenumber.Client) (any, error) {
				return c.PrepareVerification(ctx, "idn_missing")
			}, clerk.ErrNotFound, "resource_not_found"},
		{"prepare_verification_rate_limited.json",
			func(ctx context.Context, c *phonenumber.Client) (any, error) {
				return c.PrepareVerification(ctx, numID)
			}, clerk.ErrRateLimited, "too_many_requests"},
		{"attempt_verification_not_found.json",
			func(ctx context.Context, c *phonenumber.Client) (any, error) {
				return c.AttemptVerification(ctx, numID, &phonenumber.AttemptVerificationParams{
					VerificationID: clerk.String("ver_missing"), Code: clerk.String("424242"),
				})
			}, clerk.ErrNotFound, "resource_not_found"},
		{"attempt_verification_already_verified.json", attempt("424242"), nil,
			"verification_already_verified"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, tt.fixture)
			c := phonenumber.NewClient(fixture.Config(fixture.Replay(t, ex)))

			got, err := tt.call(context.Background(), c)
			assert.Nil(t, got, "got a result with an error")
			apiErr := fixture.AssertAPIError(t, ex, err)
			assert.True(t, apiErr.HasCode(tt.code), "got codes %v, want %s", apiErr.Errors, tt.code)
			assert.NotEmpty(t, apiErr.TraceID, "trace id")
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			}
			if ex.Response.Status == http.StatusTooManyRequests {
				assert.Equal(t, 30*time.Second, apiErr.RetryAfter, "retry after")
			}
		})
	}
}

func TestClientInvalidParams(t *testing.T) {
	t.Parallel()
	verif := &phonenumber.AttemptVerificationParams{
		VerificationID: clerk.String(verifID), Code: clerk.String("424242"),
	}
	tests := []struct {
		name  string
		call  call
		param string
	}{
		{"create nil params", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Create(ctx, nil)
		}, "user_id"},
		{"create empty user", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Create(ctx, &phonenumber.CreateParams{
				UserID: clerk.String(""), PhoneNumber: clerk.String(phone),
			})
		}, "user_id"},
		{"create no number", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Create(ctx, &phonenumber.CreateParams{UserID: clerk.String("user_2grace")})
		}, "phone_number"},
		{"create empty number", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Create(ctx, &phonenumber.CreateParams{
				UserID: clerk.String("user_2grace"), PhoneNumber: clerk.String(""),
			})
		}, "phone_number"},
		{"get", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Get(ctx, "")
		}, "phone_number_id"},
		{"update", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Update(ctx, "", updateParams())
		}, "phone_number_id"},
		{"delete", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.Delete(ctx, "")
		}, "phone_number_id"},
		{"prepare", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.PrepareVerification(ctx, "")
		}, "phone_number_id"},
		{"attempt no number", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.AttemptVerification(ctx, "", verif)
		}, "phone_number_id"},
		{"attempt nil params", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.AttemptVerification(ctx, numID, nil)
		}, "verification_id"},
		{"attempt empty verification", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.AttemptVerification(ctx, numID, &phonenumber.AttemptVerificationParams{
				VerificationID: clerk.String(""), Code: clerk.String("424242"),
			})
		}, "verification_id"},
		{"attempt no code", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.AttemptVerification(ctx, numID, &phonenumber.AttemptVerificationParams{
				VerificationID: clerk.String(verifID),
			})
		}, "code"},
		{"attempt empty code", func(ctx context.Context, c *phonenumber.Client) (any, error) {
			return c.AttemptVerification(ctx, numID, &phonenumber.AttemptVerificationParams{
				VerificationID: clerk.String(verifID), Code: clerk.String(""),
			})
		}, "code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := fixture.Replay(t) // no exchange: any request fails the test
			c := phonenumber.NewClient(fixture.Config(mt))
			got, err := tt.call(context.Background(), c)

			assert.Nil(t, got, "got a result with an error")
			var invalid *clerk.InvalidParamError
			require.True(t, errors.As(err, &invalid), "got %T (%v), want *clerk.InvalidParamError",
				err, err)
			assert.Equal(t, tt.param, invalid.Param, "param")
			assert.ErrorIs(t, err, clerk.ErrInvalidParam)
			assert.Zero(t, mt.GetTotalCallCount(), "got %d requests, want 0",
				mt.GetTotalCallCount())
		})
	}
}

// TestClientEscapesIDs checks that an ID stays one path segment whatever it holds.
func TestClientEscapesIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, wantPath string
	}{
		{"a/b", "/v1/phone_numbers/a%2Fb/prepare_verification"},
		{"..", "/v1/phone_numbers/%2E%2E/prepare_verification"},
		{"x?y#z", "/v1/phone_numbers/x%3Fy%23z/prepare_verification"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, "prepare_verification.json")
			ex.Request.Path, ex.Request.Query = tt.wantPath, ""
			c := phonenumber.NewClient(fixture.Config(fixture.Replay(t, ex)))

			_, err := c.PrepareVerification(context.Background(), tt.id)
			require.NoError(t, err)
		})
	}
}

// TestUpdateNilParams checks that an update with nothing to change sends {} rather than
// null or no body.
func TestUpdateNilParams(t *testing.T) {
	t.Parallel()
	ex := fixture.Load(t, "update.json")
	ex.Request.Method, ex.Request.Body = http.MethodPatch, json.RawMessage(`{}`)
	c := phonenumber.NewClient(fixture.Config(fixture.Replay(t, ex)))

	_, err := c.Update(context.Background(), numID, nil)
	require.NoError(t, err)
}

// TestPackageFunctions runs every package-level function against the default configuration.
// It changes that configuration, so it does not run in parallel.
func TestPackageFunctions(t *testing.T) {
	t.Cleanup(func() { clerk.SetConfig(nil) })
	ctx := context.Background()
	params := &phonenumber.AttemptVerificationParams{
		VerificationID: clerk.String(verifID), Code: clerk.String("424242"),
	}
	tests := []struct {
		fixture string
		call    func() (any, error)
	}{
		{"create.json", func() (any, error) { return phonenumber.Create(ctx, createParams()) }},
		{"get.json", func() (any, error) { return phonenumber.Get(ctx, numID) }},
		{"update.json", func() (any, error) {
			return phonenumber.Update(ctx, numID, updateParams())
		}},
		{"delete.json", func() (any, error) { return phonenumber.Delete(ctx, numID) }},
		{"prepare_verification.json", func() (any, error) {
			return phonenumber.PrepareVerification(ctx, numID)
		}},
		{"attempt_verification.json", func() (any, error) {
			return phonenumber.AttemptVerification(ctx, numID, params)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			ex := fixture.Load(t, tt.fixture)
			clerk.SetConfig(fixture.Config(fixture.Replay(t, ex)))

			got, err := tt.call()
			require.NoError(t, err)
			fixture.AssertDecoded(t, ex, got)
		})
	}
}
