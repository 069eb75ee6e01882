package clerktest

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	fixed := start(t, WithKey("sk_test_fixed123"))
	anyTest := start(t, WithAnyTestKey())

	tests := []struct {
		name   string
		srv    *Server
		header string
		status int
	}{
		{"no header", fixed, "", http.StatusUnauthorized},
		{"wrong key", fixed, "Bearer sk_test_other", http.StatusUnauthorized},
		{"no scheme", fixed, "sk_test_fixed123", http.StatusUnauthorized},
		{"basic scheme", fixed, "Basic sk_test_fixed123", http.StatusUnauthorized},
		{"empty token", fixed, "Bearer ", http.StatusUnauthorized},
		{"right key", fixed, "Bearer sk_test_fixed123", http.StatusOK},
		{"scheme in lower case", fixed, "bearer sk_test_fixed123", http.StatusOK},
		{"any test key", anyTest, "Bearer sk_test_whatever", http.StatusOK},
		{"the default key in any mode", anyTest, "Bearer " + DefaultKey, http.StatusOK},
		{"bare prefix", anyTest, "Bearer sk_test_", http.StatusUnauthorized},
		{"live key in any mode", anyTest, "Bearer sk_live_whatever", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(http.MethodGet, tt.srv.URL()+"/users", nil)
			require.NoError(t, err)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			var buf bytes.Buffer
			buf.ReadFrom(resp.Body)
			r := response{status: resp.StatusCode, body: buf.Bytes()}
			if tt.status == http.StatusOK {
				assert.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
				return
			}
			failed(t, r, http.StatusUnauthorized, "clerk_key_invalid")
			assert.NotContains(t, string(r.body), "sk_test_fixed123")
		})
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	s := start(t)

	assert.Equal(t, DefaultKey, s.Key())
	assert.True(t, strings.HasPrefix(s.URL(), "http://127.0.0.1:"), "got URL %s", s.URL())
	assert.True(t, strings.HasSuffix(s.URL(), "/v1"), "got URL %s", s.URL())
	cfg := s.Config()
	assert.Equal(t, s.Key(), cfg.Key)
	assert.Equal(t, s.URL(), cfg.BaseURL)
	assert.Positive(t, cfg.RetryWaitMin)
	assert.LessOrEqual(t, cfg.RetryWaitMax, 100*time.Millisecond)
	assert.Equal(t, http.StatusOK, do(t, s, http.MethodGet, "/users", nil).status)
}

func TestUnknownPaths(t *testing.T) {
	t.Parallel()
	s := start(t)
	create(t, s, map[string]any{"username": "dotty"})

	for _, path := range []string{
		"/nothing", "/users/%2E%2E", "/users/.%2E/count", "/users//ban", "/users/x/%2e",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			failed(t, do(t, s, http.MethodGet, path, nil), http.StatusNotFound,
				"resource_not_found")
		})
	}
	t.Run("escaped slash stays in the ID", func(t *testing.T) {
		t.Parallel()
		e := failed(t, do(t, s, http.MethodGet, "/users/user_1%2Fban", nil),
			http.StatusNotFound, "resource_not_found")
		assert.Equal(t, "User not found", e.Errors[0].LongMessage)
	})
	t.Run("wrong method", func(t *testing.T) {
		t.Parallel()
		failed(t, do(t, s, http.MethodPut, "/users", nil), http.StatusNotFound,
			"resource_not_found")
	})
}

func TestBodies(t *testing.T) {
	t.Parallel()
	s := start(t)

	t.Run("not JSON", func(t *testing.T) {
		t.Parallel()
		failed(t, do(t, s, http.MethodPost, "/users", "{"), http.StatusBadRequest,
			"malformed_request")
	})
	t.Run("not an object", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{"[]", "null", "3", `"x"`} {
			failed(t, do(t, s, http.MethodPost, "/users", body), http.StatusBadRequest,
				"malformed_request")
		}
	})
	t.Run("empty body is an empty object", func(t *testing.T) {
		t.Parallel()
		u := ok[*clerk.User](t, do(t, s, http.MethodPost, "/users", ""))
		assert.NotEmpty(t, u.ID)
	})
	t.Run("too large", func(t *testing.T) {
		t.Parallel()
		big := `{"first_name":"` + strings.Repeat("a", maxJSONBody) + `"}`
		failed(t, do(t, s, http.MethodPost, "/users", big), http.StatusRequestEntityTooLarge,
			"request_body_too_large")
	})
}

func TestClock(t *testing.T) {
	t.Parallel()
	clock := newTestClock(1_700_000_000_000)
	s := start(t, WithClock(clock.Now))

	u := create(t, s, map[string]any{"email_address": []string{"clock@example.com"}})
	assert.Equal(t, int64(1_700_000_000_000), u.CreatedAt)
	assert.Equal(t, int64(1_700_000_000_000), u.UpdatedAt)
	assert.Equal(t, int64(1_700_000_000_000), u.EmailAddresses[0].CreatedAt)

	clock.Add(time.Minute)
	u = ok[*clerk.User](t, do(t, s, http.MethodPatch, "/users/"+u.ID,
		map[string]any{"first_name": "Later"}))
	assert.Equal(t, int64(1_700_000_000_000), u.CreatedAt)
	assert.Equal(t, int64(1_700_000_060_000), u.UpdatedAt)
}

func TestHandlerOnAnotherServer(t *testing.T) {
	t.Parallel()
	s := start(t)
	other := httptest.NewServer(s.Handler())
	defer other.Close()

	u := create(t, s, map[string]any{"username": "shared"})
	req, err := http.NewRequest(http.MethodGet, other.URL+"/v1/users/"+u.ID, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.Key())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestWithListenerAndClose(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := NewServer(WithListener(ln))
	assert.Equal(t, "http://"+ln.Addr().String()+"/v1", s.URL())
	assert.Equal(t, http.StatusOK, do(t, s, http.MethodGet, "/users", nil).status)

	s.Close()
	s.Close()
	_, err = http.Get(s.URL() + "/users")
	assert.Error(t, err, "got a response after Close")
}

func TestEvents(t *testing.T) {
	t.Parallel()
	s := start(t)
	type event struct {
		typ string
		id  string
	}
	events := make(chan event, 10)
	s.listenMu.Lock()
	s.listeners = append(s.listeners, func(typ string, data any) {
		switch d := data.(type) {
		case *clerk.User:
			events <- event{typ, d.ID}
		case *clerk.DeletedObject:
			events <- event{typ, d.ID}
		}
	})
	s.listenMu.Unlock()

	u := create(t, s, map[string]any{"username": "eventful"})
	do(t, s, http.MethodPost, "/users/"+u.ID+"/ban", nil)
	do(t, s, http.MethodPost, "/users/"+u.ID+"/ban", nil) // no change, no event
	do(t, s, http.MethodDelete, "/users/"+u.ID, nil)
	close(events)

	var got []event
	for e := range events {
		got = append(got, e)
	}
	want := []event{{"user.created", u.ID}, {"user.updated", u.ID}, {"user.deleted", u.ID}}
	assert.Equal(t, want, got)
}
