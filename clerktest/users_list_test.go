package clerktest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listFixture returns a server with four users whose fields differ in ways the filters and
// orders tell apart; their IDs sort as their letters.
func listFixture(t *testing.T) *Server {
	t.Helper()
	s := start(t)
	ms := func(v int64) *int64 { return &v }
	users := []*clerk.User{
		{ID: "user_a", CreatedAt: 1000, FirstName: clerk.String("Ann"), LastName: clerk.String("Zed"),
			Username: clerk.String("alpha"), ExternalID: clerk.String("ext-a"),
			LastActiveAt: ms(5000), LastSignInAt: ms(6000),
			EmailAddresses: []*clerk.EmailAddress{{EmailAddress: "a@x.io"}},
			PhoneNumbers:   []*clerk.PhoneNumber{{PhoneNumber: "+15555550001"}},
			Web3Wallets: []*clerk.Web3Wallet{
				{Web3Wallet: "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}},
		{ID: "user_b", CreatedAt: 2000, FirstName: clerk.String("Bob"),
			LastName: clerk.String("Young"), Username: clerk.String("bravo"),
			ExternalID: clerk.String("ext-b"), Banned: true, LastSignInAt: ms(3000),
			EmailAddresses: []*clerk.EmailAddress{{EmailAddress: "b@x.io"}},
			PhoneNumbers:   []*clerk.PhoneNumber{{PhoneNumber: "+15555550002"}}},
		{ID: "user_c", CreatedAt: 3000, FirstName: clerk.String("Cy"),
			Username: clerk.String("charlie")},
		{ID: "user_d", CreatedAt: 4000,
			EmailAddresses: []*clerk.EmailAddress{{EmailAddress: "D@Y.io"}}},
	}
	for _, u := range users {
		_, err := s.AddUser(u)
		require.NoError(t, err)
	}
	_, err := s.SeedExternalAccount("user_c", "oauth_google", "g-c", AccountEmail(""))
	require.NoError(t, err)
	return s
}

func TestListUsersFilters(t *testing.T) {
	t.Parallel()
	s := listFixture(t)

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"user_d", "user_c", "user_b", "user_a"}},
		{"email_address=a@x.io", []string{"user_a"}},
		{"email_address=A@X.IO&email_address=d@y.io", []string{"user_d", "user_a"}},
		{"email_address=nobody@x.io", []string{}},
		{"phone_number=%2B15555550002", []string{"user_b"}},
		{"username=ALPHA&username=charlie", []string{"user_c", "user_a"}},
		{"web3_wallet=0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", []string{"user_a"}},
		{"external_id=ext-a", []string{"user_a"}},
		{"external_id=%2Bext-b", []string{"user_b"}},
		{"external_id=-ext-a", []string{"user_d", "user_c", "user_b"}},
		{"user_id=user_a&user_id=user_c", []string{"user_c", "user_a"}},
		{"user_id=-user_a", []string{"user_d", "user_c", "user_b"}},
		{"user_id=+user_a", []string{"user_a"}}, // "+" unescaped arrives as a space
		{"user_id=user_a&user_id=-user_a", []string{}},
		{"organization_id=org_1", []string{}},
		{"organization_id=-org_1", []string{"user_d", "user_c", "user_b", "user_a"}},
		{"query=ann", []string{"user_a"}},
		{"query=ann%20zed", []string{"user_a"}},
		{"query=X.IO", []string{"user_b", "user_a"}},
		{"query=5550002", []string{"user_b"}},
		{"query=CHAR", []string{"user_c"}},
		{"query=user_d", []string{"user_d"}},
		{"query=0xaaaa", []string{"user_a"}},
		{"email_address_query=X.IO", []string{"user_b", "user_a"}},
		{"phone_number_query=0001", []string{"user_a"}},
		{"username_query=RAV", []string{"user_b"}},
		{"name_query=young", []string{"user_b"}},
		{"name_query=ann%20z", []string{"user_a"}},
		{"banned=true", []string{"user_b"}},
		{"banned=false", []string{"user_d", "user_c", "user_a"}},
		{"last_active_at_before=5001", []string{"user_a"}},
		{"last_active_at_before=5000", []string{}},
		{"last_active_at_after=4999", []string{"user_a"}},
		{"last_active_at_after=5000", []string{}},
		{"last_active_at_since=5000", []string{"user_a"}},
		{"created_at_before=2000", []string{"user_a"}},
		{"created_at_after=2000", []string{"user_d", "user_c"}},
		{"last_sign_in_at_before=5000", []string{"user_b"}},
		{"last_sign_in_at_after=3000", []string{"user_a"}},
		{"provider=oauth_google&provider_user_id=g-c", []string{"user_c"}},
		{"provider=google&provider_user_id=g-c&provider_user_id=g-x", []string{"user_c"}},
		{"provider=oauth_github&provider_user_id=g-c", []string{}},
		{"email_address_query=x.io&banned=false", []string{"user_a"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			users := ok[[]*clerk.User](t, do(t, s, http.MethodGet, "/users?"+tt.query, nil))
			assert.Equal(t, tt.want, ids(users))

			count := ok[map[string]any](t, do(t, s, http.MethodGet, "/users/count?"+tt.query, nil))
			assert.Equal(t, map[string]any{"object": "total_count",
				"total_count": float64(len(tt.want))}, count)
		})
	}
}

func TestListUsersOrder(t *testing.T) {
	t.Parallel()
	s := listFixture(t)

	tests := []struct {
		orderBy string
		want    []string
	}{
		{"created_at", []string{"user_a", "user_b", "user_c", "user_d"}},
		{"%2Bcreated_at", []string{"user_a", "user_b", "user_c", "user_d"}},
		{"+created_at", []string{"user_a", "user_b", "user_c", "user_d"}},
		{"-created_at", []string{"user_d", "user_c", "user_b", "user_a"}},
		{"updated_at", []string{"user_a", "user_b", "user_d", "user_c"}},
		{"first_name", []string{"user_a", "user_b", "user_c", "user_d"}},
		{"-first_name", []string{"user_d", "user_c", "user_b", "user_a"}},
		{"last_name", []string{"user_b", "user_a", "user_c", "user_d"}},
		{"-last_name", []string{"user_d", "user_c", "user_a", "user_b"}},
		{"username", []string{"user_a", "user_b", "user_c", "user_d"}},
		{"email_address", []string{"user_a", "user_b", "user_d", "user_c"}},
		{"-email_address", []string{"user_c", "user_d", "user_b", "user_a"}},
		{"phone_number", []string{"user_a", "user_b", "user_c", "user_d"}},
		{"web3wallet", []string{"user_a", "user_b", "user_c", "user_d"}},
		{"last_active_at", []string{"user_a", "user_b", "user_c", "user_d"}},
		{"-last_sign_in_at", []string{"user_d", "user_c", "user_a", "user_b"}},
		{"last_sign_in_at", []string{"user_b", "user_a", "user_c", "user_d"}},
	}
	for _, tt := range tests {
		t.Run(tt.orderBy, func(t *testing.T) {
			t.Parallel()
			users := ok[[]*clerk.User](t, do(t, s, http.MethodGet, "/users?order_by="+tt.orderBy,
				nil))
			assert.Equal(t, tt.want, ids(users))
		})
	}
}

func TestListUsersParamErrors(t *testing.T) {
	t.Parallel()
	s := listFixture(t)
	hundredAndOne := url.Values{"email_address": make([]string, 101)}.Encode()

	tests := []struct {
		query, code, param string
	}{
		{"limit=0", "form_param_value_invalid", "limit"},
		{"limit=501", "form_param_value_invalid", "limit"},
		{"limit=ten", "form_param_format_invalid", "limit"},
		{"offset=-1", "form_param_value_invalid", "offset"},
		{"offset=x", "form_param_format_invalid", "offset"},
		{"order_by=age", "form_param_value_invalid", "order_by"},
		{"order_by=-", "form_param_value_invalid", "order_by"},
		{"starting_after=user_nobody", "form_param_value_invalid", "starting_after"},
		{"starting_after=user_a&offset=1", "form_param_value_invalid", "starting_after"},
		{"starting_after=user_a&order_by=username", "form_param_value_invalid", "starting_after"},
		{"banned=maybe", "form_param_format_invalid", "banned"},
		{"created_at_after=yesterday", "form_param_format_invalid", "created_at_after"},
		{"provider=oauth_google", "form_param_missing", "provider_user_id"},
		{"provider_user_id=1", "form_param_missing", "provider"},
		{hundredAndOne, "form_param_value_invalid", "email_address"},
	}
	for _, tt := range tests {
		t.Run(tt.query[:min(len(tt.query), 40)], func(t *testing.T) {
			t.Parallel()
			failedParam(t, do(t, s, http.MethodGet, "/users?"+tt.query, nil),
				http.StatusUnprocessableEntity, tt.code, tt.param)
		})
	}
	failedParam(t, do(t, s, http.MethodGet, "/users/count?banned=maybe", nil),
		http.StatusUnprocessableEntity, "form_param_format_invalid", "banned")
	// A cursor with offset 0 and the created_at order is fine.
	users := ok[[]*clerk.User](t, do(t, s, http.MethodGet,
		"/users?starting_after=user_b&offset=0&order_by=%2Bcreated_at", nil))
	assert.Equal(t, []string{"user_c", "user_d"}, ids(users))
}

func TestListUsersOffsetPaging(t *testing.T) {
	t.Parallel()
	s := start(t)
	var want []string
	for i := range 25 {
		u := create(t, s, map[string]any{"username": fmt.Sprintf("paged%02d", i)})
		want = append(want, u.ID)
	}
	slices.Reverse(want)

	defaultPage := ok[[]*clerk.User](t, do(t, s, http.MethodGet, "/users", nil))
	assert.Equal(t, want[:10], ids(defaultPage), "default limit is 10, newest first")

	var got []string
	for offset := 0; ; offset += 7 {
		page := ok[[]*clerk.User](t, do(t, s, http.MethodGet,
			"/users?limit=7&offset="+strconv.Itoa(offset), nil))
		got = append(got, ids(page)...)
		if len(page) < 7 {
			break
		}
	}
	assert.Equal(t, want, got)
	beyond := ok[[]*clerk.User](t, do(t, s, http.MethodGet, "/users?offset=100", nil))
	assert.Equal(t, []*clerk.User{}, beyond)
}

// walk pages through GET /users with a starting_after cursor, calling between after each
// full page, and returns the IDs in the order seen.
func walk(t *testing.T, s *Server, orderBy string, limit int, between func(page int)) []string {
	t.Helper()
	var seen []string
	after := ""
	for page := 0; page < 100; page++ {
		q := url.Values{"limit": {strconv.Itoa(limit)}, "order_by": {orderBy}}
		if after != "" {
			q.Set("starting_after", after)
		}
		users := ok[[]*clerk.User](t, do(t, s, http.MethodGet, "/users?"+q.Encode(), nil))
		seen = append(seen, ids(users)...)
		if len(users) < limit {
			return seen
		}
		after = users[len(users)-1].ID
		between(page)
	}
	t.Fatal("the walk did not end")
	return nil
}

func TestCursorPagingWithConcurrentCreates(t *testing.T) {
	t.Parallel()
	clocks := map[string]func() *testClock{
		// Every user created in the same millisecond: only the ID breaks the ties.
		"one instant": func() *testClock { return newTestClock(1_700_000_000_000) },
		"real time":   nil,
	}
	for name, clock := range clocks {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var opts []Option
			if clock != nil {
				opts = append(opts, WithClock(clock().Now))
			}
			s := start(t, opts...)
			var initial []string
			for i := range 10 {
				initial = append(initial, create(t, s, map[string]any{
					"username": fmt.Sprintf("walker%02d", i)}).ID)
			}

			// Oldest first: users created during the walk come after the cursor and are
			// seen, each once.
			all := slices.Clone(initial)
			seen := walk(t, s, "created_at", 3, func(page int) {
				if page < 3 {
					for range 2 {
						all = append(all, create(t, s, map[string]any{}).ID)
					}
				}
			})
			assert.Equal(t, all, seen)

			// Newest first: users created during the walk land before the cursor and are
			// not seen; nothing is skipped or repeated.
			before := slices.Clone(all)
			slices.Reverse(before)
			seen = walk(t, s, "-created_at", 4, func(int) {
				create(t, s, map[string]any{})
			})
			assert.Equal(t, before, seen)
		})
	}
}

func TestCursorPagingWithDeletes(t *testing.T) {
	t.Parallel()
	s := start(t)
	var all []string
	for range 9 {
		all = append(all, create(t, s, map[string]any{}).ID)
	}

	// Delete each page's users (the cursor included) before asking for the next page.
	var deleted []string
	seen := walk(t, s, "created_at", 2, func(int) {
		for _, id := range all[len(deleted):min(len(deleted)+2, len(all))] {
			ok[clerk.DeletedObject](t, do(t, s, http.MethodDelete, "/users/"+id, nil))
			deleted = append(deleted, id)
		}
	})
	assert.Equal(t, all, seen)
}
