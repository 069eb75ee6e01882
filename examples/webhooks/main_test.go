package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// env returns a getenv function that reads vars.
func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// syncBuffer is a bytes.Buffer that a server goroutine and the test can share.
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

func TestInProcessFlow(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), nil, env(nil), &out))

	text := out.String()
	lines := strings.Split(text, "\n")
	assert.True(t, strings.HasPrefix(lines[0], "CLERK_SECRET_KEY is not set"),
		"got first line %q, want it to say that no key is set", lines[0])

	// Each step's heading is followed by the table as the webhooks left it.
	row := `user_\w+  `
	want := []string{
		`created a user; the local table now holds:\n  ` + row +
			`Ada Lovelace <ada@example\.com>  public \{"plan":"free"\}\n`,
		`renamed the user; the local table now holds:\n  ` + row +
			`Augusta Lovelace <ada@example\.com>  public \{"plan":"free"\}\n`,
		`merged public metadata; the local table now holds:\n  ` + row +
			`Augusta Lovelace <ada@example\.com>  public \{"plan":"pro","seats":5\}\n`,
		`deleted the user; the local table now holds:\n  \(no users\)\n`,
	}
	rest := text
	for _, w := range want {
		loc := regexp.MustCompile(w).FindStringIndex(rest)
		require.NotNil(t, loc, "got output:\n%s\nwant, after what came before: %s", text, w)
		rest = rest[loc[1]:]
	}
}

func TestEndpointWithKey(t *testing.T) {
	t.Parallel()
	secret := clerktest.NewWebhookSecret()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, env(map[string]string{
			"CLERK_SECRET_KEY":             "sk_test_example",
			"CLERK_WEBHOOK_SIGNING_SECRET": secret,
		}), out)
	}()

	serving := regexp.MustCompile(`serving webhooks at (http://\S+)\n`)
	var target string
	require.Eventually(t, func() bool {
		m := serving.FindStringSubmatch(out.String())
		if m != nil {
			target = m[1]
		}
		return m != nil
	}, 10*time.Second, 5*time.Millisecond, "got output %q", out.String())

	v, err := webhook.NewVerifier(secret)
	require.NoError(t, err)
	send := func(id string, event map[string]any) int {
		body, err := json.Marshal(event)
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
		require.NoError(t, err)
		now := time.Now()
		req.Header.Set(webhook.HeaderID, id)
		req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
		req.Header.Set(webhook.HeaderSignature, v.Sign(id, now, body))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	created := map[string]any{"type": "user.created", "object": "event", "timestamp": 1,
		"data": map[string]any{"object": "user", "id": "user_1", "first_name": "Ada",
			"public_metadata": map[string]any{"plan": "free"}, "updated_at": 1}}
	assert.Equal(t, http.StatusNoContent, send("msg_1", created))
	assert.Contains(t, out.String(), "user.created (delivery msg_1):\n"+
		"  user_1  Ada  public {\"plan\":\"free\"}\n")

	deleted := map[string]any{"type": "user.deleted", "object": "event", "timestamp": 2,
		"data": map[string]any{"object": "user", "id": "user_1", "deleted": true}}
	assert.Equal(t, http.StatusNoContent, send("msg_2", deleted))
	assert.Contains(t, out.String(), "user.deleted (delivery msg_2):\n  (no users)\n")

	// A delivery signed with another secret is refused and changes nothing.
	other, err := webhook.NewVerifier(clerktest.NewWebhookSecret())
	require.NoError(t, err)
	v = other
	assert.Equal(t, http.StatusBadRequest, send("msg_3", created))
	assert.NotContains(t, out.String(), "msg_3")

	cancel()
	assert.NoError(t, <-done)
}

func TestKeyWithoutUsableWebhookSecret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, secret string
		is           error
	}{
		{"missing", "", nil},
		{"malformed", "whsec_***", webhook.ErrInvalidSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := run(context.Background(), []string{"-addr", "127.0.0.1:0"},
				env(map[string]string{
					"CLERK_SECRET_KEY":             "sk_test_example",
					"CLERK_WEBHOOK_SIGNING_SECRET": tt.secret,
				}), &out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "CLERK_WEBHOOK_SIGNING_SECRET")
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			assert.Empty(t, out.String(), "got output from a program that could not start")
		})
	}
}
