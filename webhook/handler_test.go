package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/clerkcompat/clerk/webhook"
)

type ctxKey struct{}

// signedRequest builds a POST delivery of body signed, at testNow, with secret.
func signedRequest(t *testing.T, secret string, body []byte) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/webhooks/clerk", bytes.NewReader(body))
	ts := testNow.Unix()
	for k, v := range deliveryHeaders(testID, ts, signIndependently(t, secret, testID, ts, body)) {
		r.Header[k] = v
	}
	return r
}

func TestHandler(t *testing.T) {
	t.Parallel()
	body := []byte(userCreatedBody)
	tampered := bytes.Replace(body, []byte("Ada"), []byte("Eve"), 1)
	huge := bytes.Repeat([]byte{' '}, webhook.MaxBodyBytes+1)

	tests := []struct {
		name       string
		request    func(t *testing.T) *http.Request
		fnErr      error
		wantStatus int
		wantCalled bool
	}{
		{
			name:       "verified delivery",
			request:    func(t *testing.T) *http.Request { return signedRequest(t, testSecret, body) },
			wantStatus: http.StatusNoContent,
			wantCalled: true,
		},
		{
			name:       "handler function fails",
			request:    func(t *testing.T) *http.Request { return signedRequest(t, testSecret, body) },
			fnErr:      errors.New("database unavailable"),
			wantStatus: http.StatusInternalServerError,
			wantCalled: true,
		},
		{
			name: "tampered body",
			request: func(t *testing.T) *http.Request {
				r := signedRequest(t, testSecret, body)
				r.Body = io.NopCloser(bytes.NewReader(tampered))
				return r
			},
			wantStatus: http.StatusBadRequest,
		},
		{
			name:       "signed with another secret",
			request:    func(t *testing.T) *http.Request { return signedRequest(t, otherSecret, body) },
			wantStatus: http.StatusBadRequest,
		},
		{
			name: "missing signature header",
			request: func(t *testing.T) *http.Request {
				r := signedRequest(t, testSecret, body)
				r.Header.Del("svix-signature")
				return r
			},
			wantStatus: http.StatusBadRequest,
		},
		{
			name: "GET",
			request: func(t *testing.T) *http.Request {
				return httptest.NewRequest(http.MethodGet, "/webhooks/clerk", nil)
			},
			wantStatus: http.StatusMethodNotAllowed,
		},
		{
			name: "PUT with a valid signature",
			request: func(t *testing.T) *http.Request {
				r := signedRequest(t, testSecret, body)
				r.Method = http.MethodPut
				return r
			},
			wantStatus: http.StatusMethodNotAllowed,
		},
		{
			name:       "body over the limit with a length",
			request:    func(t *testing.T) *http.Request { return signedRequest(t, testSecret, huge) },
			wantStatus: http.StatusRequestEntityTooLarge,
		},
		{
			name: "body over the limit without a length",
			request: func(t *testing.T) *http.Request {
				r := signedRequest(t, testSecret, huge)
				r.ContentLength = -1
				r.Body = io.NopCloser(bytes.NewReader(huge))
				return r
			},
			wantStatus: http.StatusRequestEntityTooLarge,
		},
		{
			name: "body that fails to read",
			request: func(t *testing.T) *http.Request {
				r := signedRequest(t, testSecret, body)
				r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body[:10]),
					iotest.ErrReader(errors.New("connection reset"))))
				return r
			},
			wantStatus: http.StatusBadRequest,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, testSecret)
			var called atomic.Bool
			h := webhook.Handler(v, func(ctx context.Context, e *webhook.Event) error {
				called.Store(true)
				if ctx.Value(ctxKey{}) != "request" {
					t.Errorf("context: got %v, want the request's", ctx.Value(ctxKey{}))
				}
				if e.ID != testID || e.Type != webhook.EventUserCreated {
					t.Errorf("event: got %s %s, want %s user.created", e.ID, e.Type, testID)
				}
				return tt.fnErr
			})

			r := tt.request(t)
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request"))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)

			if w.Code != tt.wantStatus {
				t.Errorf("status: got %d, want %d (body %s)", w.Code, tt.wantStatus, w.Body)
			}
			if called.Load() != tt.wantCalled {
				t.Errorf("fn called: got %v, want %v", called.Load(), tt.wantCalled)
			}
			if tt.wantStatus == http.StatusNoContent {
				if w.Body.Len() != 0 {
					t.Errorf("body: got %q, want empty", w.Body)
				}
				return
			}
			checkErrorBody(t, w)
			if tt.wantStatus == http.StatusMethodNotAllowed && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow: got %q, want POST", w.Header().Get("Allow"))
			}
			if tt.fnErr != nil && strings.Contains(w.Body.String(), tt.fnErr.Error()) {
				t.Errorf("body: got %q, want it without the handler's error", w.Body)
			}
		})
	}
}

// checkErrorBody checks that an error answer is a JSON object with a non-empty "error" and
// does not reveal the signing secret.
func checkErrorBody(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type: got %q, want application/json", ct)
	}
	var got struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.Error == "" {
		t.Errorf("body: got %q (%v), want a JSON object with an error", w.Body, err)
	}
	if strings.Contains(w.Body.String(), strings.TrimPrefix(testSecret, "whsec_")) {
		t.Errorf("body: got %q, want it without the secret", w.Body)
	}
}

func TestHandlerBadRequestNamesProblem(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, testSecret)
	h := webhook.Handler(v, func(context.Context, *webhook.Event) error { return nil })
	r := signedRequest(t, testSecret, []byte(userCreatedBody))
	r.Header.Del("svix-timestamp")

	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)

	if !strings.Contains(w.Body.String(), "svix-timestamp") {
		t.Errorf("body: got %q, want it to name svix-timestamp", w.Body)
	}
}

func TestHandlerNotConfigured(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, testSecret)
	fn := func(context.Context, *webhook.Event) error { return nil }
	tests := []struct {
		name    string
		handler http.Handler
	}{
		{"nil verifier", webhook.Handler(nil, fn)},
		{"nil function", webhook.Handler(v, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := httptest.NewRecorder()
			tt.handler.ServeHTTP(w, signedRequest(t, testSecret, []byte(userCreatedBody)))
			if w.Code != http.StatusInternalServerError {
				t.Errorf("status: got %d, want 500", w.Code)
			}
			checkErrorBody(t, w)
		})
	}
}

// TestHandlerOverHTTP runs a delivery through a real loopback server, so the body limit and
// headers behave as they do in production.
func TestHandlerOverHTTP(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, testSecret)
	events := make(chan *webhook.Event, 1)
	srv := httptest.NewServer(webhook.Handler(v,
		func(_ context.Context, e *webhook.Event) error {
			events <- e
			return nil
		}))
	t.Cleanup(srv.Close)

	body := []byte(userCreatedBody)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL,
		bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = signedRequest(t, testSecret, body).Header
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("POST: got error %v, want nil", err)
	}
	resp.Body.Close()

	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status: got %d, want 204", resp.StatusCode)
	}
	e := <-events
	if e.ID != testID || e.Type != webhook.EventUserCreated {
		t.Errorf("event: got %s %s, want %s user.created", e.ID, e.Type, testID)
	}
}
