package phonenumber

import (
	"context"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/codeverify"
)

// Verification is a one-time code check of a phone number: PrepareVerification starts one and
// sends the code, AttemptVerification checks a code against it. Use Verified to test for
// success.
type Verification = clerk.CodeVerification

// PrepareVerification sends a one-time code to the phone number and returns the pending
// verification (status "unverified") that the code belongs to. Keep its ID for
// AttemptVerification. A number that does not exist is an *clerk.APIError matching
// clerk.ErrNotFound; too many codes sent in a short time match clerk.ErrRateLimited.
func (c *Client) PrepareVerification(ctx context.Context, phoneNumberID string,
) (*Verification, error) {
	return codeverify.Prepare(ctx, c.b, "phone_numbers", "phone_number_id", phoneNumberID)
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
	if params == nil {
		params = &AttemptVerificationParams{}
	}
	return codeverify.Attempt(ctx, c.b, "phone_numbers", "phone_number_id", phoneNumberID,
		params.VerificationID, params.Code)
}

// AttemptVerification checks a one-time code sent to a phone number with the default
// configuration (see clerk.SetKey).
func AttemptVerification(ctx context.Context, phoneNumberID string,
	params *AttemptVerificationParams) (*Verification, error) {
	return defaultClient().AttemptVerification(ctx, phoneNumberID, params)
}
