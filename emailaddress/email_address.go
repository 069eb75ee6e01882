package emailaddress

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// CreateParams describe a new email address. UserID and EmailAddress are required; the other
// fields are sent only when set.
type CreateParams struct {
	// UserID is the ID of the user the address is added to.
	UserID *string `json:"user_id,omitempty"`
	// EmailAddress is the address itself, in RFC 5322 form.
	EmailAddress *string `json:"email_address,omitempty"`
	// Verified creates the address already verified, with no code sent to it.
	Verified *bool `json:"verified,omitempty"`
	// Primary makes the address the user's primary one. The API makes a user's first address
	// primary whatever this says.
	Primary *bool `json:"primary,omitempty"`
	// NotifyPrimaryEmailAddressChanged, when the new address becomes primary, tells the
	// previous primary address about the change. The API sends no notice by default.
	NotifyPrimaryEmailAddressChanged *bool `json:"notify_primary_email_address_changed,omitempty"`
}

func (p *CreateParams) validate() error {
	if p == nil || p.UserID == nil {
		return &clerk.InvalidParamError{Param: "user_id", Reason: "is required"}
	}
	if err := clerk.RequireID("user_id", *p.UserID); err != nil {
		return err
	}
	if p.EmailAddress == nil || *p.EmailAddress == "" {
		return &clerk.InvalidParamError{Param: "email_address", Reason: "is required"}
	}
	return nil
}

// UpdateParams are the changes to an email address; only the fields set are sent.
type UpdateParams struct {
	// Verified set to true marks the address verified, with no code sent to it.
	Verified *bool `json:"verified,omitempty"`
	// Primary set to true makes the address the user's primary one.
	Primary *bool `json:"primary,omitempty"`
	// NotifyPrimaryEmailAddressChanged, when this update makes the address primary, tells
	// the previous primary address about the change. The API sends no notice by default.
	NotifyPrimaryEmailAddressChanged *bool `json:"notify_primary_email_address_changed,omitempty"`
}

// Create adds an email address to a user and returns it. An address that another user
// already holds, or that is malformed, is an *clerk.APIError matching clerk.ErrUnprocessable
// (for a taken address, HasCode("form_identifier_exists") holds); an unknown user matches
// clerk.ErrNotFound.
func (c *Client) Create(ctx context.Context, params *CreateParams) (*clerk.EmailAddress, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	return c.emailAddress(ctx, http.MethodPost, "email_addresses", params)
}

// Create adds an email address to a user with the default configuration (see
// clerk.SetKey).
func Create(ctx context.Context, params *CreateParams) (*clerk.EmailAddress, error) {
	return defaultClient().Create(ctx, params)
}

// Get returns the email address with the given ID. An address that does not exist is an
// *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) Get(ctx context.Context, emailAddressID string) (*clerk.EmailAddress, error) {
	if err := clerk.RequireID("email_address_id", emailAddressID); err != nil {
		return nil, err
	}
	path := clerk.JoinPath("email_addresses", emailAddressID)
	return c.emailAddress(ctx, http.MethodGet, path, nil)
}

// Get returns the email address with the given ID with the default configuration (see
// clerk.SetKey).
func Get(ctx context.Context, emailAddressID string) (*clerk.EmailAddress, error) {
	return defaultClient().Get(ctx, emailAddressID)
}

// Update changes the fields set in params and returns the updated address. A nil params
// sends an empty object, which changes nothing.
func (c *Client) Update(ctx context.Context, emailAddressID string, params *UpdateParams,
) (*clerk.EmailAddress, error) {
	if err := clerk.RequireID("email_address_id", emailAddressID); err != nil {
		return nil, err
	}
	if params == nil {
		params = &UpdateParams{}
	}
	path := clerk.JoinPath("email_addresses", emailAddressID)
	return c.emailAddress(ctx, http.MethodPatch, path, params)
}

// Update changes an email address with the default configuration (see clerk.SetKey).
func Update(ctx context.Context, emailAddressID string, params *UpdateParams,
) (*clerk.EmailAddress, error) {
	return defaultClient().Update(ctx, emailAddressID, params)
}

// Delete removes the email address with the given ID from its user. An address that does
// not exist is an *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) Delete(ctx context.Context, emailAddressID string,
) (*clerk.DeletedObject, error) {
	if err := clerk.RequireID("email_address_id", emailAddressID); err != nil {
		return nil, err
	}
	var deleted clerk.DeletedObject
	req := &clerk.Request{
		Method: http.MethodDelete,
		Path:   clerk.JoinPath("email_addresses", emailAddressID),
	}
	if err := c.b.Do(ctx, req, &deleted); err != nil {
		return nil, err
	}
	return &deleted, nil
}

// Delete removes an email address with the default configuration (see clerk.SetKey).
func Delete(ctx context.Context, emailAddressID string) (*clerk.DeletedObject, error) {
	return defaultClient().Delete(ctx, emailAddressID)
}

// emailAddress sends one request whose answer is an email address.
func (c *Client) emailAddress(ctx context.Context, method, path string, body any,
) (*clerk.EmailAddress, error) {
	var addr clerk.EmailAddress
	req := &clerk.Request{Method: method, Path: path, Body: body}
	if err := c.b.Do(ctx, req, &addr); err != nil {
		return nil, err
	}
	return &addr, nil
}
