package clerk

// SessionToken is a signed session token (a JWT) issued for a session.
type SessionToken struct {
	Object string `json:"object"`
	// JWT is the encoded token, ready to send as a bearer credential.
	JWT string `json:"jwt"`
}
