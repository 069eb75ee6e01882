package clerktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collect runs n calls of f at once and returns their errors.
func collect(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	return errs
}

func TestConcurrentCreates(t *testing.T) {
	t.Parallel()
	s := start(t)
	const n = 60

	created := make([]string, n)
	errs := collect(n, func(i int) error {
		r, err := send(s, s.Key(), http.MethodPost, "/users", map[string]any{
			"username": fmt.Sprintf("racer%03d", i), "email_address": []string{
				fmt.Sprintf("racer%03d@example.com", i)}})
		if err != nil {
			return err
		}
		if r.status != http.StatusOK {
			return fmt.Errorf("got status %d, want 200: %s", r.status, r.body)
		}
		var u clerk.User
		if err := json.Unmarshal(r.body, &u); err != nil {
			return err
		}
		created[i] = u.ID
		return nil
	})
	for _, err := range errs {
		require.NoError(t, err)
	}

	unique := map[string]bool{}
	for _, id := range created {
		unique[id] = true
	}
	assert.Len(t, unique, n, "two creates got the same ID")
	count := ok[map[string]any](t, do(t, s, http.MethodGet, "/users/count", nil))
	assert.Equal(t, float64(n), count["total_count"])
}

func TestConcurrentClaimsOfOneIdentifier(t *testing.T) {
	t.Parallel()
	s := start(t)
	const n = 30

	statuses := make([]int, n)
	errs := collect(n, func(i int) error {
		r, err := send(s, s.Key(), http.MethodPost, "/users", map[string]any{
			"email_address": []string{"contested@example.com"}})
		statuses[i] = r.status
		return err
	})
	for _, err := range errs {
		require.NoError(t, err)
	}
	won := 0
	for _, st := range statuses {
		switch st {
		case http.StatusOK:
			won++
		case http.StatusUnprocessableEntity:
		default:
			t.Errorf("got status %d, want 200 or 422", st)
		}
	}
	assert.Equal(t, 1, won, "got %d users with one email address, want 1", won)
}

// TestConcurrentMixedTraffic runs reads, lists, updates, bans and deletes against each other;
// its worth is in running under the race detector, and in every answer being a sane one.
func TestConcurrentMixedTraffic(t *testing.T) {
	t.Parallel()
	s := start(t)
	var users []string
	for i := range 20 {
		users = append(users, create(t, s, map[string]any{
			"username": fmt.Sprintf("mixed%02d", i)}).ID)
	}

	errs := collect(200, func(i int) error {
		id := users[i%len(users)]
		var method, path string
		var body any
		switch i % 8 {
		case 0:
			method, path = http.MethodGet, "/users/"+id
		case 1:
			method, path = http.MethodGet, "/users?limit=5&order_by=-updated_at&query=mixed"
		case 2:
			method, path = http.MethodPatch, "/users/"+id
			body = map[string]any{"first_name": fmt.Sprintf("N%d", i)}
		case 3:
			method, path = http.MethodPatch, "/users/"+id+"/metadata"
			body = map[string]any{"public_metadata": map[string]any{fmt.Sprint(i): i}}
		case 4:
			method, path = http.MethodPost, "/users/"+id+"/ban"
		case 5:
			method, path = http.MethodGet, "/users/count?banned=true"
		case 6:
			method, path = http.MethodPost, "/users/ban"
			body = map[string]any{"user_ids": users[:3]}
		case 7:
			if i%5 == 0 {
				method, path = http.MethodDelete, "/users/"+id
			} else {
				method, path = http.MethodPost, "/users/"+id+"/unban"
			}
		}
		r, err := send(s, s.Key(), method, path, body)
		if err != nil {
			return err
		}
		// A user deleted by another request answers 404; nothing else may fail.
		if r.status != http.StatusOK && r.status != http.StatusNotFound {
			return fmt.Errorf("%s %s: got status %d: %s", method, path, r.status, r.body)
		}
		return nil
	})
	for _, err := range errs {
		assert.NoError(t, err)
	}
}

func TestReturnedUsersAreCopies(t *testing.T) {
	t.Parallel()
	s := start(t)
	u, err := s.AddUser(&clerk.User{ID: "user_copy", PublicMetadata: json.RawMessage(`{"a":1}`),
		EmailAddresses: []*clerk.EmailAddress{{EmailAddress: "copy@example.com"}}})
	require.NoError(t, err)

	u.PublicMetadata[1] = 'X'
	u.EmailAddresses[0].Verification.Status = "tampered"
	*u.PrimaryEmailAddressID = "idn_tampered"

	got := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/user_copy", nil))
	assert.JSONEq(t, `{"a":1}`, string(got.PublicMetadata))
	assert.Equal(t, "verified", got.EmailAddresses[0].Verification.Status)
	assert.Equal(t, got.EmailAddresses[0].ID, *got.PrimaryEmailAddressID)
}
