package clerktest

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/clerkcompat/clerk"
)

// userFilter holds the filters of GET /users and GET /users/count. Different filters must all
// match; the values of one filter are alternatives. A nil list is a filter not given.
type userFilter struct {
	emails, phones, usernames, wallets []string
	externalIDs, userIDs, orgIDs       *idSet

	query, emailQuery, phoneQuery, usernameQuery, nameQuery string

	banned *bool
	// times holds the time filters, each a test on one timestamp of the user.
	times []timeFilter

	provider        string
	providerUserIDs []string
}

// idSet is an ID filter whose values may start with "+" (include, the default) or "-"
// (exclude).
type idSet struct {
	include, exclude map[string]bool
}

// timeFilter tests one timestamp of a user against a bound.
type timeFilter struct {
	field func(*clerk.User) *int64
	test  func(ts, bound int64) bool
	bound int64
}

func parseUserFilter(q url.Values) (*userFilter, error) {
	f := &userFilter{}
	lists := []struct {
		name string
		dst  *[]string
		norm func(string) string
	}{
		{"email_address", &f.emails, strings.ToLower},
		{"phone_number", &f.phones, strings.TrimSpace},
		{"username", &f.usernames, strings.ToLower},
		{"web3_wallet", &f.wallets, strings.ToLower},
		{"provider_user_id", &f.providerUserIDs, func(s string) string { return s }},
	}
	for _, l := range lists {
		values, err := listParam(q, l.name)
		if err != nil {
			return nil, err
		}
		for _, v := range values {
			*l.dst = append(*l.dst, l.norm(v))
		}
	}
	for _, s := range []struct {
		name string
		dst  **idSet
	}{{"external_id", &f.externalIDs}, {"user_id", &f.userIDs}, {"organization_id", &f.orgIDs}} {
		values, err := listParam(q, s.name)
		if err != nil {
			return nil, err
		}
		if values != nil {
			*s.dst = parseIDSet(values)
		}
	}

	f.query = strings.ToLower(q.Get("query"))
	f.emailQuery = strings.ToLower(q.Get("email_address_query"))
	f.phoneQuery = strings.ToLower(q.Get("phone_number_query"))
	f.usernameQuery = strings.ToLower(q.Get("username_query"))
	f.nameQuery = strings.ToLower(q.Get("name_query"))
	if q.Has("banned") {
		b, err := strconv.ParseBool(q.Get("banned"))
		if err != nil {
			return nil, errParam("form_param_format_invalid", "banned",
				"banned must be true or false.")
		}
		f.banned = &b
	}
	if err := f.parseTimes(q); err != nil {
		return nil, err
	}

	f.provider = q.Get("provider")
	switch {
	case f.provider != "" && f.providerUserIDs == nil:
		return nil, errParam("form_param_missing", "provider_user_id",
			"provider_user_id is required with provider.")
	case f.provider == "" && f.providerUserIDs != nil:
		return nil, errParam("form_param_missing", "provider",
			"provider is required with provider_user_id.")
	}
	return f, nil
}

// listParam returns the values of a repeated parameter, nil when it is absent.
func listParam(q url.Values, name string) ([]string, error) {
	values, ok := q[name]
	if !ok {
		return nil, nil
	}
	if len(values) > maxFilterValues {
		return nil, errParam("form_param_value_invalid", name,
			name+" accepts at most 100 values.")
	}
	return values, nil
}

func parseIDSet(values []string) *idSet {
	s := &idSet{include: map[string]bool{}, exclude: map[string]bool{}}
	for _, v := range values {
		switch {
		case strings.HasPrefix(v, "-"):
			s.exclude[v[1:]] = true
		case strings.HasPrefix(v, "+"), strings.HasPrefix(v, " "):
			// An unescaped "+" in a query string arrives as a space.
			s.include[v[1:]] = true
		default:
			s.include[v] = true
		}
	}
	return s
}

// match reports whether id (nil when the user has none) passes the set.
func (s *idSet) match(id *string) bool {
	if s == nil {
		return true
	}
	if id == nil {
		return len(s.include) == 0
	}
	return !s.exclude[*id] && (len(s.include) == 0 || s.include[*id])
}

func (f *userFilter) parseTimes(q url.Values) error {
	lastActive := func(u *clerk.User) *int64 { return u.LastActiveAt }
	lastSignIn := func(u *clerk.User) *int64 { return u.LastSignInAt }
	created := func(u *clerk.User) *int64 { return &u.CreatedAt }
	before := func(ts, bound int64) bool { return ts < bound }
	after := func(ts, bound int64) bool { return ts > bound }
	since := func(ts, bound int64) bool { return ts >= bound }
	for _, t := range []struct {
		name  string
		field func(*clerk.User) *int64
		test  func(ts, bound int64) bool
	}{
		{"last_active_at_before", lastActive, before},
		{"last_active_at_after", lastActive, after},
		{"last_active_at_since", lastActive, since},
		{"created_at_before", created, before},
		{"created_at_after", created, after},
		{"last_sign_in_at_before", lastSignIn, before},
		{"last_sign_in_at_after", lastSignIn, after},
	} {
		if !q.Has(t.name) {
			continue
		}
		bound, err := strconv.ParseInt(q.Get(t.name), 10, 64)
		if err != nil {
			return errParam("form_param_format_invalid", t.name,
				t.name+" must be a Unix time in milliseconds.")
		}
		f.times = append(f.times, timeFilter{field: t.field, test: t.test, bound: bound})
	}
	return nil
}

// match reports whether u passes every filter.
func (f *userFilter) match(u *clerk.User) bool {
	emails, phones, wallets := identifierValues(u)
	username := strings.ToLower(deref(u.Username))
	switch {
	case f.emails != nil && !overlaps(f.emails, emails),
		f.phones != nil && !overlaps(f.phones, phones),
		f.wallets != nil && !overlaps(f.wallets, wallets),
		f.usernames != nil && (u.Username == nil || !overlaps(f.usernames, []string{username})),
		!f.externalIDs.match(u.ExternalID),
		!f.userIDs.match(&u.ID),
		// The server keeps no organizations, so no user is a member of any.
		!f.orgIDs.match(nil),
		f.banned != nil && u.Banned != *f.banned:
		return false
	}
	for _, t := range f.times {
		ts := t.field(u)
		if ts == nil || !t.test(*ts, t.bound) {
			return false
		}
	}
	if f.provider != "" && !f.matchAccount(u) {
		return false
	}

	names := []string{strings.ToLower(deref(u.FirstName)), strings.ToLower(deref(u.LastName)),
		strings.ToLower(strings.TrimSpace(deref(u.FirstName) + " " + deref(u.LastName)))}
	if f.query != "" {
		all := append([]string{strings.ToLower(u.ID), username}, names...)
		all = append(append(append(all, emails...), phones...), wallets...)
		if !containsPart(all, f.query) {
			return false
		}
	}
	return (f.emailQuery == "" || containsPart(emails, f.emailQuery)) &&
		(f.phoneQuery == "" || containsPart(phones, f.phoneQuery)) &&
		(f.usernameQuery == "" || containsPart([]string{username}, f.usernameQuery)) &&
		(f.nameQuery == "" || containsPart(names, f.nameQuery))
}

// matchAccount reports whether u has an external account at the filter's provider with one of
// its provider user IDs. The provider may be given with or without its "oauth_" prefix.
func (f *userFilter) matchAccount(u *clerk.User) bool {
	for _, a := range u.ExternalAccounts {
		sameProvider := a.Provider == f.provider || a.Provider == "oauth_"+f.provider
		if sameProvider && overlaps(f.providerUserIDs, []string{a.ProviderUserID}) {
			return true
		}
	}
	return false
}

// identifierValues returns u's email addresses, phone numbers and wallets, the email addresses
// and wallets in lower case.
func identifierValues(u *clerk.User) (emails, phones, wallets []string) {
	for _, e := range u.EmailAddresses {
		emails = append(emails, strings.ToLower(e.EmailAddress))
	}
	for _, p := range u.PhoneNumbers {
		phones = append(phones, p.PhoneNumber)
	}
	for _, w := range u.Web3Wallets {
		wallets = append(wallets, strings.ToLower(w.Web3Wallet))
	}
	return emails, phones, wallets
}

func overlaps(want, have []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}

// containsPart reports whether any of values contains part, which is in lower case.
func containsPart(values []string, part string) bool {
	for _, v := range values {
		if strings.Contains(strings.ToLower(v), part) {
			return true
		}
	}
	return false
}
