package clerktest

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/clerkcompat/clerk"
)

// listableStatuses are the values of the status filter of GET /sessions: every status but
// pending.
var listableStatuses = []string{
	clerk.SessionStatusAbandoned, clerk.SessionStatusActive, clerk.SessionStatusEnded,
	clerk.SessionStatusExpired, clerk.SessionStatusRemoved, clerk.SessionStatusReplaced,
	clerk.SessionStatusRevoked,
}

// sessionQuery is what GET /sessions selects, and how it answers.
type sessionQuery struct {
	clientID, userID, status string
	paginated                bool
	limit, offset            int
}

// sessionPage is the answer of GET /sessions?paginated=true.
type sessionPage struct {
	Data       []*clerk.Session `json:"data"`
	TotalCount int              `json:"total_count"`
}

func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) {
	q, err := parseSessionQuery(r.URL.Query())
	if err != nil {
		fail(w, err)
		return
	}

	s.store.mu.Lock()
	page, total := s.store.listSessions(q, s.now())
	s.store.mu.Unlock()
	if q.paginated {
		writeJSON(w, http.StatusOK, sessionPage{Data: page, TotalCount: total})
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func parseSessionQuery(v url.Values) (*sessionQuery, error) {
	q := &sessionQuery{
		clientID: v.Get("client_id"),
		userID:   v.Get("user_id"),
		status:   v.Get("status"),
		limit:    defaultLimit,
	}
	// The API has stopped listing every session of an instance at once.
	if q.clientID == "" && q.userID == "" {
		return nil, errParam("form_param_missing", "user_id",
			"Either user_id or client_id is required.")
	}
	if v.Has("status") && !slices.Contains(listableStatuses, q.status) {
		return nil, errParam("form_param_value_invalid", "status",
			"status must be one of "+strings.Join(listableStatuses, ", ")+".")
	}
	if v.Has("paginated") {
		p, err := strconv.ParseBool(v.Get("paginated"))
		if err != nil {
			return nil, errParam("form_param_format_invalid", "paginated",
				"paginated must be true or false.")
		}
		q.paginated = p
	}

	if err := pageParams(v, &q.limit, &q.offset); err != nil {
		return nil, err
	}
	return q, nil
}

// listSessions returns copies of the page of sessions that q selects, newest first, and how
// many sessions match in all. The caller must hold st.mu.
func (st *store) listSessions(q *sessionQuery, now int64) ([]*clerk.Session, int) {
	var matched []*clerk.Session
	for _, sess := range st.sessions.sessions {
		settle(sess, now)
		if q.match(sess) {
			matched = append(matched, sess)
		}
	}
	// IDs sort in creation order, so they break ties of created_at the same way.
	slices.SortFunc(matched, func(a, b *clerk.Session) int {
		return -cmp.Or(cmp.Compare(a.CreatedAt, b.CreatedAt), strings.Compare(a.ID, b.ID))
	})

	total := len(matched)
	matched = matched[min(q.offset, total):]
	matched = matched[:min(q.limit, len(matched))]
	page := make([]*clerk.Session, len(matched))
	for i, sess := range matched {
		page[i] = copySession(sess)
	}
	return page, total
}

func (q *sessionQuery) match(sess *clerk.Session) bool {
	return (q.clientID == "" || sess.ClientID == q.clientID) &&
		(q.userID == "" || sess.UserID == q.userID) &&
		(q.status == "" || sess.Status == q.status)
}
