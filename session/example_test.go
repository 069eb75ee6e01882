package session_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/session"
)

// Walk every active session of a user, page after page, and revoke each one.
func ExampleClient_All() {
	// A stand-in for the API, so that the example runs without a network or a key.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Query().Get("offset") == "0":
			fmt.Fprint(w, `{"data":[{"id":"sess_2"},{"id":"sess_1"}],"total_count":3}`)
		case r.Method == http.MethodGet:
			fmt.Fprint(w, `{"data":[{"id":"sess_0"}],"total_count":3}`)
		default: // POST /sessions/{id}/revoke
			fmt.Fprint(w, `{"object":"session","status":"revoked"}`)
		}
	}))
	defer api.Close()

	ctx := context.Background()
	c := session.NewClient(&clerk.ClientConfig{Key: "sk_test_example", BaseURL: api.URL})
	params := &session.ListParams{
		UserID: clerk.String("user_123"),
		Status: clerk.String(clerk.SessionStatusActive),
		Limit:  clerk.Int64(2),
	}
	for s, err := range c.All(ctx, params) {
		if err != nil {
			fmt.Println("listing sessions:", err)
			return
		}
		revoked, err := c.Revoke(ctx, s.ID)
		if err != nil {
			fmt.Println("revoking", s.ID+":", err)
			return
		}
		fmt.Println(s.ID, revoked.Status)
	}
	// Output:
	// sess_2 revoked
	// sess_1 revoked
	// sess_0 revoked
}
