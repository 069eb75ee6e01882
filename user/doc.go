// Package user manages the users of a Clerk instance: reading and listing them, creating,
// updating and deleting them, their metadata, bans and locks, profile images, passwords and
// second factors.
//
// Most programs set the secret key once and call the package-level functions:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	u, err := user.Get(ctx, "user_2abc")
//
// A program that talks to several instances, or wants its own retry policy, builds a Client
// per configuration with NewClient; its methods are the package-level functions.
//
// # Errors
//
// An answer of 400 or above is a *clerk.APIError: match the common cases with errors.Is
// (clerk.ErrNotFound, clerk.ErrUnprocessable, ...) and read the API's error codes with
// errors.As. Bad input caught before any request (an empty ID, an empty filter list, a limit
// outside 1 to 500, metadata that is not a JSON object) is a *clerk.InvalidParamError, and
// nothing is sent for it.
//
// # Pagination
//
// List returns one page (one request); Count returns how many users match. All walks every
// page as a range-over-func iterator:
//
//	for u, err := range user.All(ctx, &user.ListParams{Banned: clerk.Bool(false)}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.ID)
//	}
//
// In the default order (newest first) All pages with the starting_after cursor, so users
// created during the walk do not shift the pages.
//
// # Metadata
//
// Metadata is raw JSON. UpdateMetadata merges into what the user has (a key set to null is
// removed), ReplaceMetadata replaces each object given whole; Update does not touch metadata.
package user
