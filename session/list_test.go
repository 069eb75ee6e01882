package session_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/session"
)

const (
	sessionID2 = "sess_2pR0zYxWvUtSrQpOnMlKjIhGfEd"
	sessionID3 = "sess_2pQzQwErTyUiOpAsDfGhJkLzXcV"
)

// samePage checks that got is the page of f's response.
func samePage(
	more func(t *testing.T, page *session.ListResponse),
) func(*testing.T, *fixture.Exchange, any) {
	return func(t *testing.T, ex *fixture.Exchange, got any) {
		page, ok := got.(*session.ListResponse)
		require.True(t, ok, "got %T, want *session.ListResponse", got)
		assert.Equal(t, fixture.Decode[*session.ListResponse](t, ex), page)
		more(t, page)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	runExchangeTests(t, []exchangeTest{
		{
			name: "every filter", fixture: "list.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.List(ctx, &session.ListParams{
					ClientID: clerk.String(clientID),
					Status:   clerk.String(clerk.SessionStatusActive),
					Limit:    clerk.Int64(2),
					Offset:   clerk.Int64(4),
				}))
			},
			check: samePage(func(t *testing.T, page *session.ListResponse) {
				assert.Equal(t, int64(7), page.TotalCount)
				require.Len(t, page.Sessions, 2)
				assert.Equal(t, sessionID, page.Sessions[0].ID)
				assert.Equal(t, sessionID2, page.Sessions[1].ID)
				assert.Nil(t, page.Sessions[1].LatestActivity)
			}),
		},
		{
			name: "by user, empty", fixture: "list-by-user.json",
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.List(ctx, &session.ListParams{UserID: clerk.String(userID)}))
			},
			check: samePage(func(t *testing.T, page *session.ListResponse) {
				assert.Equal(t, int64(0), page.TotalCount)
				assert.Empty(t, page.Sessions)
			}),
		},
		{
			name: "unauthorized", fixture: "list-unauthorized.json", wantErr: clerk.ErrUnauthorized,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.List(ctx, &session.ListParams{UserID: clerk.String(userID)}))
			},
		},
		{
			name: "status refused", fixture: "list-unprocessable.json",
			wantErr: clerk.ErrUnprocessable,
			call: func(ctx context.Context, c *session.Client) (any, error) {
				return result(c.List(ctx, &session.ListParams{
					UserID: clerk.String(userID),
					Status: clerk.String(clerk.SessionStatusPending),
				}))
			},
		},
	})
}

// TestListSendsPaginated makes sure every list request asks for the paginated envelope, which
// the decoding depends on.
func TestListSendsPaginated(t *testing.T) {
	t.Parallel()
	// The replay checks that the query sent is the recorded one, which asks for it.
	ex := fixture.Load(t, "list-by-user.json")
	q, err := url.ParseQuery(ex.Request.Query)
	require.NoError(t, err)
	require.Equal(t, []string{"true"}, q["paginated"], "got recorded query %q", ex.Request.Query)
	c := session.NewClient(fixture.Config(fixture.Replay(t, ex)))

	_, err = c.List(context.Background(), &session.ListParams{UserID: clerk.String(userID)})
	require.NoError(t, err)
}

// collect ranges over seq and records what it yields, stopping after stopAfter items when
// stopAfter > 0.
func collect(seq func(func(*clerk.Session, error) bool), stopAfter int) ([]string, []error) {
	var ids []string
	var errs []error
	for s, err := range seq {
		if err != nil {
			errs = append(errs, err)
			if s != nil {
				ids = append(ids, "non-nil session with error: "+s.ID)
			}
			continue
		}
		ids = append(ids, s.ID)
		if stopAfter > 0 && len(ids) == stopAfter {
			break
		}
	}
	return ids, errs
}

func TestAll(t *testing.T) {
	t.Parallel()
	byUser := func() *session.ListParams {
		return &session.ListParams{UserID: clerk.String(userID), Limit: clerk.Int64(2)}
	}
	tests := []struct {
		name      string
		fixtures  []string
		stopAfter int
		wantIDs   []string
		// wantErr, when set, is the sentinel of the one error yielded last.
		wantErr error
	}{
		{
			name:     "two pages",
			fixtures: []string{"all-page1.json", "all-page2.json"},
			wantIDs:  []string{sessionID, sessionID2, sessionID3},
		},
		{
			name:     "a session created during the walk is not yielded twice",
			fixtures: []string{"all-page1.json", "all-page2-shifted.json"},
			wantIDs:  []string{sessionID, sessionID2, sessionID3},
		},
		{
			name:     "an error ends the walk",
			fixtures: []string{"all-page1.json", "all-page2-unauthorized.json"},
			wantIDs:  []string{sessionID, sessionID2},
			wantErr:  clerk.ErrUnauthorized,
		},
		{
			name:      "a break stops the requests",
			fixtures:  []string{"all-page1.json"},
			stopAfter: 1,
			wantIDs:   []string{sessionID},
		},
		{
			name:      "a break at a page's end sends no more requests",
			fixtures:  []string{"all-page1.json"},
			stopAfter: 2,
			wantIDs:   []string{sessionID, sessionID2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A request for a page beyond tt.fixtures fails the test.
			mt := fixture.ReplayFiles(t, tt.fixtures...)
			c := session.NewClient(fixture.Config(mt))
			params := byUser()
			seq := c.All(context.Background(), params)
			assert.Zero(t, mt.GetTotalCallCount(), "All sent a request before the loop started")
			params.Limit = clerk.Int64(500) // must not change the walk already built

			ids, errs := collect(seq, tt.stopAfter)

			assert.Equal(t, tt.wantIDs, ids)
			if tt.wantErr != nil {
				require.Len(t, errs, 1, "got errors %v, want one", errs)
				assert.ErrorIs(t, errs[0], tt.wantErr)
			} else {
				assert.Empty(t, errs)
			}
			// The walk asks for a page only when it needs one.
			assert.Equal(t, len(tt.fixtures), mt.GetTotalCallCount(), "requests")
		})
	}
}

func TestAllRangesTwiceFromTheStart(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "all-page1.json", "all-page2.json",
		"all-page1.json", "all-page2.json")
	c := session.NewClient(fixture.Config(mt))
	seq := c.All(context.Background(),
		&session.ListParams{UserID: clerk.String(userID), Limit: clerk.Int64(2)})

	first, errs := collect(seq, 0)
	require.Empty(t, errs)
	second, errs := collect(seq, 0)
	require.Empty(t, errs)

	assert.Equal(t, first, second)
	assert.Equal(t, 4, mt.GetTotalCallCount(), "requests")
}

// TestAllPaging checks where the walk stops with pages answered by a live responder.
func TestAllPaging(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		params     session.ListParams
		pageSizes  []int // sessions in each page the server answers
		totalCount int64
		wantQuery  []string // offset and limit of each request
	}{
		{
			name:      "default page size and start",
			params:    session.ListParams{UserID: clerk.String(userID)},
			pageSizes: []int{100, 100, 3}, totalCount: 203,
			wantQuery: []string{"limit=100&offset=0", "limit=100&offset=100",
				"limit=100&offset=200"},
		},
		{
			name: "from an offset",
			params: session.ListParams{ClientID: clerk.String(clientID),
				Limit: clerk.Int64(5), Offset: clerk.Int64(10)},
			pageSizes: []int{5, 5}, totalCount: 20,
			wantQuery: []string{"limit=5&offset=10", "limit=5&offset=15"},
		},
		{
			name:      "a short page ends the walk whatever the total says",
			params:    session.ListParams{UserID: clerk.String(userID), Limit: clerk.Int64(5)},
			pageSizes: []int{5, 2}, totalCount: 1000,
			wantQuery: []string{"limit=5&offset=0", "limit=5&offset=5"},
		},
		{
			name:      "an empty page ends the walk",
			params:    session.ListParams{UserID: clerk.String(userID), Limit: clerk.Int64(5)},
			pageSizes: []int{0}, totalCount: 7,
			wantQuery: []string{"limit=5&offset=0"},
		},
		{
			name:      "the total ends the walk on a full page",
			params:    session.ListParams{UserID: clerk.String(userID), Limit: clerk.Int64(5)},
			pageSizes: []int{5}, totalCount: 5,
			wantQuery: []string{"limit=5&offset=0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			var queries []url.Values
			next := 0
			mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				queries = append(queries, req.URL.Query())
				if next >= len(tt.pageSizes) {
					return httpmock.NewStringResponse(http.StatusTeapot, "no page left"), nil
				}
				page := &session.ListResponse{TotalCount: tt.totalCount}
				for range tt.pageSizes[next] {
					id := fmt.Sprintf("sess_%s_%d", req.URL.Query().Get("offset"),
						len(page.Sessions))
					page.Sessions = append(page.Sessions, &clerk.Session{ID: id})
				}
				next++
				return httpmock.NewJsonResponse(http.StatusOK, page)
			})
			c := session.NewClient(fixture.Config(mt))

			ids, errs := collect(c.All(context.Background(), &tt.params), 0)

			require.Empty(t, errs)
			total := 0
			for _, n := range tt.pageSizes {
				total += n
			}
			assert.Len(t, ids, total, "got %d sessions, want %d", len(ids), total)
			require.Len(t, queries, len(tt.wantQuery),
				"got %d requests, want %d", len(queries), len(tt.wantQuery))
			for i, want := range tt.wantQuery {
				w, err := url.ParseQuery(want)
				require.NoError(t, err)
				got := queries[i]
				assert.Equal(t, w.Get("limit"), got.Get("limit"), "request %d: limit", i)
				assert.Equal(t, w.Get("offset"), got.Get("offset"), "request %d: offset", i)
				assert.Equal(t, "true", got.Get("paginated"), "request %d: paginated", i)
			}
		})
	}
}

func TestAllCancelledContext(t *testing.T) {
	t.Parallel()
	// Only the first page is served: a request for the second fails the test.
	mt := fixture.ReplayFiles(t, "all-page1.json")
	c := session.NewClient(fixture.Config(mt))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	params := &session.ListParams{UserID: clerk.String(userID), Limit: clerk.Int64(2)}

	var ids []string
	var errs []error
	for s, err := range c.All(ctx, params) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, s.ID)
		cancel() // the next page must not be fetched
	}

	assert.Equal(t, []string{sessionID, sessionID2}, ids)
	require.Len(t, errs, 1, "got errors %v, want one", errs)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "a request was sent after the context was cancelled")
}
