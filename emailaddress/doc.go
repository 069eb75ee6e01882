// Package emailaddress manages the email addresses of users: it adds them, reads, changes
// and removes them, and verifies them with a one-time code.
//
// The call most programs need adds an address to a user:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	addr, err := emailaddress.Create(ctx, &emailaddress.CreateParams{
//		UserID:       clerk.String("user_123"),
//		EmailAddress: clerk.String("ada@example.com"),
//	})
//	var apiErr *clerk.APIError
//	if errors.As(err, &apiErr) && apiErr.HasCode("form_identifier_exists") {
//		// another user already holds this address
//	}
//
// A backend that checks the address itself sends a code with PrepareVerification and checks
// what the user typed with AttemptVerification. A wrong or expired code is not an error: the
// returned Verification says so through its Status, so test it with Verified:
//
//	v, err := emailaddress.PrepareVerification(ctx, addr.ID)
//	// ... later, with the code the user typed:
//	v, err = emailaddress.AttemptVerification(ctx, addr.ID,
//		&emailaddress.AttemptVerificationParams{
//			VerificationID: clerk.String(v.ID),
//			Code:           clerk.String(code),
//		})
//	if err == nil && !v.Verified() {
//		// v.Status is "failed", "expired" or "unverified": ask again, or prepare a new code
//	}
//
// There is no list call: a user's addresses come with the user (user.Get, user.List). An ID that
// names no address is a *clerk.APIError matching clerk.ErrNotFound, and an empty ID is a
// *clerk.InvalidParamError, for which no request is sent.
//
// Every function has a method of the same name on Client, for a configuration other than the
// default one (NewClient).
package emailaddress
