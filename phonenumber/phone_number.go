package phonenumber

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// CreateParams describe a new phone number. UserID and PhoneNumber are required; the other
// fields are sent only when set.
type CreateParams struct {
	// UserID is the ID of the user the number is added to.
	UserID *string `json:"user_id,omitempty"`
	// PhoneNumber is the number in E.164 form, such as "+15555550100".
	PhoneNumber *string `json:"phone_number,omitempty"`
	// Verified creates the number already verified, with no code sent to it.
	Verified *bool `json:"verified,omitempty"`
	// Primary makes the number the user's primary one. The API makes a user's first number
	// primary whatever this says.
	Primary *bool `json:"primary,omitempty"`
	// ReservedForSecondFactor keeps the number for multi-factor authentication only; the
	// number must be verified too. When the user has no other second factor, it becomes the
	// default one.
	ReservedForSecondFactor *bool `json:"reserved_for_second_factor,omitempty"`
}

func (p *CreateParams) validate() error {
	if p == nil || p.UserID == nil {
		return &clerk.InvalidParamError{Param: "user_id", Reason: "is required"}
	}
	if err := clerk.RequireID("user_id", *p.UserID); err != nil {
		return err
	}
	if p.PhoneNumber == nil || *p.PhoneNumber == "" {
		return &clerk.InvalidParamError{Param: "phone_number", Reason: "is required"}
	}
	return nil
}

// UpdateParams are the changes to a phone number; only the fields set are sent.
type UpdateParams struct {
	// Verified set to true marks the number verified, with no code sent to it.
	Verified *bool `json:"verified,omitempty"`
	// Primary set to true makes the number the user's primary one.
	Primary *bool `json:"primary,omitempty"`
	// ReservedForSecondFactor keeps the number for multi-factor authentication only; the
	// number must be verified too. When the user has no other second factor, it becomes the
	// default one.
	ReservedForSecondFactor *bool `json:"reserved_for_second_factor,omitempty"`
}

// Create adds a phone number to a user and returns it. A number that another user already
// holds, or that is not in E.164 form, is an *clerk.APIError matching clerk.ErrUnprocessable
// (for a taken number, HasCode("form_identifier_exists") holds); an unknown user matches
// clerk.ErrNotFound.
func (c *Client) Create(ctx context.Context, params *CreateParams) (*clerk.PhoneNumber, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	return c.phoneNumber(ctx, http.MethodPost, "phone_numbers", params)
}

// Create adds a phone number to a user with the default configuration (see clerk.SetKey).
func Create(ctx context.Context, params *CreateParams) (*clerk.PhoneNumber, error) {
	return defaultClient().Create(ctx, params)
}

// Get returns the phone number with the given ID. A number that does not exist is an
// *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) Get(ctx context.Context, phoneNumberID string) (*clerk.PhoneNumber, error) {
	if err := clerk.RequireID("phone_number_id", phoneNumberID); err != nil {
		return nil, err
	}
	path := clerk.JoinPath("phone_numbers", phoneNumberID)
	return c.phoneNumber(ctx, http.MethodGet, path, nil)
}

// Get returns the phone number with the given ID with the default configuration (see
// clerk.SetKey).
func Get(ctx context.Context, phoneNumberID string) (*clerk.PhoneNumber, error) {
	return defaultClient().Get(ctx, phoneNumberID)
}

// Update changes the fields set in params and returns the updated number. A nil params
// sends an empty object, which changes nothing.
func (c *Client) Update(ctx context.Context, phoneNumberID string, params *UpdateParams,
) (*clerk.PhoneNumber, error) {
	if err := clerk.RequireID("phone_number_id", phoneNumberID); err != nil {
		return nil, err
	}
	if params == nil {
		params = &UpdateParams{}
	}
	path := clerk.JoinPath("phone_numbers", phoneNumberID)
	return c.phoneNumber(ctx, http.MethodPatch, path, params)
}

// Update changes a phone number with the default configuration (see clerk.SetKey).
func Update(ctx context.Context, phoneNumberID string, params *UpdateParams,
) (*clerk.PhoneNumber, error) {
	return defaultClient().Update(ctx, phoneNumberID, params)
}

// Delete removes the phone number with the given ID from its user. A number that does not
// exist is an *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) Delete(ctx context.Context, phoneNumberID string,
) (*clerk.DeletedObject, error) {
	if err := clerk.RequireID("phone_number_id", phoneNumberID); err != nil {
		return nil, err
	}
	var deleted clerk.DeletedObject
	req := &clerk.Request{
		Method: http.MethodDelete,
		Path:   clerk.JoinPath("phone_numbers", phoneNumberID),
	}
	if err := c.b.Do(ctx, req, &deleted); err != nil {
		return nil, err
	}
	return &deleted, nil
}

// Delete removes a phone number with the default configuration (see clerk.SetKey).
func Delete(ctx context.Context, phoneNumberID string) (*clerk.DeletedObject, error) {
	return defaultClient().Delete(ctx, phoneNumberID)
}

// phoneNumber sends one request whose answer is a phone number.
func (c *Client) phoneNumber(ctx context.Context, method, path string, body any,
) (*clerk.PhoneNumber, error) {
	var num clerk.PhoneNumber
	req := &clerk.Request{Method: method, Path: path, Body: body}
	if err := c.b.Do(ctx, req, &num); err != nil {
		return nil, err
	}
	return &num, nil
}
