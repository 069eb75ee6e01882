package clerk

import "encoding/json"

// SAMLAccount is a user's identity at a SAML identity provider, linked through one of the
// instance's SAML connections.
type SAMLAccount struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	// Provider names the identity provider, such as "saml_okta".
	Provider string `json:"provider"`
	// Active is false when the connection the account belongs to is disabled.
	Active         bool    `json:"active"`
	EmailAddress   string  `json:"email_address"`
	FirstName      *string `json:"first_name,omitempty"`
	LastName       *string `json:"last_name,omitempty"`
	ProviderUserID *string `json:"provider_user_id,omitempty"`
	// LastAuthenticatedAt is when the user last signed in with this account (Unix
	// milliseconds), or nil.
	LastAuthenticatedAt *int64 `json:"last_authenticated_at,omitempty"`
	// PublicMetadata is the attribute data the provider sent, a JSON object.
	PublicMetadata json.RawMessage `json:"public_metadata,omitempty"`
	Verification   *Verification   `json:"verification"`
	// SAMLConnection is the connection the account belongs to, when the API includes it.
	SAMLConnection *SAMLConnection `json:"saml_connection,omitempty"`
}

// SAMLConnection is the summary of a SAML connection that the API embeds in a SAMLAccount.
// The API sends Domains, and on older instances Domain; an encoder must set at least one.
type SAMLConnection struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Deprecated: Domain is kept for old responses; use Domains.
	Domain  string   `json:"domain,omitempty"`
	Domains []string `json:"domains,omitempty"`
	Active  bool     `json:"active"`
	// Provider names the identity provider, such as "saml_okta".
	Provider string `json:"provider"`
	// SyncUserAttributes is true when each sign-in updates the user from the provider's
	// attributes.
	SyncUserAttributes bool `json:"sync_user_attributes"`
	// AllowSubdomains is true when addresses at subdomains of Domains also match.
	AllowSubdomains bool `json:"allow_subdomains,omitempty"`
	// AllowIDPInitiated is true when sign-ins started at the provider are accepted.
	AllowIDPInitiated bool `json:"allow_idp_initiated,omitempty"`
	// DisableAdditionalIdentifications is true when users of the connection may not add
	// other identifiers.
	DisableAdditionalIdentifications bool  `json:"disable_additional_identifications,omitempty"`
	CreatedAt                        int64 `json:"created_at"`
	UpdatedAt                        int64 `json:"updated_at"`
}
