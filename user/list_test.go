package user_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/user"
)

func TestList(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "list")

	users, err := user.NewClient(fixture.Config(mt)).List(context.Background(), &user.ListParams{
		EmailAddresses: []string{"jane.doe@example.com", "sam.okafor@example.com"},
		UserIDs:        []string{"-user_2gYkOld"},
		UsernameQuery:  clerk.String("doe"),
		Banned:         clerk.Bool(false), // false is sent when set
		CreatedAtAfter: clerk.Int64(1704067200000),
		Limit:          clerk.Int64(20),
		OrderBy:        clerk.String("-created_at"),
	})
	require.NoError(t, err)

	fixture.AssertDecoded(t, fixture.Load(t, "list"), users)
	require.Len(t, users, 2)
	assert.Equal(t, "user_2gYm1Rk7PzQ4Vt8XnLc3WbHd5Ja", users[0].ID)
	assert.Equal(t, janeID, users[1].ID)
}

// TestListAllFilters sends every filter of GET /users at once, to check each query key.
func TestListAllFilters(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "list_all_filters")

	users, err := user.NewClient(fixture.Config(mt)).List(context.Background(), &user.ListParams{
		PhoneNumbers:       []string{"+15555550123"},
		ExternalIDs:        []string{"crm-10442"},
		Usernames:          []string{"janedoe"},
		Web3Wallets:        []string{"0x52908400098527886e0f7030069857d2e4169ee7"},
		OrganizationIDs:    []string{"org_2gYkOrgAcme"},
		Query:              clerk.String("jane"),
		EmailAddressQuery:  clerk.String("example.com"),
		PhoneNumberQuery:   clerk.String("555"),
		NameQuery:          clerk.String("jane"),
		LastActiveAtBefore: clerk.Int64(1735689600000),
		LastActiveAtAfter:  clerk.Int64(1700690400000),
		LastActiveAtSince:  clerk.Int64(1700690400000),
		CreatedAtBefore:    clerk.Int64(1735689600000),
		LastSignInAtBefore: clerk.Int64(1735689600000),
		LastSignInAtAfter:  clerk.Int64(1700690400000),
		Provider:           clerk.String("oauth_google"),
		ProviderUserIDs:    []string{"109876543210987654321"},
		Offset:             clerk.Int64(0), // zero is sent when set
		StartingAfter:      clerk.String("user_2gYkStart"),
	})
	require.NoError(t, err)
	require.Len(t, users, 1)
	assert.Equal(t, janeID, users[0].ID)
}

func TestListNilParams(t *testing.T) {
	t.Parallel()
	ex := fixture.Load(t, "all_cursor_page1")
	ex.Request.Query = ""
	mt := fixture.Replay(t, ex)

	users, err := user.NewClient(fixture.Config(mt)).List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, users, 2)
}

func TestCount(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "count")

	n, err := user.NewClient(fixture.Config(mt)).Count(context.Background(), &user.CountParams{
		EmailAddressQuery: clerk.String("example.com"),
		OrganizationIDs:   []string{"org_2gYkOrgAcme", "-org_2gYkOrgBeta"},
	})
	require.NoError(t, err)
	assert.Equal(t, int64(1342), n)
}

// walkIDs are the users of the all_* fixtures, newest first.
var walkIDs = []string{
	"user_2gZ0aAvaStone000000000000", "user_2gZ0bBenOrtiz00000000000",
	"user_2gZ0cCaraNguyen000000000", "user_2gZ0dDevPatel0000000000",
	"user_2gZ0eEliMoss00000000000",
}

// collect ranges over seq to its end, returning the IDs yielded and the errors.
func collect(seq func(func(*clerk.User, error) bool)) ([]string, []error) {
	var ids []string
	var errs []error
	for u, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, u.ID)
	}
	return ids, errs
}

func TestAllCursor(t *testing.T) {
	t.Parallel()
	// The fixtures' queries are the cursors: limit=2, then starting_after the last ID of
	// each page. The third page is short, which ends the walk.
	mt := fixture.ReplayFiles(t, "all_cursor_page1", "all_cursor_page2", "all_cursor_page3")
	c := user.NewClient(fixture.Config(mt))

	seq := c.All(context.Background(), &user.ListParams{Limit: clerk.Int64(2)})
	assert.Zero(t, mt.GetTotalCallCount(), "got a request before ranging, want none")

	ids, errs := collect(seq)
	assert.Empty(t, errs)
	assert.Equal(t, walkIDs, ids)
}

func TestAllCursorStartingAfter(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "all_cursor_page2", "all_cursor_page3")
	c := user.NewClient(fixture.Config(mt))

	ids, errs := collect(c.All(context.Background(), &user.ListParams{
		Limit: clerk.Int64(2), StartingAfter: clerk.String(walkIDs[1])}))
	assert.Empty(t, errs)
	assert.Equal(t, walkIDs[2:], ids)
}

// TestAllCursorFromOffset starts a created_at walk at an offset: the first page is asked by
// offset, the next ones by cursor, with no offset.
func TestAllCursorFromOffset(t *testing.T) {
	t.Parallel()
	first := fixture.Load(t, "all_cursor_page2")
	first.Request.Query = "limit=2&offset=2&order_by=%2Bcreated_at"
	second := fixture.Load(t, "all_cursor_page3")
	second.Request.Query = "limit=2&order_by=%2Bcreated_at&starting_after=" + walkIDs[3]
	mt := fixture.Replay(t, first, second)
	c := user.NewClient(fixture.Config(mt))

	ids, errs := collect(c.All(context.Background(), &user.ListParams{
		Limit: clerk.Int64(2), Offset: clerk.Int64(2), OrderBy: clerk.String("+created_at")}))
	assert.Empty(t, errs)
	assert.Equal(t, walkIDs[2:], ids)
}

func TestAllOffset(t *testing.T) {
	t.Parallel()
	// Sorting by last sign-in does not allow a cursor: the pages are asked by offset 0
	// (none), 2 and 4; the third page is empty.
	mt := fixture.ReplayFiles(t, "all_offset_page1", "all_offset_page2", "all_offset_page3")
	c := user.NewClient(fixture.Config(mt))

	ids, errs := collect(c.All(context.Background(), &user.ListParams{
		Limit: clerk.Int64(2), OrderBy: clerk.String("-last_sign_in_at")}))
	assert.Empty(t, errs)
	assert.Equal(t, walkIDs[:4], ids)
}

func TestAllOffsetStart(t *testing.T) {
	t.Parallel()
	mt := fixture.ReplayFiles(t, "all_offset_page2", "all_offset_page3")
	c := user.NewClient(fixture.Config(mt))

	ids, errs := collect(c.All(context.Background(), &user.ListParams{
		Limit: clerk.Int64(2), Offset: clerk.Int64(2), OrderBy: clerk.String("-last_sign_in_at")}))
	assert.Empty(t, errs)
	assert.Equal(t, walkIDs[2:4], ids)
}

func TestAllDefaultPageSize(t *testing.T) {
	t.Parallel()
	// A page of 2 is shorter than the default page size of 100, so it is the last.
	ex := fixture.Load(t, "all_cursor_page1")
	ex.Request.Query = "limit=100"
	mt := fixture.Replay(t, ex)

	ids, errs := collect(user.NewClient(fixture.Config(mt)).All(context.Background(), nil))
	assert.Empty(t, errs)
	assert.Equal(t, walkIDs[:2], ids)
}

func TestAllBreak(t *testing.T) {
	t.Parallel()
	for _, stopAfter := range []int{1, 2} {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			// Only the first page is served: a second request would fail the test.
			mt := fixture.ReplayFiles(t, "all_cursor_page1")
			c := user.NewClient(fixture.Config(mt))

			var ids []string
			for u, err := range c.All(context.Background(),
				&user.ListParams{Limit: clerk.Int64(2)}) {
				require.NoError(t, err)
				ids = append(ids, u.ID)
				if len(ids) == stopAfter {
					break
				}
			}
			assert.Equal(t, walkIDs[:stopAfter], ids)
		})
	}
}

func TestAllErrorMidWalk(t *testing.T) {
	t.Parallel()
	failed := &fixture.Exchange{Name: "page 2 fails"}
	failed.Request.Method = http.MethodGet
	failed.Request.Path = "/v1/users"
	failed.Request.Query = "limit=2&starting_after=" + walkIDs[1]
	failed.Response.Status = http.StatusInternalServerError
	failed.Response.Headers = map[string]string{"Content-Type": "application/json"}
	failed.Response.Body = json.RawMessage(`{"errors":[{"code":"internal_clerk_error",` +
		`"message":"Oops, an unexpected error occurred","long_message":"Please try again"}]}`)
	mt := fixture.Replay(t, fixture.Load(t, "all_cursor_page1"), failed)
	c := user.NewClient(fixture.Config(mt))

	var ids []string
	var errs []error
	for u, err := range c.All(context.Background(), &user.ListParams{Limit: clerk.Int64(2)}) {
		if err != nil {
			assert.Nil(t, u, "got a user with the error, want nil")
			errs = append(errs, err)
			continue // the iterator must stop by itself after an error
		}
		ids = append(ids, u.ID)
	}
	assert.Equal(t, walkIDs[:2], ids)
	require.Len(t, errs, 1)
	var apiErr *clerk.APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.HTTPStatusCode)
	assert.True(t, apiErr.HasCode("internal_clerk_error"))
}

// TestAllCursorStuck stops a walk whose server answers the next page with the same users:
// following its cursor would loop forever.
func TestAllCursorStuck(t *testing.T) {
	t.Parallel()
	again := fixture.Load(t, "all_cursor_page1")
	again.Request.Query = "limit=2&starting_after=" + walkIDs[1]
	mt := fixture.Replay(t, fixture.Load(t, "all_cursor_page1"), again)

	ids, errs := collect(user.NewClient(fixture.Config(mt)).All(context.Background(),
		&user.ListParams{Limit: clerk.Int64(2)}))
	assert.Equal(t, append(walkIDs[:2:2], walkIDs[:2]...), ids)
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], walkIDs[1])
}

func TestAllInvalidParams(t *testing.T) {
	t.Parallel()
	mt := fixture.Replay(t)
	c := user.NewClient(fixture.Config(mt))

	ids, errs := collect(c.All(context.Background(), &user.ListParams{Limit: clerk.Int64(0)}))
	assert.Empty(t, ids)
	require.Len(t, errs, 1)
	var invalid *clerk.InvalidParamError
	require.True(t, errors.As(errs[0], &invalid), "got %T, want *clerk.InvalidParamError",
		errs[0])
	assert.Equal(t, "limit", invalid.Param)
}

func TestAllCanceled(t *testing.T) {
	t.Parallel()
	// Whether the transport is reached with a context already cancelled is up to net/http,
	// so this transport answers rather than counting.
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, "[]"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	ids, errs := collect(user.NewClient(fixture.Config(mt)).All(ctx, nil))
	assert.Empty(t, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

// TestAllCursorWithoutID stops a walk whose full page ends with a user without an ID: there
// is no cursor to go on from.
func TestAllCursorWithoutID(t *testing.T) {
	t.Parallel()
	ex := fixture.Load(t, "all_cursor_page1")
	ex.Response.Body = json.RawMessage(`[{"id":"` + walkIDs[0] + `","object":"user"},` +
		`{"object":"user"}]`)
	mt := fixture.Replay(t, ex)

	ids, errs := collect(user.NewClient(fixture.Config(mt)).All(context.Background(),
		&user.ListParams{Limit: clerk.Int64(2)}))
	assert.Equal(t, []string{walkIDs[0], ""}, ids)
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "without an ID")
}

func TestCountNilParams(t *testing.T) {
	t.Parallel()
	ex := fixture.Load(t, "count")
	ex.Request.Query = ""
	mt := fixture.Replay(t, ex)

	n, err := user.NewClient(fixture.Config(mt)).Count(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1342), n)
}

func TestListRefusesEmptyFilterEntries(t *testing.T) {
	t.Parallel()
	for _, p := range []*user.ListParams{
		{UserIDs: []string{"user_1", ""}},
		{EmailAddresses: []string{""}},
	} {
		_, err := user.NewClient(&clerk.ClientConfig{Key: "sk_test_x", BaseURL: "http://127.0.0.1:1"}).
			List(context.Background(), p)
		var ip *clerk.InvalidParamError
		if !errors.As(err, &ip) {
			t.Fatalf("got %v, want an InvalidParamError", err)
		}
	}
}
