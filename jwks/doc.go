// Package jwks fetches the JSON Web Key Set of a Clerk instance: the public keys that verify the
// session tokens the instance signs.
//
// Most programs never call it: package auth fetches and caches these keys itself when it
// verifies tokens. Call it to inspect the keys, or to feed another JOSE library:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	set, err := jwks.Get(ctx)
//	if err != nil {
//		// a *clerk.APIError for an answer of 400 or above, or a transport or context error
//	}
//	for _, k := range set.Keys {
//		fmt.Println(k.KeyID, k.Algorithm)
//	}
//
// A client for a configuration other than the default one is built with NewClient.
package jwks
