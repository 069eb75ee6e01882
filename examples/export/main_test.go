package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

// cancelAfter is an HTTP client that cancels the export's context when it is asked for
// request n+1, as Ctrl-C during that request would.
type cancelAfter struct {
	n      int32
	calls  atomic.Int32
	cancel context.CancelFunc
}

func (c *cancelAfter) Do(req *http.Request) (*http.Response, error) {
	if c.calls.Add(1) > c.n {
		c.cancel()
	}
	return http.DefaultClient.Do(req)
}

// seeded returns a server with n sample users and their IDs in the order of a walk.
func seeded(t *testing.T, n int) (*clerktest.Server, []string) {
	t.Helper()
	srv := clerktest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, seedSamples(srv, n))
	var ids []string
	for u, err := range user.NewClient(srv.Config()).All(context.Background(), nil) {
		require.NoError(t, err)
		ids = append(ids, u.ID)
	}
	require.Len(t, ids, n)
	return srv, ids
}

// readIDs returns the id of every line of the file; every line must be a whole user.
func readIDs(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var ids []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var u clerk.User
		require.NoError(t, json.Unmarshal(sc.Bytes(), &u), "line %d", len(ids)+1)
		ids = append(ids, u.ID)
	}
	require.NoError(t, sc.Err())
	assert.True(t, len(raw) == 0 || raw[len(raw)-1] == '\n', "the file ends in a cut line")
	return ids
}

// TestExportInterruptResume exports, interrupts the export after some pages, cuts its last
// line short as a crash mid-write would, and resumes: the file then holds every user exactly
// once, in the order of the walk.
func TestExportInterruptResume(t *testing.T) {
	t.Parallel()
	srv, want := seeded(t, 37)
	out := filepath.Join(t.TempDir(), "users.jsonl")
	opts := options{out: out, pageSize: 5}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := srv.Config()
	cfg.HTTPClient = &cancelAfter{n: 3, cancel: cancel}
	n, err := export(ctx, cfg, opts, nil, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 15, n, "got %d users written, want the 3 pages fetched before the cancel", n)
	assert.Equal(t, want[:15], readIDs(t, out))

	f, err := os.OpenFile(out, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"id":"` + want[15] + `","object":"us`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	opts.resume = true
	n, err = export(context.Background(), srv.Config(), opts, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 37, n)
	got := readIDs(t, out)
	assert.Equal(t, want, got, "got the users of the file out of order, missing or twice")

	// Resuming a finished export adds nothing.
	n, err = export(context.Background(), srv.Config(), opts, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 37, n)
	assert.Equal(t, want, readIDs(t, out))
}

func TestExportResumeStartingPoints(t *testing.T) {
	t.Parallel()
	srv, want := seeded(t, 8)
	tests := []struct {
		name    string
		content string // the file before the export; "none" for no file
		wantErr string
	}{
		{"no file", "none", ""},
		{"empty file", "", ""},
		{"only a cut line", `{"id":"user_`, ""},
		{"not an export", "name,email\n", "line 1 is not a user object"},
		{"a line without an id", "{}\n", "line 1 is not a user object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "users.jsonl")
			if tt.content != "none" {
				require.NoError(t, os.WriteFile(out, []byte(tt.content), 0o600))
			}
			n, err := export(context.Background(), srv.Config(),
				options{out: out, resume: true, pageSize: 3}, nil, nil)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				raw, rerr := os.ReadFile(out)
				require.NoError(t, rerr)
				assert.Equal(t, tt.content, string(raw), "a refused resume changed the file")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, len(want), n)
			assert.Equal(t, want, readIDs(t, out))
		})
	}
}

func TestExportWithoutResumeOverwrites(t *testing.T) {
	t.Parallel()
	srv, want := seeded(t, 4)
	out := filepath.Join(t.TempDir(), "users.jsonl")
	require.NoError(t, os.WriteFile(out, []byte("old content\n"), 0o600))

	_, err := export(context.Background(), srv.Config(), options{out: out, pageSize: 500},
		nil, nil)
	require.NoError(t, err)
	assert.Equal(t, want, readIDs(t, out))
}

func TestExportToStdoutWithProgress(t *testing.T) {
	t.Parallel()
	srv, want := seeded(t, 6)
	var stdout, progress bytes.Buffer

	n, err := export(context.Background(), srv.Config(), options{out: "-", pageSize: 4},
		&stdout, &progress)
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	assert.Equal(t, len(want), strings.Count(stdout.String(), "\n"))
	assert.Contains(t, progress.String(), "6 users exported (")
	assert.True(t, strings.HasSuffix(progress.String(), "\n"),
		"got progress %q, want it to end its line", progress.String())
}

func TestRun(t *testing.T) {
	t.Parallel()
	srv, want := seeded(t, 3)
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		wantLines int
		wantFirst string // start of the first stderr line
		wantErr   string
	}{
		{"in process without a key", []string{"-o", "FILE"}, nil, sampleUsers,
			"CLERK_SECRET_KEY is not set", ""},
		{"the instance of the key", []string{"-o", "FILE"},
			map[string]string{"CLERK_SECRET_KEY": srv.Key(), "CLERK_API_URL": srv.URL()},
			len(want), "exported 3 users", ""},
		{"resume on stdout", []string{"-resume"},
			map[string]string{"CLERK_SECRET_KEY": srv.Key(), "CLERK_API_URL": srv.URL()},
			0, "", "-resume needs -o FILE"},
		{"page size", []string{"-page-size", "501", "-o", "FILE"},
			map[string]string{"CLERK_SECRET_KEY": srv.Key(), "CLERK_API_URL": srv.URL()},
			0, "", "want 1 to 500"},
		{"argument", []string{"users.jsonl"}, nil, 0, "", "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "users.jsonl")
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "FILE", out)
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, env(tt.env), &stdout, &stderr, false)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(stderr.String(), tt.wantFirst),
				"got stderr %q, want it to start with %q", stderr.String(), tt.wantFirst)
			assert.Len(t, readIDs(t, out), tt.wantLines)
			assert.Empty(t, stdout.String())
			assert.NotContains(t, stderr.String(), "users exported (",
				"got a progress line on a stderr that is not a terminal")
		})
	}
}

func TestIsTerminal(t *testing.T) {
	t.Parallel()
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "got a regular file reported as a terminal")
}
