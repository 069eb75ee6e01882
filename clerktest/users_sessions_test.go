package clerktest

import (
	"net/http"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/assert"
)

// TestUserChangesEndSessions checks the user endpoints that end a user's sessions, and that
// the others leave them alone.
func TestUserChangesEndSessions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		method  string
		path    string
		body    any
		revoked bool
	}{
		{"ban", http.MethodPost, "/ban", nil, true},
		{"bulk ban", http.MethodPost, "", nil, true},
		{"new password signing out", http.MethodPatch, "",
			map[string]any{"password": "brand-new-pass", "sign_out_of_other_sessions": true}, true},
		{"new password", http.MethodPatch, "", map[string]any{"password": "brand-new-pass"}, false},
		{"sign out without a password", http.MethodPatch, "",
			map[string]any{"first_name": "X", "sign_out_of_other_sessions": true}, false},
		{"remove password signing out", http.MethodPost, "/remove_password",
			map[string]any{"sign_out_of_other_sessions": true}, true},
		{"remove password", http.MethodPost, "/remove_password", nil, false},
		{"lock", http.MethodPost, "/lock", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := start(t)
			u := create(t, s, map[string]any{"password": "first-password"})
			sess := ok[*clerk.Session](t, do(t, s, http.MethodPost, "/sessions",
				map[string]any{"user_id": u.ID}))
			assert.Equal(t, clerk.SessionStatusActive, sess.Status)

			if tt.name == "bulk ban" {
				ok[[]*clerk.User](t, do(t, s, http.MethodPost, "/users/ban",
					map[string]any{"user_ids": []string{u.ID}}))
			} else {
				ok[*clerk.User](t, do(t, s, tt.method, "/users/"+u.ID+tt.path, tt.body))
			}

			after := ok[*clerk.Session](t, do(t, s, http.MethodGet, "/sessions/"+sess.ID, nil))
			want := clerk.SessionStatusActive
			if tt.revoked {
				want = clerk.SessionStatusRevoked
			}
			assert.Equal(t, want, after.Status)
		})
	}
}
