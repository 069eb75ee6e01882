package auth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
)

// Keys are generated once per test run: RSA key generation is the slowest step of the tests.
var (
	rsaKeyA   = sync.OnceValue(func() *rsa.PrivateKey { return newRSAKey() })
	rsaKeyB   = sync.OnceValue(func() *rsa.PrivateKey { return newRSAKey() })
	ecKeyP256 = sync.OnceValue(func() *ecdsa.PrivateKey { return newECKey(elliptic.P256()) })
	ecKeyP384 = sync.OnceValue(func() *ecdsa.PrivateKey { return newECKey(elliptic.P384()) })
	edKey     = sync.OnceValue(newEdKey)
)

func newRSAKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func newECKey(c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

// testNow is the fixed time at which tokens are minted and checked, unless a test moves it.
var testNow = time.Date(2026, 5, 12, 10, 0, 0, 0, time.UTC)

const (
	testIssuer = "https://clerk.example.com"
	testOrigin = "https://app.example.com"
	kidA       = "ins_keyA"
	kidB       = "ins_keyB"
)

// testClock is a clock that only moves when told to.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *testClock { return &testClock{now: testNow} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// baseClaims are valid claims of a Clerk session token at testNow.
func baseClaims() map[string]any {
	return map[string]any{
		"sub": "user_2abc",
		"sid": "sess_2abc",
		"azp": testOrigin,
		"iss": testIssuer,
		"iat": testNow.Unix(),
		"nbf": testNow.Add(-10 * time.Second).Unix(),
		"exp": testNow.Add(2 * time.Hour).Unix(),
	}
}

// withClaims returns baseClaims changed by edits; a nil value removes the claim.
func withClaims(edits map[string]any) map[string]any {
	c := baseClaims()
	for k, v := range edits {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// sign mints a token with go-jose. An empty kid leaves the header without one.
func sign(t testing.TB, key any, alg jose.SignatureAlgorithm, kid string, claims any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	require.NoError(t, err)
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	require.NoError(t, err)
	return token
}

// b64 is base64url without padding, as JWS compact serialization uses.
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// signRS256 is an RS256 signer independent of go-jose, written from RFC 7515 and RFC 7518
// with crypto/rsa and encoding/base64 only. It signs header and payload bytes exactly as given,
// so tests can also build tokens that go-jose would refuse to produce.
func signRS256(t testing.TB, key *rsa.PrivateKey, header, payload []byte) string {
	t.Helper()
	input := b64(header) + "." + b64(payload)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	require.NoError(t, err)
	return input + "." + b64(sig)
}

// signHS256 makes an HMAC-SHA256 token with secret, for algorithm-confusion attacks.
func signHS256(header, payload, secret []byte) string {
	input := b64(header) + "." + b64(payload)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + b64(mac.Sum(nil))
}

// publicPEM encodes the public half of key as a PKIX PEM block.
func publicPEM(t testing.TB, key crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key.Public())
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// jwk describes the public half of key as the JWKS endpoint would.
func jwk(t testing.TB, key crypto.Signer, kid, alg string) clerk.JSONWebKey {
	t.Helper()
	raw, err := jose.JSONWebKey{Key: key.Public(), KeyID: kid, Algorithm: alg, Use: "sig"}.
		MarshalJSON()
	require.NoError(t, err)
	var k clerk.JSONWebKey
	require.NoError(t, json.Unmarshal(raw, &k))
	return k
}

// fakeJWKS is a JWKSClient that serves a set the test can change, and counts its calls.
type fakeJWKS struct {
	mu    sync.Mutex
	set   *clerk.JSONWebKeySet
	err   error
	calls atomic.Int64
	// block, when set, runs at the start of each call; a non-nil result is returned as the
	// call's error.
	block func(ctx context.Context, call int64) error
}

func newFakeJWKS(keys ...clerk.JSONWebKey) *fakeJWKS {
	return &fakeJWKS{set: &clerk.JSONWebKeySet{Keys: keys}}
}

func (f *fakeJWKS) Get(ctx context.Context) (*clerk.JSONWebKeySet, error) {
	n := f.calls.Add(1)
	if f.block != nil {
		if err := f.block(ctx, n); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	// A copy, so that a later change by the test cannot reach a set already served.
	return &clerk.JSONWebKeySet{Keys: append([]clerk.JSONWebKey(nil), f.set.Keys...)}, nil
}

func (f *fakeJWKS) Serve(keys ...clerk.JSONWebKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.set, f.err = &clerk.JSONWebKeySet{Keys: keys}, nil
}

func (f *fakeJWKS) Fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// sentinels are all the errors of Verify; each failure must match exactly one.
var sentinels = []error{
	auth.ErrTokenTooLarge, auth.ErrMalformed, auth.ErrUnsupportedAlgorithm,
	auth.ErrMissingKeyID, auth.ErrUnknownKey, auth.ErrKeysUnavailable,
	auth.ErrInvalidSignature, auth.ErrMissingExpiry, auth.ErrExpired, auth.ErrNotYetValid,
	auth.ErrIssuedInFuture, auth.ErrInvalidIssuer, auth.ErrInvalidAuthorizedParty,
}

// requireOnly checks that err matches want and no other sentinel.
func requireOnly(t testing.TB, err, want error) {
	t.Helper()
	require.Error(t, err, "got no error, want %v", want)
	for _, s := range sentinels {
		if errors.Is(s, want) {
			require.ErrorIs(t, err, want, "got %v, want %v", err, want)
			continue
		}
		require.False(t, errors.Is(err, s), "got %v, which also matches %v", err, s)
	}
}

func newEdKey() ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func jsonInt(n int64) string { return strconv.FormatInt(n, 10) }

func decodeB64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

func sha256Sum(s string) []byte {
	d := sha256.Sum256([]byte(s))
	return d[:]
}
