package clerktest_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/user"
)

// idnClock is a server clock that only the test moves.
type idnClock struct{ ms atomic.Int64 }

func newIdnClock() *idnClock {
	c := &idnClock{}
	c.ms.Store(time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC).UnixMilli())
	return c
}

func (c *idnClock) now() time.Time           { return time.UnixMilli(c.ms.Load()) }
func (c *idnClock) add(d time.Duration)      { c.ms.Add(d.Milliseconds()) }
func (c *idnClock) millis() int64            { return c.ms.Load() }
func (c *idnClock) option() clerktest.Option { return clerktest.WithClock(c.now) }

// idnVerification is what both packages' Verification types hold.
type idnVerification struct {
	id string
	clerk.Verification
}

// idnCodeKind runs the code flow of email addresses or phone numbers through their package.
type idnCodeKind struct {
	name     string
	strategy string
	channel  *string
	// add gives the user a new unverified identifier, or a verified one, and returns its ID.
	add     func(t *testing.T, env *idnEnv, userID string, verified bool) string
	prepare func(env *idnEnv, id string) (idnVerification, error)
	attempt func(env *idnEnv, id, verificationID, code string) (idnVerification, error)
	// shown returns the identifier as the user object shows it.
	shown func(u *clerk.User, id string) (reserved bool, v *clerk.Verification)
}

var idnCodeKinds = []idnCodeKind{
	{
		name: "email", strategy: clerk.VerificationStrategyEmailCode,
		add: func(t *testing.T, env *idnEnv, userID string, verified bool) string {
			return env.addEmail(t, userID, "code@example.com", verified, false).ID
		},
		prepare: func(env *idnEnv, id string) (idnVerification, error) {
			v, err := env.emails.PrepareVerification(context.Background(), id)
			if err != nil {
				return idnVerification{}, err
			}
			return idnVerification{v.ID, v.Verification}, nil
		},
		attempt: func(env *idnEnv, id, verificationID, code string) (idnVerification, error) {
			v, err := env.emails.AttemptVerification(context.Background(), id,
				&emailaddress.AttemptVerificationParams{
					VerificationID: clerk.String(verificationID), Code: clerk.String(code),
				})
			if err != nil {
				return idnVerification{}, err
			}
			return idnVerification{v.ID, v.Verification}, nil
		},
		shown: func(u *clerk.User, id string) (bool, *clerk.Verification) {
			for _, e := range u.EmailAddresses {
				if e.ID == id {
					return e.Reserved, e.Verification
				}
			}
			return false, nil
		},
	},
	{
		name: "phone", strategy: clerk.VerificationStrategyPhoneCode, channel: clerk.String("sms"),
		add: func(t *testing.T, env *idnEnv, userID string, verified bool) string {
			p, err := env.phones.Create(context.Background(), &phonenumber.CreateParams{
				UserID: clerk.String(userID), PhoneNumber: clerk.String("+15555551234"),
				Verified: clerk.Bool(verified),
			})
			require.NoError(t, err)
			return p.ID
		},
		prepare: func(env *idnEnv, id string) (idnVerification, error) {
			v, err := env.phones.PrepareVerification(context.Background(), id)
			if err != nil {
				return idnVerification{}, err
			}
			return idnVerification{v.ID, v.Verification}, nil
		},
		attempt: func(env *idnEnv, id, verificationID, code string) (idnVerification, error) {
			v, err := env.phones.AttemptVerification(context.Background(), id,
				&phonenumber.AttemptVerificationParams{
					VerificationID: clerk.String(verificationID), Code: clerk.String(code),
				})
			if err != nil {
				return idnVerification{}, err
			}
			return idnVerification{v.ID, v.Verification}, nil
		},
		shown: func(u *clerk.User, id string) (bool, *clerk.Verification) {
			for _, p := range u.PhoneNumbers {
				if p.ID == id {
					return p.Reserved, p.Verification
				}
			}
			return false, nil
		},
	},
}

// idnWrongCode returns a code that differs from code.
func idnWrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

var idnSixDigits = regexp.MustCompile(`^[0-9]{6}$`)

func TestVerificationCodeFlow(t *testing.T) {
	t.Parallel()
	for _, k := range idnCodeKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			clock := newIdnClock()
			env := newIdnEnv(t, clock.option())
			u := env.newUser(t, []string{"ada@example.com"})
			id := k.add(t, env, u.ID, false)

			_, ok := env.srv.LastVerificationCode(id)
			assert.False(t, ok, "a code before any was prepared")

			v, err := k.prepare(env, id)
			require.NoError(t, err)
			assert.Equal(t, "verification_otp", v.Object)
			assert.Equal(t, clerk.VerificationStatusUnverified, v.Status)
			assert.Equal(t, k.strategy, v.Strategy)
			assert.Equal(t, clerk.Int64(0), v.Attempts)
			assert.Equal(t, clerk.Int64(clock.millis()+10*60*1000), v.ExpireAt)
			assert.Equal(t, k.channel, v.Channel)
			code, ok := env.srv.LastVerificationCode(id)
			require.True(t, ok)
			assert.Regexp(t, idnSixDigits, code)

			// A idnWrongCode code fails and counts; the identifier is untouched.
			got, err := k.attempt(env, id, v.id, idnWrongCode(code))
			require.NoError(t, err)
			assert.Equal(t, clerk.VerificationStatusFailed, got.Status)
			assert.Equal(t, clerk.Int64(1), got.Attempts)
			_, shown := k.shown(env.get(t, u.ID), id)
			assert.Equal(t, clerk.VerificationStatusUnverified, shown.Status)

			// The right code then verifies both the verification and the identifier.
			clock.add(time.Minute)
			got, err = k.attempt(env, id, v.id, code)
			require.NoError(t, err)
			assert.Equal(t, v.id, got.id)
			assert.Equal(t, clerk.VerificationStatusVerified, got.Status)
			assert.Equal(t, clerk.Int64(2), got.Attempts)
			after := env.get(t, u.ID)
			_, shown = k.shown(after, id)
			assert.Equal(t, &clerk.Verification{Object: "verification_otp",
				Status: clerk.VerificationStatusVerified, Strategy: k.strategy,
				Attempts: clerk.Int64(2), ExpireAt: v.ExpireAt, Channel: k.channel}, shown)
			assert.Equal(t, clock.millis(), after.UpdatedAt)

			// A verification accepts one code only.
			_, err = k.attempt(env, id, v.id, code)
			idnAPIError(t, err, http.StatusBadRequest, "verification_already_verified")
		})
	}
}

func TestVerificationCodeFailures(t *testing.T) {
	t.Parallel()
	for _, k := range idnCodeKinds {
		t.Run(k.name+" expired", func(t *testing.T) {
			t.Parallel()
			clock := newIdnClock()
			env := newIdnEnv(t, clock.option())
			u := env.newUser(t, []string{"ada@example.com"})
			id := k.add(t, env, u.ID, false)
			v, err := k.prepare(env, id)
			require.NoError(t, err)
			code, _ := env.srv.LastVerificationCode(id)

			clock.add(10 * time.Minute)
			got, err := k.attempt(env, id, v.id, code)
			require.NoError(t, err)
			assert.Equal(t, clerk.VerificationStatusExpired, got.Status)
			assert.Equal(t, clerk.Int64(1), got.Attempts)
			_, shown := k.shown(env.get(t, u.ID), id)
			assert.Equal(t, clerk.VerificationStatusUnverified, shown.Status)

			// A new code works where the old one expired.
			v2, err := k.prepare(env, id)
			require.NoError(t, err)
			assert.NotEqual(t, v.id, v2.id)
			code2, _ := env.srv.LastVerificationCode(id)
			got, err = k.attempt(env, id, v2.id, code2)
			require.NoError(t, err)
			assert.Equal(t, clerk.VerificationStatusVerified, got.Status)
		})

		t.Run(k.name+" too many attempts", func(t *testing.T) {
			t.Parallel()
			env := newIdnEnv(t)
			u := env.newUser(t, []string{"ada@example.com"})
			id := k.add(t, env, u.ID, false)
			v, err := k.prepare(env, id)
			require.NoError(t, err)
			code, _ := env.srv.LastVerificationCode(id)

			for i := 1; i <= 5; i++ {
				got, err := k.attempt(env, id, v.id, idnWrongCode(code))
				require.NoError(t, err)
				assert.Equal(t, clerk.VerificationStatusFailed, got.Status)
				assert.Equal(t, clerk.Int64(int64(i)), got.Attempts)
			}
			got, err := k.attempt(env, id, v.id, code)
			require.NoError(t, err)
			assert.Equal(t, clerk.VerificationStatusFailed, got.Status,
				"the right code after five idnWrongCode ones")
			assert.Equal(t, clerk.Int64(6), got.Attempts)
			_, shown := k.shown(env.get(t, u.ID), id)
			assert.Equal(t, clerk.VerificationStatusUnverified, shown.Status)
		})

		t.Run(k.name+" not found", func(t *testing.T) {
			t.Parallel()
			env := newIdnEnv(t)
			u := env.newUser(t, []string{"ada@example.com"})
			id := k.add(t, env, u.ID, false)
			other := env.newUser(t, []string{"grace@example.com"})
			otherID := k.add(t, env, other.ID, false)
			otherV, err := k.prepare(env, otherID)
			require.NoError(t, err)

			_, err = k.prepare(env, "idn_missing")
			idnAPIError(t, err, http.StatusNotFound, "resource_not_found")
			_, err = k.attempt(env, "idn_missing", otherV.id, "123456")
			idnAPIError(t, err, http.StatusNotFound, "resource_not_found")
			_, err = k.attempt(env, id, "ver_missing", "123456")
			idnAPIError(t, err, http.StatusNotFound, "resource_not_found")
			// A verification of another identifier is not one of this identifier's.
			code, _ := env.srv.LastVerificationCode(otherID)
			_, err = k.attempt(env, id, otherV.id, code)
			idnAPIError(t, err, http.StatusNotFound, "resource_not_found")
		})

		t.Run(k.name+" verified already", func(t *testing.T) {
			t.Parallel()
			env := newIdnEnv(t)
			u := env.newUser(t, []string{"ada@example.com"})
			id := k.add(t, env, u.ID, true)
			_, before := k.shown(env.get(t, u.ID), id)

			// A backend may check a verified identifier again; the identifier keeps its
			// verification.
			v, err := k.prepare(env, id)
			require.NoError(t, err)
			code, _ := env.srv.LastVerificationCode(id)
			got, err := k.attempt(env, id, v.id, code)
			require.NoError(t, err)
			assert.Equal(t, clerk.VerificationStatusVerified, got.Status)
			_, after := k.shown(env.get(t, u.ID), id)
			assert.Equal(t, before, after)
		})

		t.Run(k.name+" earlier code", func(t *testing.T) {
			t.Parallel()
			env := newIdnEnv(t)
			u := env.newUser(t, []string{"ada@example.com"})
			id := k.add(t, env, u.ID, false)
			first, err := k.prepare(env, id)
			require.NoError(t, err)
			firstCode, _ := env.srv.LastVerificationCode(id)
			_, err = k.prepare(env, id)
			require.NoError(t, err)

			// Each verification keeps its own code until it expires.
			got, err := k.attempt(env, id, first.id, firstCode)
			require.NoError(t, err)
			assert.Equal(t, clerk.VerificationStatusVerified, got.Status)
		})
	}
}

// TestVerifyReserved checks that a reserved address verified by code is no longer reserved.
func TestVerifyReserved(t *testing.T) {
	t.Parallel()
	env := newIdnEnv(t)
	u, err := env.users.Create(context.Background(), &user.CreateParams{
		EmailAddresses:                   []string{"ada@example.com"},
		EmailAddressIdentificationStatus: []string{"reserved"},
	})
	require.NoError(t, err)
	id := u.EmailAddresses[0].ID
	require.True(t, u.EmailAddresses[0].Reserved)

	v, err := idnCodeKinds[0].prepare(env, id)
	require.NoError(t, err)
	code, _ := env.srv.LastVerificationCode(id)
	_, err = idnCodeKinds[0].attempt(env, id, v.id, code)
	require.NoError(t, err)
	reserved, shown := idnCodeKinds[0].shown(env.get(t, u.ID), id)
	assert.False(t, reserved)
	assert.Equal(t, clerk.VerificationStatusVerified, shown.Status)
}

func TestPhoneCodeRateLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newIdnClock()
	env := newIdnEnv(t, clock.option())
	cfg := env.srv.Config()
	cfg.MaxRetries = -1
	phones := phonenumber.NewClient(cfg)
	u := env.newUser(t, []string{"ada@example.com"}, "+15555550100")
	phoneID := *u.PrimaryPhoneNumberID

	for i := range 5 {
		_, err := phones.PrepareVerification(ctx, phoneID)
		require.NoError(t, err, "code %d", i+1)
		clock.add(time.Minute)
	}
	_, err := phones.PrepareVerification(ctx, phoneID)
	apiErr := idnAPIError(t, err, http.StatusTooManyRequests, "too_many_requests")
	assert.True(t, errors.Is(err, clerk.ErrRateLimited))
	// The first code was sent five minutes ago, and leaves the window in five more.
	assert.Equal(t, 5*time.Minute, apiErr.RetryAfter)

	clock.add(5 * time.Minute)
	_, err = phones.PrepareVerification(ctx, phoneID)
	require.NoError(t, err, "once the oldest code left the window")

	// Email addresses have no such limit.
	emailID := *u.PrimaryEmailAddressID
	for i := range 8 {
		_, err := env.emails.PrepareVerification(ctx, emailID)
		require.NoError(t, err, "email code %d", i+1)
	}
}

// TestTestIdentifiers checks that test email addresses and fictional phone numbers take the
// code 424242, as on a development instance in test mode, and that others do not.
func TestTestIdentifiers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	u := env.newUser(t, []string{"ada@example.com"})
	email := func(addr string) string { return env.addEmail(t, u.ID, addr, false, false).ID }
	phone := func(number string) string {
		p, err := env.phones.Create(ctx, &phonenumber.CreateParams{
			UserID: clerk.String(u.ID), PhoneNumber: clerk.String(number),
		})
		require.NoError(t, err)
		return p.ID
	}
	tests := []struct {
		name  string
		kind  idnCodeKind
		id    string
		fixed bool
	}{
		{"clerk_test subaddress", idnCodeKinds[0], email("jane+clerk_test@example.com"), true},
		{"clerk_test in capitals", idnCodeKinds[0], email("Doe+Clerk_Test@example.com"), true},
		{"other subaddress", idnCodeKinds[0], email("jane+work@example.com"), false},
		{"clerk_test domain", idnCodeKinds[0], email("jane@clerk_test.example.com"), false},
		{"fictional number", idnCodeKinds[1], phone("+12015550100"), true},
		{"last fictional number", idnCodeKinds[1], phone("+19735550199"), true},
		{"555 but not 01xx", idnCodeKinds[1], phone("+12015550200"), false},
		{"not North American", idnCodeKinds[1], phone("+442015550100"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.kind.prepare(env, tt.id)
			require.NoError(t, err)
			code, ok := env.srv.LastVerificationCode(tt.id)
			require.True(t, ok)
			if tt.fixed {
				assert.Equal(t, "424242", code)
			}
			if code == "424242" && !tt.fixed {
				t.Skip("the random code happened to be 424242")
			}
			got, err := tt.kind.attempt(env, tt.id, v.id, "424242")
			require.NoError(t, err)
			want := clerk.VerificationStatusFailed
			if tt.fixed {
				want = clerk.VerificationStatusVerified
			}
			assert.Equal(t, want, got.Status)
		})
	}
}
