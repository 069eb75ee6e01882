package auth

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// SessionCookie is the cookie in which Clerk's frontend keeps the session token for requests
// to the same origin.
const SessionCookie = "__session"

// Middleware verifies the session token of each request, when there is one, and passes the
// request on to next either way: with the claims in its context (see ClaimsFromContext) when
// the token is valid, unchanged when there is no token or it is not valid. Use it for pages
// that work both signed in and signed out; use RequireSession for the others.
//
// The token is read from the Authorization header ("Bearer <token>", the scheme in any case)
// or, when that header holds no bearer token, from the __session cookie.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token := tokenFromRequest(r); token != "" {
			if claims, err := v.Verify(r.Context(), token); err == nil {
				r = r.WithContext(ContextWithClaims(r.Context(), claims))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// RequireSession passes a request to next, with the claims in its context, only when it
// carries a valid session token (read as by Middleware). Otherwise it answers with a JSON body
// in the API's error format, {"errors":[{"code":...,"message":...}]}, and next is not called:
// 401 when the token is missing or not valid, 503 when the signing keys cannot be fetched
// (the token may well be valid, so clients should not sign the user out).
//
// The codes are "session_token_missing", "session_token_expired", "session_token_invalid"
// and "session_keys_unavailable".
func (v *Verifier) RequireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := tokenFromRequest(r)
		if token == "" {
			writeError(w, http.StatusUnauthorized, "session_token_missing",
				"no session token: send it as an Authorization Bearer token "+
					"or in the __session cookie")
			return
		}
		claims, err := v.Verify(r.Context(), token)
		if err != nil {
			status, code := http.StatusUnauthorized, "session_token_invalid"
			switch {
			case errors.Is(err, ErrExpired):
				code = "session_token_expired"
			case errors.Is(err, ErrKeysUnavailable):
				status, code = http.StatusServiceUnavailable, "session_keys_unavailable"
			}
			writeError(w, status, code, publicMessage(err))
			return
		}
		next.ServeHTTP(w, r.WithContext(ContextWithClaims(r.Context(), claims)))
	})
}

// tokenFromRequest returns the bearer token of the Authorization header, or else the value of
// the session cookie, or "".
func tokenFromRequest(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		if token = strings.TrimSpace(token); token != "" {
			return token
		}
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// sentinels lists the errors whose text RequireSession may show a client. The detail that
// Verify adds after them (which issuer, which kid, the JWKS fetch error) is left out of
// responses: it helps the server's logs, not a caller probing the verifier.
var sentinels = []error{
	ErrTokenTooLarge, ErrMalformed, ErrUnsupportedAlgorithm, ErrMissingKeyID, ErrUnknownKey,
	ErrKeysUnavailable, ErrInvalidSignature, ErrMissingExpiry, ErrExpired, ErrNotYetValid,
	ErrIssuedInFuture, ErrInvalidIssuer, ErrInvalidAuthorizedParty,
}

// publicMessage describes err to the client by the package's sentinel that it matches.
func publicMessage(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return strings.TrimPrefix(s.Error(), "auth: ")
		}
	}
	// A context error while waiting for keys is wrapped in ErrKeysUnavailable, so every error
	// of Verify matches a sentinel; this is for safety only.
	return "session token not accepted"
}

type errorBody struct {
	Errors []errorItem `json:"errors"`
}

type errorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with status and a body in the API's error format.
func writeError(w http.ResponseWriter, status int, code, message string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="session"`)
	}
	w.WriteHeader(status)
	// The client may be gone; there is nothing useful to do with a write error.
	_ = json.NewEncoder(w).Encode(errorBody{Errors: []errorItem{{Code: code, Message: message}}})
}
