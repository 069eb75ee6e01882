package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/session"
	"github.com/clerkcompat/clerk/user"
)

func TestFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		help    bool
		message []string
	}{
		{"help", []string{"-h"}, true,
			[]string{"-addr", "-key", "-seed", "-quiet", "email_address", "never logged"}},
		{"unknown flag", []string{"-port", "1"}, false, []string{"flag provided but not defined"}},
		{"extra argument", []string{"serve"}, false, []string{"Usage"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			require.Error(t, err)
			assert.Equal(t, tt.help, errors.Is(err, flag.ErrHelp), "got error %v", err)
			for _, m := range tt.message {
				assert.Contains(t, stderr.String(), m)
			}
			assert.Empty(t, stdout.String())
		})
	}
}

func TestPublishableKeyRefused(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run([]string{"-key", "pk_test_abc"}, &stdout, &stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "secret key")
	assert.Empty(t, stdout.String(), "nothing is served")
}

func TestLoopback(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"127.0.0.1:8910": true, "localhost:1": true, "[::1]:80": true, "127.5.0.1:9": true,
		"0.0.0.0:8910": false, ":8910": false, "[::]:1": false, "192.0.2.1:80": false,
	} {
		assert.Equal(t, want, loopback(addr), "loopback(%q)", addr)
	}
}

// syncBuffer is a bytes.Buffer that the server's goroutines and the test may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// started is a clerkfake running in the background.
type started struct {
	url    string
	stdout *syncBuffer // everything printed on stdout
	log    *syncBuffer
	stop   func() error
}

// startServe runs serve in the background on a free port and returns once it prints its URL.
func startServe(t *testing.T, opts options) *started {
	t.Helper()
	opts.addr = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	log := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, opts, pw, log)
		pw.Close()
	}()
	// stop may be called by the test and again by the cleanup.
	stop := sync.OnceValue(func() error {
		cancel()
		return <-done
	})

	s := &started{stdout: &syncBuffer{}, log: log, stop: stop}
	lines := bufio.NewReader(pr)
	for s.url == "" {
		line, err := lines.ReadString('\n')
		_, _ = s.stdout.Write([]byte(line))
		if err != nil {
			t.Fatalf("got %v before the URL line (printed %q), want the URL", stop(),
				s.stdout.String())
		}
		if i := strings.Index(line, "http://"); i >= 0 {
			s.url = strings.TrimSpace(line[i:])
		}
	}
	go func() { _, _ = io.Copy(s.stdout, lines) }()
	t.Cleanup(func() { _ = stop() })
	return s
}

func status(t *testing.T, url, key string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url+"/users",
		nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeAnyTestKey(t *testing.T) {
	t.Parallel()
	s := startServe(t, options{})
	assert.True(t, strings.HasSuffix(s.url, "/v1"), "got URL %s", s.url)

	assert.Equal(t, http.StatusOK, status(t, s.url, "sk_test_one"))
	assert.Equal(t, http.StatusOK, status(t, s.url, "sk_test_another"))
	assert.Equal(t, http.StatusUnauthorized, status(t, s.url, "sk_live_one"))

	require.NoError(t, s.stop())
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		s.url+"/users", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	assert.Error(t, err, "the server still answers after it stopped")
}

func TestServeFixedKey(t *testing.T) {
	t.Parallel()
	s := startServe(t, options{key: "sk_test_only"})

	assert.Equal(t, http.StatusOK, status(t, s.url, "sk_test_only"))
	assert.Equal(t, http.StatusUnauthorized, status(t, s.url, "sk_test_other"))
}

func TestServeAddressInUse(t *testing.T) {
	t.Parallel()
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()

	err = serve(context.Background(), options{addr: ln.Addr().String()}, io.Discard, io.Discard)
	assert.ErrorContains(t, err, "listen on")
}

// TestServeSeed starts the program with the example seed file and reads the seeded users
// back through the SDK.
func TestServeSeed(t *testing.T) {
	t.Parallel()
	s := startServe(t, options{key: "sk_test_seeded", seed: filepath.Join("testdata",
		"seed.json")})
	cfg := &clerk.ClientConfig{Key: "sk_test_seeded", BaseURL: s.url}
	ctx := context.Background()

	var ids []string
	for u, err := range user.NewClient(cfg).All(ctx, nil) {
		require.NoError(t, err)
		ids = append(ids, u.ID)
	}
	assert.Equal(t, []string{"user_mallory", "user_grace", "user_ada"}, ids,
		"newest first, by the seeded created_at")

	ada, err := user.NewClient(cfg).Get(ctx, "user_ada")
	require.NoError(t, err)
	assert.Equal(t, "ada@example.com", ada.EmailAddresses[0].EmailAddress)
	assert.JSONEq(t, `{"plan":"pro","onboarded":true}`, string(ada.PublicMetadata))
	pw, err := user.NewClient(cfg).VerifyPassword(ctx, "user_ada",
		&user.VerifyPasswordParams{Password: "correct-horse-battery"})
	require.NoError(t, err)
	assert.True(t, pw.Verified)

	found, err := externalaccount.NewClient(cfg).FindUser(ctx, "oauth_github", "1815")
	require.NoError(t, err)
	assert.Equal(t, "user_ada", found.ID)

	banned, err := user.NewClient(cfg).List(ctx, &user.ListParams{Banned: clerk.Bool(true)})
	require.NoError(t, err)
	require.Len(t, banned, 1)
	assert.Equal(t, "user_mallory", banned[0].ID)

	require.NoError(t, s.stop())
	assert.Contains(t, s.stdout.String(), "seeded 3 users from testdata/seed.json")
}

// TestServeSessionTokens checks that tokens the program signs verify against its JWKS with
// the issuer the program reports: the address it listens on.
func TestServeSessionTokens(t *testing.T) {
	t.Parallel()
	s := startServe(t, options{seed: filepath.Join("testdata", "seed.json")})
	cfg := &clerk.ClientConfig{Key: "sk_test_tokens", BaseURL: s.url}
	ctx := context.Background()

	sess, err := session.NewClient(cfg).Create(ctx,
		&session.CreateParams{UserID: "user_grace"})
	require.NoError(t, err)
	tok, err := session.NewClient(cfg).CreateToken(ctx, sess.ID, nil)
	require.NoError(t, err)

	v, err := auth.NewVerifier(auth.Options{Config: cfg,
		Issuer: strings.TrimSuffix(s.url, "/v1")})
	require.NoError(t, err)
	claims, err := v.Verify(ctx, tok.JWT)
	require.NoError(t, err)
	assert.Equal(t, "user_grace", claims.Subject)
}

func TestServeSeedErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	tests := []struct {
		name string
		file string
		want string
	}{
		{"missing file", filepath.Join(dir, "none.json"), "reading the seed file"},
		{"not JSON", write("bad.json", "users:\n- ada\n"), "seeding users from"},
		{"misspelt field", write("typo.json", `[{"email_addresses": ["a@example.com"]}]`),
			`unknown field "email_addresses"`},
		{"taken address", write("dup.json",
			`[{"email_address": ["a@example.com"]}, {"email_address": ["a@example.com"]}]`),
			"user 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout bytes.Buffer
			err := serve(context.Background(), options{addr: "127.0.0.1:0", seed: tt.file},
				&stdout, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, stdout.String(), "serving", "got a URL for a failed start")
		})
	}
}

// TestServeLog checks the request log: one line per request with method, path, status and
// duration, and never the key, a query or a body.
func TestServeLog(t *testing.T) {
	t.Parallel()
	const key = "sk_test_logSecret123"
	s := startServe(t, options{key: key})
	ctx := context.Background()
	users := user.NewClient(&clerk.ClientConfig{Key: key, BaseURL: s.url, MaxRetries: -1})

	_, err := users.Create(ctx, &user.CreateParams{
		EmailAddresses: []string{"private.person@example.com"}})
	require.NoError(t, err)
	_, err = users.List(ctx, &user.ListParams{Query: clerk.String("private.person")})
	require.NoError(t, err)
	_, err = users.Get(ctx, "user_missing")
	require.ErrorIs(t, err, clerk.ErrNotFound)
	require.NoError(t, s.stop())

	lines := strings.Split(strings.TrimSpace(s.log.String()), "\n")
	require.Len(t, lines, 3, "got log %q, want one line per request", s.log.String())
	wants := []string{
		"method=POST path=/v1/users status=200",
		"method=GET path=/v1/users status=200",
		"method=GET path=/v1/users/user_missing status=404",
	}
	for i, want := range wants {
		assert.Contains(t, lines[i], want)
		assert.Contains(t, lines[i], "duration=")
	}
	for _, secret := range []string{key, "private.person", "Bearer", "query"} {
		assert.NotContains(t, s.log.String(), secret)
	}
}

func TestServeQuiet(t *testing.T) {
	t.Parallel()
	s := startServe(t, options{quiet: true})
	assert.Equal(t, http.StatusOK, status(t, s.url, "sk_test_quiet"))
	require.NoError(t, s.stop())
	assert.Empty(t, s.log.String())
}
