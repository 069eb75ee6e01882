package emailaddress_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/internal/fixture"
)

const (
	addrID  = "idn_2adaLovelace0001"
	verifID = "ver_2adaCode0001"
)

// call runs one client method and returns its result as an interface, so that one table can
// hold every operation.
type call func(ctx context.Context, c *emailaddress.Client) (any, error)

func attempt(code string) call {
	return func(ctx context.Context, c *emailaddress.Client) (any, error) {
		return c.AttemptVerification(ctx, addrID, &emailaddress.AttemptVerificationParams{
			VerificationID: clerk.String(verifID), Code: clerk.String(code),
		})
	}
}

func TestClientSuccess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		call    call
		check   func(t *testing.T, got any)
	}{
		{"create.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Create(ctx, &emailaddress.CreateParams{
				UserID:                           clerk.String("user_2ada"),
				EmailAddress:                     clerk.String("ada@example.com"),
				Verified:                         clerk.Bool(false),
				Primary:                          clerk.Bool(true),
				NotifyPrimaryEmailAddressChanged: clerk.Bool(true),
			})
		}, func(t *testing.T, got any) {
			addr := got.(*clerk.EmailAddress)
			assert.Equal(t, addrID, addr.ID)
			assert.Equal(t, "ada@example.com", addr.EmailAddress)
			require.NotNil(t, addr.Verification)
			assert.Equal(t, clerk.VerificationStatusUnverified, addr.Verification.Status)
			assert.Nil(t, addr.Verification.Attempts)
			assert.NotNil(t, addr.LinkedTo, "got nil linked_to, want empty")
		}},
		{"get.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Get(ctx, addrID)
		}, func(t *testing.T, got any) {
			addr := got.(*clerk.EmailAddress)
			assert.Equal(t, "email_address", addr.Object)
			assert.Equal(t, clerk.VerificationStatusVerified, addr.Verification.Status)
			assert.Equal(t, clerk.VerificationStrategyEmailCode, addr.Verification.Strategy)
			assert.Equal(t, []clerk.IdentificationLink{{Type: "oauth_google", ID: "eac_2adaGoogle"}},
				addr.LinkedTo)
			assert.Equal(t, int64(1717000001000), addr.UpdatedAt)
		}},
		{"update.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Update(ctx, addrID, &emailaddress.UpdateParams{
				Verified:                         clerk.Bool(true),
				Primary:                          clerk.Bool(true),
				NotifyPrimaryEmailAddressChanged: clerk.Bool(false),
			})
		}, func(t *testing.T, got any) {
			addr := got.(*clerk.EmailAddress)
			assert.Equal(t, clerk.VerificationStrategyAdmin, addr.Verification.Strategy)
			assert.Equal(t, "verification_admin", addr.Verification.Object)
		}},
		{"delete.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Delete(ctx, addrID)
		}, func(t *testing.T, got any) {
			del := got.(*clerk.DeletedObject)
			assert.True(t, del.Deleted)
			assert.Equal(t, addrID, del.ID)
			assert.Equal(t, "email_address", del.Object)
		}},
		{"prepare_verification.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.PrepareVerification(ctx, addrID)
		}, func(t *testing.T, got any) {
			v := got.(*emailaddress.Verification)
			assert.Equal(t, verifID, v.ID)
			assert.Equal(t, clerk.VerificationStatusUnverified, v.Status)
			assert.Equal(t, clerk.VerificationStrategyEmailCode, v.Strategy)
			assert.Equal(t, clerk.Int64(0), v.Attempts)
			assert.Equal(t, clerk.Int64(1717000600000), v.ExpireAt)
			assert.False(t, v.Verified())
		}},
		{"attempt_verification.json", attempt("424242"), func(t *testing.T, got any) {
			v := got.(*emailaddress.Verification)
			assert.Equal(t, verifID, v.ID)
			assert.Equal(t, clerk.VerificationStatusVerified, v.Status)
			assert.True(t, v.Verified())
		}},
		// A wrong or expired code is an answer, not an error: the status says what happened.
		{"attempt_verification_wrong_code.json", attempt("000000"), func(t *testing.T, got any) {
			v := got.(*emailaddress.Verification)
			assert.Equal(t, clerk.VerificationStatusFailed, v.Status)
			assert.Equal(t, clerk.Int64(1), v.Attempts)
			assert.False(t, v.Verified())
		}},
		{"attempt_verification_expired.json", attempt("424242"), func(t *testing.T, got any) {
			v := got.(*emailaddress.Verification)
			assert.Equal(t, clerk.VerificationStatusExpired, v.Status)
			assert.False(t, v.Verified())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, tt.fixture)
			c := emailaddress.NewClient(fixture.Config(fixture.Replay(t, ex)))

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
		{"create_exists.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Create(ctx, &emailaddress.CreateParams{
				UserID: clerk.String("user_2ada"), EmailAddress: clerk.String("taken@example.com"),
			})
		}, clerk.ErrUnprocessable, "form_identifier_exists"},
		{"create_user_not_found.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Create(ctx, &emailaddress.CreateParams{
				UserID: clerk.String("user_missing"), EmailAddress: clerk.String("ada@example.com"),
			})
		}, clerk.ErrNotFound, "resource_not_found"},
		{"get_not_found.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Get(ctx, "idn_missing")
		}, clerk.ErrNotFound, "resource_not_found"},
		{"update_not_found.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Update(ctx, "idn_missing", &emailaddress.UpdateParams{Primary: clerk.Bool(true)})
		}, clerk.ErrNotFound, "resource_not_found"},
		{"delete_not_found.json", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Delete(ctx, "idn_missing")
		}, clerk.ErrNotFound, "resource_not_found"},
		{"prepare_verification_not_found.json",
			func(ctx context.Context, c *emailaddress.Client) (any, error) {
				return c.PrepareVerification(ctx, "idn_missing")
			}, clerk.ErrNotFound, "resource_not_found"},
		{"attempt_verification_not_found.json",
			func(ctx context.Context, c *emailaddress.Client) (any, error) {
				return c.AttemptVerification(ctx, addrID, &emailaddress.AttemptVerificationParams{
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
			c := emailaddress.NewClient(fixture.Config(fixture.Replay(t, ex)))

			got, err := tt.call(context.Background(), c)
			assert.Nil(t, got, "got a result with an error")
			apiErr := fixture.AssertAPIError(t, ex, err)
			assert.True(t, apiErr.HasCode(tt.code), "got codes %v, want %s", apiErr.Errors, tt.code)
			assert.NotEmpty(t, apiErr.TraceID, "trace id")
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestClientInvalidParams(t *testing.T) {
	t.Parallel()
	verif := &emailaddress.AttemptVerificationParams{
		VerificationID: clerk.String(verifID), Code: clerk.String("424242"),
	}
	tests := []struct {
		name  string
		call  call
		param string
	}{
		{"create nil params", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Create(ctx, nil)
		}, "user_id"},
		{"create empty user", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Create(ctx, &emailaddress.CreateParams{
				UserID: clerk.String(""), EmailAddress: clerk.String("ada@example.com"),
			})
		}, "user_id"},
		{"create no address", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Create(ctx, &emailaddress.CreateParams{UserID: clerk.String("user_2ada")})
		}, "email_address"},
		{"create empty address", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Create(ctx, &emailaddress.CreateParams{
				UserID: clerk.String("user_2ada"), EmailAddress: clerk.String(""),
			})
		}, "email_address"},
		{"get", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Get(ctx, "")
		}, "email_address_id"},
		{"update", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Update(ctx, "", &emailaddress.UpdateParams{Primary: clerk.Bool(true)})
		}, "email_address_id"},
		{"delete", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.Delete(ctx, "")
		}, "email_address_id"},
		{"prepare", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.PrepareVerification(ctx, "")
		}, "email_address_id"},
		{"attempt no address", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.AttemptVerification(ctx, "", verif)
		}, "email_address_id"},
		{"attempt nil params", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.AttemptVerification(ctx, addrID, nil)
		}, "verification_id"},
		{"attempt empty verification", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.AttemptVerification(ctx, addrID, &emailaddress.AttemptVerificationParams{
				VerificationID: clerk.String(""), Code: clerk.String("424242"),
			})
		}, "verification_id"},
		{"attempt no code", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.AttemptVerification(ctx, addrID, &emailaddress.AttemptVerificationParams{
				VerificationID: clerk.String(verifID),
			})
		}, "code"},
		{"attempt empty code", func(ctx context.Context, c *emailaddress.Client) (any, error) {
			return c.AttemptVerification(ctx, addrID, &emailaddress.AttemptVerificationParams{
				VerificationID: clerk.String(verifID), Code: clerk.String(""),
			})
		}, "code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := fixture.Replay(t) // no exchange: any request fails the test
			c := emailaddress.NewClient(fixture.Config(mt))
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
		{"a/b", "/v1/email_addresses/a%2Fb"},
		{"..", "/v1/email_addresses/%2E%2E"},
		{"x?y#z", "/v1/email_addresses/x%3Fy%23z"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			ex := fixture.Load(t, "get.json")
			ex.Request.Path, ex.Request.Query = tt.wantPath, ""
			c := emailaddress.NewClient(fixture.Config(fixture.Replay(t, ex)))

			_, err := c.Get(context.Background(), tt.id)
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
	c := emailaddress.NewClient(fixture.Config(fixture.Replay(t, ex)))

	_, err := c.Update(context.Background(), addrID, nil)
	require.NoError(t, err)
}

// TestPackageFunctions runs every package-level function against the default configuration.
// It changes that configuration, so it does not run in parallel.
func TestPackageFunctions(t *testing.T) {
	t.Cleanup(func() { clerk.SetConfig(nil) })
	ctx := context.Background()
	params := &emailaddress.AttemptVerificationParams{
		VerificationID: clerk.String(verifID), Code: clerk.String("424242"),
	}
	tests := []struct {
		fixture string
		call    func() (any, error)
	}{
		{"create.json", func() (any, error) {
			return emailaddress.Create(ctx, &emailaddress.CreateParams{
				UserID:                           clerk.String("user_2ada"),
				EmailAddress:                     clerk.String("ada@example.com"),
				Verified:                         clerk.Bool(false),
				Primary:                          clerk.Bool(true),
				NotifyPrimaryEmailAddressChanged: clerk.Bool(true),
			})
		}},
		{"get.json", func() (any, error) { return emailaddress.Get(ctx, addrID) }},
		{"update.json", func() (any, error) {
			return emailaddress.Update(ctx, addrID, &emailaddress.UpdateParams{
				Verified:                         clerk.Bool(true),
				Primary:                          clerk.Bool(true),
				NotifyPrimaryEmailAddressChanged: clerk.Bool(false),
			})
		}},
		{"delete.json", func() (any, error) { return emailaddress.Delete(ctx, addrID) }},
		{"prepare_verification.json", func() (any, error) {
			return emailaddress.PrepareVerification(ctx, addrID)
		}},
		{"attempt_verification.json", func() (any, error) {
			return emailaddress.AttemptVerification(ctx, addrID, params)
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
