package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/jwks"
)

// MaxTokenSize is the longest token Verify parses, in bytes. Session tokens are a few hundred
// bytes to a few KiB; anything longer is rejected with ErrTokenTooLarge before any decoding.
const MaxTokenSize = 16 << 10

// Defaults used where an Options field is left at its zero value.
const (
	DefaultLeeway          = 5 * time.Second
	DefaultCacheTTL        = time.Hour
	DefaultRefetchInterval = 5 * time.Minute
)

// JWKSClient fetches a JSON Web Key Set. *jwks.Client satisfies it; tests and programs with
// their own key distribution can pass any other implementation in Options.JWKSClient.
type JWKSClient interface {
	Get(ctx context.Context) (*clerk.JSONWebKeySet, error)
}

// Options configures a Verifier.
//
// The keys come from one of three sources; setting more than one is an error:
//   - PublicKeyPEM: a public key given up front. Verify then never touches the network.
//   - JWKSClient: any JWKSClient, such as a *jwks.Client.
//   - Config: the instance's JWKS endpoint, reached with this configuration.
//
// With none of them set, keys come from the JWKS endpoint of the default configuration (see
// clerk.SetKey), read at each fetch.
type Options struct {
	// Config is the configuration used to fetch the JWKS (GET /jwks).
	Config *clerk.ClientConfig
	// JWKSClient fetches the JWKS instead of a client built from Config.
	JWKSClient JWKSClient
	// PublicKeyPEM is the instance's public key in PEM (the "JWT public key" shown in the
	// Clerk dashboard): a PKIX "PUBLIC KEY" block holding an RSA, EC or Ed25519 key, or a
	// PKCS #1 "RSA PUBLIC KEY" block. Tokens need no kid with it.
	PublicKeyPEM string

	// Issuer, when set, must equal the token's iss exactly (the instance's Frontend API URL,
	// such as "https://clerk.example.com").
	Issuer string
	// AuthorizedParties, when set, lists the origins allowed in azp, such as
	// "https://example.com"; a token without azp is then rejected. Setting it protects against
	// tokens issued to a page on another origin (CSRF and subdomain attacks).
	AuthorizedParties []string
	// Leeway is the clock skew tolerated when checking exp, nbf and iat. Zero means
	// DefaultLeeway; it must not be negative. Token times are whole seconds, so a leeway
	// below one second (such as 1ns) amounts to none.
	Leeway time.Duration

	// CacheTTL is how long fetched keys are used, counted from the start of the fetch; the next
	// Verify after that fetches again. A key removed from the JWKS thus stops verifying within
	// CacheTTL. While the JWKS endpoint fails, the last good keys go on verifying for one more
	// CacheTTL, and a failed fetch is tried again at most once a second. Zero means
	// DefaultCacheTTL; it must not be negative.
	CacheTTL time.Duration
	// RefetchInterval is the shortest time between the start of one fetch and a refetch caused
	// by a token whose kid is not in the cached set (a rotated key). However many such tokens
	// arrive, at most one refetch happens per interval. Zero means DefaultRefetchInterval; it
	// must not be negative.
	RefetchInterval time.Duration

	// Clock returns the current time; nil means time.Now. Tests set it to move time at will.
	Clock func() time.Time
}

// Verifier verifies session tokens. It is safe for concurrent use; build one per instance
// and share it, so that all requests share its key cache.
type Verifier struct {
	keys    keySource
	issuer  string
	parties []string
	leeway  time.Duration
	now     func() time.Time
}

// NewVerifier returns a Verifier for opts. It checks opts and, with PublicKeyPEM, parses the
// key; it makes no request (keys from a JWKS are fetched by the first Verify that needs them).
// A bad option is a *clerk.InvalidParamError naming it.
func NewVerifier(opts Options) (*Verifier, error) {
	leeway, err := durationOption("Leeway", opts.Leeway, DefaultLeeway)
	if err != nil {
		return nil, err
	}
	ttl, err := durationOption("CacheTTL", opts.CacheTTL, DefaultCacheTTL)
	if err != nil {
		return nil, err
	}
	interval, err := durationOption("RefetchInterval", opts.RefetchInterval, DefaultRefetchInterval)
	if err != nil {
		return nil, err
	}
	now := opts.Clock
	if now == nil {
		now = time.Now
	}
	v := &Verifier{
		issuer:  opts.Issuer,
		parties: slices.Clone(opts.AuthorizedParties),
		leeway:  leeway,
		now:     now,
	}

	fetch := jwks.Get
	switch {
	case countTrue(opts.Config != nil, opts.JWKSClient != nil, opts.PublicKeyPEM != "") > 1:
		return nil, &clerk.InvalidParamError{Param: "Options",
			Reason: "set at most one of Config, JWKSClient and PublicKeyPEM"}
	case opts.PublicKeyPEM != "":
		key, err := parsePublicKeyPEM(opts.PublicKeyPEM)
		if err != nil {
			return nil, &clerk.InvalidParamError{Param: "PublicKeyPEM", Reason: err.Error()}
		}
		v.keys = staticKey{key}
		return v, nil
	case opts.JWKSClient != nil:
		fetch = opts.JWKSClient.Get
	case opts.Config != nil:
		fetch = jwks.NewClient(opts.Config).Get
	}
	v.keys = &keyCache{fetch: fetch, ttl: ttl, refetchInterval: interval, now: now}
	return v, nil
}

// durationOption returns d, or def when d is zero; a negative d is an InvalidParamError.
func durationOption(name string, d, def time.Duration) (time.Duration, error) {
	switch {
	case d < 0:
		return 0, &clerk.InvalidParamError{Param: name, Reason: "must not be negative"}
	case d == 0:
		return def, nil
	}
	return d, nil
}

func countTrue(conds ...bool) int {
	n := 0
	for _, c := range conds {
		if c {
			n++
		}
	}
	return n
}

// Verify checks token and returns its claims. It checks, in order: the size, the format, that
// alg is an asymmetric algorithm, the key (picked by kid from a JWKS), that alg fits the key,
// the signature, that exp is present, exp, nbf and iat against the clock with the leeway, then
// iss and azp when the Options ask for them. The first failure is returned as an error that
// errors.Is matches with one of the package's sentinels (ErrExpired, ErrInvalidSignature, ...).
//
// With keys from a JWKS, the first call, and the first after the cache lifetime, fetch the
// set with ctx; calls that need the set meanwhile wait for that fetch or for their own ctx.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	if len(token) > MaxTokenSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTokenTooLarge, len(token), MaxTokenSize)
	}
	if v == nil || v.keys == nil {
		return nil, fmt.Errorf("%w: the Verifier was not made by NewVerifier", ErrKeysUnavailable)
	}
	// A compact JWS has no white space anywhere; the parser would trim some of it (a trailing
	// newline) and not the rest, so any of it is refused here alike.
	if strings.ContainsFunc(token, unicode.IsSpace) {
		return nil, fmt.Errorf("%w: the token contains white space", ErrMalformed)
	}
	tok, err := jwt.ParseSigned(token, signatureAlgorithms)
	if err != nil {
		var algErr *jose.ErrUnexpectedSignatureAlgorithm
		if errors.As(err, &algErr) {
			return nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, algErr.Got)
		}
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	header := tok.Headers[0]

	key, err := v.keys.lookup(ctx, header.KeyID)
	if err != nil {
		return nil, err
	}
	if !key.allows(header.Algorithm) {
		return nil, fmt.Errorf("%w: %q does not fit the key", ErrUnsupportedAlgorithm,
			header.Algorithm)
	}

	// The payload is decoded once, by name, and the named claims are taken from that. A
	// payload that fails to decode is decoded again into tokenClaims and by name, the long
	// way, so that the error reported is that of the first claim in the payload that fails.
	var claims tokenClaims
	var all map[string]json.RawMessage
	err = tok.Claims(key.key, &all)
	if err == nil {
		err = claims.fromNamed(all)
	}
	if err != nil && !errors.Is(err, jose.ErrCryptoFailure) {
		claims, all = tokenClaims{}, nil
		err = tok.Claims(key.key, &claims, &all)
	}
	if err != nil {
		if errors.Is(err, jose.ErrCryptoFailure) {
			return nil, ErrInvalidSignature
		}
		return nil, fmt.Errorf("%w: payload: %w", ErrMalformed, err)
	}
	if err := v.check(&claims); err != nil {
		return nil, err
	}
	return claims.claims(all), nil
}

// check applies the time, issuer and authorized party rules to verified claims.
func (v *Verifier) check(c *tokenClaims) error {
	if c.Expiry == nil {
		return ErrMissingExpiry
	}
	now := v.now()
	// Per RFC 7519, a token is valid from nbf (inclusive) until exp (exclusive).
	if exp := c.Expiry.Time(); !now.Before(exp.Add(v.leeway)) {
		return fmt.Errorf("%w: at %s", ErrExpired, exp.UTC().Format(time.RFC3339))
	}
	if c.NotBefore != nil {
		if nbf := c.NotBefore.Time(); now.Add(v.leeway).Before(nbf) {
			return fmt.Errorf("%w: valid from %s", ErrNotYetValid, nbf.UTC().Format(time.RFC3339))
		}
	}
	if c.IssuedAt != nil {
		if iat := c.IssuedAt.Time(); now.Add(v.leeway).Before(iat) {
			return fmt.Errorf("%w: at %s", ErrIssuedInFuture, iat.UTC().Format(time.RFC3339))
		}
	}
	if v.issuer != "" && c.Issuer != v.issuer {
		return fmt.Errorf("%w: %q", ErrInvalidIssuer, c.Issuer)
	}
	if len(v.parties) > 0 {
		if c.AuthorizedParty == "" {
			return fmt.Errorf("%w: the token has no azp", ErrInvalidAuthorizedParty)
		}
		if !slices.Contains(v.parties, c.AuthorizedParty) {
			return fmt.Errorf("%w: %q", ErrInvalidAuthorizedParty, c.AuthorizedParty)
		}
	}
	return nil
}
