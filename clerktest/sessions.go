package clerktest

import (
	"net/http"
	"strings"
	"time"

	"github.com/clerkcompat/clerk"
)

// Lifetimes of a session from its creation, as on an instance with the default settings: it
// expires after a week, and would be abandoned after a month without activity.
const (
	sessionLifetime     = 7 * 24 * time.Hour
	sessionAbandonAfter = 30 * 24 * time.Hour
)

// sessionStore holds the sessions and JWT templates of one server, and its signing keys. The
// store's mutex guards sessions and templates; the keys guard themselves.
type sessionStore struct {
	sessions  map[string]*clerk.Session
	templates map[string]*jwtTemplate
	keys      signingKeys
}

func newSessionStore() *sessionStore {
	return &sessionStore{
		sessions:  make(map[string]*clerk.Session),
		templates: make(map[string]*jwtTemplate),
	}
}

// routeSessions registers the /sessions endpoints and GET /jwks, which serves the key that
// verifies session tokens.
func (s *Server) routeSessions(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/sessions", s.listSessions)
	mux.HandleFunc("POST /v1/sessions", s.createSession)
	mux.HandleFunc("GET /v1/sessions/{session_id}", s.getSession)
	mux.HandleFunc("POST /v1/sessions/{session_id}/revoke", s.revokeSession)
	mux.HandleFunc("POST /v1/sessions/{session_id}/refresh", s.refreshSession)
	mux.HandleFunc("POST /v1/sessions/{session_id}/tokens", s.createSessionToken)
	mux.HandleFunc("POST /v1/sessions/{session_id}/tokens/{template_name}",
		s.createTemplateToken)
	mux.HandleFunc("GET /v1/jwks", s.getJWKS)
}

// createSessionParams is the body of POST /sessions.
type createSessionParams struct {
	UserID               *string `json:"user_id"`
	ActiveOrganizationID *string `json:"active_organization_id"`
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	var p createSessionParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}
	// The API makes sessions this way on development instances only.
	if strings.HasPrefix(s.key, "sk_live_") {
		fail(w, errBadRequest("operation_not_allowed_on_production",
			"Sessions can be created this way on development instances only."))
		return
	}
	if p.UserID == nil || *p.UserID == "" {
		fail(w, errParam("form_param_missing", "user_id", "user_id is required."))
		return
	}
	// clerktest keeps no organizations, so no user belongs to the one named.
	if p.ActiveOrganizationID != nil && *p.ActiveOrganizationID != "" {
		fail(w, errParam("form_param_value_invalid", "active_organization_id",
			"active_organization_id must name an organization the user belongs to."))
		return
	}

	s.store.mu.Lock()
	sess, err := s.store.createSession(*p.UserID, s.now())
	s.store.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	s.publish("session.created", sess)
	writeJSON(w, http.StatusOK, sess)
}

// createSession stores a new active session of the user userID, on a client of its own, and
// returns a copy. The caller must hold st.mu.
func (st *store) createSession(userID string, now int64) (*clerk.Session, error) {
	if _, ok := st.users[userID]; !ok {
		return nil, &apiError{status: http.StatusNotFound, code: "resource_not_found",
			message: "not found", longMessage: "No user was found with id " + userID + ".",
			meta: map[string]any{"param_name": "user_id"}}
	}
	sess := &clerk.Session{
		Object:       "session",
		ID:           st.newID("sess_"),
		UserID:       userID,
		ClientID:     st.newID("client_"),
		Status:       clerk.SessionStatusActive,
		LastActiveAt: now,
		ExpireAt:     now + sessionLifetime.Milliseconds(),
		AbandonAt:    now + sessionAbandonAfter.Milliseconds(),
		UpdatedAt:    now,
		CreatedAt:    now,
	}
	st.sessions.sessions[sess.ID] = sess
	return copySession(sess), nil
}

// copySession returns a copy of sess that shares no memory that the store changes: the store
// only ever replaces a session's scalar fields, never the contents of its slices or pointers.
func copySession(sess *clerk.Session) *clerk.Session {
	out := *sess
	return &out
}

// lookupSession returns the stored session id, brought up to date with now, or a 404 error.
// The caller must hold st.mu.
func (st *store) lookupSession(id string, now int64) (*clerk.Session, error) {
	sess, ok := st.sessions.sessions[id]
	if !ok {
		return nil, errNotFound("Session")
	}
	settle(sess, now)
	return sess, nil
}

// settle expires sess once its expire_at has passed, as the API does: from then on it is
// listed, read and refused as an expired session.
func settle(sess *clerk.Session, now int64) {
	if live(sess) && now >= sess.ExpireAt {
		sess.Status = clerk.SessionStatusExpired
		sess.UpdatedAt = sess.ExpireAt
	}
}

// live reports whether sess has not ended: it is active, or pending tasks.
func live(sess *clerk.Session) bool {
	return sess.Status == clerk.SessionStatusActive || sess.Status == clerk.SessionStatusPending
}

// endUserSessions revokes every session of the user userID that has not ended, for a user who
// is deleted. The caller must hold st.mu.
func (st *store) endUserSessions(userID string, now int64) {
	for _, sess := range st.sessions.sessions {
		settle(sess, now)
		if sess.UserID == userID && live(sess) {
			sess.Status = clerk.SessionStatusRevoked
			sess.UpdatedAt = now
		}
	}
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) {
	s.store.mu.Lock()
	sess, err := s.store.lookupSession(r.PathValue("session_id"), s.now())
	if err == nil {
		sess = copySession(sess)
	}
	s.store.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sess)
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	s.store.mu.Lock()
	sess, err := s.store.lookupSession(r.PathValue("session_id"), now)
	if err == nil {
		if live(sess) {
			sess.Status = clerk.SessionStatusRevoked
			sess.UpdatedAt = now
			sess = copySession(sess)
		} else {
			err = errBadRequest("session_already_ended",
				"This session has already ended ("+sess.Status+") and cannot be revoked.")
		}
	}
	s.store.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	s.publish("session.revoked", sess)
	writeJSON(w, http.StatusOK, sess)
}
