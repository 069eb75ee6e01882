package bench

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/clerkcompat/clerk"
)

// TestDecodeLikeAStream checks that the SDK, which reads a body ahead before decoding it,
// ends every call as a streaming json.Decoder over the same bytes would (the same value, the
// same error; an empty body is "empty response body"), except where it is stricter on
// purpose: a body cut short fails with the read error even after a complete value, and a
// body that is the literal null is an error rather than a zero value.
func TestDecodeLikeAStream(t *testing.T) {
	t.Parallel()
	type target struct {
		ID    string          `json:"id"`
		N     int             `json:"n"`
		Tags  []string        `json:"tags"`
		Extra json.RawMessage `json:"extra"`
	}
	tests := []struct {
		name, body string
		// framing is how the server delimits the body: "length" (Content-Length), "chunked",
		// or "short" (a Content-Length 10 bytes longer than the body, then a closed connection).
		framing string
	}{
		{"object", `{"id":"u1","n":3,"tags":["a","b"],"extra":{"k":[1,2]}}`, "length"},
		{"object chunked", `{"id":"u1","n":3,"tags":["a"]}`, "chunked"},
		{"spaces around", " \n{\"id\":\"u1\"}\n\t ", "length"},
		{"empty", ``, "length"},
		{"empty chunked", ``, "chunked"},
		{"only spaces", "  \n ", "length"},
		{"html", `<html>login</html>`, "length"},
		{"value then more", `{"id":"u1"} {"id":"u2"}`, "length"},
		{"value then junk", `{"id":"u1"}garbage`, "chunked"},
		{"cut short", `{"id":"u1","n":`, "length"},
		{"wrong type", `{"id":7,"n":"x","tags":["a"]}`, "length"},
		{"wrong top type", `[{"id":"u1"}]`, "length"},
		{"null", `null`, "length"},
		{"bad escape", `{"id":"\x"}`, "length"},
		{"read fails mid value", `{"id":"u1","tags":["a",`, "short"},
		{"read fails after value", `{"id":"u1"}`, "short"},
		{"large", `{"id":"` + strings.Repeat("x", 100000) + `","n":1}`, "chunked"},
		{"past read-ahead", `{"id":"` + strings.Repeat("x", 5<<20) + `","n":1} x`, "length"},
		{"past read-ahead chunked", `{"id":"` + strings.Repeat("x", 5<<20) + `"}`, "chunked"},
		{"past read-ahead, cut", `{"id":"` + strings.Repeat("x", 5<<20), "short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				_ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				switch tt.framing {
				case "length":
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
				case "chunked":
					w.(http.Flusher).Flush()
				case "short":
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)+10))
					w.WriteHeader(http.StatusOK)
					_, _ = io.WriteString(w, tt.body)
					w.(http.Flusher).Flush()
					if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
						conn.Close()
					}
					return
				}
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()

			var want target
			wantErr := json.NewDecoder(strings.NewReader(tt.body)).Decode(&want)
			switch {
			case tt.framing == "short":
				want, wantErr = target{}, io.ErrUnexpectedEOF
			case strings.TrimSpace(tt.body) == "null":
				wantErr = errors.New("response body is null")
			case errors.Is(wantErr, io.EOF):
				wantErr = errors.New("empty response body")
			}

			b := clerk.NewBackend(&clerk.ClientConfig{Key: testKey, BaseURL: srv.URL,
				MaxRetries: -1})
			var got target
			err := b.Do(context.Background(), &clerk.Request{Method: http.MethodGet, Path: "x"},
				&got)
			switch {
			case wantErr == nil && err != nil:
				t.Fatalf("got error %v, want none", err)
			case wantErr != nil && err == nil:
				t.Fatalf("got no error, want %v", wantErr)
			case wantErr != nil && !strings.HasSuffix(err.Error(), ": "+wantErr.Error()):
				t.Fatalf("got error %q, want one ending in %q", err, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}
