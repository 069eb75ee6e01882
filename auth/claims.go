package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"time"
	"unicode/utf8"

	josejson "github.com/go-jose/go-jose/v4/json"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Claims are the verified contents of a session token.
//
// Times are time.Time values at one-second precision, as JWT NumericDates are; a claim absent
// from the token leaves its field zero (Expiry is never zero: a token without exp is rejected).
type Claims struct {
	// Subject (sub) is the ID of the signed-in user, such as "user_2abc".
	Subject string
	// SessionID (sid) is the ID of the session the token belongs to.
	SessionID string
	// AuthorizedParty (azp) is the origin of the page the token was issued to.
	AuthorizedParty string
	// Issuer (iss) is the instance's Frontend API URL.
	Issuer string
	// Expiry (exp), NotBefore (nbf) and IssuedAt (iat) bound when the token is valid.
	Expiry    time.Time
	NotBefore time.Time
	IssuedAt  time.Time
	// ActiveOrganizationID (org_id), ActiveOrganizationRole (org_role), ActiveOrganizationSlug
	// (org_slug) and ActiveOrganizationPermissions (org_permissions) describe the organization
	// active in the session, when there is one.
	ActiveOrganizationID          string
	ActiveOrganizationRole        string
	ActiveOrganizationSlug        string
	ActiveOrganizationPermissions []string
	// Actor (act) is set when someone acts on the user's behalf (impersonation), as raw JSON:
	// an object whose sub is the acting user's ID. It is nil when the claim is absent.
	Actor json.RawMessage
	// Custom holds every claim that has no field above, keyed by name: claims added by a
	// session token template, and others such as jti. It is nil when there are none.
	Custom map[string]json.RawMessage
}

// tokenClaims is the payload as decoded from the token.
type tokenClaims struct {
	Subject         string           `json:"sub"`
	SessionID       string           `json:"sid"`
	AuthorizedParty string           `json:"azp"`
	Issuer          string           `json:"iss"`
	Expiry          *jwt.NumericDate `json:"exp"`
	NotBefore       *jwt.NumericDate `json:"nbf"`
	IssuedAt        *jwt.NumericDate `json:"iat"`
	OrgID           string           `json:"org_id"`
	OrgRole         string           `json:"org_role"`
	OrgSlug         string           `json:"org_slug"`
	OrgPermissions  []string         `json:"org_permissions"`
	Actor           json.RawMessage  `json:"act"`
}

// namedClaims are the claims that Claims has a field for; the others go to Claims.Custom.
var namedClaims = []string{
	"sub", "sid", "azp", "iss", "exp", "nbf", "iat",
	"org_id", "org_role", "org_slug", "org_permissions", "act",
}

// fromNamed sets the named claims from the payload decoded by name, each to the value that a
// decode of the whole payload into tokenClaims gives it: that is go-jose's decoder, called
// here per claim, except for the claims nearly every token has, plain strings and numeric
// dates, which take a shorter way to the same value. Decoding the payload once by name and
// taking the named claims from it costs about half of decoding it twice.
func (t *tokenClaims) fromNamed(all map[string]json.RawMessage) error {
	for _, c := range [...]struct {
		name string
		dst  *string
	}{
		{"sub", &t.Subject}, {"sid", &t.SessionID}, {"azp", &t.AuthorizedParty},
		{"iss", &t.Issuer}, {"org_id", &t.OrgID}, {"org_role", &t.OrgRole},
		{"org_slug", &t.OrgSlug},
	} {
		if raw, ok := all[c.name]; ok {
			if err := decodeString(raw, c.dst); err != nil {
				return err
			}
		}
	}
	for _, c := range [...]struct {
		name string
		dst  **jwt.NumericDate
	}{
		{"exp", &t.Expiry}, {"nbf", &t.NotBefore}, {"iat", &t.IssuedAt},
	} {
		if raw, ok := all[c.name]; ok {
			if err := decodeDate(raw, c.dst); err != nil {
				return err
			}
		}
	}
	if raw, ok := all["org_permissions"]; ok {
		var perms []string
		if err := josejson.Unmarshal(raw, &perms); err != nil {
			return err
		}
		t.OrgPermissions = perms
	}
	if raw, ok := all["act"]; ok {
		var act json.RawMessage
		if err := josejson.Unmarshal(raw, &act); err != nil {
			return err
		}
		t.Actor = act
	}
	return nil
}

// decodeString decodes one claim into a string. A JSON string without escapes whose text is
// valid UTF-8 decodes to exactly the bytes between its quotes; any other value goes through
// the decoder.
func decodeString(raw []byte, dst *string) error {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		text := raw[1 : n-1]
		if bytes.IndexByte(text, '\\') < 0 && utf8.Valid(text) {
			*dst = string(text)
			return nil
		}
	}
	var s string
	if err := josejson.Unmarshal(raw, &s); err != nil {
		return err
	}
	*dst = s
	return nil
}

// decodeDate decodes one claim into a numeric date. The decoder sets a pointer to nil for
// null and hands any other value, as it is, to NumericDate's UnmarshalJSON; so does this.
func decodeDate(raw []byte, dst **jwt.NumericDate) error {
	if string(raw) == "null" {
		*dst = nil
		return nil
	}
	d := new(jwt.NumericDate)
	if err := d.UnmarshalJSON(raw); err != nil {
		return err
	}
	*dst = d
	return nil
}

// claims builds the public Claims from the decoded payload and the whole payload by name.
func (t *tokenClaims) claims(all map[string]json.RawMessage) *Claims {
	for _, name := range namedClaims {
		delete(all, name)
	}
	if len(all) == 0 {
		all = nil
	}
	actor := t.Actor
	if string(actor) == "null" {
		actor = nil
	}
	return &Claims{
		Subject:                       t.Subject,
		SessionID:                     t.SessionID,
		AuthorizedParty:               t.AuthorizedParty,
		Issuer:                        t.Issuer,
		Expiry:                        utcTime(t.Expiry),
		NotBefore:                     utcTime(t.NotBefore),
		IssuedAt:                      utcTime(t.IssuedAt),
		ActiveOrganizationID:          t.OrgID,
		ActiveOrganizationRole:        t.OrgRole,
		ActiveOrganizationSlug:        t.OrgSlug,
		ActiveOrganizationPermissions: t.OrgPermissions,
		Actor:                         actor,
		Custom:                        all,
	}
}

// utcTime converts a NumericDate to time.Time in UTC; an absent one is the zero time.
func utcTime(n *jwt.NumericDate) time.Time {
	if n == nil {
		return time.Time{}
	}
	return n.Time().UTC()
}

type claimsKey struct{}

// ContextWithClaims returns a copy of ctx that carries claims. The middleware uses it for
// every verified request; tests use it to call a handler as if a session were signed in.
func ContextWithClaims(ctx context.Context, claims *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, claims)
}

// ClaimsFromContext returns the claims that Middleware, RequireSession or ContextWithClaims
// put in ctx, and whether there are any.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}
