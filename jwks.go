package clerk

// JSONWebKeySet is a JSON Web Key Set (RFC 7517): the public keys that verify the session
// tokens an instance signs.
type JSONWebKeySet struct {
	Keys []JSONWebKey `json:"keys"`
}

// JSONWebKey is one public key of a JSONWebKeySet. It holds the members of RSA, elliptic
// curve and Ed25519 public keys; which ones are set depends on KeyType.
//
// Private and symmetric key members (d, p, q, k, ...) are deliberately absent: they are
// dropped when a set is decoded, so a value of this type can never carry a secret onward.
type JSONWebKey struct {
	// KeyID (kid) is the name a token's header uses to pick the key.
	KeyID string `json:"kid"`
	// KeyType (kty) is "RSA", "EC" or "OKP".
	KeyType string `json:"kty"`
	// Algorithm (alg) is the signing algorithm the key is for, such as "RS256".
	Algorithm string `json:"alg"`
	// Use is "sig" for a signing key.
	Use string `json:"use"`
	// N and E are an RSA key's modulus and exponent, base64url-encoded.
	N string `json:"n,omitempty"`
	E string `json:"e,omitempty"`
	// Curve (crv) names the curve of an EC or OKP key, such as "P-256" or "Ed25519".
	Curve string `json:"crv,omitempty"`
	// X and Y are the curve point of an EC key (X alone for OKP), base64url-encoded.
	X string `json:"x,omitempty"`
	Y string `json:"y,omitempty"`
	// X5C is the key's certificate chain, each entry base64-encoded DER.
	X5C []string `json:"x5c,omitempty"`
	// X5T and X5TS256 are SHA-1 and SHA-256 thumbprints of the key's certificate.
	X5T     string `json:"x5t,omitempty"`
	X5TS256 string `json:"x5t#S256,omitempty"`
	// X5U is a URL of the key's certificate chain.
	X5U string `json:"x5u,omitempty"`
}
