package clerk_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
)

// TestVersionIsNewestRelease checks that Version names the newest release of CHANGELOG.md, so
// that the User-Agent reports the version users read about.
func TestVersionIsNewestRelease(t *testing.T) {
	t.Parallel()
	f, err := os.Open("CHANGELOG.md")
	require.NoError(t, err)
	defer f.Close()

	release := regexp.MustCompile(`^## \[(\d+\.\d+\.\d+[^\]]*)\]`)
	newest := ""
	for sc := bufio.NewScanner(f); sc.Scan() && newest == ""; {
		if m := release.FindStringSubmatch(sc.Text()); m != nil {
			newest = m[1]
		}
	}
	require.NotEmpty(t, newest, "got no release heading in CHANGELOG.md")
	assert.Equal(t, newest, clerk.Version, "got Version %s, want the newest release %s",
		clerk.Version, newest)
}

// TestUserAgentReportsVersion checks the product token clerk-go/<Version> in the User-Agent,
// alone or after the caller's own.
func TestUserAgentReportsVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		userAgent string
		wantFirst string
	}{
		{"SDK only", "", "clerk-go/" + clerk.Version},
		{"after the caller's product", "billing/1.4", "billing/1.4 clerk-go/" + clerk.Version},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := make(chan string, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				r *http.Request) {
				got <- r.UserAgent()
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{}`))
			}))
			defer srv.Close()

			b := clerk.NewBackend(&clerk.ClientConfig{Key: "sk_test_ua", BaseURL: srv.URL,
				UserAgent: tt.userAgent, MaxRetries: -1})
			err := b.Do(context.Background(), &clerk.Request{Method: http.MethodGet,
				Path: "jwks"}, nil)
			require.NoError(t, err)

			ua := <-got
			assert.True(t, ua == tt.wantFirst || strings.HasPrefix(ua, tt.wantFirst+" "),
				"got User-Agent %q, want it to start with the product %q", ua, tt.wantFirst)
		})
	}
}
