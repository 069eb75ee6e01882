package auth

import "errors"

// Errors returned by Verifier.Verify. Each failure matches exactly one of them with errors.Is;
// the returned error adds detail (which algorithm, which issuer, when it expired) after a colon.
var (
	// ErrTokenTooLarge is returned for a token longer than MaxTokenSize, before any parsing.
	ErrTokenTooLarge = errors.New("auth: session token too large")
	// ErrMalformed is returned for anything that is not a compact JWS with a JSON header and a
	// JSON object as payload: wrong number of segments, bad base64, bad JSON, claims of the
	// wrong type.
	ErrMalformed = errors.New("auth: malformed session token")
	// ErrUnsupportedAlgorithm is returned when the header's alg is not an asymmetric signature
	// algorithm (none, HS256, ...) or does not fit the key: HS256 against an RSA key, ES384
	// against a P-256 key, or any alg other than the one the JWKS names for the key.
	ErrUnsupportedAlgorithm = errors.New("auth: unsupported signing algorithm")
	// ErrMissingKeyID is returned when keys come from a JWKS and the header has no kid.
	ErrMissingKeyID = errors.New("auth: session token has no key ID (kid)")
	// ErrUnknownKey is returned when no key in the JWKS has the token's kid, even after the
	// refetch that an unknown kid may cause (see Options.RefetchInterval).
	ErrUnknownKey = errors.New("auth: no signing key matches the session token's key ID")
	// ErrKeysUnavailable is returned when the JWKS could not be fetched; the cause (an
	// *clerk.APIError, a transport or context error) is wrapped with it.
	ErrKeysUnavailable = errors.New("auth: signing keys unavailable")
	// ErrInvalidSignature is returned when the signature does not verify with the key.
	ErrInvalidSignature = errors.New("auth: invalid session token signature")
	// ErrMissingExpiry is returned for a token with no exp claim: it would never expire.
	ErrMissingExpiry = errors.New("auth: session token has no expiry (exp)")
	// ErrExpired is returned when exp is in the past by more than the leeway.
	ErrExpired = errors.New("auth: session token expired")
	// ErrNotYetValid is returned when nbf is in the future by more than the leeway.
	ErrNotYetValid = errors.New("auth: session token not valid yet")
	// ErrIssuedInFuture is returned when iat is in the future by more than the leeway.
	ErrIssuedInFuture = errors.New("auth: session token issued in the future")
	// ErrInvalidIssuer is returned when Options.Issuer is set and iss differs from it.
	ErrInvalidIssuer = errors.New("auth: session token issuer not accepted")
	// ErrInvalidAuthorizedParty is returned when Options.AuthorizedParties is set and azp is
	// missing or not in the list.
	ErrInvalidAuthorizedParty = errors.New("auth: session token authorized party not accepted")
)
