package clerk

import "encoding/json"

// ExternalAccount is an account at an OAuth provider (Google, GitHub, ...) that a user
// connected to sign in with, as the provider described the user when it was linked.
type ExternalAccount struct {
	// Object is "external_account" (older accounts may say "google_account" or
	// "facebook_account").
	Object string `json:"object"`
	ID     string `json:"id"`
	// Provider names the OAuth provider, such as "oauth_google".
	Provider string `json:"provider"`
	// IdentificationID is the ID of the identification this account created.
	IdentificationID string `json:"identification_id"`
	// ProviderUserID is the user's ID at the provider.
	ProviderUserID string `json:"provider_user_id"`
	// ApprovedScopes lists the OAuth scopes the user granted, separated by spaces.
	ApprovedScopes string `json:"approved_scopes"`
	EmailAddress   string `json:"email_address"`
	// EmailAddressVerified says whether the provider vouched for the email address when
	// the account was linked; nil when that is not known.
	EmailAddressVerified *bool  `json:"email_address_verified,omitempty"`
	FirstName            string `json:"first_name"`
	LastName             string `json:"last_name"`
	// Deprecated: AvatarURL is kept for old responses; use ImageURL.
	AvatarURL   string  `json:"avatar_url,omitempty"`
	ImageURL    *string `json:"image_url,omitempty"`
	Username    *string `json:"username,omitempty"`
	PhoneNumber *string `json:"phone_number,omitempty"`
	// PublicMetadata is the provider data kept with the account, a JSON object. An encoder
	// must set it (at least to {}): the API always sends an object.
	PublicMetadata json.RawMessage `json:"public_metadata"`
	// Label distinguishes several accounts of one user at the same provider.
	Label     *string `json:"label,omitempty"`
	CreatedAt int64   `json:"created_at"`
	UpdatedAt int64   `json:"updated_at"`
	// Verification is the state of the OAuth flow that linked the account, or nil.
	Verification *Verification `json:"verification"`
}
