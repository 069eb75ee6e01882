package clerk

import "encoding/json"

// User is a user of a Clerk instance, with every identifier, connected account and metadata
// object the API keeps for it. Timestamps are Unix milliseconds.
//
// The slices are never null on the wire; an encoder must set them to empty, non-nil slices
// when they have no entries, and must set PublicMetadata (at least to {}).
type User struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	// ExternalID is the ID the application gave the user in its own systems, or nil.
	ExternalID            *string `json:"external_id"`
	PrimaryEmailAddressID *string `json:"primary_email_address_id"`
	PrimaryPhoneNumberID  *string `json:"primary_phone_number_id"`
	PrimaryWeb3WalletID   *string `json:"primary_web3_wallet_id"`
	Username              *string `json:"username"`
	FirstName             *string `json:"first_name"`
	LastName              *string `json:"last_name"`
	// Locale is the user's language as a BCP 47 tag, such as "fr-FR", or nil.
	Locale *string `json:"locale,omitempty"`
	// Deprecated: ProfileImageURL is kept for old responses; use ImageURL.
	ProfileImageURL string `json:"profile_image_url,omitempty"`
	// ImageURL is the user's profile image, or a generated default when HasImage is false.
	ImageURL string `json:"image_url,omitempty"`
	// HasImage is true when the user uploaded a profile image.
	HasImage bool `json:"has_image"`
	// PublicMetadata is readable by the frontend and writable only from the backend.
	PublicMetadata json.RawMessage `json:"public_metadata"`
	// PrivateMetadata is readable and writable only from the backend.
	PrivateMetadata json.RawMessage `json:"private_metadata,omitempty"`
	// UnsafeMetadata is readable and writable by the frontend too.
	UnsafeMetadata json.RawMessage `json:"unsafe_metadata,omitempty"`
	EmailAddresses []*EmailAddress `json:"email_addresses"`
	PhoneNumbers   []*PhoneNumber  `json:"phone_numbers"`
	Web3Wallets    []*Web3Wallet   `json:"web3_wallets"`
	Passkeys       []*Passkey      `json:"passkeys"`
	// PasswordEnabled is true when the user has a password.
	PasswordEnabled bool `json:"password_enabled"`
	// TwoFactorEnabled is true when the user has at least one second factor.
	TwoFactorEnabled  bool `json:"two_factor_enabled"`
	TOTPEnabled       bool `json:"totp_enabled"`
	BackupCodeEnabled bool `json:"backup_code_enabled"`
	// MFAEnabledAt is when multi-factor authentication was last turned on; it stays set
	// after MFA is turned off again.
	MFAEnabledAt *int64 `json:"mfa_enabled_at"`
	// MFADisabledAt is when multi-factor authentication was last turned off; it stays set
	// after MFA is turned on again.
	MFADisabledAt         *int64               `json:"mfa_disabled_at"`
	PasswordLastUpdatedAt *int64               `json:"password_last_updated_at,omitempty"`
	ExternalAccounts      []*ExternalAccount   `json:"external_accounts"`
	SAMLAccounts          []*SAMLAccount       `json:"saml_accounts"`
	EnterpriseAccounts    []*EnterpriseAccount `json:"enterprise_accounts"`
	// OrganizationMemberships holds the user's organization memberships, when the API
	// includes them, as raw JSON objects: this module does not model organizations, so each
	// entry is left for the caller to decode.
	OrganizationMemberships []json.RawMessage `json:"organization_memberships,omitempty"`
	LastSignInAt            *int64            `json:"last_sign_in_at"`
	Banned                  bool              `json:"banned"`
	// Locked is true while the user may not sign in, after too many failed attempts or
	// an explicit lock.
	Locked bool `json:"locked"`
	// Deprovisioned is true when a directory removed the user, who may no longer sign in.
	Deprovisioned bool `json:"deprovisioned,omitempty"`
	// LockoutExpiresInSeconds is how long a locked user stays locked; nil for a locked user
	// means the lock does not expire.
	LockoutExpiresInSeconds *int64 `json:"lockout_expires_in_seconds"`
	// VerificationAttemptsRemaining is how many failed attempts lock the user, or nil when
	// the instance has no lockout.
	VerificationAttemptsRemaining *int64 `json:"verification_attempts_remaining"`
	UpdatedAt                     int64  `json:"updated_at"`
	CreatedAt                     int64  `json:"created_at"`
	// DeleteSelfEnabled is true when the user may delete their own account.
	DeleteSelfEnabled bool `json:"delete_self_enabled"`
	// CreateOrganizationEnabled is true when the user may create organizations.
	CreateOrganizationEnabled bool `json:"create_organization_enabled"`
	// CreateOrganizationsLimit caps how many organizations the user may create; 0 means no
	// limit.
	CreateOrganizationsLimit *int64 `json:"create_organizations_limit,omitempty"`
	// LastActiveAt is the day of the user's latest session activity (Unix milliseconds).
	LastActiveAt *int64 `json:"last_active_at"`
	// LegalAcceptedAt is when the user accepted the instance's legal terms, or nil.
	LegalAcceptedAt *int64 `json:"legal_accepted_at"`
	// BypassClientTrust is true when the user skips device trust checks at sign-in.
	BypassClientTrust bool `json:"bypass_client_trust,omitempty"`
	// SCIM describes the directory the user was provisioned from. The API sends it only
	// in some webhook events, so nil does not mean that no directory manages the user.
	SCIM *SCIMUserMetadata `json:"scim,omitempty"`
}

// SCIMUserMetadata links a user to the directory (SCIM) that provisioned it.
type SCIMUserMetadata struct {
	DirectoryID string `json:"directory_id"`
	// DirectoryEnabled is true while the directory is enabled.
	DirectoryEnabled bool `json:"directory_enabled,omitempty"`
	// ExternalID is the user's ID in the directory, or nil.
	ExternalID *string `json:"external_id"`
}
