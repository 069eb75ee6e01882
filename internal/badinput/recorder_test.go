package badinput_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/jwks"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/session"
	"github.com/clerkcompat/clerk/user"
)

// sent is one request as the recorder received it.
type sent struct {
	method, path, query, body, contentType string
}

// recorder is a server that records every request and answers each with a success whose
// shape fits the endpoint, so that calls complete.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []sent
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(rec.serve))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) serve(w http.ResponseWriter, r *http.Request) {
	answer := answerFor(r.Method, r.URL.EscapedPath())
	if r.URL.Query().Has("provider_user_id") && r.URL.Query().Has("provider") {
		// A lookup by external account finds its one user.
		answer = `[{"id":"user_1","object":"user"}]`
	}
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, sent{r.Method, r.URL.EscapedPath(), r.URL.RawQuery,
		string(body), r.Header.Get("Content-Type")})
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, answer)
}

// answerFor returns a success body of the shape the endpoint's caller decodes.
func answerFor(method, path string) string {
	switch {
	case method == "GET" && path == "/v1/users":
		return "[]"
	case method == "GET" && path == "/v1/users/count":
		return `{"object":"total_count","total_count":0}`
	case method == "GET" && path == "/v1/sessions":
		return `{"data":[],"total_count":0}`
	case method == "POST" && (path == "/v1/users/ban" || path == "/v1/users/unban"):
		return "[]"
	case method == "GET" && strings.Contains(path, "/oauth_access_tokens/"):
		return "[]"
	}
	return `{}`
}

// take returns the requests recorded since the last call, and forgets them.
func (rec *recorder) take() []sent {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	reqs := rec.reqs
	rec.reqs = nil
	return reqs
}

// clients are one client of every resource package, all pointed at one recorder.
type clients struct {
	user    *user.Client
	email   *emailaddress.Client
	phone   *phonenumber.Client
	account *externalaccount.Client
	session *session.Client
	jwks    *jwks.Client
}

func newClients(rec *recorder) *clients {
	cfg := &clerk.ClientConfig{Key: "sk_test_badinput", BaseURL: rec.srv.URL + "/v1",
		MaxRetries: -1}
	return &clients{user.NewClient(cfg), emailaddress.NewClient(cfg),
		phonenumber.NewClient(cfg), externalaccount.NewClient(cfg), session.NewClient(cfg),
		jwks.NewClient(cfg)}
}

// first returns the first error an iterator yields, or nil.
func first[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// invalidParam returns the *clerk.InvalidParamError in err, or nil.
func invalidParam(err error) *clerk.InvalidParamError {
	var ip *clerk.InvalidParamError
	if errors.As(err, &ip) {
		return ip
	}
	return nil
}

// checkPath reports how the escaped path got differs from template, in which "{}" stands
// for one segment that must decode to id. It returns "" when they match.
func checkPath(got, template, id string) string {
	gs := strings.Split(got, "/")
	ts := strings.Split(template, "/")
	if len(gs) != len(ts) {
		return "got " + strconv.Itoa(len(gs)) + " segments, want " + strconv.Itoa(len(ts))
	}
	for i, seg := range ts {
		if seg != "{}" {
			if gs[i] != seg {
				return "segment " + strconv.Itoa(i) + ": got " + gs[i] + ", want " + seg
			}
			continue
		}
		// A dot segment would be resolved against the ones before it on the way.
		if gs[i] == "." || gs[i] == ".." {
			return "segment " + strconv.Itoa(i) + " is a bare dot segment"
		}
		dec, err := url.PathUnescape(gs[i])
		if err != nil || dec != id {
			return "segment " + strconv.Itoa(i) + " does not decode to the ID"
		}
	}
	return ""
}

// parseQuery decodes a raw query strictly: a key or value that is not escaped as it should
// be is an error.
func parseQuery(raw string) (map[string][]string, error) {
	vals, err := url.ParseQuery(raw)
	return map[string][]string(vals), err
}
