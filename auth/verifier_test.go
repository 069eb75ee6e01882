package auth_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
)

// jwksVerifier returns a verifier whose JWKS holds one key of each supported type, with
// Issuer and AuthorizedParties set, checking at testNow.
func jwksVerifier(t *testing.T) *auth.Verifier {
	t.Helper()
	fake := newFakeJWKS(
		jwk(t, rsaKeyA(), kidA, "RS256"),
		jwk(t, rsaKeyB(), kidB, "PS256"),
		jwk(t, ecKeyP256(), "ins_ec256", "ES256"),
		jwk(t, ecKeyP384(), "ins_ec384", ""),
		jwk(t, edKey(), "ins_ed", "EdDSA"),
	)
	v, err := auth.NewVerifier(auth.Options{
		JWKSClient:        fake,
		Issuer:            testIssuer,
		AuthorizedParties: []string{"https://other.example.com", testOrigin},
		Clock:             func() time.Time { return testNow },
	})
	require.NoError(t, err)
	return v
}

func TestVerifyAccepts(t *testing.T) {
	t.Parallel()
	v := jwksVerifier(t)
	header := func(kid string) []byte {
		return mustJSON(t, map[string]any{"alg": "RS256", "typ": "JWT", "kid": kid})
	}
	tests := []struct {
		name  string
		token string
	}{
		{"RS256 by go-jose", sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims())},
		{"PS256 by go-jose", sign(t, rsaKeyB(), jose.PS256, kidB, baseClaims())},
		{"ES256 by go-jose", sign(t, ecKeyP256(), jose.ES256, "ins_ec256", baseClaims())},
		{"ES384, key without alg", sign(t, ecKeyP384(), jose.ES384, "ins_ec384", baseClaims())},
		{"EdDSA by go-jose", sign(t, edKey(), jose.EdDSA, "ins_ed", baseClaims())},
		{"RS256 by the independent signer",
			signRS256(t, rsaKeyA(), header(kidA), mustJSON(t, baseClaims()))},
		{"fractional times", signRS256(t, rsaKeyA(), header(kidA), []byte(
			`{"sub":"user_2abc","iss":"`+testIssuer+`","azp":"`+testOrigin+`",`+
				`"exp":1.9e9,"iat":1778579999.5}`))},
		{"exp within the leeway",
			sign(t, rsaKeyA(), jose.RS256, kidA, withClaims(map[string]any{
				"exp": testNow.Add(-4 * time.Second).Unix()}))},
		{"nbf within the leeway",
			sign(t, rsaKeyA(), jose.RS256, kidA, withClaims(map[string]any{
				"nbf": testNow.Add(4 * time.Second).Unix()}))},
		{"iat within the leeway",
			sign(t, rsaKeyA(), jose.RS256, kidA, withClaims(map[string]any{
				"iat": testNow.Add(4 * time.Second).Unix()}))},
		{"no nbf and no iat",
			sign(t, rsaKeyA(), jose.RS256, kidA, withClaims(map[string]any{
				"nbf": nil, "iat": nil}))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			claims, err := v.Verify(context.Background(), tt.token)
			require.NoError(t, err)
			assert.Equal(t, "user_2abc", claims.Subject)
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	v := jwksVerifier(t)
	valid := sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims())
	parts := strings.Split(valid, ".")
	rsaHeader := mustJSON(t, map[string]any{"alg": "RS256", "typ": "JWT", "kid": kidA})
	payload := mustJSON(t, baseClaims())
	signWith := func(edits map[string]any) string {
		return sign(t, rsaKeyA(), jose.RS256, kidA, withClaims(edits))
	}
	// The secret an attacker would try for HMAC confusion: the public key as published.
	pubDER, err := x509.MarshalPKIXPublicKey(&rsaKeyA().PublicKey)
	require.NoError(t, err)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hsHeader := mustJSON(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": kidA})

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"alg none", b64(mustJSON(t, map[string]any{"alg": "none", "kid": kidA})) + "." +
			b64(payload) + ".", auth.ErrUnsupportedAlgorithm},
		{"alg None with a signature", b64([]byte(`{"alg":"None","kid":"`+kidA+`"}`)) + "." +
			b64(payload) + "." + parts[2], auth.ErrUnsupportedAlgorithm},
		{"HS256 keyed with the PEM public key", signHS256(hsHeader, payload, pubPEM),
			auth.ErrUnsupportedAlgorithm},
		{"HS256 keyed with the DER public key", signHS256(hsHeader, payload, pubDER),
			auth.ErrUnsupportedAlgorithm},
		{"PS256 with a key published for RS256",
			sign(t, rsaKeyA(), jose.PS256, kidA, baseClaims()), auth.ErrUnsupportedAlgorithm},
		{"ES256 header on an RSA key", signRS256(t, rsaKeyA(),
			mustJSON(t, map[string]any{"alg": "ES256", "kid": kidA}), payload),
			auth.ErrUnsupportedAlgorithm},
		{"RS256 header on an EC key", signRS256(t, rsaKeyA(),
			mustJSON(t, map[string]any{"alg": "RS256", "kid": "ins_ec256"}), payload),
			auth.ErrUnsupportedAlgorithm},
		{"ES384 on a P-256 key", sign(t, ecKeyP384(), jose.ES384, "ins_ec256", baseClaims()),
			auth.ErrUnsupportedAlgorithm},
		{"missing kid", sign(t, rsaKeyA(), jose.RS256, "", baseClaims()),
			auth.ErrMissingKeyID},
		{"unknown kid", sign(t, rsaKeyA(), jose.RS256, "ins_nobody", baseClaims()),
			auth.ErrUnknownKey},
		{"tampered payload", parts[0] + "." +
			b64(mustJSON(t, withClaims(map[string]any{"sub": "user_admin"}))) + "." + parts[2],
			auth.ErrInvalidSignature},
		{"tampered signature", parts[0] + "." + parts[1] + "." + flipLastChar(parts[2]),
			auth.ErrInvalidSignature},
		{"signed by another key with the same kid",
			sign(t, rsaKeyB(), jose.RS256, kidA, baseClaims()), auth.ErrInvalidSignature},
		{"empty signature", parts[0] + "." + parts[1] + ".", auth.ErrInvalidSignature},
		{"expired", signWith(map[string]any{"exp": testNow.Add(-6 * time.Second).Unix()}),
			auth.ErrExpired},
		{"expired at the leeway's end", signWith(map[string]any{
			"exp": testNow.Add(-auth.DefaultLeeway).Unix()}), auth.ErrExpired},
		{"not yet valid", signWith(map[string]any{"nbf": testNow.Add(time.Minute).Unix()}),
			auth.ErrNotYetValid},
		{"issued in the future", signWith(map[string]any{"iat": testNow.Add(time.Minute).Unix()}),
			auth.ErrIssuedInFuture},
		{"missing exp", signWith(map[string]any{"exp": nil}), auth.ErrMissingExpiry},
		{"wrong issuer", signWith(map[string]any{"iss": "https://clerk.evil.example"}),
			auth.ErrInvalidIssuer},
		{"missing issuer", signWith(map[string]any{"iss": nil}), auth.ErrInvalidIssuer},
		{"wrong azp", signWith(map[string]any{"azp": "https://evil.example.com"}),
			auth.ErrInvalidAuthorizedParty},
		{"azp differing in case", signWith(map[string]any{"azp": "https://APP.example.com"}),
			auth.ErrInvalidAuthorizedParty},
		{"missing azp", signWith(map[string]any{"azp": nil}), auth.ErrInvalidAuthorizedParty},
		{"empty", "", auth.ErrMalformed},
		{"trailing newline", valid + "\n", auth.ErrMalformed},
		{"leading space", " " + valid, auth.ErrMalformed},
		{"tab inside", parts[0] + ".\t" + parts[1] + "." + parts[2], auth.ErrMalformed},
		{"one segment", parts[0], auth.ErrMalformed},
		{"two segments", parts[0] + "." + parts[1], auth.ErrMalformed},
		{"four segments", valid + "." + parts[2], auth.ErrMalformed},
		{"bad base64 in the header", "*" + parts[0][1:] + "." + parts[1] + "." + parts[2],
			auth.ErrMalformed},
		{"bad base64 in the payload", parts[0] + ".@@@." + parts[2], auth.ErrMalformed},
		{"bad base64 in the signature", parts[0] + "." + parts[1] + ".!!!", auth.ErrMalformed},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], auth.ErrMalformed},
		{"header not JSON", b64([]byte("{alg:RS256")) + "." + parts[1] + "." + parts[2],
			auth.ErrMalformed},
		{"header a JSON array", b64([]byte(`["RS256"]`)) + "." + parts[1] + "." + parts[2],
			auth.ErrMalformed},
		{"payload not JSON, validly signed",
			signRS256(t, rsaKeyA(), rsaHeader, []byte("{not json")), auth.ErrMalformed},
		{"payload a JSON array, validly signed",
			signRS256(t, rsaKeyA(), rsaHeader, []byte(`[1,2]`)), auth.ErrMalformed},
		{"exp a string, validly signed", signWith(map[string]any{"exp": "tomorrow"}),
			auth.ErrMalformed},
		{"sub a number, validly signed", signWith(map[string]any{"sub": 42}),
			auth.ErrMalformed},
		{"duplicate claim, validly signed", signRS256(t, rsaKeyA(), rsaHeader, []byte(
			`{"sub":"user_2abc","sub":"user_admin","exp":1900000000}`)), auth.ErrMalformed},
		{"claim names differ in case", signRS256(t, rsaKeyA(), rsaHeader, []byte(
			`{"sub":"user_2abc","EXP":1900000000}`)), auth.ErrMissingExpiry},
		{"key embedded in the header is ignored", signRS256(t, rsaKeyB(),
			mustJSON(t, map[string]any{"alg": "RS256", "kid": kidA,
				"jwk": jwk(t, rsaKeyB(), kidA, "RS256")}), payload),
			auth.ErrInvalidSignature},
		{"oversized", signWith(map[string]any{"pad": strings.Repeat("x", auth.MaxTokenSize)}),
			auth.ErrTokenTooLarge},
		{"oversized garbage", strings.Repeat("a", auth.MaxTokenSize+1), auth.ErrTokenTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			claims, err := v.Verify(context.Background(), tt.token)
			assert.Nil(t, claims)
			requireOnly(t, err, tt.want)
		})
	}
}

// flipLastChar changes the last base64url character of s, which changes its decoded bytes.
func flipLastChar(s string) string {
	last := s[len(s)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'Q'
	}
	return s[:len(s)-1] + string(repl)
}

func TestVerifyClaims(t *testing.T) {
	t.Parallel()
	v := jwksVerifier(t)
	claims := withClaims(map[string]any{
		"jti":             "a1b2c3",
		"org_id":          "org_2xyz",
		"org_role":        "org:admin",
		"org_slug":        "acme",
		"org_permissions": []string{"org:sys_memberships:read", "org:invoices:manage"},
		"act":             map[string]any{"sub": "user_support", "iss": "dashboard"},
		"plan":            "gold",
		"quota":           12,
	})
	token := sign(t, rsaKeyA(), jose.RS256, kidA, claims)

	got, err := v.Verify(context.Background(), token)
	require.NoError(t, err)

	assert.Equal(t, "user_2abc", got.Subject)
	assert.Equal(t, "sess_2abc", got.SessionID)
	assert.Equal(t, testOrigin, got.AuthorizedParty)
	assert.Equal(t, testIssuer, got.Issuer)
	assert.Equal(t, testNow.Add(2*time.Hour), got.Expiry)
	assert.Equal(t, testNow.Add(-10*time.Second), got.NotBefore)
	assert.Equal(t, testNow, got.IssuedAt)
	assert.Equal(t, time.UTC, got.Expiry.Location())
	assert.Equal(t, "org_2xyz", got.ActiveOrganizationID)
	assert.Equal(t, "org:admin", got.ActiveOrganizationRole)
	assert.Equal(t, "acme", got.ActiveOrganizationSlug)
	assert.Equal(t, []string{"org:sys_memberships:read", "org:invoices:manage"},
		got.ActiveOrganizationPermissions)
	assert.JSONEq(t, `{"sub":"user_support","iss":"dashboard"}`, string(got.Actor))
	assert.Equal(t, map[string]json.RawMessage{
		"jti":   json.RawMessage(`"a1b2c3"`),
		"plan":  json.RawMessage(`"gold"`),
		"quota": json.RawMessage(`12`),
	}, got.Custom)
}

func TestVerifyClaimsMinimal(t *testing.T) {
	t.Parallel()
	v, err := auth.NewVerifier(auth.Options{
		PublicKeyPEM: publicPEM(t, rsaKeyA()),
		Clock:        func() time.Time { return testNow },
	})
	require.NoError(t, err)
	token := sign(t, rsaKeyA(), jose.RS256, "", map[string]any{
		"sub": "user_2abc", "exp": testNow.Add(time.Minute).Unix(), "act": nil})

	got, err := v.Verify(context.Background(), token)
	require.NoError(t, err)
	assert.Equal(t, "user_2abc", got.Subject)
	assert.True(t, got.NotBefore.IsZero(), "got NotBefore %v, want zero", got.NotBefore)
	assert.True(t, got.IssuedAt.IsZero(), "got IssuedAt %v, want zero", got.IssuedAt)
	assert.Nil(t, got.Actor, "a null act is no actor")
	assert.Nil(t, got.Custom)
	assert.Nil(t, got.ActiveOrganizationPermissions)
}

func TestVerifyPEM(t *testing.T) {
	t.Parallel()
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY",
		Bytes: x509.MarshalPKCS1PublicKey(&rsaKeyA().PublicKey)}))
	tests := []struct {
		name  string
		pem   string
		key   crypto.Signer
		alg   jose.SignatureAlgorithm
		other jose.SignatureAlgorithm // an algorithm the key must refuse
	}{
		{"RSA PKIX", publicPEM(t, rsaKeyA()), rsaKeyA(), jose.RS256, jose.ES256},
		{"RSA PKIX, PS512", publicPEM(t, rsaKeyA()), rsaKeyA(), jose.PS512, jose.EdDSA},
		{"RSA PKCS #1", pkcs1, rsaKeyA(), jose.RS384, jose.ES384},
		{"EC P-256", publicPEM(t, ecKeyP256()), ecKeyP256(), jose.ES256, jose.RS256},
		{"EC P-384", publicPEM(t, ecKeyP384()), ecKeyP384(), jose.ES384, jose.ES256},
		{"Ed25519", publicPEM(t, edKey()), edKey(), jose.EdDSA, jose.RS256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := auth.NewVerifier(auth.Options{
				PublicKeyPEM: tt.pem,
				Clock:        func() time.Time { return testNow },
			})
			require.NoError(t, err)

			// With a key given up front, a kid is neither needed nor used to pick the key.
			for _, kid := range []string{"", "ins_any"} {
				got, err := v.Verify(context.Background(), sign(t, tt.key, tt.alg, kid, baseClaims()))
				require.NoError(t, err, "kid %q", kid)
				assert.Equal(t, "user_2abc", got.Subject)
			}

			// A header naming another algorithm is refused before any signature check.
			header := mustJSON(t, map[string]any{"alg": string(tt.other)})
			token := b64(header) + "." + b64(mustJSON(t, baseClaims())) + "." + b64([]byte("sig"))
			_, err = v.Verify(context.Background(), token)
			requireOnly(t, err, auth.ErrUnsupportedAlgorithm)

			// Another key of the same type does not verify.
			_, err = v.Verify(context.Background(), sign(t, otherKey(tt.key), tt.alg, "", baseClaims()))
			requireOnly(t, err, auth.ErrInvalidSignature)
		})
	}
}

// otherKey returns a key of the same type and size as k, other than k.
func otherKey(k crypto.Signer) crypto.Signer {
	switch k {
	case rsaKeyA():
		return rsaKeyB()
	case ecKeyP256():
		return newECKey(ecKeyP256().Curve)
	case ecKeyP384():
		return newECKey(ecKeyP384().Curve)
	}
	return newEdKey()
}

func TestVerifyHMACWithPEMKey(t *testing.T) {
	t.Parallel()
	pubPEM := publicPEM(t, rsaKeyA())
	v, err := auth.NewVerifier(auth.Options{
		PublicKeyPEM: pubPEM,
		Clock:        func() time.Time { return testNow },
	})
	require.NoError(t, err)
	for _, alg := range []string{"HS256", "HS384", "HS512"} {
		header := mustJSON(t, map[string]any{"alg": alg, "typ": "JWT"})
		token := signHS256(header, mustJSON(t, baseClaims()), []byte(pubPEM))
		_, err := v.Verify(context.Background(), token)
		requireOnly(t, err, auth.ErrUnsupportedAlgorithm)
	}
}

func TestVerifyWithoutIssuerOrParties(t *testing.T) {
	t.Parallel()
	v, err := auth.NewVerifier(auth.Options{
		JWKSClient: newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256")),
		Clock:      func() time.Time { return testNow },
	})
	require.NoError(t, err)
	for _, edits := range []map[string]any{
		{"iss": "https://anyone.example", "azp": "https://anywhere.example"},
		{"iss": nil, "azp": nil},
	} {
		_, err := v.Verify(context.Background(), sign(t, rsaKeyA(), jose.RS256, kidA,
			withClaims(edits)))
		require.NoError(t, err, "claims %v", edits)
	}
}

func TestVerifyLeeway(t *testing.T) {
	t.Parallel()
	token := sign(t, rsaKeyA(), jose.RS256, "", withClaims(map[string]any{
		"exp": testNow.Add(-30 * time.Second).Unix()}))
	tests := []struct {
		leeway time.Duration
		want   error
	}{
		{0, auth.ErrExpired}, // the default, 5 s
		{29 * time.Second, auth.ErrExpired},
		{31 * time.Second, nil},
	}
	for _, tt := range tests {
		t.Run(tt.leeway.String(), func(t *testing.T) {
			t.Parallel()
			v, err := auth.NewVerifier(auth.Options{
				PublicKeyPEM: publicPEM(t, rsaKeyA()),
				Leeway:       tt.leeway,
				Clock:        func() time.Time { return testNow },
			})
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), token)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			requireOnly(t, err, tt.want)
		})
	}
}

func TestVerifySkipsUnusableKeys(t *testing.T) {
	t.Parallel()
	good := jwk(t, rsaKeyA(), kidA, "RS256")
	encryption := jwk(t, rsaKeyB(), "ins_enc", "RS256")
	encryption.Use = "enc"
	noKID := jwk(t, rsaKeyB(), "", "RS256")
	badModulus := jwk(t, rsaKeyB(), "ins_bad_n", "RS256")
	badModulus.N = "!!"
	wrongAlg := jwk(t, ecKeyP256(), "ins_wrong_alg", "RS256")
	symmetric := clerk.JSONWebKey{KeyID: "ins_oct", KeyType: "oct", Algorithm: "HS256",
		Use: "sig"}
	unknownType := clerk.JSONWebKey{KeyID: "ins_new", KeyType: "AKP", Algorithm: "ML-DSA-44",
		Use: "sig"}
	fake := newFakeJWKS(encryption, noKID, badModulus, wrongAlg, symmetric, unknownType, good)
	v, err := auth.NewVerifier(auth.Options{
		JWKSClient: fake,
		Clock:      func() time.Time { return testNow },
	})
	require.NoError(t, err)

	_, err = v.Verify(context.Background(), sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims()))
	require.NoError(t, err, "the usable key must verify despite the others")

	// Skipped keys are unknown kids; no refetch happens, as the set was fetched just now.
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"encryption key", sign(t, rsaKeyB(), jose.RS256, "ins_enc", baseClaims()),
			auth.ErrUnknownKey},
		{"bad modulus", sign(t, rsaKeyB(), jose.RS256, "ins_bad_n", baseClaims()),
			auth.ErrUnknownKey},
		{"alg not fitting the key", sign(t, ecKeyP256(), jose.ES256, "ins_wrong_alg",
			baseClaims()), auth.ErrUnknownKey},
		{"symmetric key, via an RSA signature", sign(t, rsaKeyB(), jose.RS256, "ins_oct",
			baseClaims()), auth.ErrUnknownKey},
		{"symmetric key, via HMAC", signHS256(mustJSON(t, map[string]any{"alg": "HS256",
			"kid": "ins_oct"}), mustJSON(t, baseClaims()), nil), auth.ErrUnsupportedAlgorithm},
	}
	for _, tt := range tests {
		// Not parallel: the fetch count is checked once they have all run.
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tt.token)
			requireOnly(t, err, tt.want)
		})
	}
	assert.Equal(t, int64(1), fake.calls.Load(), "got %d fetches, want 1", fake.calls.Load())
}

func TestVerifyZeroVerifier(t *testing.T) {
	t.Parallel()
	token := sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims())
	for name, v := range map[string]*auth.Verifier{"nil": nil, "zero": {}} {
		_, err := v.Verify(context.Background(), token)
		requireOnly(t, err, auth.ErrKeysUnavailable)
		require.NotNil(t, err, name)
	}
}

func TestNewVerifierOptions(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS()
	tests := []struct {
		name  string
		opts  auth.Options
		param string
	}{
		{"negative leeway", auth.Options{JWKSClient: fake, Leeway: -time.Second}, "Leeway"},
		{"negative ttl", auth.Options{JWKSClient: fake, CacheTTL: -time.Second}, "CacheTTL"},
		{"negative interval", auth.Options{JWKSClient: fake, RefetchInterval: -1},
			"RefetchInterval"},
		{"two sources", auth.Options{JWKSClient: fake, Config: &clerk.ClientConfig{}},
			"Options"},
		{"three sources", auth.Options{JWKSClient: fake, Config: &clerk.ClientConfig{},
			PublicKeyPEM: publicPEM(t, rsaKeyA())}, "Options"},
		{"not PEM", auth.Options{PublicKeyPEM: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"},
			"PublicKeyPEM"},
		{"a private key", auth.Options{PublicKeyPEM: string(pem.EncodeToMemory(&pem.Block{
			Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}))}, "PublicKeyPEM"},
		{"bad DER", auth.Options{PublicKeyPEM: string(pem.EncodeToMemory(&pem.Block{
			Type: "PUBLIC KEY", Bytes: []byte{1, 2, 3}}))}, "PublicKeyPEM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := auth.NewVerifier(tt.opts)
			assert.Nil(t, v)
			var pe *clerk.InvalidParamError
			require.True(t, errors.As(err, &pe), "got %v, want *clerk.InvalidParamError", err)
			assert.Equal(t, tt.param, pe.Param)
		})
	}
}

// TestVerifyIndependentRSASigner checks interoperability both ways: tokens that a signer
// written from the RFCs produces verify, and go-jose's tokens check out with crypto/rsa alone.
func TestVerifyIndependentRSASigner(t *testing.T) {
	t.Parallel()
	v := jwksVerifier(t)
	header := []byte(`{"alg":"RS256","kid":"` + kidA + `","typ":"JWT"}`)
	payload := []byte(`{"sub":"user_2abc","sid":"sess_2abc","iss":"` + testIssuer + `",` +
		`"azp":"` + testOrigin + `","exp":` + jsonInt(testNow.Add(time.Hour).Unix()) + `}`)
	got, err := v.Verify(context.Background(), signRS256(t, rsaKeyA(), header, payload))
	require.NoError(t, err)
	assert.Equal(t, "sess_2abc", got.SessionID)

	token := sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims())
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	sig, err := decodeB64(parts[2])
	require.NoError(t, err)
	digest := sha256Sum(parts[0] + "." + parts[1])
	require.NoError(t, rsa.VerifyPKCS1v15(&rsaKeyA().PublicKey, crypto.SHA256, digest, sig))
}
