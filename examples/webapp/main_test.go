package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

// get sends GET url with the given header and cookie (each skipped when empty) and returns the
// status and body.
func get(t *testing.T, url, authorization, cookie string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: cookie})
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// errorCode returns the code of the JSON error body that RequireSession writes.
func errorCode(t *testing.T, body string) string {
	t.Helper()
	var e struct {
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &e), "body %q", body)
	require.NotEmpty(t, e.Errors, "body %q", body)
	return e.Errors[0].Code
}

func TestHandler(t *testing.T) {
	t.Parallel()
	srv := clerktest.NewServer()
	t.Cleanup(srv.Close)
	handler, err := newHandler(srv.Config())
	require.NoError(t, err)
	app := httptest.NewServer(handler)
	t.Cleanup(app.Close)

	ctx := context.Background()
	users := user.NewClient(srv.Config())
	ada, err := users.Create(ctx, &user.CreateParams{FirstName: clerk.String("Ada"),
		LastName: clerk.String("Lovelace"), SkipPasswordRequirement: clerk.Bool(true)})
	require.NoError(t, err)
	named, err := users.Create(ctx, &user.CreateParams{Username: clerk.String("grace"),
		SkipPasswordRequirement: clerk.Bool(true)})
	require.NoError(t, err)
	gone, err := users.Create(ctx, &user.CreateParams{FirstName: clerk.String("Gone"),
		SkipPasswordRequirement: clerk.Bool(true)})
	require.NoError(t, err)

	token := func(userID string, opts ...clerktest.TokenOption) string {
		tok, err := srv.SessionToken(userID, opts...)
		require.NoError(t, err)
		return tok
	}
	valid := token(ada.ID)
	goneToken := token(gone.ID)
	_, err = users.Delete(ctx, gone.ID)
	require.NoError(t, err)

	tests := []struct {
		name          string
		path          string
		authorization string
		cookie        string
		wantStatus    int
		wantCode      string // of the JSON error body, for 401s from RequireSession
		wantBody      string // a part of the body, for the others
	}{
		{name: "public page", path: "/", wantStatus: http.StatusOK, wantBody: "Hello, visitor"},
		{name: "unknown page", path: "/nope", wantStatus: http.StatusNotFound},
		{name: "no token", path: "/me", wantStatus: http.StatusUnauthorized,
			wantCode: "session_token_missing"},
		{name: "expired token", path: "/me", authorization: "Bearer " + token(ada.ID,
			clerktest.Expired()), wantStatus: http.StatusUnauthorized,
			wantCode: "session_token_expired"},
		{name: "not yet valid", path: "/me", authorization: "Bearer " + token(ada.ID,
			clerktest.NotYetValid()), wantStatus: http.StatusUnauthorized,
			wantCode: "session_token_invalid"},
		{name: "foreign signature", path: "/me", authorization: "Bearer " + token(ada.ID,
			clerktest.ForeignSigned()), wantStatus: http.StatusUnauthorized,
			wantCode: "session_token_invalid"},
		{name: "garbage", path: "/me", authorization: "Bearer not.a.token",
			wantStatus: http.StatusUnauthorized, wantCode: "session_token_invalid"},
		{name: "valid bearer", path: "/me", authorization: "Bearer " + valid,
			wantStatus: http.StatusOK, wantBody: "Hello, Ada Lovelace! You are " + ada.ID},
		{name: "scheme in lower case", path: "/me", authorization: "bearer " + valid,
			wantStatus: http.StatusOK, wantBody: "Hello, Ada Lovelace!"},
		{name: "session cookie", path: "/me", cookie: valid, wantStatus: http.StatusOK,
			wantBody: "Hello, Ada Lovelace!"},
		{name: "expired cookie", path: "/me", cookie: token(ada.ID, clerktest.Expired()),
			wantStatus: http.StatusUnauthorized, wantCode: "session_token_expired"},
		{name: "username when no name", path: "/me", authorization: "Bearer " +
			token(named.ID), wantStatus: http.StatusOK, wantBody: "Hello, grace!"},
		{name: "deleted user", path: "/me", authorization: "Bearer " + goneToken,
			wantStatus: http.StatusUnauthorized, wantBody: "no longer exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, body := get(t, app.URL+tt.path, tt.authorization, tt.cookie)
			require.Equal(t, tt.wantStatus, status, "got %d, want %d: %s", status,
				tt.wantStatus, body)
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantCode, errorCode(t, body))
			}
			assert.Contains(t, body, tt.wantBody)
		})
	}
}

// curlLine matches the command that run prints in demo mode.
var curlLine = regexp.MustCompile(`curl -H 'Authorization: Bearer ([^']+)' (http://\S+/me)`)

// start runs the program with args and env until the test ends, and returns its output as
// lines, read as they come.
func start(t *testing.T, args []string, env map[string]string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, func(k string) string { return env[k] }, w, io.Discard)
		w.Close()
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "run")
		case <-time.After(10 * time.Second):
			t.Error("run did not return after its context ended")
		}
	})

	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// readUntil returns the lines up to and including the first that starts with prefix.
func readUntil(t *testing.T, lines <-chan string, prefix string) []string {
	t.Helper()
	var got []string
	for {
		select {
		case line, ok := <-lines:
			require.True(t, ok, "output ended before %q: %q", prefix, got)
			got = append(got, line)
			if strings.HasPrefix(line, prefix) {
				return got
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no line starting with %q after %q", prefix, got)
		}
	}
}

func TestRunDemo(t *testing.T) {
	t.Parallel()
	lines := readUntil(t, start(t, []string{"-addr", "127.0.0.1:0"}, nil), "serving on ")
	assert.True(t, strings.HasPrefix(lines[0], "CLERK_SECRET_KEY is not set: using an "+
		"in-process Clerk-compatible server"), "got first line %q", lines[0])

	var m []string
	for _, line := range lines {
		if m = curlLine.FindStringSubmatch(line); m != nil {
			break
		}
	}
	require.NotNil(t, m, "got no curl command in %q", lines)
	status, body := get(t, m[2], "Bearer "+m[1], "")
	assert.Equal(t, http.StatusOK, status, "got %d, want 200: %s", status, body)
	assert.Contains(t, body, "Hello, Ada Lovelace!")

	status, _ = get(t, m[2], "", "")
	assert.Equal(t, http.StatusUnauthorized, status)
}

func TestRunWithKey(t *testing.T) {
	t.Parallel()
	srv := clerktest.NewServer()
	t.Cleanup(srv.Close)
	u, err := user.NewClient(srv.Config()).Create(context.Background(), &user.CreateParams{
		FirstName: clerk.String("Grace"), SkipPasswordRequirement: clerk.Bool(true)})
	require.NoError(t, err)
	token, err := srv.SessionToken(u.ID)
	require.NoError(t, err)

	env := map[string]string{"CLERK_SECRET_KEY": srv.Key(), "CLERK_API_URL": srv.URL()}
	lines := readUntil(t, start(t, []string{"-addr", "127.0.0.1:0"}, env), "serving on ")
	require.Len(t, lines, 2, "got %q, want the API line and the serving line", lines)
	assert.Equal(t, "using the Clerk API at "+srv.URL(), lines[0])

	url := strings.Fields(strings.TrimPrefix(lines[1], "serving on "))[0]
	status, body := get(t, url+"/me", "Bearer "+token, "")
	assert.Equal(t, http.StatusOK, status, "got %d, want 200: %s", status, body)
	assert.Contains(t, body, "Hello, Grace!")
}

func TestRunBadArguments(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-port", "1"}, {"extra"}, {"-addr", "127.0.0.1:99999"}} {
		err := run(context.Background(), args, func(string) string { return "" },
			io.Discard, io.Discard)
		assert.Error(t, err, "args %q", args)
	}
}
