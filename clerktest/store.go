package clerktest

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/clerkcompat/clerk"
)

// store holds every object of one server. One mutex guards all of it: the server is a test
// double, and a single lock makes every request atomic, as the real API's transactions are.
type store struct {
	mu    sync.Mutex
	users map[string]*userRecord
	// gone keeps the position of deleted users, so that a cursor walk whose last user was
	// deleted meanwhile carries on from where that user stood.
	gone map[string]cursorKey
	// seq makes generated IDs sort in creation order (see newID).
	seq uint64
	// codes holds the one-time code verifications of identifiers, by verification ID.
	codes map[string]*codeVerification
	// sessions holds the sessions, JWT templates and signing keys (see sessions.go).
	sessions *sessionStore
}

// cursorKey is where a user stands in the created_at order.
type cursorKey struct {
	createdAt int64
	id        string
}

// userRecord is one stored user: the object the API returns and the secrets it never shows.
type userRecord struct {
	user *clerk.User

	// password is a salted SHA-256 of the plaintext password (see password.go); digest and
	// hasher hold a digest imported with password_digest instead.
	password *passwordHash
	digest   string
	hasher   string
	// totpSecret is the base32 TOTP secret; backupCodes are the unused backup codes.
	totpSecret  string
	backupCodes []string
	// tokens holds the OAuth access token of each external account, by account ID.
	tokens map[string]*oauthToken
}

// oauthToken is the provider's access token kept for an external account.
type oauthToken struct {
	token     string
	scopes    []string
	expiresAt *int64
}

func newStore() *store {
	return &store{
		users: make(map[string]*userRecord),
		gone:  make(map[string]cursorKey),
		seq:   uint64(time.Now().UnixNano()),
		codes: make(map[string]*codeVerification),

		sessions: newSessionStore(),
	}
}

// newID returns prefix followed by 27 base62 characters, the shape of the API's IDs. The
// number encoded is a per-store sequence followed by random bits, so IDs made later sort after
// earlier ones; listing ties on created_at are then broken in creation order. The caller must
// hold st.mu.
func (st *store) newID(prefix string) string {
	st.seq++
	var raw [20]byte
	binary.BigEndian.PutUint64(raw[:8], st.seq)
	rand.Read(raw[8:])
	return prefix + base62(raw[:], 27)
}

const base62Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62 encodes b as a big-endian number in width digits; the digits are in ASCII order, so
// encodings of equal width compare as the numbers do.
func base62(b []byte, width int) string {
	n := new(big.Int).SetBytes(b)
	base := big.NewInt(62)
	out := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		var rem big.Int
		n.DivMod(n, base, &rem)
		out[i] = base62Digits[rem.Int64()]
	}
	return string(out)
}

// randomToken returns n random base62 characters, for secrets such as OAuth tokens.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base62(b, n)
}

// lookup returns the record of the user id, or a 404 error. The caller must hold st.mu.
func (st *store) lookup(id string) (*userRecord, error) {
	rec, ok := st.users[id]
	if !ok {
		return nil, errNotFound("User")
	}
	return rec, nil
}

// get returns a copy of the user id.
func (st *store) get(id string) (*clerk.User, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, err := st.lookup(id)
	if err != nil {
		return nil, err
	}
	return copyUser(rec.user), nil
}

// update applies change to the user id under the lock and returns a copy of the result. When
// change reports a change, updated_at becomes now and the derived fields are recomputed.
// change works on a copy that replaces the stored record only when it succeeds, so a request
// that fails halfway changes nothing.
func (st *store) update(id string, now int64,
	change func(rec *userRecord) (bool, error)) (*clerk.User, bool, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, err := st.lookup(id)
	if err != nil {
		return nil, false, err
	}
	return rec.apply(now, change)
}

// apply is update for a caller that holds st.mu and has found the record.
func (rec *userRecord) apply(now int64,
	change func(rec *userRecord) (bool, error)) (*clerk.User, bool, error) {
	work := rec.clone()
	changed, err := change(work)
	if err != nil {
		return nil, false, err
	}
	if changed {
		work.user.UpdatedAt = now
		work.refresh(now)
	}
	*rec = *work
	return copyUser(rec.user), changed, nil
}

// clone returns a copy of rec that can be changed without touching rec. Password hashes and
// OAuth tokens are never changed in place, so they are shared.
func (rec *userRecord) clone() *userRecord {
	out := *rec
	out.user = copyUser(rec.user)
	out.backupCodes = slices.Clone(rec.backupCodes)
	out.tokens = maps.Clone(rec.tokens)
	return &out
}

// copyUser returns a deep copy of u, so that no caller shares memory with the store.
func copyUser(u *clerk.User) *clerk.User {
	out, err := deepCopy(u)
	if err != nil {
		// Only raw JSON that is not JSON can fail to encode, and every raw value is
		// checked (by decoding it) before it is stored.
		panic(fmt.Sprintf("clerktest: stored user cannot be copied: %v", err))
	}
	return out
}

// deepCopy copies v by a JSON round trip, which copies every field the API knows, including
// ones added to the root types later.
func deepCopy[T any](v *T) (*T, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, err
	}
	return out, nil
}

// refresh recomputes the fields derived from the user's secrets and identifiers, and records
// when multi-factor authentication turned on or off.
func (rec *userRecord) refresh(now int64) {
	was := rec.user.TwoFactorEnabled
	rec.derive()
	switch u := rec.user; {
	case u.TwoFactorEnabled && !was:
		u.MFAEnabledAt = &now
	case !u.TwoFactorEnabled && was:
		u.MFADisabledAt = &now
	}
}

// derive sets the flags that follow from the user's secrets and second-factor phones.
func (rec *userRecord) derive() {
	u := rec.user
	u.PasswordEnabled = rec.password != nil || rec.digest != ""
	u.TOTPEnabled = rec.totpSecret != ""
	u.BackupCodeEnabled = len(rec.backupCodes) > 0
	secondFactorPhone := false
	for _, p := range u.PhoneNumbers {
		secondFactorPhone = secondFactorPhone || p.ReservedForSecondFactor
	}
	u.TwoFactorEnabled = u.TOTPEnabled || u.BackupCodeEnabled || secondFactorPhone
}
