package clerk

// Verification records how an identifier or account was proven to belong to its user: by a
// one-time code, an email link, an OAuth or SAML flow, a signed Web3 message, a passkey, a
// ticket, or an administrator. The API has one object shape per method (told apart by
// Object); this struct holds the fields of all of them, and a field a method does not use
// stays at its zero value.
//
// Status and Strategy are plain strings so that values added to the API later still decode;
// the VerificationStatus and VerificationStrategy constants name the known ones.
//
// A decoded Verification pointer may be nil, but a server encoding these types should always
// set one: the API's schemas describe every verification (and its Error) as an object, so a
// validating client rejects null there. Unset optional fields are left out for the same
// reason, as each kind of verification allows only its own members.
type Verification struct {
	// Object names the kind of verification, such as "verification_otp" or
	// "verification_oauth".
	Object string `json:"object,omitempty"`
	// Status is one of the VerificationStatus values.
	Status string `json:"status"`
	// Strategy is the method used, one of the VerificationStrategy values or, for OAuth,
	// "oauth_<provider>" (and "from_oauth_<provider>" for an identifier an OAuth account
	// supplied).
	Strategy string `json:"strategy"`
	// Attempts counts the tries made so far; nil when the method has no tries.
	Attempts *int64 `json:"attempts"`
	// ExpireAt is when a pending verification lapses (Unix milliseconds), or nil.
	ExpireAt *int64 `json:"expire_at"`
	// Nonce is the value a Web3 wallet or passkey signs.
	Nonce *string `json:"nonce,omitempty"`
	// Message is the text a Web3 wallet signs.
	Message *string `json:"message,omitempty"`
	// Channel is how a phone code was delivered, such as "sms" or "whatsapp".
	Channel *string `json:"channel,omitempty"`
	// ExternalVerificationRedirectURL is where the user completes an OAuth or SAML flow.
	ExternalVerificationRedirectURL *string `json:"external_verification_redirect_url,omitempty"`
	// Error explains why an OAuth or SAML verification failed.
	Error *Error `json:"error,omitempty"`
	// VerifiedAtClient is the ID of the client on which the verification was completed.
	VerifiedAtClient *string `json:"verified_at_client,omitempty"`
}

// Known values of Verification.Status.
const (
	VerificationStatusUnverified   = "unverified"
	VerificationStatusVerified     = "verified"
	VerificationStatusFailed       = "failed"
	VerificationStatusExpired      = "expired"
	VerificationStatusTransferable = "transferable"
)

// Known values of Verification.Strategy. OAuth strategies are "oauth_" followed by the
// provider, such as "oauth_google".
const (
	VerificationStrategyEmailCode              = "email_code"
	VerificationStrategyPhoneCode              = "phone_code"
	VerificationStrategyResetPasswordEmailCode = "reset_password_email_code"
	VerificationStrategyEmailLink              = "email_link"
	VerificationStrategyAdmin                  = "admin"
	VerificationStrategyTicket                 = "ticket"
	VerificationStrategySAML                   = "saml"
	VerificationStrategySCIM                   = "scim"
	VerificationStrategyPasskey                = "passkey"
	VerificationStrategyGoogleOneTap           = "google_one_tap"
	VerificationStrategyWeb3MetamaskSignature  = "web3_metamask_signature"
	VerificationStrategyWeb3BaseSignature      = "web3_base_signature"
	VerificationStrategyWeb3CoinbaseSignature  = "web3_coinbase_wallet_signature"
	VerificationStrategyWeb3OKXWalletSignature = "web3_okx_wallet_signature"
	VerificationStrategyWeb3SolanaSignature    = "web3_solana_signature"
)
