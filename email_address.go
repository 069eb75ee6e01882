package clerk

// EmailAddress is an email address that identifies a user, with the state of its
// verification.
type EmailAddress struct {
	ID     string `json:"id,omitempty"`
	Object string `json:"object"`
	// EmailAddress is the address itself.
	EmailAddress string `json:"email_address"`
	// Reserved is true while the address is held for a sign-up in progress.
	Reserved bool `json:"reserved"`
	// Verification is how the address was proven, or nil when the API sent none.
	Verification *Verification `json:"verification"`
	// LinkedTo lists the external accounts that supplied or use this address. An encoder
	// must set it to an empty, non-nil slice when there are none: the API never sends null.
	LinkedTo []IdentificationLink `json:"linked_to"`
	// MatchesSSOConnection is true when the address's domain belongs to an active
	// enterprise connection.
	MatchesSSOConnection bool  `json:"matches_sso_connection,omitempty"`
	CreatedAt            int64 `json:"created_at"`
	UpdatedAt            int64 `json:"updated_at"`
}

// IdentificationLink ties an email address or phone number to the external account it came
// from.
type IdentificationLink struct {
	// Type is the kind of link, "oauth_" followed by the provider, such as "oauth_google".
	Type string `json:"type"`
	// ID is the ID of the linked object.
	ID string `json:"id"`
}
