package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names of a signed delivery.
const (
	HeaderID        = "svix-id"
	HeaderTimestamp = "svix-timestamp"
	HeaderSignature = "svix-signature"
)

// DefaultTolerance is how far a delivery's timestamp may be from the verifier's clock, in
// either direction, unless WithTolerance says otherwise.
const DefaultTolerance = 5 * time.Minute

// secretPrefix starts every signing secret shown in the Clerk Dashboard.
const secretPrefix = "whsec_"

// signatureVersion marks the HMAC-SHA256 entries of the signature header; entries of any other
// version are skipped, so a sender can add a new scheme without breaking older receivers.
const signatureVersion = "v1"

// Errors returned by NewVerifier and Verify. Match them with errors.Is: the returned errors wrap
// them with details such as the name of a missing header.
var (
	// ErrInvalidSecret means the signing secret is empty or not base64 after its whsec_ prefix.
	ErrInvalidSecret = errors.New("webhook: invalid signing secret")
	// ErrMissingHeader means one of the svix-id, svix-timestamp or svix-signature headers is
	// absent or empty; the error names which.
	ErrMissingHeader = errors.New("webhook: missing header")
	// ErrInvalidTimestamp means the svix-timestamp header is not a whole number of seconds.
	ErrInvalidTimestamp = errors.New("webhook: invalid timestamp")
	// ErrTimestampTooOld means the delivery was signed longer ago than the tolerance allows,
	// as happens when an old delivery is replayed.
	ErrTimestampTooOld = errors.New("webhook: timestamp too old")
	// ErrTimestampTooNew means the delivery claims to be signed further in the future than the
	// tolerance allows.
	ErrTimestampTooNew = errors.New("webhook: timestamp too new")
	// ErrNoMatchingSignature means no v1 signature in the svix-signature header matches the
	// body: the body was changed, or it was signed with another secret.
	ErrNoMatchingSignature = errors.New("webhook: no matching signature")
	// ErrMalformedPayload means the signature matched but the body is not a JSON event with a
	// type and data, or the event's data does not decode into the requested type.
	ErrMalformedPayload = errors.New("webhook: malformed payload")
)

// Verifier checks signed deliveries for one signing secret. It is safe for concurrent use.
type Verifier struct {
	key       []byte
	tolerance time.Duration
	now       func() time.Time
}

// Option changes a setting of a Verifier; see WithTolerance and WithClock.
type Option func(*Verifier) error

// WithTolerance sets how far a delivery's timestamp may be from the current time, in either
// direction, before Verify rejects it (default DefaultTolerance). A timestamp exactly at the
// tolerance passes. The tolerance must not be negative.
func WithTolerance(d time.Duration) Option {
	return func(v *Verifier) error {
		if d < 0 {
			return fmt.Errorf("webhook: tolerance %v is negative", d)
		}
		v.tolerance = d
		return nil
	}
}

// WithClock sets the function that gives the current time when timestamps are checked (default
// time.Now). Tests use it to verify deliveries signed at a fixed time.
func WithClock(now func() time.Time) Option {
	return func(v *Verifier) error {
		if now == nil {
			return errors.New("webhook: clock is nil")
		}
		v.now = now
		return nil
	}
}

// NewVerifier returns a Verifier for secret, the endpoint's signing secret as the Clerk
// Dashboard shows it ("whsec_" followed by base64). A secret without the prefix is taken as bare
// base64, as other implementations of the scheme do. An empty or undecodable secret gives an
// error matching ErrInvalidSecret; the error never contains the secret.
func NewVerifier(secret string, opts ...Option) (*Verifier, error) {
	encoded := strings.TrimPrefix(secret, secretPrefix)
	if encoded == "" {
		return nil, fmt.Errorf("%w: empty", ErrInvalidSecret)
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		// The decoder's error quotes a byte offset, not the input, so it is safe to keep.
		return nil, fmt.Errorf("%w: not base64 after the %s prefix: %w",
			ErrInvalidSecret, secretPrefix, err)
	}
	if len(key) == 0 {
		return nil, fmt.Errorf("%w: empty key", ErrInvalidSecret)
	}

	v := &Verifier{key: key, tolerance: DefaultTolerance, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Verify checks that body was signed with the verifier's secret, as the svix-id,
// svix-timestamp and svix-signature headers say, and that the timestamp is within the
// tolerance; then it decodes the body into an Event. Any one v1 entry of the signature header
// may match, so deliveries keep verifying while a secret is being rotated.
//
// Each failure wraps a distinct sentinel error (ErrMissingHeader, ErrInvalidTimestamp,
// ErrTimestampTooOld, ErrTimestampTooNew, ErrNoMatchingSignature, ErrMalformedPayload). The
// timestamp is checked before the signature, as in other implementations of the scheme, so a
// replayed old delivery gives ErrTimestampTooOld.
func (v *Verifier) Verify(headers http.Header, body []byte) (*Event, error) {
	if v == nil || len(v.key) == 0 {
		// A zero Verifier would accept signatures made with an empty key: refuse instead.
		return nil, fmt.Errorf("%w: verifier not made by NewVerifier", ErrInvalidSecret)
	}
	id, err := requireHeader(headers, HeaderID)
	if err != nil {
		return nil, err
	}
	rawTS, err := requireHeader(headers, HeaderTimestamp)
	if err != nil {
		return nil, err
	}
	sigs, err := requireHeader(headers, HeaderSignature)
	if err != nil {
		return nil, err
	}

	ts, err := strconv.ParseInt(rawTS, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q is not Unix seconds", ErrInvalidTimestamp,
			HeaderTimestamp, truncate(rawTS))
	}
	if err := v.checkTimestamp(ts); err != nil {
		return nil, err
	}

	want := v.mac(id, rawTS, body)
	if !anySignatureMatches(sigs, want) {
		return nil, fmt.Errorf("%w for delivery %q", ErrNoMatchingSignature, truncate(id))
	}

	e, err := parseEvent(body)
	if err != nil {
		return nil, err
	}
	e.ID = id
	return e, nil
}

// Sign returns the svix-signature header value ("v1," and the base64 HMAC) for a delivery
// with the given id, timestamp and body. A receiver never needs it: it is for the sending side,
// such as a fake server or a test that delivers events to a handler.
func (v *Verifier) Sign(id string, ts time.Time, body []byte) string {
	if v == nil {
		return ""
	}
	mac := v.mac(id, strconv.FormatInt(ts.Unix(), 10), body)
	return signatureVersion + "," + base64.StdEncoding.EncodeToString(mac)
}

// checkTimestamp rejects a timestamp (Unix seconds) further from now than the tolerance.
func (v *Verifier) checkTimestamp(ts int64) error {
	now := v.now()

	// The sender chooses ts, and time.Unix overflows for values near the int64 limits, so
	// anything clearly out of range is settled in whole seconds first.
	slack := int64(v.tolerance/time.Second) + 1
	old := ts < now.Unix()-slack
	ahead := ts > now.Unix()+slack
	if !old && !ahead {
		sent := time.Unix(ts, 0)
		old = now.Sub(sent) > v.tolerance
		ahead = sent.Sub(now) > v.tolerance
	}

	switch {
	case old:
		return fmt.Errorf("%w: signed at %d, more than %v ago", ErrTimestampTooOld, ts,
			v.tolerance)
	case ahead:
		return fmt.Errorf("%w: signed at %d, more than %v ahead", ErrTimestampTooNew, ts,
			v.tolerance)
	}
	return nil
}

// mac computes the HMAC-SHA256 of the signed content: id, timestamp and body joined by dots.
// The timestamp is used exactly as sent, so a differently written number cannot match.
func (v *Verifier) mac(id, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, v.key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// anySignatureMatches reports whether one v1 entry of the space-separated header value equals
// want. Entries of other versions and entries that are not base64 are skipped.
func anySignatureMatches(header string, want []byte) bool {
	for _, entry := range strings.Fields(header) {
		version, encoded, ok := strings.Cut(entry, ",")
		if !ok || version != signatureVersion {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil {
			continue
		}
		if hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

// requireHeader returns the named header's value, or an error naming the header when it is
// absent or empty.
func requireHeader(h http.Header, name string) (string, error) {
	value := strings.TrimSpace(h.Get(name))
	if value == "" {
		return "", fmt.Errorf("%w: %s", ErrMissingHeader, name)
	}
	return value, nil
}

// truncate shortens a header value quoted in an error, so a hostile sender cannot make error
// messages (and the logs they end up in) arbitrarily long.
func truncate(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
