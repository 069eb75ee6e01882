package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"

	"github.com/go-jose/go-jose/v4"

	"github.com/clerkcompat/clerk"
)

// signatureAlgorithms are the algorithms a token's header may name. Only asymmetric ones are
// listed: an HMAC token "signed" with a public key as its secret must never verify, and "none"
// is never a signature.
var signatureAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512,
	jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512,
	jose.EdDSA,
}

// publicKey is a key that may verify tokens, with the algorithms it may verify them with.
type publicKey struct {
	key  any // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
	algs []jose.SignatureAlgorithm
}

// allows reports whether a token whose header names alg may be checked with k.
func (k *publicKey) allows(alg string) bool {
	return slices.Contains(k.algs, jose.SignatureAlgorithm(alg))
}

// newPublicKey pairs key with the algorithms its type supports. A non-empty alg (from a JWK)
// narrows them to that one algorithm, so a key published for RS256 never checks a PS256 token.
func newPublicKey(key any, alg string) (*publicKey, error) {
	var algs []jose.SignatureAlgorithm
	switch k := key.(type) {
	case *rsa.PublicKey:
		algs = []jose.SignatureAlgorithm{
			jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
		}
	case *ecdsa.PublicKey:
		// An EC key signs with exactly one algorithm, fixed by its curve (RFC 7518, 3.4).
		switch k.Curve {
		case elliptic.P256():
			algs = []jose.SignatureAlgorithm{jose.ES256}
		case elliptic.P384():
			algs = []jose.SignatureAlgorithm{jose.ES384}
		case elliptic.P521():
			algs = []jose.SignatureAlgorithm{jose.ES512}
		default:
			return nil, fmt.Errorf("unsupported elliptic curve %s", k.Curve.Params().Name)
		}
	case ed25519.PublicKey:
		algs = []jose.SignatureAlgorithm{jose.EdDSA}
	default:
		return nil, fmt.Errorf("unsupported key type %T", key)
	}

	if alg != "" {
		if !slices.Contains(algs, jose.SignatureAlgorithm(alg)) {
			return nil, fmt.Errorf("algorithm %q does not fit a key of type %T", alg, key)
		}
		algs = []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)}
	}
	return &publicKey{key: key, algs: algs}, nil
}

// parsePublicKeyPEM reads an RSA, EC or Ed25519 public key in PEM: a PKIX "PUBLIC KEY" block
// (what the Clerk dashboard shows) or a PKCS #1 "RSA PUBLIC KEY" block.
func parsePublicKeyPEM(s string) (*publicKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("no PEM block found")
	}

	var key any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	default:
		return nil, fmt.Errorf("PEM block is %q, want \"PUBLIC KEY\"", block.Type)
	}
	if err != nil {
		return nil, err
	}
	return newPublicKey(key, "")
}

// keysFromSet indexes the usable keys of set by kid. Keys that cannot verify signatures (not
// meant for signing, of an unknown type, malformed, without a kid) are left out rather than
// failing the whole set, so one odd key cannot stop the others from verifying.
func keysFromSet(set *clerk.JSONWebKeySet) map[string]*publicKey {
	keys := make(map[string]*publicKey)
	if set == nil {
		return keys
	}
	for _, k := range set.Keys {
		if k.KeyID == "" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		pk, err := publicKeyFromJWK(k)
		if err != nil {
			continue
		}
		keys[k.KeyID] = pk
	}
	return keys
}

// publicKeyFromJWK decodes one JWK through go-jose, which checks the key's parameters.
func publicKeyFromJWK(k clerk.JSONWebKey) (*publicKey, error) {
	raw, err := json.Marshal(k)
	if err != nil {
		return nil, err
	}
	var jk jose.JSONWebKey
	if err := jk.UnmarshalJSON(raw); err != nil {
		return nil, err
	}
	// A symmetric key decodes to []byte, which newPublicKey rejects like any other non-public
	// key.
	return newPublicKey(jk.Key, k.Algorithm)
}
