package clerktest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// passwordHash is a salted SHA-256 of a password. It is deliberately simple: this server is a
// test double holding throwaway passwords, and a slow hash would only slow tests down. Never
// reuse it where real passwords are kept.
type passwordHash struct {
	salt [16]byte
	sum  [32]byte
}

func hashPassword(password string) *passwordHash {
	h := &passwordHash{}
	rand.Read(h.salt[:])
	h.sum = sha256.Sum256(append(h.salt[:], password...))
	return h
}

func (h *passwordHash) matches(password string) bool {
	sum := sha256.Sum256(append(h.salt[:], password...))
	return subtle.ConstantTimeCompare(sum[:], h.sum[:]) == 1
}

// passwordHashers are the password_hasher values the API accepts with password_digest.
var passwordHashers = map[string]bool{
	"argon2i": true, "argon2id": true, "bcrypt": true, "bcrypt_sha256_django": true,
	"ldap_ssha": true, "md5": true, "md5_phpass": true, "pbkdf2_sha1": true,
	"pbkdf2_sha256": true, "pbkdf2_sha256_django": true, "pbkdf2_sha512": true,
	"pbkdf2_sha512_hex": true, "phpass": true, "scrypt_firebase": true,
	"scrypt_werkzeug": true, "sha256": true, "sha512_symfony": true,
}

// minPasswordLength is the shortest password the API accepts unless its checks are skipped.
const minPasswordLength = 8

// TOTP parameters the API supports for imported secrets: 30-second steps, 6 digits, SHA-1.
const (
	totpStep   = 30
	totpDigits = 6
)

// decodeTOTPSecret decodes a base32 TOTP secret as authenticator apps show it: any case,
// spaces allowed, padding optional.
func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	s = strings.TrimRight(s, "=")
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("not a base32 secret")
	}
	return key, nil
}

// totpCode returns the code of key for the time step containing t (RFC 6238).
func totpCode(key []byte, t time.Time) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(t.Unix()/totpStep))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, n%1_000_000)
}

// totpMatches accepts the code of the current step and of one step either side, for clocks
// that differ a little.
func totpMatches(secret, code string, now time.Time) bool {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return false
	}
	for _, skew := range []time.Duration{0, -totpStep * time.Second, totpStep * time.Second} {
		if subtle.ConstantTimeCompare([]byte(totpCode(key, now.Add(skew))), []byte(code)) == 1 {
			return true
		}
	}
	return false
}
