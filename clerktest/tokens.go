package clerktest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/clerkcompat/clerk"
)

// Lifetimes of the tokens the server signs.
const (
	// defaultTokenLifetime is the lifetime of a session token, and of a template's token
	// when its template sets none, as on a Clerk instance.
	defaultTokenLifetime = 60 * time.Second
	// notBeforeSkew backdates nbf, so that a verifier whose clock runs a little behind
	// the server's accepts a fresh token, as Clerk's tokens are backdated.
	notBeforeSkew = 10 * time.Second
	// shiftedBy is how far Expired and NotYetValid move a token out of its valid window:
	// well past the few seconds of leeway that verifiers allow.
	shiftedBy = time.Minute
	// signingKeyBits is the size of the RSA keys, the size Clerk instances use.
	signingKeyBits = 2048
)

// signingKey is an RSA key with the kid that names it in a JWKS and in token headers.
type signingKey struct {
	key *rsa.PrivateKey
	kid string
}

// signingKeys are the server's own key, whose public half GET /jwks serves, and a foreign key
// under the same kid, for tokens that must fail signature checks. Each is generated on first
// use (an RSA key takes tens of milliseconds to make) and never changes afterwards.
type signingKeys struct {
	ownOnce     sync.Once
	own         signingKey
	foreignOnce sync.Once
	foreign     *rsa.PrivateKey
}

// instance returns the server's signing key.
func (k *signingKeys) instance() signingKey {
	k.ownOnce.Do(func() {
		key := newRSAKey()
		k.own = signingKey{key: key, kid: keyID(key)}
	})
	return k.own
}

// stranger returns a key that is not the server's, under the server key's kid.
func (k *signingKeys) stranger() signingKey {
	own := k.instance()
	k.foreignOnce.Do(func() { k.foreign = newRSAKey() })
	return signingKey{key: k.foreign, kid: own.kid}
}

func newRSAKey() *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, signingKeyBits)
	if err != nil {
		// GenerateKey fails only for a size it does not support, and 2048 bits is supported
		// everywhere; the system's random source does not fail.
		panic(fmt.Sprintf("clerktest: cannot generate an RSA key: %v", err))
	}
	return key
}

// keyID names key by its RFC 7638 thumbprint, in the shape of a Clerk instance's kid, so
// that the kid is stable for the key and differs between servers.
func keyID(key *rsa.PrivateKey) string {
	jwk := jose.JSONWebKey{Key: &key.PublicKey}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		panic(fmt.Sprintf("clerktest: cannot compute a key thumbprint: %v", err))
	}
	return "ins_" + base62(sum, 27)
}

// sign returns the compact JWS of claims, signed with key under RS256 with key's kid.
func sign(key signingKey, claims map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("clerktest: token claims cannot be encoded: %w", err)
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256,
			Key: jose.JSONWebKey{Key: key.key, KeyID: key.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("clerktest: cannot make a signer: %w", err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("clerktest: cannot sign a token: %w", err)
	}
	return obj.CompactSerialize()
}

// tokenWindow is when a token is valid: from nbf (inclusive) to exp (exclusive), issued at iat.
type tokenWindow struct {
	issuedAt, notBefore, expiry time.Time
}

// window returns the valid window of a token issued at now that lives for lifetime.
func window(now time.Time, lifetime time.Duration) tokenWindow {
	return tokenWindow{issuedAt: now, notBefore: now.Add(-notBeforeSkew),
		expiry: now.Add(lifetime)}
}

// sessionClaims are the claims of a session token for sess, as a Clerk instance signs them:
// the user (sub), the session (sid), the issuer, the authorized party when there is one, and
// the times in whole seconds.
func (s *Server) sessionClaims(sess *clerk.Session, azp string, w tokenWindow) map[string]any {
	claims := map[string]any{
		"sub": sess.UserID,
		"sid": sess.ID,
		"iss": s.Issuer(),
		"iat": w.issuedAt.Unix(),
		"nbf": w.notBefore.Unix(),
		"exp": w.expiry.Unix(),
	}
	if azp != "" {
		claims["azp"] = azp
	}
	return claims
}

// Issuer returns the issuer (iss) of the tokens the server signs: its base URL, as the
// Frontend API URL is the issuer of a Clerk instance's tokens. A verifier may require it with
// auth.Options.Issuer.
func (s *Server) Issuer() string { return s.baseURL }

// TokenOption changes a token made by SessionToken.
type TokenOption func(*tokenOptions)

type tokenOptions struct {
	lifetime    time.Duration
	expired     bool
	notYetValid bool
	foreign     bool
	azp         string
	claims      map[string]any
}

// Expired makes a token whose exp lies a minute in the past, beyond any usual leeway: a
// verifier must reject it as expired.
func Expired() TokenOption {
	return func(o *tokenOptions) { o.expired = true }
}

// NotYetValid makes a token whose nbf lies a minute in the future: a verifier must reject it
// as not valid yet. It cannot be combined with Expired.
func NotYetValid() TokenOption {
	return func(o *tokenOptions) { o.notYetValid = true }
}

// ForeignSigned makes a token signed by a key that is not the server's, under the kid of the
// server's key: a verifier finds the key by kid and must reject the signature.
func ForeignSigned() TokenOption {
	return func(o *tokenOptions) { o.foreign = true }
}

// WithClaims adds claims to the token, after the standard ones, so that a claim given here
// replaces the standard one of that name: WithClaims(map[string]any{"iss": "https://evil"})
// makes a token with the wrong issuer. Each value must encode as JSON.
func WithClaims(claims map[string]any) TokenOption {
	return func(o *tokenOptions) {
		if o.claims == nil {
			o.claims = make(map[string]any, len(claims))
		}
		maps.Copy(o.claims, claims)
	}
}

// WithAuthorizedParty sets the token's azp, the origin of the page it was issued to, such as
// "https://app.example.com". Without it the token has no azp.
func WithAuthorizedParty(azp string) TokenOption {
	return func(o *tokenOptions) { o.azp = azp }
}

// WithLifetime sets how long the token is valid from now, instead of 60 seconds. It must be
// positive.
func WithLifetime(d time.Duration) TokenOption {
	return func(o *tokenOptions) { o.lifetime = d }
}

// SessionToken starts a new active session for the user userID and returns a session token
// for it, signed with the server's key (or, with ForeignSigned, another key): a token that an
// auth.Verifier built for this server accepts, unless the options make it fail on purpose.
//
// Times come from the server's clock (see WithClock): a verifier must use the same clock. An
// unknown user, or options that contradict each other, are an error.
func (s *Server) SessionToken(userID string, opts ...TokenOption) (string, error) {
	o := tokenOptions{lifetime: defaultTokenLifetime}
	for _, opt := range opts {
		opt(&o)
	}
	switch {
	case o.lifetime <= 0:
		return "", errors.New("clerktest: SessionToken: the lifetime must be positive")
	case o.expired && o.notYetValid:
		return "", errors.New("clerktest: SessionToken: a token cannot be both expired and " +
			"not valid yet")
	}
	// Checked before the session is made, so that a failure leaves nothing behind.
	if _, err := json.Marshal(o.claims); err != nil {
		return "", fmt.Errorf("clerktest: SessionToken: WithClaims: %w", err)
	}

	s.store.mu.Lock()
	sess, err := s.store.createSession(userID, s.now())
	s.store.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("clerktest: SessionToken for user %q: %w", userID, err)
	}
	s.publish("session.created", sess)

	now := time.UnixMilli(sess.CreatedAt)
	w := window(now, o.lifetime)
	switch {
	case o.expired:
		w = window(now.Add(-o.lifetime-shiftedBy), o.lifetime)
	case o.notYetValid:
		w.notBefore = now.Add(shiftedBy)
		w.expiry = w.notBefore.Add(o.lifetime)
	}
	claims := s.sessionClaims(sess, o.azp, w)
	maps.Copy(claims, o.claims)

	key := s.store.sessions.keys.instance()
	if o.foreign {
		key = s.store.sessions.keys.stranger()
	}
	return sign(key, claims)
}
