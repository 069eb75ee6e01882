// Package phonenumber manages the phone numbers of users: it adds them, reads, changes and
// removes them, and verifies them with a one-time code sent by text message.
//
// The call most programs need adds a number to a user:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	num, err := phonenumber.Create(ctx, &phonenumber.CreateParams{
//		UserID:      clerk.String("user_123"),
//		PhoneNumber: clerk.String("+15555550100"),
//	})
//	var apiErr *clerk.APIError
//	if errors.As(err, &apiErr) && apiErr.HasCode("form_identifier_exists") {
//		// another user already holds this number
//	}
//
// A number kept only as a second factor is created with Verified and ReservedForSecondFactor.
// A backend that checks the number itself sends a code with PrepareVerification and checks
// what the user typed with AttemptVerification. A wrong or expired code is not an error: the
// returned Verification says so through its Status, so test it with Verified:
//
//	v, err := phonenumber.PrepareVerification(ctx, num.ID)
//	// ... later, with the code the user typed:
//	v, err = phonenumber.AttemptVerification(ctx, num.ID,
//		&phonenumber.AttemptVerificationParams{
//			VerificationID: clerk.String(v.ID),
//			Code:           clerk.String(code),
//		})
//	if err == nil && !v.Verified() {
//		// v.Status is "failed", "expired" or "unverified": ask again, or prepare a new code
//	}
//
// There is no list call: a user's numbers come with the user (user.Get, user.List). An ID that
// names no number is a *clerk.APIError matching clerk.ErrNotFound, and an empty ID is a
// *clerk.InvalidParamError, for which no request is sent.
//
// Every function has a method of the same name on Client, for a configuration other than the
// default one (NewClient).
package phonenumber
