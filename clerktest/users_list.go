package clerktest

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/clerkcompat/clerk"
)

// Paging bounds of GET /users.
const (
	defaultLimit    = 10
	maxLimit        = 500
	maxFilterValues = 100
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseUserFilter(q)
	if err != nil {
		fail(w, err)
		return
	}
	page, err := parseUserPage(q)
	if err != nil {
		fail(w, err)
		return
	}

	s.store.mu.Lock()
	users, err := s.store.listUsers(f, page)
	s.store.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, users)
}

func (s *Server) countUsers(w http.ResponseWriter, r *http.Request) {
	f, err := parseUserFilter(r.URL.Query())
	if err != nil {
		fail(w, err)
		return
	}

	n := 0
	s.store.mu.Lock()
	for _, rec := range s.store.users {
		if f.match(rec.user) {
			n++
		}
	}
	s.store.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"object": "total_count", "total_count": n})
}

// listUsers returns copies of the users that match f, in page's order and window. The caller
// must hold st.mu.
func (st *store) listUsers(f *userFilter, page *userPage) ([]*clerk.User, error) {
	var matched []*clerk.User
	for _, rec := range st.users {
		if f.match(rec.user) {
			matched = append(matched, rec.user)
		}
	}
	slices.SortFunc(matched, page.order.compare)

	if page.after != "" {
		key, ok := st.position(page.after)
		if !ok {
			return nil, errParam("form_param_value_invalid", "starting_after",
				"starting_after must be the ID of a user from a previous page.")
		}
		cursor := &clerk.User{ID: key.id, CreatedAt: key.createdAt}
		i := slices.IndexFunc(matched, func(u *clerk.User) bool {
			return page.order.compare(u, cursor) > 0
		})
		if i < 0 {
			i = len(matched)
		}
		matched = matched[i:]
	} else {
		matched = matched[min(page.offset, len(matched)):]
	}
	matched = matched[:min(page.limit, len(matched))]

	out := make([]*clerk.User, len(matched))
	for i, u := range matched {
		out[i] = copyUser(u)
	}
	return out, nil
}

// position returns where the user id stands, or stood before it was deleted.
func (st *store) position(id string) (cursorKey, bool) {
	if rec, ok := st.users[id]; ok {
		return cursorKey{rec.user.CreatedAt, id}, true
	}
	key, ok := st.gone[id]
	return key, ok
}

// userPage is the window and order of a GET /users request.
type userPage struct {
	limit, offset int
	after         string
	order         userOrder
}

func parseUserPage(q url.Values) (*userPage, error) {
	p := &userPage{limit: defaultLimit}
	if err := pageParams(q, &p.limit, &p.offset); err != nil {
		return nil, err
	}
	var err error
	if p.order, err = parseUserOrder(q.Get("order_by")); err != nil {
		return nil, err
	}

	p.after = q.Get("starting_after")
	switch {
	case p.after == "":
	case p.offset != 0:
		return nil, errParam("form_param_value_invalid", "starting_after",
			"starting_after cannot be combined with a non-zero offset.")
	case p.order.field != "created_at":
		return nil, errParam("form_param_value_invalid", "starting_after",
			"starting_after requires ordering by created_at.")
	}
	return p, nil
}

// pageParams reads limit (1 to maxLimit) and offset (0 or more) from q into limit and offset,
// leaving either as it is when q does not have it.
func pageParams(q url.Values, limit, offset *int) error {
	var err error
	if q.Has("limit") {
		if *limit, err = intParam(q, "limit"); err != nil {
			return err
		}
		if *limit < 1 || *limit > maxLimit {
			return errParam("form_param_value_invalid", "limit",
				"limit must be between 1 and 500.")
		}
	}
	if q.Has("offset") {
		if *offset, err = intParam(q, "offset"); err != nil {
			return err
		}
		if *offset < 0 {
			return errParam("form_param_value_invalid", "offset", "offset must be 0 or more.")
		}
	}
	return nil
}

func intParam(q url.Values, name string) (int, error) {
	n, err := strconv.Atoi(q.Get(name))
	if err != nil {
		return 0, errParam("form_param_format_invalid", name, name+" must be an integer.")
	}
	return n, nil
}

// userOrder is a sort of users by one field, with the user ID breaking ties in the same
// direction, so that every order is total and pages never overlap.
type userOrder struct {
	field string
	desc  bool
	value func(*clerk.User) sortValue
}

// sortValue is a user's value for an ordering field: a number, a string, or null.
type sortValue struct {
	null bool
	n    int64
	s    string
}

func intValue(n int64) sortValue { return sortValue{n: n} }

func ptrValue(n *int64) sortValue {
	if n == nil {
		return sortValue{null: true}
	}
	return sortValue{n: *n}
}

func strValue(s *string) sortValue {
	if s == nil {
		return sortValue{null: true}
	}
	return sortValue{s: strings.ToLower(*s)}
}

// userOrderFields are the fields GET /users sorts by, named as order_by names them.
var userOrderFields = map[string]func(*clerk.User) sortValue{
	"created_at":      func(u *clerk.User) sortValue { return intValue(u.CreatedAt) },
	"updated_at":      func(u *clerk.User) sortValue { return intValue(u.UpdatedAt) },
	"last_active_at":  func(u *clerk.User) sortValue { return ptrValue(u.LastActiveAt) },
	"last_sign_in_at": func(u *clerk.User) sortValue { return ptrValue(u.LastSignInAt) },
	"first_name":      func(u *clerk.User) sortValue { return strValue(u.FirstName) },
	"last_name":       func(u *clerk.User) sortValue { return strValue(u.LastName) },
	"username":        func(u *clerk.User) sortValue { return strValue(u.Username) },
	"email_address": func(u *clerk.User) sortValue {
		return strValue(primaryValue(u.PrimaryEmailAddressID, u.EmailAddresses,
			func(e *clerk.EmailAddress) (string, string) { return e.ID, e.EmailAddress }))
	},
	"phone_number": func(u *clerk.User) sortValue {
		return strValue(primaryValue(u.PrimaryPhoneNumberID, u.PhoneNumbers,
			func(p *clerk.PhoneNumber) (string, string) { return p.ID, p.PhoneNumber }))
	},
	"web3wallet": func(u *clerk.User) sortValue {
		return strValue(primaryValue(u.PrimaryWeb3WalletID, u.Web3Wallets,
			func(w *clerk.Web3Wallet) (string, string) { return w.ID, w.Web3Wallet }))
	},
}

// primaryValue returns the value of the identifier whose ID is primary, or nil.
func primaryValue[T any](primary *string, items []*T, idValue func(*T) (string, string)) *string {
	if primary == nil {
		return nil
	}
	for _, item := range items {
		if id, v := idValue(item); id == *primary {
			return &v
		}
	}
	return nil
}

// parseUserOrder reads order_by: a field, optionally after "+" (ascending, the default) or
// "-". A "+" sent unescaped in a query arrives as a space, so a space counts as "+".
func parseUserOrder(orderBy string) (userOrder, error) {
	if orderBy == "" {
		orderBy = "-created_at"
	}
	o := userOrder{field: orderBy}
	switch orderBy[0] {
	case '-':
		o.desc, o.field = true, orderBy[1:]
	case '+', ' ':
		o.field = orderBy[1:]
	}
	value, ok := userOrderFields[o.field]
	if !ok {
		return o, errParam("form_param_value_invalid", "order_by",
			"order_by must be one of created_at, updated_at, email_address, web3wallet, "+
				"first_name, last_name, phone_number, username, last_active_at or "+
				"last_sign_in_at, with an optional + or - before it.")
	}
	o.value = value
	return o, nil
}

// compare orders a before b; nulls sort after every value in ascending order, and so before
// them in descending order.
func (o userOrder) compare(a, b *clerk.User) int {
	va, vb := o.value(a), o.value(b)
	c := 0
	switch {
	case va.null && vb.null:
	case va.null:
		c = 1
	case vb.null:
		c = -1
	default:
		c = cmp.Or(cmp.Compare(va.n, vb.n), strings.Compare(va.s, vb.s))
	}
	c = cmp.Or(c, strings.Compare(a.ID, b.ID))
	if o.desc {
		return -c
	}
	return c
}
