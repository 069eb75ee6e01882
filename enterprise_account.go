package clerk

import "encoding/json"

// EnterpriseAccount is a user's identity at an enterprise identity provider, linked through
// one of the instance's enterprise connections over SAML or OAuth.
type EnterpriseAccount struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	// Protocol is how the user signs in, "saml" or "oauth".
	Protocol string `json:"protocol,omitempty"`
	// Provider names the identity provider, such as "saml_okta".
	Provider string `json:"provider"`
	// Active is false when the connection the account belongs to is disabled.
	Active         bool    `json:"active"`
	EmailAddress   string  `json:"email_address"`
	FirstName      *string `json:"first_name,omitempty"`
	LastName       *string `json:"last_name,omitempty"`
	ProviderUserID *string `json:"provider_user_id,omitempty"`
	// EnterpriseConnectionID is the ID of the connection the account belongs to.
	EnterpriseConnectionID *string `json:"enterprise_connection_id,omitempty"`
	// PublicMetadata is the attribute data the provider sent, a JSON object.
	PublicMetadata json.RawMessage `json:"public_metadata,omitempty"`
	Verification   *Verification   `json:"verification"`
	// EnterpriseConnection is the connection the account belongs to, when the API
	// includes it.
	EnterpriseConnection *EnterpriseConnection `json:"enterprise_connection,omitempty"`
	// LastAuthenticatedAt is when the user last signed in with this account (Unix
	// milliseconds), or nil.
	LastAuthenticatedAt *int64 `json:"last_authenticated_at,omitempty"`
}

// EnterpriseConnection is the summary of an enterprise connection that the API embeds in an
// EnterpriseAccount. The API sends Domains, and on older instances Domain; an encoder must
// set at least one.
type EnterpriseConnection struct {
	ID string `json:"id"`
	// Protocol is "saml" or "oauth".
	Protocol string `json:"protocol"`
	Provider string `json:"provider"`
	Name     string `json:"name"`
	// LogoPublicURL is the connection's logo, or nil.
	LogoPublicURL *string `json:"logo_public_url"`
	// Deprecated: Domain is kept for old responses; use Domains.
	Domain  string   `json:"domain,omitempty"`
	Domains []string `json:"domains,omitempty"`
	Active  bool     `json:"active"`
	// SyncUserAttributes is true when each sign-in updates the user from the provider's
	// attributes.
	SyncUserAttributes bool `json:"sync_user_attributes"`
	// AllowSubdomains is true when addresses at subdomains of Domains also match.
	AllowSubdomains bool `json:"allow_subdomains"`
	// AllowIDPInitiated is true when sign-ins started at the provider are accepted.
	AllowIDPInitiated bool `json:"allow_idp_initiated"`
	// DisableAdditionalIdentifications is true when users of the connection may not add
	// other identifiers.
	DisableAdditionalIdentifications bool  `json:"disable_additional_identifications"`
	CreatedAt                        int64 `json:"created_at"`
	UpdatedAt                        int64 `json:"updated_at"`
}
