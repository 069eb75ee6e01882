package clerk

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNewAPIError decodes arbitrary error responses: whatever the status, headers and body,
// the result is an *APIError with that status, a bounded valid-UTF-8 excerpt or the decoded
// errors, and a message that names the status.
func FuzzNewAPIError(f *testing.F) {
	f.Add(404, []byte(`{"errors":[{"code":"resource_not_found","message":"m","long_message":"l"}],`+
		`"clerk_trace_id":"t"}`), "", "")
	f.Add(429, []byte(`{"errors":[]}`), "7", "trace")
	f.Add(502, []byte("<html><body>Bad Gateway</body></html>"), "Wed, 21 Oct 2015 07:28:00 GMT",
		"")
	f.Add(500, []byte{}, "-1", "")
	f.Add(422, []byte(`{"errors":[{"code":"x","meta":{"param_name":"a"}},{"code":"y"}]}`), "", "")
	f.Add(400, []byte(`{"errors":null}`), "99999999999999999999", "")
	f.Add(418, []byte("\xff\xfe"+strings.Repeat("é", 400)), "1e3", "")
	f.Add(503, []byte(`{"errors":[{"code":1}]}`), "0", "")
	f.Add(-1, []byte(`[]`), "", "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter, trace string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("Clerk-Trace-Id", trace)
		e := newAPIError("GET", "/users/u", status, h, body)

		if e.HTTPStatusCode != status {
			t.Fatalf("got status %d, want %d", e.HTTPStatusCode, status)
		}
		if len(e.Body) > maxErrorExcerpt+len("...") {
			t.Fatalf("got an excerpt of %d bytes, want at most %d", len(e.Body),
				maxErrorExcerpt+3)
		}
		if !utf8.ValidString(e.Body) {
			t.Fatalf("got an excerpt that is not valid UTF-8: %q", e.Body)
		}
		var doc struct {
			Errors []Error `json:"errors"`
		}
		clerkJSON := json.Unmarshal(body, &doc) == nil && doc.Errors != nil
		switch {
		case clerkJSON && e.Body != "":
			t.Fatalf("got excerpt %q for a Clerk error document", e.Body)
		case clerkJSON && len(e.Errors) != len(doc.Errors):
			t.Fatalf("got %d errors, want %d", len(e.Errors), len(doc.Errors))
		case !clerkJSON && e.Errors != nil:
			t.Fatalf("got errors %v from a body that is not a Clerk error document", e.Errors)
		case !clerkJSON && len(bytes.TrimSpace(body)) > 0 && e.Body == "" && utf8.Valid(body):
			t.Fatalf("got no excerpt of a body that is not a Clerk error document")
		}
		if e.RetryAfter < 0 {
			t.Fatalf("got RetryAfter %s, want it not negative", e.RetryAfter)
		}
		msg := e.Error()
		if !strings.Contains(msg, strconv.Itoa(status)) {
			t.Fatalf("got message %q, want it to name status %d", msg, status)
		}
		if got, want := errors.Is(e, ErrNotFound), status == http.StatusNotFound; got != want {
			t.Fatalf("got errors.Is(ErrNotFound) %v for status %d", got, status)
		}
		if got, want := errors.Is(e, ErrRateLimited), status == 429; got != want {
			t.Fatalf("got errors.Is(ErrRateLimited) %v for status %d", got, status)
		}
	})
}

// fuzzRoundTrip decodes data into a new T and, when that works, checks that encoding is
// stable: encode(decode(encode(v))) equals encode(v).
func fuzzRoundTrip[T any](t *testing.T, data []byte) {
	var v T
	if json.Unmarshal(data, &v) != nil {
		return
	}
	once, err := json.Marshal(&v)
	if err != nil {
		t.Fatalf("a decoded value does not encode: %v", err)
	}
	var again T
	if err := json.Unmarshal(once, &again); err != nil {
		t.Fatalf("the encoding of a decoded value does not decode: %v\n%s", err, once)
	}
	twice, err := json.Marshal(&again)
	if err != nil {
		t.Fatalf("the second encoding failed: %v", err)
	}
	if !bytes.Equal(once, twice) {
		t.Fatalf("encoding is not stable:\n%s\n%s", once, twice)
	}
}

// userSeeds are users as the API sends them, and near misses.
var userSeeds = []string{
	`{"id":"user_1","object":"user","external_id":null,"primary_email_address_id":"idn_1",` +
		`"username":null,"public_metadata":{"plan":"pro"},"private_metadata":{},` +
		`"unsafe_metadata":null,"email_addresses":[{"id":"idn_1","object":"email_address",` +
		`"email_address":"a@example.com","verification":{"status":"verified",` +
		`"strategy":"email_code","attempts":null,"expire_at":null},"linked_to":[]}],` +
		`"phone_numbers":[],"web3_wallets":[],"passkeys":[],"external_accounts":[{"id":"eac_1",` +
		`"provider":"oauth_google","public_metadata":{}}],"saml_accounts":[],` +
		`"last_sign_in_at":null,"banned":false,"locked":false,"created_at":1700000000000,` +
		`"updated_at":1700000000001,"some_future_field":{"x":[1,2]}}`,
	`{"id":"user_2","email_addresses":null,"mfa_enabled_at":1,"created_at":-1}`,
	`{"id":"user_3","verification":{"status":"some_new_status"},"banned":"yes"}`,
	`{}`, `null`, `[]`, `{"public_metadata":"not an object"}`, `{"created_at":1e400}`,
}

func FuzzUserJSON(f *testing.F) {
	for _, s := range userSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip[User](t, data) })
}

func FuzzSessionJSON(f *testing.F) {
	for _, s := range []string{
		`{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",` +
			`"status":"active","last_active_at":1,"expire_at":2,"abandon_at":3,` +
			`"updated_at":4,"created_at":5,"latest_activity":{"object":"session_activity",` +
			`"id":"sess_activity_1","is_mobile":false,"city":"Paris"},"actor":{"sub":"user_2"},` +
			`"tasks":[{"key":"choose-organization"}]}`,
		`{"status":"some_new_status","last_active_organization_id":null,"actor":null}`,
		`{"latest_activity":null,"tasks":null}`, `{"expire_at":"soon"}`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip[Session](t, data) })
}
