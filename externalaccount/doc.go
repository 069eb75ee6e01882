// Package externalaccount works with the accounts at OAuth providers (Google, GitHub, ...)
// that users connect to sign in. The API has no endpoints of their own for these accounts:
// they live on the user, and this package gathers the calls about them from the user
// endpoints, so that it does not depend on package user.
//
// The call most programs need reads a user's access token at a provider, to call that
// provider's API on the user's behalf:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	tokens, err := externalaccount.AccessToken(ctx, "user_123", "oauth_google")
//	if err != nil {
//		// an unknown user is a *clerk.APIError matching clerk.ErrNotFound
//	}
//	for _, t := range tokens {
//		// t.Token is the bearer token for the provider; t.Scopes says what it may do
//	}
//
// FindUser answers the opposite question, which user connected a given provider account;
// when none did, its error matches ErrUserNotFound (and clerk.ErrNotFound):
//
//	u, err := externalaccount.FindUser(ctx, "oauth_github", githubUserID)
//	if errors.Is(err, clerk.ErrNotFound) {
//		// nobody connected this GitHub account
//	}
//
// ListForUser lists a user's accounts and Delete disconnects one. Every function has a
// method of the same name on Client, for a configuration other than the default one
// (NewClient).
package externalaccount
