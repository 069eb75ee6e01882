package clerk

// Passkey is a WebAuthn credential a user registered to sign in without a password.
type Passkey struct {
	ID     string `json:"id,omitempty"`
	Object string `json:"object"`
	// Name is the label the user gave the passkey.
	Name string `json:"name"`
	// LastUsedAt is when the passkey was last used to sign in (Unix milliseconds).
	LastUsedAt   int64         `json:"last_used_at"`
	Verification *Verification `json:"verification"`
}
