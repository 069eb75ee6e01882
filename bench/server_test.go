package bench

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// testKey is the secret key every benchmark client sends and every server requires.
const testKey = "sk_test_bench0000000000000000000000000000"

// benchUserID is the user that GET /users/{id} benchmarks ask for.
var benchUserID = userID(42)

// userIDPrefix and userIDDigits make IDs of the same length as the API's (27 characters after
// "user_"), from which the server reads back the user's position in the list.
const (
	userIDPrefix = "user_2bench"
	userIDDigits = 16
)

func userID(i int) string {
	return fmt.Sprintf("%s%0*d", userIDPrefix, userIDDigits, i)
}

// userIndex reads the position back from an ID made by userID.
func userIndex(id string) (int, bool) {
	digits, ok := strings.CutPrefix(id, userIDPrefix)
	if !ok || len(digits) != userIDDigits {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}

// userTemplate is a user as the API sends it: two email addresses (one verified by code, one
// supplied by Google), a phone number used as second factor, a Google account and all three
// metadata objects. Compacted, it is about 2.9 KB. Its ID is replaced per user.
const userTemplate = `{
  "id": "user_2bench0000000000000000",
  "object": "user",
  "external_id": "crm-000187",
  "primary_email_address_id": "idn_2aBcEmail00000000000000001",
  "primary_phone_number_id": "idn_2aBcPhone00000000000000001",
  "primary_web3_wallet_id": null,
  "username": "ada_lovelace",
  "first_name": "Ada",
  "last_name": "Lovelace",
  "image_url": "https://img.clerk.com/eyJ0eXBlIjoicHJveHkifQ",
  "has_image": true,
  "public_metadata": {"plan": "pro", "seats": 5, "features": ["sso", "audit_log"]},
  "private_metadata": {"stripe_customer_id": "cus_Q2bench0001"},
  "unsafe_metadata": {"onboarding": {"step": 3}},
  "email_addresses": [
    {
      "id": "idn_2aBcEmail00000000000000001",
      "object": "email_address",
      "email_address": "ada@example.com",
      "reserved": false,
      "verification": {
        "object": "verification_otp",
        "status": "verified",
        "strategy": "email_code",
        "attempts": 1,
        "expire_at": 1700000600000
      },
      "linked_to": [],
      "created_at": 1700000000000,
      "updated_at": 1700000100000
    },
    {
      "id": "idn_2aBcEmail00000000000000002",
      "object": "email_address",
      "email_address": "ada.lovelace@gmail.com",
      "reserved": false,
      "verification": {
        "object": "verification_from_oauth",
        "status": "verified",
        "strategy": "from_oauth_google",
        "attempts": null,
        "expire_at": null
      },
      "linked_to": [{"type": "oauth_google", "id": "idn_2aBcGoogle0000000000000001"}],
      "created_at": 1700000200000,
      "updated_at": 1700000200000
    }
  ],
  "phone_numbers": [
    {
      "id": "idn_2aBcPhone00000000000000001",
      "object": "phone_number",
      "phone_number": "+15555550100",
      "default_second_factor": true,
      "reserved": false,
      "verification": {
        "object": "verification_otp",
        "status": "verified",
        "strategy": "phone_code",
        "attempts": 1,
        "expire_at": 1700000900000,
        "channel": "sms"
      },
      "linked_to": [],
      "created_at": 1700000300000,
      "updated_at": 1700000300000
    }
  ],
  "web3_wallets": [],
  "passkeys": [],
  "password_enabled": true,
  "two_factor_enabled": true,
  "totp_enabled": false,
  "backup_code_enabled": false,
  "mfa_enabled_at": 1700000300000,
  "mfa_disabled_at": null,
  "password_last_updated_at": 1700000000000,
  "external_accounts": [
    {
      "object": "external_account",
      "id": "eac_2aBcGoogle0000000000000001",
      "provider": "oauth_google",
      "identification_id": "idn_2aBcGoogle0000000000000001",
      "provider_user_id": "104857600000000000001",
      "approved_scopes": "email profile openid",
      "email_address": "ada.lovelace@gmail.com",
      "email_address_verified": true,
      "first_name": "Ada",
      "last_name": "Lovelace",
      "image_url": "https://lh3.googleusercontent.com/a/ACg8ocbench0001",
      "username": null,
      "phone_number": null,
      "public_metadata": {},
      "label": null,
      "created_at": 1700000200000,
      "updated_at": 1700000200000,
      "verification": {
        "object": "verification_oauth",
        "status": "verified",
        "strategy": "oauth_google",
        "expire_at": 1700000800000,
        "attempts": null
      }
    }
  ],
  "saml_accounts": [],
  "enterprise_accounts": [],
  "last_sign_in_at": 1700500000000,
  "banned": false,
  "locked": false,
  "lockout_expires_in_seconds": null,
  "verification_attempts_remaining": 100,
  "updated_at": 1700500000000,
  "created_at": 1700000000000,
  "delete_self_enabled": true,
  "create_organization_enabled": true,
  "create_organizations_limit": null,
  "last_active_at": 1700500000000,
  "legal_accepted_at": 1700000000000
}`

// userParts is the compacted template cut around its ID: a user's body is
// userParts[0] + id + userParts[1].
var userParts = func() [2][]byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(userTemplate)); err != nil {
		panic(err)
	}
	parts := bytes.Split(buf.Bytes(), []byte(userID(0)))
	if len(parts) != 2 {
		panic(fmt.Sprintf("template holds its ID %d times, want once", len(parts)-1))
	}
	return [2][]byte{parts[0], parts[1]}
}()

func appendUser(dst []byte, i int) []byte {
	dst = append(dst, userParts[0]...)
	dst = append(dst, userID(i)...)
	return append(dst, userParts[1]...)
}

// userBody is the body of GET /users/{id} for the i-th user.
func userBody(i int) []byte { return appendUser(nil, i) }

// signingKey is the instance's RSA key, made once per process: generating one takes a while.
var signingKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

const (
	keyID       = "ins_2benchKEY0000000000000001"
	tokenIssuer = "https://clerk.bench.example.com"
	tokenAZP    = "https://app.bench.example.com"
)

// jwksBody is the body of GET /jwks for signingKey.
func jwksBody() []byte {
	pub := signingKey().PublicKey
	b64 := base64.RawURLEncoding.EncodeToString
	body, err := json.Marshal(map[string]any{"keys": []map[string]string{{
		"use": "sig", "kty": "RSA", "kid": keyID, "alg": "RS256",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
	if err != nil {
		panic(err)
	}
	return body
}

// sessionToken is a session token as the instance issues it, valid for an hour.
func sessionToken(tb testing.TB) string {
	tb.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", keyID)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: signingKey()},
		opts)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	claims := map[string]any{
		"azp": tokenAZP,
		"exp": now.Add(time.Hour).Unix(),
		"fva": []int{2, -1},
		"iat": now.Unix(),
		"iss": tokenIssuer,
		"jti": "7a0ac5a1e8e94c3c9e1a",
		"nbf": now.Add(-5 * time.Second).Unix(),
		"sid": "sess_2benchSession000000000001",
		"sub": benchUserID,
		"v":   2,
	}
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		tb.Fatal(err)
	}
	return token
}

// apiServer answers the endpoints the benchmarks call, on loopback, for a list of users
// numbered 0 to users-1 in the list's order (newest first). It counts requests and the TCP
// connections clients open.
type apiServer struct {
	srv      *httptest.Server
	users    int
	requests atomic.Int64
	conns    atomic.Int64
	getBody  []byte
	jwks     []byte
	// pages keeps the buffers list pages are built in, so that the server's own garbage
	// (which shares the process with the clients measured) stays small and steady.
	pages chan []byte
}

func newAPIServer(tb testing.TB, users int) *apiServer {
	tb.Helper()
	s := &apiServer{users: users, getBody: userBody(42), jwks: jwksBody(),
		pages: make(chan []byte, 4)}
	s.srv = httptest.NewUnstartedServer(s)
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.Start()
	tb.Cleanup(s.srv.Close)
	return s
}

// baseURL is the API root, with the version path, as the SDKs take it.
func (s *apiServer) baseURL() string { return s.srv.URL + "/v1" }

// counts returns the requests and connections seen so far.
func (s *apiServer) counts() (requests, conns int64) {
	return s.requests.Load(), s.conns.Load()
}

func (s *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if r.Header.Get("Authorization") != "Bearer "+testKey {
		writeError(w, http.StatusUnauthorized, "authentication_invalid", "Invalid key")
		return
	}
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Only GET here")
		return
	}
	switch path := r.URL.Path; {
	case path == "/v1/jwks":
		writeJSON(w, s.jwks)
	case path == "/v1/users":
		s.list(w, r)
	case path == "/v1/users/count":
		writeJSON(w, []byte(`{"object":"total_count","total_count":`+strconv.Itoa(s.users)+`}`))
	case strings.HasPrefix(path, "/v1/users/"):
		id := strings.TrimPrefix(path, "/v1/users/")
		i, ok := userIndex(id)
		switch {
		case !ok || i >= s.users:
			writeError(w, http.StatusNotFound, "resource_not_found", "User not found")
		case id == benchUserID:
			writeJSON(w, s.getBody)
		default:
			writeJSON(w, userBody(i))
		}
	default:
		writeError(w, http.StatusNotFound, "resource_not_found", "No such endpoint")
	}
}

// list answers GET /users with limit, and either offset or the starting_after cursor.
func (s *apiServer) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset := 10, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			writeError(w, http.StatusBadRequest, "form_param_value_invalid", "Bad limit")
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "form_param_value_invalid", "Bad offset")
			return
		}
		offset = n
	}
	if after := q.Get("starting_after"); after != "" {
		if offset != 0 {
			writeError(w, http.StatusUnprocessableEntity, "form_param_value_invalid",
				"starting_after cannot be combined with offset")
			return
		}
		switch q.Get("order_by") {
		case "", "created_at", "+created_at", "-created_at":
		default:
			writeError(w, http.StatusUnprocessableEntity, "form_param_value_invalid",
				"starting_after needs the created_at ordering")
			return
		}
		i, ok := userIndex(after)
		if !ok || i >= s.users {
			writeError(w, http.StatusUnprocessableEntity, "form_param_value_invalid",
				"Unknown cursor")
			return
		}
		offset = i + 1
	}
	end := min(offset+limit, s.users)

	var buf []byte
	select {
	case buf = <-s.pages:
	default:
	}
	buf = append(buf[:0], '[')
	for i := offset; i < end; i++ {
		if i > offset {
			buf = append(buf, ',')
		}
		buf = appendUser(buf, i)
	}
	buf = append(buf, ']')
	writeJSON(w, buf)
	select {
	case s.pages <- buf:
	default:
	}
}

func writeJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]any{
		"errors":         []map[string]string{{"code": code, "message": msg, "long_message": msg}},
		"clerk_trace_id": "trace_bench",
	})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
