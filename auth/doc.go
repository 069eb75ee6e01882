// Package auth verifies Clerk session tokens on incoming requests, with no network call per
// request.
//
// A session token is a short-lived JWT that the instance signs with its private key. Build one
// Verifier per instance at start-up and share it; it is safe for concurrent use:
//
//	v, err := auth.NewVerifier(auth.Options{
//		Config:            &clerk.ClientConfig{Key: os.Getenv("CLERK_SECRET_KEY")},
//		AuthorizedParties: []string{"https://example.com"},
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("/api/", v.RequireSession(api))
//
// Inside api, auth.ClaimsFromContext(r.Context()) returns the verified claims; Subject is the
// user's ID.
//
// # Keys
//
// With Config (or JWKSClient), the verifier fetches the instance's JSON Web Key Set once, keeps
// it for Options.CacheTTL, and picks the key by the token's kid. Concurrent requests that find
// no keys share one fetch, and a token with a kid that is not in the set (after a key rotation)
// causes at most one refetch per Options.RefetchInterval, however many such tokens arrive.
// With PublicKeyPEM (the "JWT public key" of the dashboard), no request is ever made.
//
// # Errors
//
// Verify returns an error that errors.Is matches with one sentinel per kind of failure:
//
//	claims, err := v.Verify(ctx, token)
//	switch {
//	case errors.Is(err, auth.ErrExpired):
//		// the client should get a fresh token and try again
//	case errors.Is(err, auth.ErrKeysUnavailable):
//		// the JWKS could not be fetched: a problem on the server side, not the token's
//	case err != nil:
//		// any other failure: the token must not be trusted
//	}
//
// The middleware does this for net/http: Middleware passes every request on, with claims when
// the token is valid; RequireSession answers 401 (or 503 when keys are unavailable) with a JSON
// error body and never calls the next handler without a valid session.
package auth
