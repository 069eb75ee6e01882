package clerk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoHeaders answers with status and a page that shows every request header, as some
// proxies and debugging servers do.
func echoHeaders(status int) faultStep {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><pre>%s %s\n", r.Method, r.URL)
		r.Header.Write(w)
		io.WriteString(w, "</pre></html>")
	}
}

// echoInErrors answers with a Clerk error document that quotes the Authorization header in
// its messages and meta.
func echoInErrors(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	fmt.Fprintf(w, `{"errors":[{"code":"authorization_invalid","message":"bad %s",`+
		`"long_message":"the header %s is not valid","meta":{"header":%q}}]}`, auth, auth, auth)
}

// TestKeyRedactedFromErrorBodies checks that a server echoing the request back in an error
// body cannot put the key into the error that the caller logs.
func TestKeyRedactedFromErrorBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		step     faultStep
		status   int
		attempts int
	}{
		{"html page", echoHeaders(400), 400, 1},
		{"html page, retried", echoHeaders(503), 503, 3},
		{"clerk errors", echoInErrors, 401, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := newFaultServer(t, tc.step)
			b, _ := faultBackend(t, fs)
			err := b.Do(context.Background(), faultRequest("GET"), &User{})
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.HTTPStatusCode)
			assert.Equal(t, tc.attempts, fs.count())
			for _, form := range []string{"%v", "%+v", "%#v", "%q"} {
				text := fmt.Sprintf(form, err)
				assert.NotContains(t, text, secretPart, "key in the error (%s): %s", form, text)
			}
			all := apiErr.Body
			for _, e := range apiErr.Errors {
				all += e.Message + e.LongMessage + string(e.Meta)
				assert.True(t, json.Valid(e.Meta), "got meta %s, want valid JSON", e.Meta)
			}
			assert.NotContains(t, all, secretPart)
			assert.Contains(t, all, "[redacted]", "the rest of the body is kept")
			assert.True(t, strings.Contains(all, "Bearer"), "got %q", all)
		})
	}
}
