package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clerkcompat/clerk/webhook"
)

// The secret, delivery and signature below are the worked example published with the Svix
// scheme; any correct implementation must produce this signature.
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

const (
	testSecret  = "whsec_c2VjcmV0LWZvci10aGUtd2ViaG9vay10ZXN0cw=="
	otherSecret = "whsec_YW5vdGhlci1zZWNyZXQtdGhhdC1pcy1yb3RhdGVk"
	testID      = "msg_2abcDEF"
)

var testNow = time.Unix(1_700_000_000, 0)

const userCreatedBody = `{"data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC","object":"user",` +
	`"first_name":"Ada","email_addresses":[],"created_at":1654012591514,` +
	`"updated_at":1654012591835},"object":"event","type":"user.created",` +
	`"timestamp":1654012591835,"instance_id":"ins_123",` +
	`"event_attributes":{"http_request":{"client_ip":"192.0.2.1","user_agent":"test"}}}`

// signIndependently computes a v1 signature straight from the scheme's definition, without the
// package, so that a bug shared by Sign and Verify cannot hide.
func signIndependently(t *testing.T, secret, id string, ts int64, body []byte) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatalf("decode test secret: %v", err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(ts, 10) + "." + string(body)))
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func deliveryHeaders(id string, ts int64, sig string) http.Header {
	h := http.Header{}
	h.Set("svix-id", id)
	h.Set("svix-timestamp", strconv.FormatInt(ts, 10))
	h.Set("svix-signature", sig)
	return h
}

func newTestVerifier(t *testing.T, secret string, opts ...webhook.Option) *webhook.Verifier {
	t.Helper()
	opts = append([]webhook.Option{webhook.WithClock(func() time.Time { return testNow })},
		opts...)
	v, err := webhook.NewVerifier(secret, opts...)
	if err != nil {
		t.Fatalf("NewVerifier: got error %v, want nil", err)
	}
	return v
}

func TestPublishedVector(t *testing.T) {
	t.Parallel()
	at := time.Unix(vectorTimestamp, 0)
	v, err := webhook.NewVerifier(vectorSecret, webhook.WithClock(func() time.Time { return at }))
	if err != nil {
		t.Fatalf("NewVerifier: got error %v, want nil", err)
	}

	if got := v.Sign(vectorID, at, []byte(vectorBody)); got != vectorSignature {
		t.Errorf("Sign: got %q, want %q", got, vectorSignature)
	}
	if got := signIndependently(t, vectorSecret, vectorID, vectorTimestamp,
		[]byte(vectorBody)); got != vectorSignature {
		t.Errorf("test signer: got %q, want %q", got, vectorSignature)
	}

	// The vector's body is not a Clerk event, so a matching signature shows up as the payload
	// error that is only checked after the signature.
	_, err = v.Verify(deliveryHeaders(vectorID, vectorTimestamp, vectorSignature),
		[]byte(vectorBody))
	if !errors.Is(err, webhook.ErrMalformedPayload) {
		t.Errorf("Verify: got %v, want ErrMalformedPayload", err)
	}
}

func TestVerifyAccepts(t *testing.T) {
	t.Parallel()
	body := []byte(userCreatedBody)
	ts := testNow.Unix()
	current := signIndependently(t, testSecret, testID, ts, body)
	rotated := signIndependently(t, otherSecret, testID, ts, body)

	tests := []struct {
		name string
		sig  string
	}{
		{"one signature", current},
		{"rotated secret, matching one last", rotated + " " + current},
		{"rotated secret, matching one first", current + " " + rotated},
		{"other versions ignored", "v2,abcd " + current + " v1a,xyz"},
		{"extra spaces", "  " + rotated + "   " + current + " "},
		{"undecodable entry skipped", "v1,not*base64 " + current},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, testSecret)
			e, err := v.Verify(deliveryHeaders(testID, ts, tt.sig), body)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if e.ID != testID {
				t.Errorf("ID: got %q, want %q", e.ID, testID)
			}
			if e.Type != webhook.EventUserCreated {
				t.Errorf("Type: got %q, want %q", e.Type, webhook.EventUserCreated)
			}
		})
	}
}

func TestVerifyEitherRotatedSecret(t *testing.T) {
	t.Parallel()
	body := []byte(userCreatedBody)
	ts := testNow.Unix()
	both := signIndependently(t, otherSecret, testID, ts, body) + " " +
		signIndependently(t, testSecret, testID, ts, body)

	for _, secret := range []string{testSecret, otherSecret} {
		t.Run(secret, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, secret)
			if _, err := v.Verify(deliveryHeaders(testID, ts, both), body); err != nil {
				t.Errorf("got error %v, want nil", err)
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	body := []byte(userCreatedBody)
	ts := testNow.Unix()
	good := func() http.Header {
		return deliveryHeaders(testID, ts, signIndependently(t, testSecret, testID, ts, body))
	}
	tampered := append([]byte(nil), body...)
	tampered[strings.Index(userCreatedBody, "Ada")] = 'I' // "Ida": one byte changed
	signedBody := func(b string) ([]byte, http.Header) {
		return []byte(b), deliveryHeaders(testID, ts,
			signIndependently(t, testSecret, testID, ts, []byte(b)))
	}

	tests := []struct {
		name     string
		headers  func() http.Header
		body     []byte
		want     error
		contains string
	}{
		{
			name:     "missing svix-id",
			headers:  func() http.Header { h := good(); h.Del("svix-id"); return h },
			body:     body,
			want:     webhook.ErrMissingHeader,
			contains: "svix-id",
		},
		{
			name:     "missing svix-timestamp",
			headers:  func() http.Header { h := good(); h.Del("svix-timestamp"); return h },
			body:     body,
			want:     webhook.ErrMissingHeader,
			contains: "svix-timestamp",
		},
		{
			name:     "missing svix-signature",
			headers:  func() http.Header { h := good(); h.Del("svix-signature"); return h },
			body:     body,
			want:     webhook.ErrMissingHeader,
			contains: "svix-signature",
		},
		{
			name:     "empty svix-signature",
			headers:  func() http.Header { h := good(); h.Set("svix-signature", " "); return h },
			body:     body,
			want:     webhook.ErrMissingHeader,
			contains: "svix-signature",
		},
		{
			name: "timestamp not a number",
			headers: func() http.Header {
				h := good()
				h.Set("svix-timestamp", "yesterday")
				return h
			},
			body: body,
			want: webhook.ErrInvalidTimestamp,
		},
		{
			name: "timestamp in milliseconds with a fraction",
			headers: func() http.Header {
				h := good()
				h.Set("svix-timestamp", "1700000000.5")
				return h
			},
			body: body,
			want: webhook.ErrInvalidTimestamp,
		},
		{
			name: "replayed delivery with a stale timestamp",
			headers: func() http.Header {
				old := ts - int64(time.Hour/time.Second)
				return deliveryHeaders(testID, old,
					signIndependently(t, testSecret, testID, old, body))
			},
			body: body,
			want: webhook.ErrTimestampTooOld,
		},
		{
			name: "timestamp far in the future",
			headers: func() http.Header {
				future := ts + int64(time.Hour/time.Second)
				return deliveryHeaders(testID, future,
					signIndependently(t, testSecret, testID, future, body))
			},
			body: body,
			want: webhook.ErrTimestampTooNew,
		},
		{
			name:    "tampered body",
			headers: good,
			body:    tampered,
			want:    webhook.ErrNoMatchingSignature,
		},
		{
			name: "other secret",
			headers: func() http.Header {
				return deliveryHeaders(testID, ts,
					signIndependently(t, otherSecret, testID, ts, body))
			},
			body: body,
			want: webhook.ErrNoMatchingSignature,
		},
		{
			name: "signature for another id",
			headers: func() http.Header {
				h := deliveryHeaders(testID, ts,
					signIndependently(t, testSecret, "msg_other", ts, body))
				return h
			},
			body: body,
			want: webhook.ErrNoMatchingSignature,
		},
		{
			name: "timestamp header changed after signing",
			headers: func() http.Header {
				h := good()
				h.Set("svix-timestamp", strconv.FormatInt(ts-1, 10))
				return h
			},
			body: body,
			want: webhook.ErrNoMatchingSignature,
		},
		{
			name: "right signature under another version",
			headers: func() http.Header {
				sig := signIndependently(t, testSecret, testID, ts, body)
				return deliveryHeaders(testID, ts, "v2,"+strings.TrimPrefix(sig, "v1,"))
			},
			body: body,
			want: webhook.ErrNoMatchingSignature,
		},
		{
			name:    "empty body",
			headers: good,
			body:    nil,
			want:    webhook.ErrNoMatchingSignature,
		},
	}
	for _, payload := range []struct{ name, body string }{
		{"signed body is not JSON", "not json"},
		{"signed body is a JSON array", `[1,2]`},
		{"signed event without type", `{"object":"event","data":{"object":"user"}}`},
		{"signed event without data", `{"object":"event","type":"user.created"}`},
		{"signed event with null data", `{"type":"user.created","data":null}`},
	} {
		b, h := signedBody(payload.body)
		tests = append(tests, struct {
			name     string
			headers  func() http.Header
			body     []byte
			want     error
			contains string
		}{payload.name, func() http.Header { return h }, b, webhook.ErrMalformedPayload, ""})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, testSecret)
			e, err := v.Verify(tt.headers(), tt.body)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got error %v, want %v", err, tt.want)
			}
			if e != nil {
				t.Errorf("got event %+v, want nil", e)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("got message %q, want it to name %q", err, tt.contains)
			}
		})
	}
}

func TestToleranceEdges(t *testing.T) {
	t.Parallel()
	body := []byte(userCreatedBody)

	for _, tol := range []time.Duration{0, 10 * time.Second, webhook.DefaultTolerance} {
		var opts []webhook.Option
		if tol != webhook.DefaultTolerance {
			opts = append(opts, webhook.WithTolerance(tol))
		}
		secs := int64(tol / time.Second)
		tests := []struct {
			name   string
			offset int64 // seconds from now to the signed timestamp
			want   error
		}{
			{"now", 0, nil},
			{"exactly tolerance ago", -secs, nil},
			{"one second over in the past", -secs - 1, webhook.ErrTimestampTooOld},
			{"exactly tolerance ahead", secs, nil},
			{"one second over in the future", secs + 1, webhook.ErrTimestampTooNew},
		}
		for _, tt := range tests {
			t.Run(tol.String()+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				v := newTestVerifier(t, testSecret, opts...)
				ts := testNow.Unix() + tt.offset
				sig := signIndependently(t, testSecret, testID, ts, body)
				_, err := v.Verify(deliveryHeaders(testID, ts, sig), body)
				if !errors.Is(err, tt.want) {
					t.Errorf("got error %v, want %v", err, tt.want)
				}
			})
		}
	}
}

func TestExtremeTimestamps(t *testing.T) {
	t.Parallel()
	body := []byte(userCreatedBody)
	tests := []struct {
		ts   int64
		want error
	}{
		{-1 << 63, webhook.ErrTimestampTooOld},
		{-1, webhook.ErrTimestampTooOld},
		{1<<63 - 1, webhook.ErrTimestampTooNew},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatInt(tt.ts, 10), func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, testSecret)
			sig := signIndependently(t, testSecret, testID, tt.ts, body)
			_, err := v.Verify(deliveryHeaders(testID, tt.ts, sig), body)
			if !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNewVerifierRejectsMalformedSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		secret string
	}{
		{"empty", ""},
		{"prefix only", "whsec_"},
		{"not base64", "whsec_not*base64!"},
		{"bad padding", "whsec_c2VjcmV0"[:12]},
		{"secret key instead of signing secret", "sk_test_abcdefghijklmnop"},
		{"base64url alphabet", "whsec_c2Vj-_cmV0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := webhook.NewVerifier(tt.secret)
			if !errors.Is(err, webhook.ErrInvalidSecret) {
				t.Fatalf("got error %v, want ErrInvalidSecret", err)
			}
			if v != nil {
				t.Errorf("got verifier %v, want nil", v)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("got message %q, want it without the secret", err)
			}
		})
	}
}

func TestNewVerifierAcceptsSecretWithoutPrefix(t *testing.T) {
	t.Parallel()
	body := []byte(userCreatedBody)
	ts := testNow.Unix()
	v := newTestVerifier(t, strings.TrimPrefix(testSecret, "whsec_"))
	sig := signIndependently(t, testSecret, testID, ts, body)
	if _, err := v.Verify(deliveryHeaders(testID, ts, sig), body); err != nil {
		t.Errorf("got error %v, want nil", err)
	}
}

func TestNewVerifierRejectsBadOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  webhook.Option
	}{
		{"negative tolerance", webhook.WithTolerance(-time.Second)},
		{"nil clock", webhook.WithClock(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := webhook.NewVerifier(testSecret, tt.opt)
			if err == nil {
				t.Fatalf("got verifier %v and no error, want an error", v)
			}
			if strings.Contains(err.Error(), strings.TrimPrefix(testSecret, "whsec_")) {
				t.Errorf("got message %q, want it without the secret", err)
			}
		})
	}
}

func TestUnconfiguredVerifierRefusesEverything(t *testing.T) {
	t.Parallel()
	body := []byte(userCreatedBody)
	ts := testNow.Unix()
	// A signature made with an empty key must not verify against a zero Verifier.
	mac := hmac.New(sha256.New, nil)
	mac.Write([]byte(testID + "." + strconv.FormatInt(ts, 10) + "." + userCreatedBody))
	sig := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))

	for name, v := range map[string]*webhook.Verifier{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := v.Verify(deliveryHeaders(testID, ts, sig), body)
			if !errors.Is(err, webhook.ErrInvalidSecret) {
				t.Errorf("got error %v, want ErrInvalidSecret", err)
			}
		})
	}
}

func TestSignMatchesIndependentSigner(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, testSecret)
	body := []byte(userCreatedBody)
	// Sign uses whole seconds; the fraction must not change the signature.
	at := testNow.Add(750 * time.Millisecond)

	got := v.Sign(testID, at, body)
	want := signIndependently(t, testSecret, testID, testNow.Unix(), body)
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := v.Verify(deliveryHeaders(testID, testNow.Unix(), got), body); err != nil {
		t.Errorf("Verify of Sign's output: got error %v, want nil", err)
	}
}
