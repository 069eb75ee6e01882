package user_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/user"
)

// TestAllStopsOnARepeatedPage serves the same full page whatever the offset, as a server that
// ignores it would: an offset walk must end with an error, not repeat the page for ever.
func TestAllStopsOnARepeatedPage(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		ids := make([]string, 3)
		for i := range ids {
			ids[i] = fmt.Sprintf(`{"id":"user_%d","object":"user"}`, i)
		}
		fmt.Fprint(w, "["+strings.Join(ids, ",")+"]")
	}))
	defer srv.Close()
	c := user.NewClient(&clerk.ClientConfig{Key: "sk_test_x", BaseURL: srv.URL})

	var got int
	var err error
	for u, e := range c.All(context.Background(), &user.ListParams{
		Limit: clerk.Int64(3), OrderBy: clerk.String("-first_name")}) {
		if e != nil {
			err = e
			break
		}
		require.NotNil(t, u)
		got++
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "repeats")
	assert.Equal(t, 3, got, "got %d users, want the page once", got)
	assert.Equal(t, int64(2), requests.Load())
}
