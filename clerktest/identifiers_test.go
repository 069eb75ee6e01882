package clerktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/user"
)

// idnEnv is a server with a client for each package the identifier tests use.
type idnEnv struct {
	srv      *clerktest.Server
	users    *user.Client
	emails   *emailaddress.Client
	phones   *phonenumber.Client
	accounts *externalaccount.Client
}

func newIdnEnv(t *testing.T, opts ...clerktest.Option) *idnEnv {
	t.Helper()
	srv := clerktest.NewServer(opts...)
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	return &idnEnv{srv: srv, users: user.NewClient(cfg), emails: emailaddress.NewClient(cfg),
		phones: phonenumber.NewClient(cfg), accounts: externalaccount.NewClient(cfg)}
}

// newUser creates a user with the given email addresses (verified, the first primary) and
// phone numbers.
func (e *idnEnv) newUser(t *testing.T, emails []string, phones ...string) *clerk.User {
	t.Helper()
	u, err := e.users.Create(context.Background(), &user.CreateParams{
		EmailAddresses: emails, PhoneNumbers: phones,
		SkipPasswordRequirement: clerk.Bool(true),
	})
	require.NoError(t, err)
	return u
}

func (e *idnEnv) get(t *testing.T, id string) *clerk.User {
	t.Helper()
	u, err := e.users.Get(context.Background(), id)
	require.NoError(t, err)
	return u
}

func (e *idnEnv) addEmail(t *testing.T, userID, addr string, verified, primary bool,
) *clerk.EmailAddress {
	t.Helper()
	got, err := e.emails.Create(context.Background(), &emailaddress.CreateParams{
		UserID: clerk.String(userID), EmailAddress: clerk.String(addr),
		Verified: clerk.Bool(verified), Primary: clerk.Bool(primary),
	})
	require.NoError(t, err)
	return got
}

// idnAPIError checks that err is an *clerk.APIError with status and code.
func idnAPIError(t *testing.T, err error, status int, code string) *clerk.APIError {
	t.Helper()
	var apiErr *clerk.APIError
	require.True(t, errors.As(err, &apiErr), "got %T (%v), want *clerk.APIError", err, err)
	assert.Equal(t, status, apiErr.HTTPStatusCode, "status")
	assert.True(t, apiErr.HasCode(code), "got codes %+v, want %s", apiErr.Errors, code)
	return apiErr
}

// idnEmails returns the user's addresses as "address status" strings, in order.
func idnEmails(u *clerk.User) []string {
	out := []string{}
	for _, e := range u.EmailAddresses {
		out = append(out, e.EmailAddress+" "+e.Verification.Status)
	}
	return out
}

func idnPhones(u *clerk.User) []string {
	out := []string{}
	for _, p := range u.PhoneNumbers {
		out = append(out, p.PhoneNumber+" "+p.Verification.Status)
	}
	return out
}

func idnPrimaryEmail(u *clerk.User) string {
	for _, e := range u.EmailAddresses {
		if u.PrimaryEmailAddressID != nil && *u.PrimaryEmailAddressID == e.ID {
			return e.EmailAddress
		}
	}
	return ""
}

func idnPrimaryPhone(u *clerk.User) string {
	for _, p := range u.PhoneNumbers {
		if u.PrimaryPhoneNumberID != nil && *u.PrimaryPhoneNumberID == p.ID {
			return p.PhoneNumber
		}
	}
	return ""
}

// idnRaw sends a request that the SDK would refuse to build, with the server's key, and
// returns the status and the error code of the answer.
func idnRaw(t *testing.T, srv *clerktest.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL()+path,
		bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.Key())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var doc struct {
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	if json.Unmarshal(raw, &doc) != nil || len(doc.Errors) == 0 {
		return resp.StatusCode, ""
	}
	return resp.StatusCode, doc.Errors[0].Code
}

func TestEmailAddressLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	u := env.newUser(t, []string{"ada@example.com"})
	oldID := *u.PrimaryEmailAddressID

	// An unverified second address: listed, not primary.
	added := env.addEmail(t, u.ID, "Ada.Work@Example.com", false, false)
	assert.Equal(t, "email_address", added.Object)
	assert.Equal(t, "ada.work@example.com", added.EmailAddress, "stored in lower case")
	assert.False(t, added.Reserved)
	assert.Equal(t, []clerk.IdentificationLink{}, added.LinkedTo)
	require.NotNil(t, added.Verification)
	assert.Equal(t, "verification_otp", added.Verification.Object)
	assert.Equal(t, clerk.VerificationStatusUnverified, added.Verification.Status)
	assert.Equal(t, clerk.VerificationStrategyEmailCode, added.Verification.Strategy)
	got := env.get(t, u.ID)
	assert.Equal(t, []string{"ada@example.com verified", "ada.work@example.com unverified"},
		idnEmails(got))
	assert.Equal(t, "ada@example.com", idnPrimaryEmail(got))
	assert.Greater(t, got.UpdatedAt, int64(0))

	read, err := env.emails.Get(ctx, added.ID)
	require.NoError(t, err)
	assert.Equal(t, added, read)

	// An unverified address cannot become primary; once verified it can.
	_, err = env.emails.Update(ctx, added.ID, &emailaddress.UpdateParams{Primary: clerk.Bool(true)})
	idnAPIError(t, err, http.StatusBadRequest, "form_param_value_invalid")
	assert.Equal(t, oldID, *env.get(t, u.ID).PrimaryEmailAddressID, "primary after refusal")

	updated, err := env.emails.Update(ctx, added.ID, &emailaddress.UpdateParams{
		Verified: clerk.Bool(true), Primary: clerk.Bool(true),
	})
	require.NoError(t, err)
	assert.Equal(t, "verification_admin", updated.Verification.Object)
	assert.Equal(t, clerk.VerificationStrategyAdmin, updated.Verification.Strategy)
	got = env.get(t, u.ID)
	assert.Equal(t, "ada.work@example.com", idnPrimaryEmail(got))
	assert.Equal(t, []string{"ada@example.com verified", "ada.work@example.com verified"},
		idnEmails(got))

	// An update that changes nothing leaves the address alone.
	same, err := env.emails.Update(ctx, added.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, updated, same)

	del, err := env.emails.Delete(ctx, oldID)
	require.NoError(t, err)
	assert.Equal(t, &clerk.DeletedObject{Object: "email_address", ID: oldID, Deleted: true}, del)
	got = env.get(t, u.ID)
	assert.Equal(t, []string{"ada.work@example.com verified"}, idnEmails(got))
	assert.Equal(t, added.ID, *got.PrimaryEmailAddressID)

	_, err = env.emails.Get(ctx, oldID)
	idnAPIError(t, err, http.StatusNotFound, "resource_not_found")

	// The last way to sign in stays.
	_, err = env.emails.Delete(ctx, added.ID)
	idnAPIError(t, err, http.StatusBadRequest, "identification_deletion_failed")
	assert.Len(t, env.get(t, u.ID).EmailAddresses, 1)
}

func TestEmailAddressPrimaryRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)

	// A user's first address is primary whatever the request says, verified or not.
	u := env.newUser(t, nil, "+15555550100")
	first := env.addEmail(t, u.ID, "first@example.com", false, false)
	assert.Equal(t, first.ID, *env.get(t, u.ID).PrimaryEmailAddressID)

	// A verified address asked to be primary becomes it; an unverified one is refused.
	second := env.addEmail(t, u.ID, "second@example.com", true, true)
	assert.Equal(t, second.ID, *env.get(t, u.ID).PrimaryEmailAddressID)
	_, err := env.emails.Create(ctx, &emailaddress.CreateParams{
		UserID: clerk.String(u.ID), EmailAddress: clerk.String("third@example.com"),
		Primary: clerk.Bool(true),
	})
	idnAPIError(t, err, http.StatusUnprocessableEntity, "form_param_value_invalid")
	assert.Len(t, env.get(t, u.ID).EmailAddresses, 2, "a refused create adds nothing")

	// Deleting the primary makes the oldest remaining verified address primary.
	third := env.addEmail(t, u.ID, "third@example.com", true, false)
	_, err = env.emails.Delete(ctx, second.ID)
	require.NoError(t, err)
	got := env.get(t, u.ID)
	assert.Equal(t, third.ID, *got.PrimaryEmailAddressID)
	assert.Equal(t, []string{"first@example.com unverified", "third@example.com verified"},
		idnEmails(got))

	// With no verified address left, the oldest one is primary; with none, there is none.
	_, err = env.emails.Delete(ctx, third.ID)
	require.NoError(t, err)
	assert.Equal(t, first.ID, *env.get(t, u.ID).PrimaryEmailAddressID)
	_, err = env.emails.Delete(ctx, first.ID)
	require.NoError(t, err)
	got = env.get(t, u.ID)
	assert.Nil(t, got.PrimaryEmailAddressID)
	assert.Empty(t, got.EmailAddresses)
}

func TestEmailAddressErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	ada := env.newUser(t, []string{"ada@example.com"})
	grace := env.newUser(t, []string{"grace@example.com"})
	env.addEmail(t, grace.ID, "pending@example.com", false, false)
	phone, err := env.phones.Create(ctx, &phonenumber.CreateParams{
		UserID: clerk.String(ada.ID), PhoneNumber: clerk.String("+15555550101"),
	})
	require.NoError(t, err)

	create := func(userID, addr string) error {
		_, err := env.emails.Create(ctx, &emailaddress.CreateParams{
			UserID: clerk.String(userID), EmailAddress: clerk.String(addr),
			Verified: clerk.Bool(true),
		})
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"held by another user", func() error { return create(ada.ID, "GRACE@example.com") },
			http.StatusUnprocessableEntity, "form_identifier_exists"},
		{"the user has it", func() error { return create(ada.ID, "Ada@Example.com") },
			http.StatusUnprocessableEntity, "form_identifier_exists"},
		{"the user has it unverified", func() error {
			return create(grace.ID, "pending@example.com")
		}, http.StatusUnprocessableEntity, "form_identifier_exists"},
		{"not an address", func() error { return create(ada.ID, "ada.example.com") },
			http.StatusUnprocessableEntity, "form_param_format_invalid"},
		{"no domain dot", func() error { return create(ada.ID, "ada@localhost") },
			http.StatusUnprocessableEntity, "form_param_format_invalid"},
		{"unknown user", func() error { return create("user_missing", "new@example.com") },
			http.StatusNotFound, "resource_not_found"},
		{"get unknown", func() error {
			_, err := env.emails.Get(ctx, "idn_missing")
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"get a phone number's ID", func() error {
			_, err := env.emails.Get(ctx, phone.ID)
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"update unknown", func() error {
			_, err := env.emails.Update(ctx, "idn_missing",
				&emailaddress.UpdateParams{Verified: clerk.Bool(true)})
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"delete unknown", func() error {
			_, err := env.emails.Delete(ctx, "idn_missing")
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"delete a phone number's ID", func() error {
			_, err := env.emails.Delete(ctx, phone.ID)
			return err
		}, http.StatusNotFound, "resource_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idnAPIError(t, tt.call(), tt.status, tt.code)
		})
	}

	// Nothing above changed either user.
	assert.Equal(t, []string{"ada@example.com verified"}, idnEmails(env.get(t, ada.ID)))
	assert.Equal(t, []string{"grace@example.com verified", "pending@example.com unverified"},
		idnEmails(env.get(t, grace.ID)))
}

func TestEmailAddressRawRequests(t *testing.T) {
	t.Parallel()
	env := newIdnEnv(t)
	u := env.newUser(t, []string{"ada@example.com"})
	addr := env.addEmail(t, u.ID, "second@example.com", false, false)

	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"create without user", http.MethodPost, "/email_addresses",
			`{"email_address":"x@example.com"}`, 422, "form_param_missing"},
		{"create without address", http.MethodPost, "/email_addresses",
			`{"user_id":"` + u.ID + `"}`, 422, "form_param_missing"},
		{"create with unknown param", http.MethodPost, "/email_addresses",
			`{"user_id":"` + u.ID + `","email_address":"x@example.com","color":"red"}`, 422,
			"form_param_unknown"},
		{"create with idnWrongCode type", http.MethodPost, "/email_addresses",
			`{"user_id":"` + u.ID + `","email_address":"x@example.com","verified":"yes"}`, 422,
			"form_param_format_invalid"},
		{"update with unknown param", http.MethodPatch, "/email_addresses/" + addr.ID,
			`{"color":"red"}`, 400, "form_param_unknown"},
		{"attempt without code", http.MethodPost,
			"/email_addresses/" + addr.ID + "/attempt_verification",
			`{"verification_id":"ver_1"}`, 400, "form_param_missing"},
		{"attempt without verification", http.MethodPost,
			"/email_addresses/" + addr.ID + "/attempt_verification",
			`{"code":"123456"}`, 400, "form_param_missing"},
		{"replace without address", http.MethodPut, "/users/" + u.ID + "/email_address",
			`{}`, 422, "form_param_missing"},
		{"replace phone without number", http.MethodPut, "/users/" + u.ID + "/phone_number",
			`{"identification_status":"verified"}`, 422, "form_param_missing"},
		{"create phone without number", http.MethodPost, "/phone_numbers",
			`{"user_id":"` + u.ID + `"}`, 422, "form_param_missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, code := idnRaw(t, env.srv, tt.method, tt.path, tt.body)
			assert.Equal(t, tt.status, status, "status")
			assert.Equal(t, tt.code, code, "code")
		})
	}
}

// TestUnverifiedHoldsNothing checks that an unverified address does not keep it from other
// users, and that the first to verify it wins.
func TestUnverifiedHoldsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	ada := env.newUser(t, []string{"ada@example.com"})
	grace := env.newUser(t, []string{"grace@example.com"})

	adas := env.addEmail(t, ada.ID, "shared@example.com", false, false)
	graces := env.addEmail(t, grace.ID, "shared@example.com", false, false)

	// Grace verifies first; Ada can no longer verify it, by an administrator or by code.
	_, err := env.emails.Update(ctx, graces.ID, &emailaddress.UpdateParams{
		Verified: clerk.Bool(true),
	})
	require.NoError(t, err)
	_, err = env.emails.Update(ctx, adas.ID, &emailaddress.UpdateParams{
		Verified: clerk.Bool(true),
	})
	idnAPIError(t, err, http.StatusBadRequest, "form_identifier_exists")

	v, err := env.emails.PrepareVerification(ctx, adas.ID)
	require.NoError(t, err)
	code, ok := env.srv.LastVerificationCode(adas.ID)
	require.True(t, ok)
	_, err = env.emails.AttemptVerification(ctx, adas.ID, &emailaddress.AttemptVerificationParams{
		VerificationID: clerk.String(v.ID), Code: clerk.String(code),
	})
	idnAPIError(t, err, http.StatusBadRequest, "form_identifier_exists")
	assert.Equal(t, []string{"ada@example.com verified", "shared@example.com unverified"},
		idnEmails(env.get(t, ada.ID)))

	// Now that Grace holds it, no one else may add it, even unverified.
	_, err = env.emails.Create(ctx, &emailaddress.CreateParams{
		UserID:       clerk.String(env.newUser(t, []string{"third@example.com"}).ID),
		EmailAddress: clerk.String("shared@example.com"),
	})
	idnAPIError(t, err, http.StatusUnprocessableEntity, "form_identifier_exists")

	// The user filter finds every user who has the address, verified or not.
	found, err := env.users.List(ctx, &user.ListParams{EmailAddresses: []string{
		"shared@example.com"}})
	require.NoError(t, err)
	assert.Len(t, found, 2)
}

func TestPhoneNumberLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	u := env.newUser(t, []string{"ada@example.com"})
	assert.False(t, u.TwoFactorEnabled)

	first, err := env.phones.Create(ctx, &phonenumber.CreateParams{
		UserID: clerk.String(u.ID), PhoneNumber: clerk.String("+15555550100"),
	})
	require.NoError(t, err)
	assert.Equal(t, "phone_number", first.Object)
	assert.Equal(t, clerk.VerificationStatusUnverified, first.Verification.Status)
	assert.Equal(t, clerk.VerificationStrategyPhoneCode, first.Verification.Strategy)
	assert.False(t, first.ReservedForSecondFactor)
	got := env.get(t, u.ID)
	assert.Equal(t, []string{"+15555550100 unverified"}, idnPhones(got))
	assert.Equal(t, "+15555550100", idnPrimaryPhone(got), "the first number is primary")

	// A second-factor number must be verified; the first one becomes the default.
	_, err = env.phones.Create(ctx, &phonenumber.CreateParams{
		UserID: clerk.String(u.ID), PhoneNumber: clerk.String("+15555550101"),
		ReservedForSecondFactor: clerk.Bool(true),
	})
	idnAPIError(t, err, http.StatusUnprocessableEntity, "form_param_value_invalid")
	mfa1, err := env.phones.Create(ctx, &phonenumber.CreateParams{
		UserID: clerk.String(u.ID), PhoneNumber: clerk.String("+15555550101"),
		Verified: clerk.Bool(true), ReservedForSecondFactor: clerk.Bool(true),
	})
	require.NoError(t, err)
	assert.True(t, mfa1.ReservedForSecondFactor)
	assert.True(t, mfa1.DefaultSecondFactor)
	mfa2, err := env.phones.Create(ctx, &phonenumber.CreateParams{
		UserID: clerk.String(u.ID), PhoneNumber: clerk.String("+15555550102"),
		Verified: clerk.Bool(true), ReservedForSecondFactor: clerk.Bool(true),
		Primary: clerk.Bool(true),
	})
	require.NoError(t, err)
	assert.False(t, mfa2.DefaultSecondFactor, "a second default")
	got = env.get(t, u.ID)
	assert.True(t, got.TwoFactorEnabled)
	assert.NotNil(t, got.MFAEnabledAt)
	assert.Equal(t, "+15555550102", idnPrimaryPhone(got))

	// Deleting the default second factor moves the default to the other reserved number.
	_, err = env.phones.Delete(ctx, mfa1.ID)
	require.NoError(t, err)
	moved, err := env.phones.Get(ctx, mfa2.ID)
	require.NoError(t, err)
	assert.True(t, moved.DefaultSecondFactor)

	// Releasing the last second-factor number turns MFA off.
	released, err := env.phones.Update(ctx, mfa2.ID, &phonenumber.UpdateParams{
		ReservedForSecondFactor: clerk.Bool(false),
	})
	require.NoError(t, err)
	assert.False(t, released.ReservedForSecondFactor)
	assert.False(t, released.DefaultSecondFactor)
	got = env.get(t, u.ID)
	assert.False(t, got.TwoFactorEnabled)
	assert.NotNil(t, got.MFADisabledAt)

	// Update: reserving an unverified number is refused; verifying it, then primary, works.
	_, err = env.phones.Update(ctx, first.ID, &phonenumber.UpdateParams{
		ReservedForSecondFactor: clerk.Bool(true),
	})
	idnAPIError(t, err, http.StatusBadRequest, "form_param_value_invalid")
	_, err = env.phones.Update(ctx, first.ID, &phonenumber.UpdateParams{Primary: clerk.Bool(true)})
	idnAPIError(t, err, http.StatusBadRequest, "form_param_value_invalid")
	verified, err := env.phones.Update(ctx, first.ID, &phonenumber.UpdateParams{
		Verified: clerk.Bool(true), Primary: clerk.Bool(true),
		ReservedForSecondFactor: clerk.Bool(true),
	})
	require.NoError(t, err)
	assert.Equal(t, "verification_admin", verified.Verification.Object)
	assert.True(t, verified.DefaultSecondFactor)
	got = env.get(t, u.ID)
	assert.Equal(t, "+15555550100", idnPrimaryPhone(got))
	assert.Equal(t, []string{"+15555550100 verified", "+15555550102 verified"}, idnPhones(got))
	assert.True(t, got.TwoFactorEnabled)

	del, err := env.phones.Delete(ctx, first.ID)
	require.NoError(t, err)
	assert.Equal(t, &clerk.DeletedObject{Object: "phone_number", ID: first.ID, Deleted: true}, del)
	got = env.get(t, u.ID)
	assert.Equal(t, "+15555550102", idnPrimaryPhone(got))
	assert.Equal(t, []string{"+15555550102 verified"}, idnPhones(got))
}

func TestPhoneNumberErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	ada := env.newUser(t, []string{"ada@example.com"}, "+15555550100")
	grace := env.newUser(t, nil, "+15555550200")

	create := func(userID, number string) error {
		_, err := env.phones.Create(ctx, &phonenumber.CreateParams{
			UserID: clerk.String(userID), PhoneNumber: clerk.String(number),
		})
		return err
	}
	tests := []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"held by another user", func() error { return create(ada.ID, "+15555550200") },
			http.StatusUnprocessableEntity, "form_identifier_exists"},
		{"the user has it", func() error { return create(ada.ID, "+15555550100") },
			http.StatusUnprocessableEntity, "form_identifier_exists"},
		{"not E.164", func() error { return create(ada.ID, "555-0100") },
			http.StatusUnprocessableEntity, "form_param_format_invalid"},
		{"no plus", func() error { return create(ada.ID, "15555550100") },
			http.StatusUnprocessableEntity, "form_param_format_invalid"},
		{"unknown user", func() error { return create("user_missing", "+15555550300") },
			http.StatusNotFound, "resource_not_found"},
		{"get unknown", func() error {
			_, err := env.phones.Get(ctx, "idn_missing")
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"update unknown", func() error {
			_, err := env.phones.Update(ctx, "idn_missing", nil)
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"delete unknown", func() error {
			_, err := env.phones.Delete(ctx, "idn_missing")
			return err
		}, http.StatusNotFound, "resource_not_found"},
		{"delete the last way to sign in", func() error {
			_, err := env.phones.Delete(ctx, *grace.PrimaryPhoneNumberID)
			return err
		}, http.StatusBadRequest, "identification_deletion_failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idnAPIError(t, tt.call(), tt.status, tt.code)
		})
	}
	assert.Equal(t, []string{"+15555550100 verified"}, idnPhones(env.get(t, ada.ID)))
	assert.Equal(t, []string{"+15555550200 verified"}, idnPhones(env.get(t, grace.ID)))
}

func TestReplaceEmailAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		status       *string
		wantStatus   string
		wantReserved bool
		wantObject   string
	}{
		{nil, clerk.VerificationStatusVerified, false, "verification_admin"},
		{clerk.String(user.IdentificationVerified), clerk.VerificationStatusVerified, false,
			"verification_admin"},
		{clerk.String(user.IdentificationReserved), clerk.VerificationStatusUnverified, true,
			"verification_otp"},
		{clerk.String(user.IdentificationUnverified), clerk.VerificationStatusUnverified, false,
			"verification_otp"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(idnStatusName(tt.status)), func(t *testing.T) {
			t.Parallel()
			env := newIdnEnv(t)
			u := env.newUser(t, []string{"old@example.com", "older@example.com"})
			old := u.EmailAddresses[0].ID
			_, err := env.emails.PrepareVerification(ctx, old)
			require.NoError(t, err)

			got, err := env.users.ReplaceEmailAddress(ctx, u.ID, &user.ReplaceEmailAddressParams{
				EmailAddress: "New@Example.com", IdentificationStatus: tt.status,
			})
			require.NoError(t, err)
			assert.Equal(t, "new@example.com", got.EmailAddress)
			assert.Equal(t, tt.wantStatus, got.Verification.Status)
			assert.Equal(t, tt.wantObject, got.Verification.Object)
			assert.Equal(t, tt.wantReserved, got.Reserved)

			after := env.get(t, u.ID)
			require.Len(t, after.EmailAddresses, 1)
			assert.Equal(t, got, after.EmailAddresses[0])
			assert.Equal(t, got.ID, *after.PrimaryEmailAddressID)
			_, err = env.emails.Get(ctx, old)
			idnAPIError(t, err, http.StatusNotFound, "resource_not_found")

			// The replaced address is free again for anyone.
			other := env.newUser(t, []string{"old@example.com"})
			assert.Equal(t, "old@example.com", idnPrimaryEmail(other))
		})
	}
}

func TestReplaceErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	ada := env.newUser(t, []string{"ada@example.com"}, "+15555550100")
	grace := env.newUser(t, []string{"grace@example.com"}, "+15555550200")
	linked := env.newUser(t, []string{"linked@example.com"})
	_, err := env.srv.SeedExternalAccount(linked.ID, "oauth_google", "g-1")
	require.NoError(t, err)

	replaceEmail := func(userID, addr string, status *string) error {
		_, err := env.users.ReplaceEmailAddress(ctx, userID, &user.ReplaceEmailAddressParams{
			EmailAddress: addr, IdentificationStatus: status,
		})
		return err
	}
	replacePhone := func(userID, number string, status *string) error {
		_, err := env.users.ReplacePhoneNumber(ctx, userID, &user.ReplacePhoneNumberParams{
			PhoneNumber: number, IdentificationStatus: status,
		})
		return err
	}
	tests := []struct {
		name   string
		err    func() error
		status int
		code   string
	}{
		{"email held by another user", func() error {
			return replaceEmail(ada.ID, "grace@example.com", nil)
		}, 422, "form_identifier_exists"},
		{"unverified email held by another user", func() error {
			return replaceEmail(ada.ID, "grace@example.com", clerk.String("unverified"))
		}, 422, "form_identifier_exists"},
		{"malformed email", func() error { return replaceEmail(ada.ID, "nope", nil) },
			422, "form_param_format_invalid"},
		{"unknown status", func() error {
			return replaceEmail(ada.ID, "x@example.com", clerk.String("pending"))
		}, 422, "form_param_value_invalid"},
		{"unknown user", func() error { return replaceEmail("user_missing", "x@example.com", nil) },
			404, "resource_not_found"},
		{"linked to an account", func() error {
			return replaceEmail(linked.ID, "x@example.com", nil)
		}, 400, "identification_deletion_failed"},
		{"phone held by another user", func() error {
			return replacePhone(ada.ID, "+15555550200", nil)
		}, 422, "form_identifier_exists"},
		{"malformed phone", func() error { return replacePhone(ada.ID, "0100", nil) },
			422, "form_param_format_invalid"},
		{"unknown phone status", func() error {
			return replacePhone(ada.ID, "+15555550300", clerk.String("held"))
		}, 422, "form_param_value_invalid"},
		{"phone of unknown user", func() error {
			return replacePhone("user_missing", "+15555550300", nil)
		}, 404, "resource_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idnAPIError(t, tt.err(), tt.status, tt.code)
		})
	}
	assert.Equal(t, []string{"ada@example.com verified"}, idnEmails(env.get(t, ada.ID)))
	assert.Equal(t, []string{"+15555550100 verified"}, idnPhones(env.get(t, ada.ID)))
	assert.Equal(t, []string{"grace@example.com verified"}, idnEmails(env.get(t, grace.ID)))
	assert.Equal(t, []string{"linked@example.com verified"}, idnEmails(env.get(t, linked.ID)))
}

func TestReplacePhoneNumberTurnsOffMFA(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	u, err := env.users.Create(ctx, &user.CreateParams{
		EmailAddresses: []string{"ada@example.com"}, PhoneNumbers: []string{"+15555550100"},
		TOTPSecret: clerk.String("JBSWY3DPEHPK3PXP"), BackupCodes: []string{"one", "two"},
	})
	require.NoError(t, err)
	_, err = env.phones.Create(ctx, &phonenumber.CreateParams{
		UserID: clerk.String(u.ID), PhoneNumber: clerk.String("+15555550101"),
		Verified: clerk.Bool(true), ReservedForSecondFactor: clerk.Bool(true),
	})
	require.NoError(t, err)
	before := env.get(t, u.ID)
	require.True(t, before.TwoFactorEnabled)
	require.True(t, before.TOTPEnabled)

	got, err := env.users.ReplacePhoneNumber(ctx, u.ID, &user.ReplacePhoneNumberParams{
		PhoneNumber: "+15555550199",
	})
	require.NoError(t, err)
	assert.False(t, got.ReservedForSecondFactor)
	assert.Equal(t, clerk.VerificationStatusVerified, got.Verification.Status)

	after := env.get(t, u.ID)
	assert.Equal(t, []string{"+15555550199 verified"}, idnPhones(after))
	assert.Equal(t, got.ID, *after.PrimaryPhoneNumberID)
	assert.False(t, after.TwoFactorEnabled)
	assert.False(t, after.TOTPEnabled)
	assert.False(t, after.BackupCodeEnabled)
	assert.NotNil(t, after.MFADisabledAt)

	// Without a second-factor number, replacing leaves TOTP alone.
	v, err := env.users.Create(ctx, &user.CreateParams{
		PhoneNumbers: []string{"+15555550300"}, TOTPSecret: clerk.String("JBSWY3DPEHPK3PXP"),
	})
	require.NoError(t, err)
	_, err = env.users.ReplacePhoneNumber(ctx, v.ID, &user.ReplacePhoneNumberParams{
		PhoneNumber: "+15555550301", IdentificationStatus: clerk.String("reserved"),
	})
	require.NoError(t, err)
	kept := env.get(t, v.ID)
	assert.True(t, kept.TOTPEnabled)
	require.Len(t, kept.PhoneNumbers, 1)
	assert.True(t, kept.PhoneNumbers[0].Reserved)
}

func TestExternalAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	u := env.newUser(t, []string{"ada@example.com"})

	acct, err := env.srv.SeedExternalAccount(u.ID, "oauth_google", "g-123",
		clerktest.AccountToken("ya29.token", "email", "calendar"))
	require.NoError(t, err)
	assert.Equal(t, "oauth_google", acct.Provider)
	assert.Equal(t, "ada@example.com", acct.EmailAddress)
	_, err = env.srv.SeedExternalAccount(u.ID, "oauth_github", "gh-9",
		clerktest.AccountEmail("ada@github.example.com"), clerktest.AccountLabel("work"))
	require.NoError(t, err)

	got := env.get(t, u.ID)
	require.Len(t, got.ExternalAccounts, 2)
	assert.Equal(t, acct.ID, got.ExternalAccounts[0].ID)
	assert.Equal(t, []string{"ada@example.com verified", "ada@github.example.com verified"},
		idnEmails(got))
	assert.Equal(t, []clerk.IdentificationLink{{Type: "oauth_google", ID: acct.ID}},
		got.EmailAddresses[0].LinkedTo)

	listed, err := env.accounts.ListForUser(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, got.ExternalAccounts, listed)

	found, err := env.accounts.FindUser(ctx, "oauth_google", "g-123")
	require.NoError(t, err)
	assert.Equal(t, u.ID, found.ID)
	_, err = env.accounts.FindUser(ctx, "oauth_google", "g-999")
	assert.ErrorIs(t, err, externalaccount.ErrUserNotFound)

	tokens, err := env.accounts.AccessToken(ctx, u.ID, "oauth_google")
	require.NoError(t, err)
	require.Len(t, tokens, 1)
	assert.Equal(t, "ya29.token", tokens[0].Token)
	assert.Equal(t, []string{"email", "calendar"}, tokens[0].Scopes)

	// A linked address cannot be replaced away, and its account can be deleted.
	_, err = env.users.ReplaceEmailAddress(ctx, u.ID, &user.ReplaceEmailAddressParams{
		EmailAddress: "new@example.com"})
	idnAPIError(t, err, http.StatusBadRequest, "identification_deletion_failed")

	del, err := env.accounts.Delete(ctx, u.ID, acct.ID)
	require.NoError(t, err)
	assert.True(t, del.Deleted)
	got = env.get(t, u.ID)
	require.Len(t, got.ExternalAccounts, 1)
	assert.Equal(t, []clerk.IdentificationLink{}, got.EmailAddresses[0].LinkedTo)
	_, err = env.accounts.FindUser(ctx, "oauth_google", "g-123")
	assert.ErrorIs(t, err, clerk.ErrNotFound)
	tokens, err = env.accounts.AccessToken(ctx, u.ID, "oauth_google")
	require.NoError(t, err)
	assert.Empty(t, tokens)
	_, err = env.accounts.Delete(ctx, u.ID, acct.ID)
	idnAPIError(t, err, http.StatusNotFound, "resource_not_found")
}

// TestConcurrentIdentifierCreates adds addresses to one user from many goroutines, and races
// two users for one address.
func TestConcurrentIdentifierCreates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newIdnEnv(t)
	u := env.newUser(t, []string{"ada@example.com"})

	const n = 24
	var wg sync.WaitGroup
	created := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr, err := env.emails.Create(ctx, &emailaddress.CreateParams{
				UserID:       clerk.String(u.ID),
				EmailAddress: clerk.String(fmt.Sprintf("ada+%d@example.com", i)),
				Verified:     clerk.Bool(i%2 == 0), Primary: clerk.Bool(i%2 == 0),
			})
			errs[i] = err
			if err == nil {
				created[i] = addr.ID
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "create %d", i)
	}
	got := env.get(t, u.ID)
	require.Len(t, got.EmailAddresses, n+1)
	for _, id := range created {
		assert.True(t, slices.ContainsFunc(got.EmailAddresses, func(e *clerk.EmailAddress) bool {
			return e.ID == id
		}), "got no address %s", id)
	}
	primary := idnPrimaryEmail(got)
	assert.NotEmpty(t, primary)
	for _, e := range got.EmailAddresses {
		if e.EmailAddress == primary {
			assert.Equal(t, clerk.VerificationStatusVerified, e.Verification.Status,
				"the primary address is verified")
		}
	}

	// Two users race for one verified address: exactly one gets it.
	var wins atomic.Int32
	racers := []*clerk.User{env.newUser(t, []string{"a@example.com"}),
		env.newUser(t, []string{"b@example.com"})}
	for _, r := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := env.emails.Create(ctx, &emailaddress.CreateParams{
				UserID: clerk.String(r.ID), EmailAddress: clerk.String("race@example.com"),
				Verified: clerk.Bool(true),
			})
			if err == nil {
				wins.Add(1)
			} else {
				var apiErr *clerk.APIError
				if !errors.As(err, &apiErr) || !apiErr.HasCode("form_identifier_exists") {
					t.Errorf("got %v, want form_identifier_exists", err)
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load())
}

func idnStatusName(s *string) string {
	if s == nil {
		return "default"
	}
	return *s
}
