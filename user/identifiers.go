package user

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// Values of the IdentificationStatus of ReplaceEmailAddressParams and
// ReplacePhoneNumberParams.
const (
	// IdentificationVerified creates the identifier verified (the API's default).
	IdentificationVerified = "verified"
	// IdentificationReserved creates it unverified yet usable to sign in, and held so that
	// no other user can claim it.
	IdentificationReserved = "reserved"
	// IdentificationUnverified creates it neither usable to sign in nor held. A user left
	// with no other verified or reserved identifier can no longer sign in.
	IdentificationUnverified = "unverified"
)

// ReplaceEmailAddressParams is the address that ReplaceEmailAddress gives the user.
type ReplaceEmailAddressParams struct {
	// EmailAddress is the new address. Required.
	EmailAddress string `json:"email_address"`
	// IdentificationStatus is one of the Identification constants; verified when nil.
	IdentificationStatus *string `json:"identification_status,omitempty"`
	// NotifyPrimaryEmailAddressChanged emails the previous primary address about the change
	// when true.
	NotifyPrimaryEmailAddressChanged *bool `json:"notify_primary_email_address_changed,omitempty"`
}

// ReplacePhoneNumberParams is the number that ReplacePhoneNumber gives the user.
type ReplacePhoneNumberParams struct {
	// PhoneNumber is the new number in E.164 form, such as "+15555550100". Required.
	PhoneNumber string `json:"phone_number"`
	// IdentificationStatus is one of the Identification constants; verified when nil.
	IdentificationStatus *string `json:"identification_status,omitempty"`
}

// ReplaceEmailAddress deletes all of the user's email addresses and gives the user a single,
// primary one, and returns it. An address linked to a connected account makes the API refuse
// the call; remove that account first.
func (c *Client) ReplaceEmailAddress(ctx context.Context, userID string,
	params *ReplaceEmailAddressParams) (*clerk.EmailAddress, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if params == nil || params.EmailAddress == "" {
		return nil, &clerk.InvalidParamError{Param: "email_address", Reason: "must not be empty"}
	}
	var out clerk.EmailAddress
	req := &clerk.Request{Method: http.MethodPut,
		Path: clerk.JoinPath("users", userID, "email_address"), Body: params}
	if err := c.b.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ReplacePhoneNumber deletes all of the user's phone numbers and gives the user a single,
// primary one, and returns it. The new number is never reserved for second factor; replacing
// a number that was turns the user's MFA off.
func (c *Client) ReplacePhoneNumber(ctx context.Context, userID string,
	params *ReplacePhoneNumberParams) (*clerk.PhoneNumber, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if params == nil || params.PhoneNumber == "" {
		return nil, &clerk.InvalidParamError{Param: "phone_number", Reason: "must not be empty"}
	}
	var out clerk.PhoneNumber
	req := &clerk.Request{Method: http.MethodPut,
		Path: clerk.JoinPath("users", userID, "phone_number"), Body: params}
	if err := c.b.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ReplaceEmailAddress replaces a user's email addresses with the default configuration (see
// clerk.SetKey).
func ReplaceEmailAddress(ctx context.Context, userID string, params *ReplaceEmailAddressParams,
) (*clerk.EmailAddress, error) {
	return defaultClient().ReplaceEmailAddress(ctx, userID, params)
}

// ReplacePhoneNumber replaces a user's phone numbers with the default configuration (see
// clerk.SetKey).
func ReplacePhoneNumber(ctx context.Context, userID string, params *ReplacePhoneNumberParams,
) (*clerk.PhoneNumber, error) {
	return defaultClient().ReplacePhoneNumber(ctx, userID, params)
}
