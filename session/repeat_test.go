package session_test

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
	"github.com/clerkcompat/clerk/session"
)

// TestAllStopsOnARepeatedPage serves the same full page with a huge total_count whatever the
// offset: the walk must end with an error once a full page brings nothing new.
func TestAllStopsOnARepeatedPage(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		items := make([]string, 2)
		for i := range items {
			items[i] = fmt.Sprintf(`{"id":"sess_%d","object":"session"}`, i)
		}
		fmt.Fprintf(w, `{"data":[%s],"total_count":1000000}`, strings.Join(items, ","))
	}))
	defer srv.Close()
	c := session.NewClient(&clerk.ClientConfig{Key: "sk_test_x", BaseURL: srv.URL})

	var got int
	var err error
	for s, e := range c.All(context.Background(), &session.ListParams{
		UserID: clerk.String("user_1"), Limit: clerk.Int64(2)}) {
		if e != nil {
			err = e
			break
		}
		require.NotNil(t, s)
		got++
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already seen")
	assert.Equal(t, 2, got)
	assert.Equal(t, int64(2), requests.Load())
}
