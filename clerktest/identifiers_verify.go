package clerktest

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/clerkcompat/clerk"
)

// The code flow: prepare_verification starts a verification with a new six-digit code, and
// attempt_verification checks a code against it. The server sends no email and no SMS; a
// test reads the code with LastVerificationCode. As on a development instance in test mode,
// the test identifiers always get testCode.
const (
	// testCode is the code of test identifiers (see isTestIdentifier).
	testCode = "424242"
	// codeLifetime is how long a code is accepted after it was sent.
	codeLifetime = 10 * time.Minute
	// maxCodeAttempts is how many codes one verification checks. Later attempts fail
	// whatever the code, and a new code must be prepared.
	maxCodeAttempts = 5
	// maxSends codes may be sent to one phone number within sendWindow; more are refused
	// with 429 until the oldest leaves the window.
	maxSends   = 5
	sendWindow = 10 * time.Minute
)

// codeVerification is one code sent to an identifier: the object that prepare_verification
// and attempt_verification return, and what the server keeps to check attempts.
type codeVerification struct {
	Object   string  `json:"object"`
	ID       string  `json:"id"`
	Status   string  `json:"status"`
	Strategy string  `json:"strategy"`
	Attempts int64   `json:"attempts"`
	ExpireAt int64   `json:"expire_at"`
	Channel  *string `json:"channel,omitempty"`

	identificationID string
	code             string
	sentAt           int64
}

// LastVerificationCode returns the code of the verification most recently prepared for the
// email address or phone number identificationID, which a real instance would have emailed
// or texted to the user; ok is false when no code was prepared for it. It returns the code
// whatever became of the verification since (verified, failed, expired), so that a test can
// also try a code that no longer works.
//
// Each prepared verification has its own random six-digit code, accepted for 10 minutes and
// for at most 5 attempts; a phone number is sent at most 5 codes in 10 minutes (more get 429).
// As on a development instance in test mode, the codes of test identifiers are always
// 424242: email addresses with the +clerk_test subaddress (jane+clerk_test@example.com) and
// fictional phone numbers, +1 (any area code) 555-0100 to 555-0199. Programs that use the
// server through cmd/clerkfake, and so cannot call this method, verify those.
func (s *Server) LastVerificationCode(identificationID string) (code string, ok bool) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	var last *codeVerification
	for _, v := range s.store.codes {
		// IDs sort in creation order.
		if v.identificationID == identificationID && (last == nil || v.ID > last.ID) {
			last = v
		}
	}
	if last == nil {
		return "", false
	}
	return last.code, true
}

// dropCodes forgets the verifications of the identifier id, which is gone. The caller must
// hold st.mu.
func (st *store) dropCodes(id string) {
	for vid, v := range st.codes {
		if v.identificationID == id {
			delete(st.codes, vid)
		}
	}
}

// prepareVerification starts a code verification of the identifier in the path. Each call
// makes a new verification with its own code; earlier ones keep working until they expire.
// A phone number that was sent maxSends codes within sendWindow gets 429 with Retry-After.
func (s *Server) prepareVerification(k *identifierKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		now := s.now()
		random, err := newCode()
		if err != nil {
			fail(w, err)
			return
		}

		s.store.mu.Lock()
		var out codeVerification
		retry := int64(0)
		owner := s.store.identifierOwner(k, id)
		code := random
		if owner != "" {
			u := s.store.users[owner].user
			if isTestIdentifier(k.list(u)[index(k.list(u), id)].value) {
				code = testCode
			}
		}
		if owner != "" && k.limitSends {
			retry = s.store.sendWait(id, now)
		}
		if owner != "" && retry == 0 {
			v := &codeVerification{Object: "verification_otp", ID: s.store.newID("ver_"),
				Status: clerk.VerificationStatusUnverified, Strategy: k.strategy,
				ExpireAt: now + codeLifetime.Milliseconds(), identificationID: id,
				code: code, sentAt: now}
			if k.channel != "" {
				v.Channel = &k.channel
			}
			s.store.codes[v.ID] = v
			out = *v
		}
		s.store.mu.Unlock()

		switch {
		case owner == "":
			fail(w, errNotFound(k.title))
		case retry > 0:
			w.Header().Set("Retry-After", strconv.FormatInt(retry, 10))
			fail(w, &apiError{status: http.StatusTooManyRequests, code: "too_many_requests",
				message: "too many requests", longMessage: fmt.Sprintf("Too many codes were "+
					"sent to this %s; try again in %d seconds.", k.what, retry)})
		default:
			writeJSON(w, http.StatusOK, out)
		}
	}
}

// sendWait returns how many seconds the identifier id must wait before another code may be
// sent to it, or 0. The caller must hold st.mu.
func (st *store) sendWait(id string, now int64) int64 {
	windowStart := now - sendWindow.Milliseconds()
	sent, oldest := 0, now
	for _, v := range st.codes {
		if v.identificationID == id && v.sentAt > windowStart {
			sent++
			oldest = min(oldest, v.sentAt)
		}
	}
	if sent < maxSends {
		return 0
	}
	waitMs := oldest - windowStart
	return (waitMs + 999) / 1000
}

var fictionalPhone = regexp.MustCompile(`^\+1[0-9]{3}55501[0-9]{2}$`)

// isTestIdentifier reports whether value is an email address with the +clerk_test subaddress
// or a fictional North American phone number, whose code is testCode.
func isTestIdentifier(value string) bool {
	local, _, isEmail := strings.Cut(value, "@")
	if isEmail {
		return strings.Contains(strings.ToLower(local), "+clerk_test")
	}
	return fictionalPhone.MatchString(value)
}

// newCode returns six random digits.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("generating a code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// attemptParams is the body of POST .../attempt_verification.
type attemptParams struct {
	VerificationID *string `json:"verification_id"`
	Code           *string `json:"code"`
}

// attemptVerification checks a code against a verification of the identifier in the path.
// A wrong code, a code past its expiry and any attempt after maxCodeAttempts are answers with
// the status "failed" or "expired", not errors, and each attempt counts. The right code
// verifies the identifier too when it was not verified, unless another user holds its value
// by then. The endpoint describes no 422, so bad input is 400.
func (s *Server) attemptVerification(k *identifierKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var p attemptParams
		if err := decodeBody(w, r, &p); err != nil {
			fail(w, asBadRequest(err))
			return
		}
		for _, f := range []struct {
			name  string
			value *string
		}{{"verification_id", p.VerificationID}, {"code", p.Code}} {
			if f.value == nil || *f.value == "" {
				fail(w, errBadRequest("form_param_missing", f.name+" is required."))
				return
			}
		}

		id := r.PathValue("id")
		now := s.now()
		var out codeVerification
		_, _, err := s.changeIdentifier(k, id, now, func(rec *userRecord, i int) (bool, error) {
			v := s.store.codes[*p.VerificationID]
			if v == nil || v.identificationID != id {
				return false, errNotFound("Verification")
			}
			if v.Status == clerk.VerificationStatusVerified {
				return false, &apiError{status: http.StatusBadRequest,
					code: "verification_already_verified", message: "already verified",
					longMessage: "This verification has already accepted a code."}
			}
			next := *v
			next.Attempts++
			changed := false
			switch {
			case now >= next.ExpireAt:
				next.Status = clerk.VerificationStatusExpired
			case next.Attempts > maxCodeAttempts,
				subtle.ConstantTimeCompare([]byte(*p.Code), []byte(next.code)) != 1:
				next.Status = clerk.VerificationStatusFailed
			default:
				next.Status = clerk.VerificationStatusVerified
				idn := k.list(rec.user)[i]
				if !idn.verified() {
					if err := s.store.claim(k.object, idn.value, rec.user.ID); err != nil {
						return false, asBadRequest(err)
					}
				}
				changed = idn.markVerified(next.asIdentifierVerification(), now)
			}
			// The store lock is held, and nothing can fail after this point.
			s.store.codes[next.ID] = &next
			out = next
			return changed, nil
		})
		if err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// asIdentifierVerification is the verification an identifier shows once this code verified it.
func (v *codeVerification) asIdentifierVerification() *clerk.Verification {
	attempts, expireAt := v.Attempts, v.ExpireAt
	return &clerk.Verification{Object: v.Object, Status: v.Status, Strategy: v.Strategy,
		Attempts: &attempts, ExpireAt: &expireAt, Channel: v.Channel}
}
