package clerk

// CodeVerification is a one-time code check of an email address or a phone number, as the
// prepare_verification and attempt_verification endpoints return it. Its Status is
// VerificationStatusUnverified while it waits for the right code, then
// VerificationStatusVerified, VerificationStatusFailed or VerificationStatusExpired; Strategy
// is "email_code" or "phone_code", Channel says how a phone code was delivered (such as
// "sms"), and Attempts counts the codes tried so far.
type CodeVerification struct {
	// ID identifies the verification; pass it when attempting a code.
	ID string `json:"id"`
	Verification
}

// Verified reports whether the code was accepted.
func (v *CodeVerification) Verified() bool {
	return v != nil && v.Status == VerificationStatusVerified
}
