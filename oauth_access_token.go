package clerk

import "encoding/json"

// OAuthAccessToken is a user's access token at an OAuth provider, obtained through one of
// the user's external accounts. The API returns a list of them.
type OAuthAccessToken struct {
	Object string `json:"object"`
	// ExternalAccountID is the ID of the external account the token belongs to.
	ExternalAccountID string `json:"external_account_id"`
	// ProviderUserID is the user's ID at the provider.
	ProviderUserID string `json:"provider_user_id"`
	// Token is the access token to send to the provider.
	Token string `json:"token"`
	// ExpiresAt is when the token expires (Unix milliseconds), or nil when not known.
	ExpiresAt *int64 `json:"expires_at"`
	// Provider names the OAuth provider, such as "oauth_google".
	Provider string `json:"provider"`
	// PublicMetadata is the external account's public metadata, a JSON object.
	PublicMetadata json.RawMessage `json:"public_metadata"`
	// Label distinguishes several accounts of one user at the same provider.
	Label *string `json:"label"`
	// Scopes lists the scopes the token grants (OAuth 2.0 only).
	Scopes []string `json:"scopes,omitempty"`
	// IDToken is the OpenID Connect ID token, when the provider issued one.
	IDToken string `json:"id_token,omitempty"`
	// TokenSecret is the token secret (OAuth 1.0 only).
	TokenSecret string `json:"token_secret,omitempty"`
}
