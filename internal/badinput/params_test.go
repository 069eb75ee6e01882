package badinput_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/session"
	"github.com/clerkcompat/clerk/user"
)

// expect is what a call with some input must do: refuse it (param names the
// InvalidParamError's Param), or send one request with that method, path, query and body
// ("" for no body; JSON is compared as JSON).
type expect struct {
	param                     string
	method, path, query, body string
}

func refused(param string) expect { return expect{param: param} }

// check runs call against a fresh recorder and checks it did what want says.
func check(t *testing.T, call func(ctx context.Context, c *clients) error, want expect) {
	t.Helper()
	rec := newRecorder(t)
	err := call(context.Background(), newClients(rec))
	reqs := rec.take()
	if want.param != "" {
		ip := invalidParam(err)
		require.NotNil(t, ip, "got %v, want an *clerk.InvalidParamError for %s", err, want.param)
		assert.Equal(t, want.param, ip.Param)
		assert.Empty(t, reqs, "no request may be sent for bad input")
		return
	}
	require.NoError(t, err)
	require.Len(t, reqs, 1, "got %d requests, want 1", len(reqs))
	r := reqs[0]
	assert.Equal(t, want.method, r.method)
	assert.Equal(t, want.path, r.path)
	gotQuery, err := parseQuery(r.query)
	require.NoError(t, err)
	wantQuery, _ := parseQuery(want.query)
	assert.Equal(t, wantQuery, gotQuery, "query")
	assert.NotEqual(t, "null", strings.TrimSpace(r.body), "a body of null")
	if want.body == "" {
		assert.Empty(t, r.body)
		return
	}
	assert.JSONEq(t, want.body, r.body)
}

// sliceFilters returns, for every []string field of a params struct type, its query key.
func sliceFilters(typ reflect.Type) map[string]string {
	out := map[string]string{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Type == reflect.TypeOf([]string(nil)) {
			out[f.Name], _, _ = strings.Cut(f.Tag.Get("url"), ",")
		}
	}
	return out
}

// TestEmptyFilterSlices sets each list filter of ListParams and CountParams, found by
// reflection so that a filter added later is covered too, to an empty, non-nil slice: the
// call must refuse it rather than list every user.
func TestEmptyFilterSlices(t *testing.T) {
	t.Parallel()
	listFilters := sliceFilters(reflect.TypeOf(user.ListParams{}))
	countFilters := sliceFilters(reflect.TypeOf(user.CountParams{}))
	require.GreaterOrEqual(t, len(listFilters), 8)
	assert.Equal(t, listFilters, countFilters, "Count takes the filters of List")
	for field, key := range listFilters {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			lp := &user.ListParams{}
			reflect.ValueOf(lp).Elem().FieldByName(field).Set(reflect.ValueOf([]string{}))
			cp := &user.CountParams{}
			reflect.ValueOf(cp).Elem().FieldByName(field).Set(reflect.ValueOf([]string{}))
			check(t, func(ctx context.Context, c *clients) error {
				_, err := c.user.List(ctx, lp)
				return err
			}, refused(key))
			check(t, func(ctx context.Context, c *clients) error {
				return first(c.user.All(ctx, lp))
			}, refused(key))
			check(t, func(ctx context.Context, c *clients) error {
				_, err := c.user.Count(ctx, cp)
				return err
			}, refused(key))

			// The same filter with one value is sent, as one key.
			reflect.ValueOf(lp).Elem().FieldByName(field).Set(reflect.ValueOf([]string{"v"}))
			check(t, func(ctx context.Context, c *clients) error {
				_, err := c.user.List(ctx, lp)
				return err
			}, expect{method: "GET", path: "/v1/users", query: key + "=v"})
		})
	}
}

// TestLimits checks every page size and bound at and beyond its limits.
func TestLimits(t *testing.T) {
	t.Parallel()
	bad := []int64{0, -1, 501, math.MinInt64, math.MaxInt64}
	good := []int64{1, 500}
	type limitCall func(ctx context.Context, c *clients, limit *int64, offset *int64) error
	calls := map[string]struct {
		call  limitCall
		path  string
		query string // what the call adds to limit and offset
	}{
		"user.List": {func(ctx context.Context, c *clients, l, o *int64) error {
			_, err := c.user.List(ctx, &user.ListParams{Limit: l, Offset: o})
			return err
		}, "/v1/users", ""},
		"user.All": {func(ctx context.Context, c *clients, l, o *int64) error {
			return first(c.user.All(ctx, &user.ListParams{Limit: l, Offset: o}))
		}, "/v1/users", ""},
		"user.ListOAuthAccessTokens": {func(ctx context.Context, c *clients, l, o *int64) error {
			_, err := c.user.ListOAuthAccessTokens(ctx, "user_1", "oauth_google",
				&user.ListOAuthAccessTokensParams{Limit: l, Offset: o})
			return err
		}, "/v1/users/user_1/oauth_access_tokens/oauth_google", ""},
		"session.List": {func(ctx context.Context, c *clients, l, o *int64) error {
			_, err := c.session.List(ctx, &session.ListParams{UserID: str("user_1"), Limit: l,
				Offset: o})
			return err
		}, "/v1/sessions", "user_id=user_1&paginated=true"},
		"session.All": {func(ctx context.Context, c *clients, l, o *int64) error {
			return first(c.session.All(ctx, &session.ListParams{UserID: str("user_1"),
				Limit: l, Offset: o}))
		}, "/v1/sessions", "user_id=user_1&paginated=true"},
	}
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, n := range bad {
				check(t, func(ctx context.Context, c *clients) error {
					return tc.call(ctx, c, &n, nil)
				}, refused("limit"))
			}
			for _, n := range []int64{-1, math.MinInt64} {
				check(t, func(ctx context.Context, c *clients) error {
					return tc.call(ctx, c, nil, &n)
				}, refused("offset"))
			}
			for _, n := range good {
				q := "limit=" + strconv.FormatInt(n, 10) + "&offset=0"
				if tc.query != "" {
					q += "&" + tc.query
				}
				check(t, func(ctx context.Context, c *clients) error {
					return tc.call(ctx, c, &n, clerk.Int64(0))
				}, expect{method: "GET", path: tc.path, query: q})
			}
		})
	}
}

// TestOtherBounds checks the other counted inputs: bulk user IDs, token lifetimes, cursors.
func TestOtherBounds(t *testing.T) {
	t.Parallel()
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "user_" + strconv.Itoa(i)
		}
		return out
	}
	idsJSON := func(n int) string {
		b, _ := json.Marshal(map[string][]string{"user_ids": ids(n)})
		return string(b)
	}
	cases := map[string]struct {
		call func(ctx context.Context, c *clients) error
		want expect
	}{
		"BanMany none": {func(ctx context.Context, c *clients) error {
			_, err := c.user.BanMany(ctx, &user.BanManyParams{UserIDs: []string{}})
			return err
		}, refused("user_ids")},
		"BanMany 51": {func(ctx context.Context, c *clients) error {
			_, err := c.user.BanMany(ctx, &user.BanManyParams{UserIDs: ids(51)})
			return err
		}, refused("user_ids")},
		"BanMany empty ID": {func(ctx context.Context, c *clients) error {
			_, err := c.user.BanMany(ctx, &user.BanManyParams{UserIDs: []string{"u", ""}})
			return err
		}, refused("user_ids")},
		"BanMany 50": {func(ctx context.Context, c *clients) error {
			_, err := c.user.BanMany(ctx, &user.BanManyParams{UserIDs: ids(50)})
			return err
		}, expect{method: "POST", path: "/v1/users/ban", body: idsJSON(50)}},
		"UnbanMany nil IDs": {func(ctx context.Context, c *clients) error {
			_, err := c.user.UnbanMany(ctx, &user.UnbanManyParams{})
			return err
		}, refused("user_ids")},
		"UnbanMany 1": {func(ctx context.Context, c *clients) error {
			_, err := c.user.UnbanMany(ctx, &user.UnbanManyParams{UserIDs: ids(1)})
			return err
		}, expect{method: "POST", path: "/v1/users/unban", body: idsJSON(1)}},
		"CreateToken 29 s": {func(ctx context.Context, c *clients) error {
			_, err := c.session.CreateToken(ctx, "sess_1",
				&session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(29)})
			return err
		}, refused("expires_in_seconds")},
		"CreateToken too long": {func(ctx context.Context, c *clients) error {
			_, err := c.session.CreateTokenFromTemplate(ctx, "sess_1", "tpl",
				&session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(315360001)})
			return err
		}, refused("expires_in_seconds")},
		"CreateToken 30 s": {func(ctx context.Context, c *clients) error {
			_, err := c.session.CreateToken(ctx, "sess_1",
				&session.CreateTokenParams{ExpiresInSeconds: clerk.Int64(30)})
			return err
		}, expect{method: "POST", path: "/v1/sessions/sess_1/tokens",
			body: `{"expires_in_seconds":30}`}},
		"StartingAfter empty": {func(ctx context.Context, c *clients) error {
			_, err := c.user.List(ctx, &user.ListParams{StartingAfter: str("")})
			return err
		}, refused("starting_after")},
		"StartingAfter with a name order": {func(ctx context.Context, c *clients) error {
			return first(c.user.All(ctx, &user.ListParams{StartingAfter: str("user_1"),
				OrderBy: str("first_name")}))
		}, refused("starting_after")},
		"session filter empty": {func(ctx context.Context, c *clients) error {
			_, err := c.session.List(ctx, &session.ListParams{UserID: str("")})
			return err
		}, refused("user_id")},
		"session status empty": {func(ctx context.Context, c *clients) error {
			_, err := c.session.List(ctx, &session.ListParams{ClientID: str("c"),
				Status: str("")})
			return err
		}, refused("status")},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			check(t, tc.call, tc.want)
		})
	}
}

// TestRawMetadata gives every metadata field empty, invalid and non-object JSON, which must
// be refused by name, and objects, which must be sent as they are.
func TestRawMetadata(t *testing.T) {
	t.Parallel()
	bad := map[string]json.RawMessage{
		"nil": nil, "empty": {}, "spaces": json.RawMessage("  \n"), "null": json.RawMessage("null"),
		"array": json.RawMessage("[]"), "number": json.RawMessage("1"),
		"string": json.RawMessage(`"x"`), "cut": json.RawMessage(`{"a":`),
		"trailing": json.RawMessage(`{}x`), "two objects": json.RawMessage(`{}{}`),
	}
	good := []json.RawMessage{json.RawMessage(`{}`), json.RawMessage(` {"a":{"b":null}} `)}
	fields := []struct {
		key string
		set func(p *user.MetadataParams, v *json.RawMessage)
	}{
		{"public_metadata", func(p *user.MetadataParams, v *json.RawMessage) {
			p.PublicMetadata = v
		}},
		{"private_metadata", func(p *user.MetadataParams, v *json.RawMessage) {
			p.PrivateMetadata = v
		}},
		{"unsafe_metadata", func(p *user.MetadataParams, v *json.RawMessage) {
			p.UnsafeMetadata = v
		}},
	}
	type metaCall struct {
		method, path string
		call         func(ctx context.Context, c *clients, p *user.MetadataParams) error
	}
	calls := map[string]metaCall{
		"Create": {"POST", "/v1/users", func(ctx context.Context, c *clients,
			p *user.MetadataParams) error {
			_, err := c.user.Create(ctx, &user.CreateParams{PublicMetadata: p.PublicMetadata,
				PrivateMetadata: p.PrivateMetadata, UnsafeMetadata: p.UnsafeMetadata})
			return err
		}},
		"UpdateMetadata": {"PATCH", "/v1/users/user_1/metadata", func(ctx context.Context,
			c *clients, p *user.MetadataParams) error {
			_, err := c.user.UpdateMetadata(ctx, "user_1", p)
			return err
		}},
		"ReplaceMetadata": {"PUT", "/v1/users/user_1/metadata", func(ctx context.Context,
			c *clients, p *user.MetadataParams) error {
			_, err := c.user.ReplaceMetadata(ctx, "user_1", p)
			return err
		}},
	}
	for name, mc := range calls {
		for _, f := range fields {
			t.Run(name+"/"+f.key, func(t *testing.T) {
				t.Parallel()
				for what, v := range bad {
					p := &user.MetadataParams{}
					f.set(p, &v)
					t.Run(what, func(t *testing.T) {
						check(t, func(ctx context.Context, c *clients) error {
							return mc.call(ctx, c, p)
						}, refused(f.key))
					})
				}
				for _, v := range good {
					p := &user.MetadataParams{}
					f.set(p, &v)
					body, _ := json.Marshal(map[string]json.RawMessage{f.key: v})
					check(t, func(ctx context.Context, c *clients) error {
						return mc.call(ctx, c, p)
					}, expect{method: mc.method, path: mc.path, body: string(body)})
				}
			})
		}
	}
}

// TestNilParams passes nil for every params pointer: fine where nothing is required (the
// request then carries {} or no body, never null), refused by name where something is.
func TestNilParams(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		call func(ctx context.Context, c *clients) error
		want expect
	}{
		"user.Create": {func(ctx context.Context, c *clients) error {
			_, err := c.user.Create(ctx, nil)
			return err
		}, expect{method: "POST", path: "/v1/users", body: "{}"}},
		"user.Update": {func(ctx context.Context, c *clients) error {
			_, err := c.user.Update(ctx, "user_1", nil)
			return err
		}, expect{method: "PATCH", path: "/v1/users/user_1", body: "{}"}},
		"user.UpdateMetadata": {func(ctx context.Context, c *clients) error {
			_, err := c.user.UpdateMetadata(ctx, "user_1", nil)
			return err
		}, expect{method: "PATCH", path: "/v1/users/user_1/metadata", body: "{}"}},
		"user.ReplaceMetadata": {func(ctx context.Context, c *clients) error {
			_, err := c.user.ReplaceMetadata(ctx, "user_1", nil)
			return err
		}, expect{method: "PUT", path: "/v1/users/user_1/metadata", body: "{}"}},
		"user.List": {func(ctx context.Context, c *clients) error {
			_, err := c.user.List(ctx, nil)
			return err
		}, expect{method: "GET", path: "/v1/users"}},
		"user.Count": {func(ctx context.Context, c *clients) error {
			_, err := c.user.Count(ctx, nil)
			return err
		}, expect{method: "GET", path: "/v1/users/count"}},
		"user.All": {func(ctx context.Context, c *clients) error {
			return first(c.user.All(ctx, nil))
		}, expect{method: "GET", path: "/v1/users", query: "limit=100"}},
		"user.BanMany": {func(ctx context.Context, c *clients) error {
			_, err := c.user.BanMany(ctx, nil)
			return err
		}, refused("user_ids")},
		"user.UnbanMany": {func(ctx context.Context, c *clients) error {
			_, err := c.user.UnbanMany(ctx, nil)
			return err
		}, refused("user_ids")},
		"user.RemovePassword": {func(ctx context.Context, c *clients) error {
			_, err := c.user.RemovePassword(ctx, "user_1", nil)
			return err
		}, expect{method: "POST", path: "/v1/users/user_1/remove_password"}},
		"user.VerifyPassword": {func(ctx context.Context, c *clients) error {
			_, err := c.user.VerifyPassword(ctx, "user_1", nil)
			return err
		}, refused("password")},
		"user.VerifyTOTP": {func(ctx context.Context, c *clients) error {
			_, err := c.user.VerifyTOTP(ctx, "user_1", nil)
			return err
		}, refused("code")},
		"user.ReplaceEmailAddress": {func(ctx context.Context, c *clients) error {
			_, err := c.user.ReplaceEmailAddress(ctx, "user_1", nil)
			return err
		}, refused("email_address")},
		"user.ReplacePhoneNumber": {func(ctx context.Context, c *clients) error {
			_, err := c.user.ReplacePhoneNumber(ctx, "user_1", nil)
			return err
		}, refused("phone_number")},
		"user.SetProfileImage": {func(ctx context.Context, c *clients) error {
			_, err := c.user.SetProfileImage(ctx, "user_1", nil)
			return err
		}, refused("file")},
		"user.ListOAuthAccessTokens": {func(ctx context.Context, c *clients) error {
			_, err := c.user.ListOAuthAccessTokens(ctx, "user_1", "oauth_google", nil)
			return err
		}, expect{method: "GET", path: "/v1/users/user_1/oauth_access_tokens/oauth_google"}},
		"emailaddress.Create": {func(ctx context.Context, c *clients) error {
			_, err := c.email.Create(ctx, nil)
			return err
		}, refused("user_id")},
		"emailaddress.Create no address": {func(ctx context.Context, c *clients) error {
			_, err := c.email.Create(ctx, &emailaddress.CreateParams{UserID: str("user_1")})
			return err
		}, refused("email_address")},
		"emailaddress.Create empty user": {func(ctx context.Context, c *clients) error {
			_, err := c.email.Create(ctx, &emailaddress.CreateParams{UserID: str(""),
				EmailAddress: str("a@example.com")})
			return err
		}, refused("user_id")},
		"emailaddress.Update": {func(ctx context.Context, c *clients) error {
			_, err := c.email.Update(ctx, "idn_1", nil)
			return err
		}, expect{method: "PATCH", path: "/v1/email_addresses/idn_1", body: "{}"}},
		"emailaddress.AttemptVerification": {func(ctx context.Context, c *clients) error {
			_, err := c.email.AttemptVerification(ctx, "idn_1", nil)
			return err
		}, refused("verification_id")},
		"phonenumber.Create": {func(ctx context.Context, c *clients) error {
			_, err := c.phone.Create(ctx, nil)
			return err
		}, refused("user_id")},
		"phonenumber.Create no number": {func(ctx context.Context, c *clients) error {
			_, err := c.phone.Create(ctx, &phonenumber.CreateParams{UserID: str("user_1")})
			return err
		}, refused("phone_number")},
		"phonenumber.Update": {func(ctx context.Context, c *clients) error {
			_, err := c.phone.Update(ctx, "idn_1", nil)
			return err
		}, expect{method: "PATCH", path: "/v1/phone_numbers/idn_1", body: "{}"}},
		"phonenumber.AttemptVerification": {func(ctx context.Context, c *clients) error {
			_, err := c.phone.AttemptVerification(ctx, "idn_1", nil)
			return err
		}, refused("verification_id")},
		"session.List": {func(ctx context.Context, c *clients) error {
			_, err := c.session.List(ctx, nil)
			return err
		}, refused("user_id")},
		"session.All": {func(ctx context.Context, c *clients) error {
			return first(c.session.All(ctx, nil))
		}, refused("user_id")},
		"session.Create": {func(ctx context.Context, c *clients) error {
			_, err := c.session.Create(ctx, nil)
			return err
		}, refused("user_id")},
		"session.Create empty user": {func(ctx context.Context, c *clients) error {
			_, err := c.session.Create(ctx, &session.CreateParams{})
			return err
		}, refused("user_id")},
		"session.Refresh": {func(ctx context.Context, c *clients) error {
			_, err := c.session.Refresh(ctx, "sess_1", nil)
			return err
		}, refused("expired_token")},
		"session.CreateToken": {func(ctx context.Context, c *clients) error {
			_, err := c.session.CreateToken(ctx, "sess_1", nil)
			return err
		}, expect{method: "POST", path: "/v1/sessions/sess_1/tokens", body: "{}"}},
		"session.CreateTokenFromTemplate": {func(ctx context.Context, c *clients) error {
			_, err := c.session.CreateTokenFromTemplate(ctx, "sess_1", "tpl", nil)
			return err
		}, expect{method: "POST", path: "/v1/sessions/sess_1/tokens/tpl", body: "{}"}},
		"jwks.Get": {func(ctx context.Context, c *clients) error {
			_, err := c.jwks.Get(ctx)
			return err
		}, expect{method: "GET", path: "/v1/jwks"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			check(t, tc.call, tc.want)
		})
	}
}
