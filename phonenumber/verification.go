package phonenumber

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// Verification is a one-time code check of a phone number: PrepareVerification starts one and
// sends the code, AttemptVerification checks a code against it. Its Status is
// clerk.VerificationStatusUnverified while it waits for the right code, then
// VerificationStatusVerified, VerificationStatusFailed or VerificationStatusExpired; Strategy
// is "phone_code", Channel says how the code was delivered (such as "sms"), and Attempts
// counts the codes tried so far.
type Verification struct {
	// ID identifies the verification; pass it to AttemptVerification.
	ID string `json:"id"`
	clerk.Verification
}

// Verified reports whether the code was accepted.
func (v *Verification) Verified() bool {
	return v != nil && v.Status == clerk.VerificationStatusVerified
}

// PrepareVerification sends a one-time code to the phone number and returns the pending
// verification (status "unverified") that the code belongs to. Keep its ID for
// AttemptVerification. A number that does not exist is an *clerk.APIError matching
// clerk.ErrNotFound; too many codes sent in a short time match clerk.ErrRateLimited.
func (c *Client) PrepareVerification(ctx context.Context, phoneNumberID string,
) (*Verification, error) {
	if err := clerk.RequireID("phone_number_id", phoneNumberID); err != nil {
		return nil, err
	}
	path := clerk.JoinPath("phone_numbers", phoneNumberID, "prepare_verification")
	return c.verification(ctx, path, nil)
}

// PrepareVerification sends a one-time code to a phone number with the default
// configuration (see clerk.SetKey).
func PrepareVerification(ctx context.Context, phoneNumberID string) (*Verification, error) {
	return defaultClient().PrepareVerification(ctx, phoneNumberID)
}

// AttemptVerificationParams carry the code to check. Both fields are required.
type AttemptVerificationParams struct {
	// VerificationID is the ID of the Verification that PrepareVerification returned.
	VerificationID *string `json:"verification_id,omitempty"`
	// Code is the one-time code the user received.
	Code *string `json:"code,omitempty"`
}

func (p *AttemptVerificationParams) validate() error {
	if p == nil || p.VerificationID == nil {
		return &clerk.InvalidParamError{Param: "verification_id", Reason: "is required"}
	}
	if err := clerk.RequireID("verification_id", *p.VerificationID); err != nil {
		return err
	}
	if p.Code == nil || *p.Code == "" {
		return &clerk.InvalidParamError{Param: "code", Reason: "is required"}
	}
	return nil
}

// AttemptVerification checks a one-time code against a verification of the phone number.
// When the code is right, the number is marked verified as well (if it was not already).
//
// A wrong or expired code is not an error: err is nil and the returned Verification tells
// the outcome through its Status ("verified" when the code was accepted; "failed",
// "expired" or still "unverified" when it was not) and its Attempts. Use Verified to test
// for success. An error is returned when the API refuses the request itself: an
// *clerk.APIError matching clerk.ErrNotFound for an unknown number or verification, and one
// with HasCode("verification_already_verified") when the verification had already accepted
// a code.
func (c *Client) AttemptVerification(ctx context.Context, phoneNumberID string,
	params *AttemptVerificationParams) (*Verification, error) {
	if err := clerk.RequireID("phone_number_id", phoneNumberID); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	path := clerk.JoinPath("phone_numbers", phoneNumberID, "attempt_verification")
	return c.verification(ctx, path, params)
}

// AttemptVerification checks a one-time code sent to a phone number with the default
// configuration (see clerk.SetKey).
func AttemptVerification(ctx context.Context, phoneNumberID string,
	params *AttemptVerificationParams) (*Verification, error) {
	return defaultClient().AttemptVerification(ctx, phoneNumberID, params)
}

// verification sends one POST whose answer is a verification.
func (c *Client) verification(ctx context.Context, path string, body any,
) (*Verification, error) {
	var v Verification
	req := &clerk.Request{Method: http.MethodPost, Path: path, Body: body}
	if err := c.b.Do(ctx, req, &v); err != nil {
		return nil, err
	}
	return &v, nil
}
