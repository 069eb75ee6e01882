package user_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/user"
)

// fuzzDoer answers every request with an empty page and keeps the URLs it was sent, with no
// network, so that a fuzz run is as fast as the encoding it tests.
type fuzzDoer struct {
	mu   sync.Mutex
	urls []*url.URL
}

func (d *fuzzDoer) Do(req *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.urls = append(d.urls, req.URL)
	d.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{},
		Body: io.NopCloser(strings.NewReader("[]")), Request: req}, nil
}

// fuzzList splits s at newlines into a filter: "" is no filter (nil), "\n" is one empty
// value, and a leading "!" makes an empty, non-nil list.
func fuzzList(s string) []string {
	switch s {
	case "":
		return nil
	case "!":
		return []string{}
	}
	return strings.Split(s, "\n")
}

// FuzzListParamsQuery sends ListParams with arbitrary filters through List: nothing panics,
// bad params are refused before any request, and the query of a request sent holds every
// filter value, in order, under its own key (one key per value), and nothing else.
func FuzzListParamsQuery(f *testing.F) {
	f.Add("a@example.com\nb@example.com", "user_1", "ada", int64(10), int64(0), "", true, false)
	f.Add("a&email_address=x", "-user_2\n+user_3", "a=b&c", int64(500), int64(7), "user_9", false,
		true)
	f.Add("!", "", "", int64(0), int64(-1), "", false, false)
	f.Add("\n", "%2F\n#\n?", "\x00\xff", int64(501), int64(1), "-created_at", true, true)
	f.Add("é", "user_1", " ", int64(1), int64(0), "first_name", false, true)
	f.Fuzz(func(t *testing.T, emails, userIDs, q string, limit, offset int64, order string,
		setQuery, setBanned bool) {
		p := &user.ListParams{EmailAddresses: fuzzList(emails), UserIDs: fuzzList(userIDs),
			Limit: &limit, Offset: &offset}
		if setQuery {
			p.Query = &q
		}
		if setBanned {
			p.Banned = clerk.Bool(limit%2 == 0)
		}
		if order != "" {
			p.OrderBy = &order
		}
		d := &fuzzDoer{}
		c := user.NewClient(&clerk.ClientConfig{Key: "sk_test_fuzz",
			BaseURL: "http://127.0.0.1:1/v1", HTTPClient: d, MaxRetries: -1})

		_, err := c.List(context.Background(), p)

		var ip *clerk.InvalidParamError
		if errors.As(err, &ip) {
			if len(d.urls) != 0 {
				t.Fatalf("refused params (%v) yet sent %d requests", err, len(d.urls))
			}
			return
		}
		if err != nil {
			t.Fatalf("got %v, want success or an InvalidParamError", err)
		}
		if len(d.urls) != 1 {
			t.Fatalf("got %d requests, want 1", len(d.urls))
		}
		u := d.urls[0]
		if u.EscapedPath() != "/v1/users" {
			t.Fatalf("got path %q, want /v1/users", u.EscapedPath())
		}
		got, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			t.Fatalf("got a query that does not parse: %q: %v", u.RawQuery, err)
		}
		want := url.Values{"limit": {strconv.FormatInt(limit, 10)},
			"offset": {strconv.FormatInt(offset, 10)}}
		if p.EmailAddresses != nil {
			want["email_address"] = p.EmailAddresses
		}
		if p.UserIDs != nil {
			want["user_id"] = p.UserIDs
		}
		if p.Query != nil {
			want["query"] = []string{q}
		}
		if p.Banned != nil {
			want["banned"] = []string{strconv.FormatBool(*p.Banned)}
		}
		if p.OrderBy != nil {
			want["order_by"] = []string{order}
		}
		if len(got) != len(want) {
			t.Fatalf("got keys %v, want %v", got, want)
		}
		for k, vs := range want {
			if !slices.Equal(got[k], vs) {
				t.Fatalf("got %s=%q, want %q (query %q)", k, got[k], vs, u.RawQuery)
			}
		}
	})
}
