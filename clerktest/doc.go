// Package clerktest runs a Clerk-compatible Backend API in process, on loopback, so that code
// which talks to Clerk can be tested end to end with no network and no Clerk instance.
//
// A Server keeps its objects in memory and answers with the API's shapes, status codes and
// error bodies, including list filters, ordering, offset and cursor paging, and the metadata
// merge rules. Point any client at it with Config, or at URL and Key:
//
//	srv := clerktest.NewServer()
//	defer srv.Close()
//	users := user.NewClient(srv.Config())
//	u, err := users.Create(ctx, &user.CreateParams{EmailAddresses: []string{"ada@example.com"}})
//
// Each Server has its own state, so tests that run in parallel do not see each other's users.
// Command clerkfake (cmd/clerkfake) runs the same server as a program, for applications
// written in other languages.
//
// # Session tokens
//
// SessionToken starts a session for a user and returns a session token signed with the
// server's own key, which an auth.Verifier built on the server's Config accepts (it fetches
// the key from the server's GET /jwks). Handlers behind auth.RequireSession are tested with
// it as a bearer token:
//
//	token, err := srv.SessionToken(u.ID)
//	req.Header.Set("Authorization", "Bearer "+token)
//
// Options such as Expired, NotYetValid, ForeignSigned, WithAuthorizedParty and WithClaims make
// tokens that a verifier must refuse, for the paths where a request is turned away.
//
// # Errors
//
// Answers are those of the API, so the SDK's errors are the real ones: an unknown ID is a
// *clerk.APIError matching clerk.ErrNotFound, an email address that another user holds is a
// 422 with the code form_identifier_exists, a request without an accepted key is a 401.
//
// # Seeding
//
// State that the API cannot create, such as sign-in times, passkeys or accounts at OAuth
// providers, is seeded with AddUser and SeedExternalAccount. SeedUsers and SeedJSON store users
// described like create-user requests (with fixed IDs, passwords, bans and external accounts);
// command clerkfake reads the same JSON with -seed. LastVerificationCode returns the one-time
// code that a real instance would have emailed or texted. Seeding sends no webhook event.
//
// # Webhooks
//
// SendWebhooks makes the server deliver a signed event to a URL for every change it makes from
// then on, as an instance does for a webhook endpoint: user.created and user.updated with the
// *clerk.User (identifier changes are user.updated), user.deleted with a *clerk.DeletedObject,
// session.created and session.revoked with the *clerk.Session. webhook.NewVerifier, given the
// same secret, verifies them; WaitWebhooks waits until every event so far has been delivered.
//
// # Differences from the API
//
// Where a test double must, the server is simpler than the real API: it has no instance
// settings, so any combination of identifiers is accepted and none is required; it keeps no
// organizations, so an organization filter that includes one matches no user; passwords are
// kept as salted SHA-256, and a password imported as a digest cannot be verified (the
// endpoint answers 500 and says so); profile images are not stored, and their URLs are on a
// domain that never resolves; a lock has no expiry.
package clerktest
