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
// State that the API cannot create, such as sign-in times, passkeys or accounts at OAuth
// providers, is seeded with AddUser and SeedExternalAccount. Command clerkfake runs the same
// server as a program, for applications written in other languages.
//
// Where a test double must, the server is simpler than the real API: it has no instance
// settings, so any combination of identifiers is accepted and none is required; it keeps no
// organizations, so an organization filter that includes one matches no user; passwords are
// kept as salted SHA-256, and a password imported as a digest cannot be verified (the
// endpoint answers 500 and says so); profile images are not stored, and their URLs are on a
// domain that never resolves; a lock has no expiry.
package clerktest
