package clerktest

import (
	"encoding/base64"
	"math/big"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// getJWKS serves the public half of the server's signing key, the key that verifies every
// token the server signs.
func (s *Server) getJWKS(w http.ResponseWriter, r *http.Request) {
	key := s.store.sessions.keys.instance()
	writeJSON(w, http.StatusOK, clerk.JSONWebKeySet{Keys: []clerk.JSONWebKey{publicJWK(key)}})
}

// publicJWK is the public RSA key of k as a JWK for RS256 signatures (RFC 7518, 6.3.1): the
// modulus and exponent as unsigned big-endian integers, base64url-encoded.
func publicJWK(k signingKey) clerk.JSONWebKey {
	pub := k.key.PublicKey
	return clerk.JSONWebKey{
		KeyID:     k.kid,
		KeyType:   "RSA",
		Algorithm: "RS256",
		Use:       "sig",
		N:         base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:         base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
}
