package auth_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk/auth"
)

// The fuzz targets use fixed keys so that the seeds (tokens signed by them) stay valid from
// run to run: an RSA key kept in testdata, and an Ed25519 key from a fixed seed.
var (
	fuzzRSAKey = sync.OnceValue(func() *rsa.PrivateKey {
		data, err := os.ReadFile("testdata/fuzz_rsa_key.pem")
		if err != nil {
			panic(err)
		}
		block, _ := pem.Decode(data)
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			panic(err)
		}
		return key.(*rsa.PrivateKey)
	})
	fuzzEdKey = ed25519.NewKeyFromSeed([]byte("clerk-go fuzz key, tests only..."))
)

// fuzzSentinels are the errors Verify may return; every failure matches exactly one.
var fuzzSentinels = []error{auth.ErrTokenTooLarge, auth.ErrMalformed,
	auth.ErrUnsupportedAlgorithm, auth.ErrMissingKeyID, auth.ErrUnknownKey,
	auth.ErrKeysUnavailable, auth.ErrInvalidSignature, auth.ErrMissingExpiry, auth.ErrExpired,
	auth.ErrNotYetValid, auth.ErrIssuedInFuture, auth.ErrInvalidIssuer,
	auth.ErrInvalidAuthorizedParty}

func checkOneSentinel(t *testing.T, err error) {
	t.Helper()
	n := 0
	for _, s := range fuzzSentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("got an error matching %d sentinels, want 1: %v", n, err)
	}
}

func fuzzVerifier(t testing.TB, pub crypto.Signer) *auth.Verifier {
	v, err := auth.NewVerifier(auth.Options{PublicKeyPEM: publicPEM(t, pub),
		Issuer: testIssuer, AuthorizedParties: []string{testOrigin},
		Clock: func() time.Time { return testNow }})
	require.NoError(t, err)
	return v
}

// claimsHold checks, from the raw payload, that claims Verify accepted are acceptable: an
// expiry not passed, no future nbf or iat, the issuer and an allowed party.
func claimsHold(t *testing.T, payload []byte, got *auth.Claims) {
	t.Helper()
	var c struct {
		Exp, Nbf, Iat *float64
		Iss, Azp, Sub any
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatalf("accepted a payload that is not a JSON object: %q", payload)
	}
	leeway := auth.DefaultLeeway.Seconds()
	now := float64(testNow.Unix())
	switch {
	case c.Exp == nil:
		t.Fatalf("accepted a token without exp: %s", payload)
	case *c.Exp+leeway <= now:
		t.Fatalf("accepted an expired token: %s", payload)
	case c.Nbf != nil && *c.Nbf > now+leeway:
		t.Fatalf("accepted a token not valid yet: %s", payload)
	case c.Iat != nil && *c.Iat > now+leeway:
		t.Fatalf("accepted a token issued in the future: %s", payload)
	case c.Iss != testIssuer:
		t.Fatalf("accepted issuer %v: %s", c.Iss, payload)
	case c.Azp != testOrigin:
		t.Fatalf("accepted authorized party %v: %s", c.Azp, payload)
	case got == nil:
		t.Fatalf("accepted a token without returning claims")
	case c.Sub != nil && c.Sub != got.Subject:
		t.Fatalf("got subject %q, want %v", got.Subject, c.Sub)
	}
}

// rsaSignatureValid checks a compact token's signature against the RSA key with crypto/rsa
// alone, for the algorithm its header names: an independent judge of what Verify accepted.
func rsaSignatureValid(token string, pub *rsa.PublicKey) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	rawHeader, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return false
	}
	var header struct{ Alg string }
	if json.Unmarshal(rawHeader, &header) != nil {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	hashes := map[string]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384,
		"RS512": crypto.SHA512, "PS256": crypto.SHA256, "PS384": crypto.SHA384,
		"PS512": crypto.SHA512}
	h, ok := hashes[header.Alg]
	if !ok {
		return false
	}
	hasher := h.New()
	hasher.Write([]byte(parts[0] + "." + parts[1]))
	digest := hasher.Sum(nil)
	if strings.HasPrefix(header.Alg, "PS") {
		return rsa.VerifyPSS(pub, h, digest, sig, nil) == nil
	}
	return rsa.VerifyPKCS1v15(pub, h, digest, sig) == nil
}

// FuzzVerify feeds arbitrary strings to a verifier with a PEM key: Verify never panics, every
// failure matches one sentinel, and a token it accepts carries a valid signature by that key
// (checked with crypto/rsa alone) and acceptable claims.
func FuzzVerify(f *testing.F) {
	key := fuzzRSAKey()
	header := func(alg string) []byte { return []byte(`{"alg":"` + alg + `","typ":"JWT"}`) }
	payload := mustJSON(f, baseClaims())
	valid := signRS256(f, key, header("RS256"), payload)
	parts := strings.Split(valid, ".")
	seeds := []string{
		valid,
		signRS256(f, key, []byte(`{"alg":"RS256","kid":"ins_1"}`), payload),
		signRS256(f, key, header("RS256"), mustJSON(f, withClaims(map[string]any{"exp": nil}))),
		signRS256(f, key, header("RS256"), mustJSON(f, withClaims(map[string]any{
			"exp": testNow.Add(-time.Hour).Unix()}))),
		signRS256(f, key, header("RS256"), mustJSON(f, withClaims(map[string]any{
			"iss": "https://evil.example.com", "azp": nil}))),
		signRS256(f, key, header("RS256"), []byte(`{"exp":1e400,"iss":1}`)),
		signRS256(f, key, header("PS256"), payload), // a PKCS #1 signature under a PSS alg
		parts[0] + "." + b64([]byte(`{"sub":"user_admin","exp":9999999999}`)) + "." + parts[2],
		b64(header("none")) + "." + parts[1] + ".",
		signHS256(header("HS256"), payload, []byte(publicPEM(f, key))),
		parts[0] + "." + parts[1] + "." + parts[2] + "=",
		parts[0] + "." + parts[1] + ".." + parts[2],
		parts[0] + "." + parts[1],
		"", ".", "..", "a.b.c", "e30.e30.", strings.Repeat("a", auth.MaxTokenSize+1),
		`{"payload":"e30","signatures":[]}`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	v := fuzzVerifier(f, key)
	// The judge and the verifier agree on the seeds that matter, so the checks below can fail.
	if _, err := v.Verify(context.Background(), valid); err != nil {
		f.Fatalf("the valid seed was rejected: %v", err)
	}
	if !rsaSignatureValid(valid, &key.PublicKey) || rsaSignatureValid(seeds[7], &key.PublicKey) {
		f.Fatalf("the signature judge cannot tell a valid token from a tampered one")
	}
	f.Fuzz(func(t *testing.T, token string) {
		claims, err := v.Verify(context.Background(), token)
		if err != nil {
			checkOneSentinel(t, err)
			if claims != nil {
				t.Fatalf("got claims with an error")
			}
			return
		}
		if !rsaSignatureValid(token, &key.PublicKey) {
			t.Fatalf("accepted a token not signed by the key: %q", token)
		}
		raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
		if err != nil {
			t.Fatalf("accepted a payload that is not base64url: %q", token)
		}
		claimsHold(t, raw, claims)
	})
}

// FuzzVerifySigned signs arbitrary headers and payloads with the verifier's own key, so the
// fuzzer reaches the checks after the signature: Verify never panics, every failure matches
// one sentinel, and what it accepts names the key's algorithm and has acceptable claims.
func FuzzVerifySigned(f *testing.F) {
	seedHeaders := []string{`{"alg":"EdDSA","typ":"JWT"}`, `{"alg":"EdDSA","kid":"k"}`,
		`{"alg":"RS256"}`, `{"alg":"none"}`, `{"alg":"HS256"}`, `{"alg":"EdDSA","crit":["exp"]}`,
		`{"alg":"EdDSA","b64":false,"crit":["b64"]}`, `{"alg":"EdDSA","jku":"http://127.0.0.1:1"}`,
		`{}`, `[]`, `{"alg":["EdDSA"]}`}
	base := baseClaims()
	seedPayloads := [][]byte{mustJSON(f, base)}
	for _, edit := range []map[string]any{
		{"exp": nil}, {"exp": "soon"}, {"exp": float64(math.MaxInt64)}, {"exp": -1},
		{"nbf": testNow.Add(time.Hour).Unix()}, {"iat": testNow.Add(time.Hour).Unix()},
		{"iss": nil}, {"azp": ""}, {"azp": []string{testOrigin}}, {"sub": 7},
		{"exp": testNow.Add(-4 * time.Second).Unix()}, {"org_permissions": "not a list"},
		{"act": map[string]any{"sub": "user_admin"}},
	} {
		seedPayloads = append(seedPayloads, mustJSON(f, withClaims(edit)))
	}
	seedPayloads = append(seedPayloads, []byte(`null`), []byte(`[]`), []byte(`{"exp":1e400}`))
	for _, h := range seedHeaders {
		for _, p := range seedPayloads {
			f.Add([]byte(h), p)
		}
	}
	v := fuzzVerifier(f, fuzzEdKey)
	sign := func(header, payload []byte) string {
		input := b64(header) + "." + b64(payload)
		return input + "." + b64(ed25519.Sign(fuzzEdKey, []byte(input)))
	}
	if _, err := v.Verify(context.Background(), sign([]byte(seedHeaders[0]),
		seedPayloads[0])); err != nil {
		f.Fatalf("the valid seed was rejected: %v", err)
	}
	f.Fuzz(func(t *testing.T, header, payload []byte) {
		claims, err := v.Verify(context.Background(), sign(header, payload))
		if err != nil {
			checkOneSentinel(t, err)
			return
		}
		var h struct{ Alg any }
		if json.Unmarshal(header, &h) != nil || h.Alg != "EdDSA" {
			t.Fatalf("accepted header %q for an Ed25519 key", header)
		}
		claimsHold(t, payload, claims)
	})
}
