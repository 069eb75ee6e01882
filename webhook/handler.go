package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// MaxBodyBytes is the largest delivery body Handler reads. Real events are a few kilobytes; the
// bound keeps a hostile sender from exhausting memory before the signature is checked.
const MaxBodyBytes = 1 << 20

// Handler returns an http.Handler that verifies each delivery with v and passes the event to
// fn with the request's context. It answers:
//   - 204 No Content when fn returns nil;
//   - 400 Bad Request, with a JSON body {"error": "..."}, when the delivery does not verify
//     (the sender would get the same answer on every retry);
//   - 500 Internal Server Error when fn returns an error, so the sender retries the delivery
//     later; fn's error is not sent back;
//   - 405 Method Not Allowed for anything but POST, and 413 Request Entity Too Large for a
//     body over MaxBodyBytes.
//
// Since retries carry the same Event.ID, fn may see an event more than once and should be
// idempotent. Handler writes no logs; fn can log what it needs.
func Handler(v *Verifier, fn func(ctx context.Context, e *Event) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v == nil || fn == nil {
			writeError(w, http.StatusInternalServerError, "webhook handler is not configured")
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "method not allowed, use POST")
			return
		}
		if r.ContentLength > MaxBodyBytes {
			writeError(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}

		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeError(w, http.StatusRequestEntityTooLarge, "body too large")
				return
			}
			writeError(w, http.StatusBadRequest, "could not read body")
			return
		}
		e, err := v.Verify(r.Header, body)
		if err != nil {
			// Verify's errors name headers and timestamps, never the secret.
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}

		if err := fn(r.Context(), e); err != nil {
			writeError(w, http.StatusInternalServerError, "event handler failed")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// writeError answers with status and a small JSON body naming the problem.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
	}{msg})
}
