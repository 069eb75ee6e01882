// Package session reads and ends the sessions of a Clerk instance, and makes tokens for them.
//
// A session is one user signed in on one client (a browser or a device). Get, List and All read
// sessions; Revoke signs one out; CreateToken and CreateTokenFromTemplate make a signed JWT for
// a session, and Refresh makes a new session token when the old one has expired. Create starts
// a session without a sign-in, for tests on development instances only.
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	params := &session.ListParams{
//		UserID: clerk.String("user_123"),
//		Status: clerk.String(clerk.SessionStatusActive),
//	}
//	for s, err := range session.All(ctx, params) {
//		if err != nil {
//			return err // a *clerk.APIError, a transport or context error
//		}
//		if _, err := session.Revoke(ctx, s.ID); err != nil {
//			return err
//		}
//	}
//
// List returns one page and the total count; All walks every page, one request per page, as the
// loop asks for them. Both need a user or a client to list the sessions of (ListParams.UserID or
// ClientID).
//
// Bad input, such as an empty ID or a limit outside 1 to 500, is a *clerk.InvalidParamError
// and no request is sent. Verifying a session token on incoming requests needs no call to
// this package: package auth does it offline. A client for a configuration other than the
// default one is built with NewClient.
package session
