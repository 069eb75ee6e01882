package user

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// CreateParams are the fields of a new user. Only the fields set are sent. Which identifiers
// are required depends on the instance's settings; the API answers 422 when one is missing.
type CreateParams struct {
	// ExternalID is the user's ID in the application's own systems; unique per instance.
	ExternalID *string `json:"external_id,omitempty"`
	FirstName  *string `json:"first_name,omitempty"`
	LastName   *string `json:"last_name,omitempty"`
	// Locale is a BCP 47 language tag such as "fr-FR".
	Locale *string `json:"locale,omitempty"`
	// EmailAddresses are created verified unless EmailAddressIdentificationStatus says
	// otherwise; the first becomes the primary address.
	EmailAddresses []string `json:"email_address,omitempty"`
	// EmailAddressIdentificationStatus, when set, holds one status per entry of
	// EmailAddresses, by position: "verified" or "reserved" (unverified, yet usable to sign
	// in and held so that no other user can claim it).
	EmailAddressIdentificationStatus []string `json:"email_address_identification_status,omitempty"`
	// PhoneNumbers are E.164 numbers, created verified unless
	// PhoneNumberIdentificationStatus says otherwise; the first becomes the primary number.
	PhoneNumbers []string `json:"phone_number,omitempty"`
	// PhoneNumberIdentificationStatus works as EmailAddressIdentificationStatus does, for
	// PhoneNumbers.
	PhoneNumberIdentificationStatus []string `json:"phone_number_identification_status,omitempty"`
	// Web3Wallets are wallet addresses; the first becomes the primary wallet.
	Web3Wallets []string `json:"web3_wallet,omitempty"`
	Username    *string  `json:"username,omitempty"`
	// Password is a plaintext password of at least 8 characters.
	Password *string `json:"password,omitempty"`
	// PasswordDigest is an existing hash of the password, made with PasswordHasher, for
	// migrations that do not know the plaintext.
	PasswordDigest *string `json:"password_digest,omitempty"`
	// PasswordHasher names the algorithm of PasswordDigest, such as "bcrypt" or "argon2id".
	PasswordHasher *string `json:"password_hasher,omitempty"`
	// SkipPasswordChecks turns off the password policy checks, for migrations.
	SkipPasswordChecks *bool `json:"skip_password_checks,omitempty"`
	// SkipPasswordRequirement allows a user without a password on an instance that uses
	// passwords.
	SkipPasswordRequirement *bool `json:"skip_password_requirement,omitempty"`
	// TOTPSecret turns on TOTP for the user with an existing secret (30 s, 6 digits, SHA-1).
	TOTPSecret *string `json:"totp_secret,omitempty"`
	// BackupCodes turns on backup codes with existing codes, plain or as bcrypt digests.
	BackupCodes []string `json:"backup_codes,omitempty"`
	// PublicMetadata, PrivateMetadata and UnsafeMetadata must each be a JSON object.
	PublicMetadata  *json.RawMessage `json:"public_metadata,omitempty"`
	PrivateMetadata *json.RawMessage `json:"private_metadata,omitempty"`
	UnsafeMetadata  *json.RawMessage `json:"unsafe_metadata,omitempty"`
	// DeleteSelfEnabled lets the user delete their own account from the frontend.
	DeleteSelfEnabled *bool `json:"delete_self_enabled,omitempty"`
	// LegalAcceptedAt is when the user accepted the legal terms, in RFC 3339 form such as
	// "2024-10-20T07:15:20.902Z" (not Unix milliseconds, unlike the timestamps of User).
	LegalAcceptedAt *string `json:"legal_accepted_at,omitempty"`
	// SkipLegalChecks turns off the legal acceptance requirement, for migrations.
	SkipLegalChecks *bool `json:"skip_legal_checks,omitempty"`
	// SkipUserRequirement turns off the instance's required identifiers; at least one
	// identifier must still be given.
	SkipUserRequirement *bool `json:"skip_user_requirement,omitempty"`
	// CreateOrganizationEnabled lets the user create organizations from the frontend.
	CreateOrganizationEnabled *bool `json:"create_organization_enabled,omitempty"`
	// CreateOrganizationsLimit caps the organizations the user may create; 0 means no cap.
	CreateOrganizationsLimit *int64 `json:"create_organizations_limit,omitempty"`
	// CreatedAt backdates the sign-up, in RFC 3339 form, for migrations.
	CreatedAt *string `json:"created_at,omitempty"`
	// BypassClientTrust lets the user skip device trust checks at sign-in.
	BypassClientTrust *bool `json:"bypass_client_trust,omitempty"`
	// Banned creates the user already banned.
	Banned *bool `json:"banned,omitempty"`
	// Locked creates the user already locked; the instance must have lockout turned on.
	Locked *bool `json:"locked,omitempty"`
}

func (p *CreateParams) validate() error {
	if p == nil {
		return nil
	}
	return validateMetadata(p.PublicMetadata, p.PrivateMetadata, p.UnsafeMetadata)
}

// UpdateParams are the user fields to change; only the fields set are sent and the others
// keep their values. Metadata is changed with UpdateMetadata or ReplaceMetadata.
type UpdateParams struct {
	ExternalID *string `json:"external_id,omitempty"`
	FirstName  *string `json:"first_name,omitempty"`
	LastName   *string `json:"last_name,omitempty"`
	Locale     *string `json:"locale,omitempty"`
	// PrimaryEmailAddressID must name a verified email address of the user.
	PrimaryEmailAddressID *string `json:"primary_email_address_id,omitempty"`
	// NotifyPrimaryEmailAddressChanged emails the user when the primary address changes.
	NotifyPrimaryEmailAddressChanged *bool `json:"notify_primary_email_address_changed,omitempty"`
	// PrimaryPhoneNumberID must name a verified phone number of the user.
	PrimaryPhoneNumberID *string `json:"primary_phone_number_id,omitempty"`
	// PrimaryWeb3WalletID must name a verified wallet of the user.
	PrimaryWeb3WalletID *string `json:"primary_web3_wallet_id,omitempty"`
	// Username set to "" removes the user's username.
	Username *string `json:"username,omitempty"`
	// ProfileImageID names an uploaded image to use as the profile image.
	ProfileImageID *string `json:"profile_image_id,omitempty"`
	Password       *string `json:"password,omitempty"`
	PasswordDigest *string `json:"password_digest,omitempty"`
	PasswordHasher *string `json:"password_hasher,omitempty"`
	// SkipPasswordChecks and SignOutOfOtherSessions apply only together with Password.
	SkipPasswordChecks     *bool    `json:"skip_password_checks,omitempty"`
	SignOutOfOtherSessions *bool    `json:"sign_out_of_other_sessions,omitempty"`
	TOTPSecret             *string  `json:"totp_secret,omitempty"`
	BackupCodes            []string `json:"backup_codes,omitempty"`
	DeleteSelfEnabled      *bool    `json:"delete_self_enabled,omitempty"`
	// CreateOrganizationEnabled lets the user create organizations from the frontend.
	CreateOrganizationEnabled *bool `json:"create_organization_enabled,omitempty"`
	// LegalAcceptedAt and CreatedAt are RFC 3339 date-times.
	LegalAcceptedAt          *string `json:"legal_accepted_at,omitempty"`
	SkipLegalChecks          *bool   `json:"skip_legal_checks,omitempty"`
	CreateOrganizationsLimit *int64  `json:"create_organizations_limit,omitempty"`
	CreatedAt                *string `json:"created_at,omitempty"`
	BypassClientTrust        *bool   `json:"bypass_client_trust,omitempty"`
}

// Get returns the user with the given ID. A user that does not exist is an *clerk.APIError
// matching clerk.ErrNotFound.
func (c *Client) Get(ctx context.Context, userID string) (*clerk.User, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	return c.user(ctx, http.MethodGet, clerk.JoinPath("users", userID), nil)
}

// Create makes a new user. A nil params sends an empty object, which only an instance that
// requires no identifier accepts. Fields the instance rejects (a taken email address, a weak
// password) are an *clerk.APIError matching clerk.ErrUnprocessable, listing every problem.
func (c *Client) Create(ctx context.Context, params *CreateParams) (*clerk.User, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	return c.user(ctx, http.MethodPost, "users", orEmpty(params))
}

// Update changes the fields set in params and returns the updated user. A nil params
// changes nothing and returns the user as it is.
func (c *Client) Update(ctx context.Context, userID string, params *UpdateParams,
) (*clerk.User, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	return c.user(ctx, http.MethodPatch, clerk.JoinPath("users", userID), orEmpty(params))
}

// Delete deletes the user and everything that belongs to it.
func (c *Client) Delete(ctx context.Context, userID string) (*clerk.DeletedObject, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	return c.deleted(ctx, clerk.JoinPath("users", userID))
}

// Get returns the user with the given ID, with the default configuration (see clerk.SetKey).
func Get(ctx context.Context, userID string) (*clerk.User, error) {
	return defaultClient().Get(ctx, userID)
}

// Create makes a new user with the default configuration (see clerk.SetKey).
func Create(ctx context.Context, params *CreateParams) (*clerk.User, error) {
	return defaultClient().Create(ctx, params)
}

// Update changes a user with the default configuration (see clerk.SetKey).
func Update(ctx context.Context, userID string, params *UpdateParams) (*clerk.User, error) {
	return defaultClient().Update(ctx, userID, params)
}

// Delete deletes a user with the default configuration (see clerk.SetKey).
func Delete(ctx context.Context, userID string) (*clerk.DeletedObject, error) {
	return defaultClient().Delete(ctx, userID)
}

// user sends one request whose answer is a user.
func (c *Client) user(ctx context.Context, method, path string, body any) (*clerk.User, error) {
	var u clerk.User
	req := &clerk.Request{Method: method, Path: path, Body: body}
	if err := c.b.Do(ctx, req, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// deleted sends a DELETE whose answer is a deleted-object record.
func (c *Client) deleted(ctx context.Context, path string) (*clerk.DeletedObject, error) {
	var d clerk.DeletedObject
	if err := c.b.Do(ctx, &clerk.Request{Method: http.MethodDelete, Path: path}, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// orEmpty returns params, or an empty JSON object when params is a nil pointer, for
// endpoints that require a body: the API is sent {} rather than no body or null.
func orEmpty[T any](params *T) any {
	if params == nil {
		return struct{}{}
	}
	return params
}
