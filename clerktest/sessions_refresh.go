package clerktest

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/clerkcompat/clerk"
)

// refreshParams is the body of POST /sessions/{session_id}/refresh.
type refreshParams struct {
	ExpiredToken         *string        `json:"expired_token"`
	RefreshToken         *string        `json:"refresh_token"`
	RequestOrigin        *string        `json:"request_origin"`
	RequestHeaders       map[string]any `json:"request_headers"`
	Format               *string        `json:"format"`
	RequestOriginatingIP *string        `json:"request_originating_ip"`
}

// refreshedCookies is the answer of a refresh in the cookie format.
type refreshedCookies struct {
	Object  string   `json:"object"`
	Cookies []string `json:"cookies"`
}

// refreshSession makes a new session token for a session whose token has expired. The
// expired token must be one this server signed for the session, and the session must still
// be active; otherwise the answer is 401, which tells SDKs to fall back to the handshake.
//
// The refresh token comes from the __refresh cookie that Clerk's Frontend API sets. clerktest
// has no Frontend API, so it accepts any refresh token that is not empty.
func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) {
	var p refreshParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, asBadRequest(err))
		return
	}
	origin, err := p.check()
	if err != nil {
		fail(w, err)
		return
	}

	id := r.PathValue("session_id")
	old, err := s.expiredClaims(*p.ExpiredToken, id)
	if err != nil {
		fail(w, err)
		return
	}
	// A token issued to one page cannot be refreshed for another.
	if old.AuthorizedParty != "" && old.AuthorizedParty != origin {
		fail(w, errTokenInvalid("The expired token was issued to another origin."))
		return
	}

	now := s.now()
	s.store.mu.Lock()
	sess, err := s.store.lookupSession(id, now)
	usable := err == nil && sess.Status == clerk.SessionStatusActive && sess.UserID == old.Subject
	if usable {
		sess = copySession(sess)
	}
	s.store.mu.Unlock()
	// The API answers 401, never 404, for a session that cannot be refreshed.
	if !usable {
		fail(w, errTokenInvalid("Session "+id+" cannot be refreshed: it does not exist, "+
			"has ended, or belongs to another user than the token's."))
		return
	}

	claims := s.sessionClaims(sess, origin, window(time.UnixMilli(now), defaultTokenLifetime))
	token, err := sign(s.store.sessions.keys.instance(), claims)
	if err != nil {
		fail(w, err)
		return
	}
	if p.Format != nil && *p.Format == "cookie" {
		writeJSON(w, http.StatusOK, refreshedCookies{Object: "cookies",
			Cookies: []string{sessionCookie(token, origin)}})
		return
	}
	writeJSON(w, http.StatusOK, clerk.SessionToken{Object: "token", JWT: token})
}

// check reports a missing or malformed parameter (400) and returns the request's origin.
func (p *refreshParams) check() (string, error) {
	for _, f := range []struct {
		name  string
		value *string
	}{
		{"expired_token", p.ExpiredToken},
		{"refresh_token", p.RefreshToken},
		{"request_origin", p.RequestOrigin},
	} {
		if f.value == nil || *f.value == "" {
			return "", paramError(http.StatusBadRequest, "form_param_missing", f.name,
				f.name+" is required.")
		}
	}
	if p.Format != nil && *p.Format != "token" && *p.Format != "cookie" {
		return "", paramError(http.StatusBadRequest, "form_param_value_invalid", "format",
			"format must be token or cookie.")
	}
	origin := *p.RequestOrigin
	if u, err := url.Parse(origin); err != nil || (u.Scheme != "http" && u.Scheme != "https") ||
		u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" ||
		u.Fragment != "" {
		return "", paramError(http.StatusBadRequest, "form_param_format_invalid",
			"request_origin", "request_origin must be a valid origin.")
	}
	return origin, nil
}

// paramError is an error about one parameter with the status the endpoint describes.
func paramError(status int, code, param, longMessage string) *apiError {
	e := errParam(code, param, longMessage)
	e.status = status
	return e
}

// errTokenInvalid is the 401 of a refresh that does not check out.
func errTokenInvalid(longMessage string) *apiError {
	return &apiError{status: http.StatusUnauthorized, code: "token_invalid",
		message: "invalid token", longMessage: longMessage}
}

// refreshClaims are the claims of an expired token that a refresh checks.
type refreshClaims struct {
	Subject         string `json:"sub"`
	SessionID       string `json:"sid"`
	AuthorizedParty string `json:"azp"`
}

// expiredClaims returns the claims of token after checking that the server signed it for the
// session id. Its times are not checked: it is meant to have expired.
func (s *Server) expiredClaims(token, id string) (*refreshClaims, error) {
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, errTokenInvalid("The expired token is not a session token.")
	}
	key := s.store.sessions.keys.instance()
	if len(tok.Headers) != 1 || tok.Headers[0].KeyID != key.kid {
		return nil, errTokenInvalid("The expired token was not signed by this instance.")
	}
	var c refreshClaims
	if err := tok.Claims(&key.key.PublicKey, &c); err != nil {
		return nil, errTokenInvalid("The expired token was not signed by this instance.")
	}
	if c.SessionID != id {
		return nil, errTokenInvalid("The expired token does not belong to this session.")
	}
	return &c, nil
}

// sessionCookie is the Set-Cookie directive that carries a session token to the page at
// origin, as Clerk's frontend keeps it.
func sessionCookie(token, origin string) string {
	c := &http.Cookie{Name: "__session", Value: token, Path: "/",
		SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(origin, "https://")}
	return c.String()
}
