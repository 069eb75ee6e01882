package clerktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/clerkcompat/clerk"
)

// Bounds of a token's lifetime, from expires_in_seconds or a JWT template: 30 seconds to ten
// years, as the API accepts.
const (
	minTokenLifetime = 30 * time.Second
	maxTokenLifetime = 315360000 * time.Second
)

// jwtTemplate is a JWT template of the instance: claims added to the session's claims, and
// the lifetime of its tokens.
type jwtTemplate struct {
	claims   map[string]json.RawMessage
	lifetime time.Duration
}

// reservedClaims are the claims that the server sets on every token it signs; a JWT template
// cannot set them, as on a Clerk instance.
var reservedClaims = []string{"azp", "exp", "iat", "iss", "jti", "nbf", "sid", "sub"}

// AddJWTTemplate registers the JWT template name, for POST
// /sessions/{session_id}/tokens/{template_name} (session.CreateTokenFromTemplate): its tokens
// carry the session token's claims plus claims, and live for lifetime (60 seconds when zero)
// unless the request asks for another lifetime. A template of the same name is replaced.
//
// The claims are copied as JSON when registered. An empty name, a claim the server sets itself
// (sub, sid, iss, azp, iat, nbf, exp, jti), a value that does not encode as JSON, or a
// lifetime outside 30 seconds to ten years is an error, and nothing is registered.
func (s *Server) AddJWTTemplate(name string, claims map[string]any,
	lifetime time.Duration) error {
	if name == "" {
		return errors.New("clerktest: AddJWTTemplate: the name must not be empty")
	}
	if lifetime == 0 {
		lifetime = defaultTokenLifetime
	}
	if lifetime < minTokenLifetime || lifetime > maxTokenLifetime {
		return fmt.Errorf("clerktest: AddJWTTemplate %q: lifetime %s is outside 30s to "+
			"ten years", name, lifetime)
	}
	t := &jwtTemplate{claims: make(map[string]json.RawMessage, len(claims)),
		lifetime: lifetime}
	for k, v := range claims {
		if slices.Contains(reservedClaims, k) {
			return fmt.Errorf("clerktest: AddJWTTemplate %q: claim %q is set by the server",
				name, k)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("clerktest: AddJWTTemplate %q: claim %q: %w", name, k, err)
		}
		t.claims[k] = raw
	}

	s.store.mu.Lock()
	s.store.sessions.templates[name] = t
	s.store.mu.Unlock()
	return nil
}

// tokenParams is the body of POST /sessions/{session_id}/tokens and of its template variant.
type tokenParams struct {
	ExpiresInSeconds *int64 `json:"expires_in_seconds"`
}

// lifetime returns the lifetime the request asks for, or def.
func (p *tokenParams) lifetime(def time.Duration) (time.Duration, error) {
	if p.ExpiresInSeconds == nil {
		return def, nil
	}
	n := *p.ExpiresInSeconds
	if n < int64(minTokenLifetime/time.Second) || n > int64(maxTokenLifetime/time.Second) {
		// The API describes no status for this refusal; 422 is what it answers for a value
		// out of bounds elsewhere.
		return 0, errParam("form_param_value_invalid", "expires_in_seconds",
			"expires_in_seconds must be between 30 and 315360000.")
	}
	return time.Duration(n) * time.Second, nil
}

func (s *Server) createSessionToken(w http.ResponseWriter, r *http.Request) {
	s.writeToken(w, r, "")
}

func (s *Server) createTemplateToken(w http.ResponseWriter, r *http.Request) {
	s.writeToken(w, r, r.PathValue("template_name"))
}

// writeToken answers a token request for the path's session: a session token when template
// is empty, else a token shaped by the JWT template of that name.
func (s *Server) writeToken(w http.ResponseWriter, r *http.Request, template string) {
	var p tokenParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}

	now := s.now()
	s.store.mu.Lock()
	sess, tmpl, err := s.store.tokenSubject(r.PathValue("session_id"), template, now)
	s.store.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	lifetime := defaultTokenLifetime
	if tmpl != nil {
		lifetime = tmpl.lifetime
	}
	if lifetime, err = p.lifetime(lifetime); err != nil {
		fail(w, err)
		return
	}

	claims := s.sessionClaims(sess, "", window(time.UnixMilli(now), lifetime))
	if tmpl != nil {
		for k, v := range tmpl.claims {
			claims[k] = v
		}
	}
	jwt, err := sign(s.store.sessions.keys.instance(), claims)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, clerk.SessionToken{Object: "token", JWT: jwt})
}

// tokenSubject returns a copy of the session id, which must be active, and the JWT template
// named template (nil when template is empty). A session that does not exist or has ended is
// a 404, as is an unknown template: the API describes no other refusal for these requests.
// The caller must hold st.mu.
func (st *store) tokenSubject(id, template string, now int64,
) (*clerk.Session, *jwtTemplate, error) {
	sess, err := st.lookupSession(id, now)
	if err != nil {
		return nil, nil, err
	}
	if sess.Status != clerk.SessionStatusActive {
		return nil, nil, &apiError{status: http.StatusNotFound, code: "resource_not_found",
			message: "not found",
			longMessage: "Session " + id + " is " + sess.Status + ": only an active " +
				"session has tokens."}
	}
	if template == "" {
		return copySession(sess), nil, nil
	}
	tmpl, ok := st.sessions.templates[template]
	if !ok {
		return nil, nil, &apiError{status: http.StatusNotFound, code: "resource_not_found",
			message: "not found", longMessage: "No JWT template named " + template + "."}
	}
	return copySession(sess), tmpl, nil
}
