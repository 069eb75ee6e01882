package user

import (
	"context"
	"fmt"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// ListParams selects and orders the users of List and All. Every field is optional; a nil
// *ListParams lists every user, newest first.
//
// The list filters (EmailAddresses, UserIDs, ...) are sent as one query key per value. A nil
// slice means "no filter"; an empty, non-nil slice is refused with a *clerk.InvalidParamError
// rather than sent, because the API would read it as no filter and return every user.
type ListParams struct {
	EmailAddresses []string `url:"email_address,omitempty"`
	PhoneNumbers   []string `url:"phone_number,omitempty"`
	// ExternalIDs and UserIDs may prefix a value with "-" to exclude it (or "+" to include).
	ExternalIDs []string `url:"external_id,omitempty"`
	Usernames   []string `url:"username,omitempty"`
	Web3Wallets []string `url:"web3_wallet,omitempty"`
	UserIDs     []string `url:"user_id,omitempty"`
	// OrganizationIDs selects members of the organizations; "-" excludes members instead.
	OrganizationIDs []string `url:"organization_id,omitempty"`
	// Query matches part of any identifier, the user ID, or the first or last name.
	Query *string `url:"query,omitempty"`
	// EmailAddressQuery, PhoneNumberQuery, UsernameQuery and NameQuery match part of that
	// one attribute, ignoring case.
	EmailAddressQuery *string `url:"email_address_query,omitempty"`
	PhoneNumberQuery  *string `url:"phone_number_query,omitempty"`
	UsernameQuery     *string `url:"username_query,omitempty"`
	NameQuery         *string `url:"name_query,omitempty"`
	// Banned selects banned users when true and the others when false.
	Banned *bool `url:"banned,omitempty"`
	// The time bounds are Unix milliseconds.
	LastActiveAtBefore *int64 `url:"last_active_at_before,omitempty"`
	LastActiveAtAfter  *int64 `url:"last_active_at_after,omitempty"`
	// Deprecated: LastActiveAtSince is kept by the API for old callers; use
	// LastActiveAtAfter.
	LastActiveAtSince  *int64   `url:"last_active_at_since,omitempty"`
	CreatedAtBefore    *int64   `url:"created_at_before,omitempty"`
	CreatedAtAfter     *int64   `url:"created_at_after,omitempty"`
	LastSignInAtBefore *int64   `url:"last_sign_in_at_before,omitempty"`
	LastSignInAtAfter  *int64   `url:"last_sign_in_at_after,omitempty"`
	Provider           *string  `url:"provider,omitempty"`
	ProviderUserIDs    []string `url:"provider_user_id,omitempty"`

	// Limit is the page size, 1 to 500; the API's default is 10.
	Limit *int64 `url:"limit,omitempty"`
	// Offset skips that many users. Deep offsets are slow on large instances: walk with
	// StartingAfter (or All) instead.
	Offset *int64 `url:"offset,omitempty"`
	// StartingAfter is the ID of the last user of the previous page; the page starts after
	// it. It needs the created_at order and cannot be combined with a non-zero Offset.
	StartingAfter *string `url:"starting_after,omitempty"`
	// OrderBy is an attribute to sort by, with "-" for descending: created_at, updated_at,
	// email_address, web3wallet, first_name, last_name, phone_number, username,
	// last_active_at or last_sign_in_at. The default is "-created_at".
	OrderBy *string `url:"order_by,omitempty"`
}

// CountParams selects the users that Count counts, with the filters of ListParams.
type CountParams struct {
	EmailAddresses     []string `url:"email_address,omitempty"`
	PhoneNumbers       []string `url:"phone_number,omitempty"`
	ExternalIDs        []string `url:"external_id,omitempty"`
	Usernames          []string `url:"username,omitempty"`
	Web3Wallets        []string `url:"web3_wallet,omitempty"`
	UserIDs            []string `url:"user_id,omitempty"`
	OrganizationIDs    []string `url:"organization_id,omitempty"`
	Query              *string  `url:"query,omitempty"`
	EmailAddressQuery  *string  `url:"email_address_query,omitempty"`
	PhoneNumberQuery   *string  `url:"phone_number_query,omitempty"`
	UsernameQuery      *string  `url:"username_query,omitempty"`
	NameQuery          *string  `url:"name_query,omitempty"`
	Banned             *bool    `url:"banned,omitempty"`
	LastActiveAtBefore *int64   `url:"last_active_at_before,omitempty"`
	LastActiveAtAfter  *int64   `url:"last_active_at_after,omitempty"`
	// Deprecated: LastActiveAtSince is kept by the API for old callers; use
	// LastActiveAtAfter.
	LastActiveAtSince  *int64   `url:"last_active_at_since,omitempty"`
	CreatedAtBefore    *int64   `url:"created_at_before,omitempty"`
	CreatedAtAfter     *int64   `url:"created_at_after,omitempty"`
	LastSignInAtBefore *int64   `url:"last_sign_in_at_before,omitempty"`
	LastSignInAtAfter  *int64   `url:"last_sign_in_at_after,omitempty"`
	Provider           *string  `url:"provider,omitempty"`
	ProviderUserIDs    []string `url:"provider_user_id,omitempty"`
}

// Bounds of ListParams.Limit, from the API.
const (
	minLimit = 1
	maxLimit = 500
)

func (p *ListParams) validate() error {
	if p == nil {
		return nil
	}
	err := checkFilters(p.EmailAddresses, p.PhoneNumbers, p.ExternalIDs, p.Usernames,
		p.Web3Wallets, p.UserIDs, p.OrganizationIDs, p.ProviderUserIDs)
	if err != nil {
		return err
	}
	if err := checkPage(p.Limit, p.Offset); err != nil {
		return err
	}
	if p.StartingAfter != nil {
		switch {
		case *p.StartingAfter == "":
			return &clerk.InvalidParamError{Param: "starting_after",
				Reason: "must not be empty: leave it nil to start at the first user"}
		case !byCreatedAt(p.OrderBy):
			return &clerk.InvalidParamError{Param: "starting_after",
				Reason: "needs the created_at order, not " + *p.OrderBy}
		case p.Offset != nil && *p.Offset != 0:
			return &clerk.InvalidParamError{Param: "starting_after",
				Reason: "cannot be combined with a non-zero offset"}
		}
	}
	return nil
}

func (p *CountParams) validate() error {
	if p == nil {
		return nil
	}
	return checkFilters(p.EmailAddresses, p.PhoneNumbers, p.ExternalIDs, p.Usernames,
		p.Web3Wallets, p.UserIDs, p.OrganizationIDs, p.ProviderUserIDs)
}

// filterNames are the query keys of the list filters, in the order checkFilters takes them.
var filterNames = [...]string{"email_address", "phone_number", "external_id", "username",
	"web3_wallet", "user_id", "organization_id", "provider_user_id"}

// checkFilters refuses a list filter given as an empty, non-nil slice: nothing would be
// sent for it, and the API would return every user instead of none. An empty entry is
// refused too, since it matches no user and is almost always a missing value.
func checkFilters(lists ...[]string) error {
	for i, l := range lists {
		if l != nil && len(l) == 0 {
			return &clerk.InvalidParamError{Param: filterNames[i],
				Reason: "is an empty list: leave it nil for no filter"}
		}
		for j, v := range l {
			if v == "" {
				return &clerk.InvalidParamError{Param: filterNames[i],
					Reason: fmt.Sprintf("entry %d is empty", j)}
			}
		}
	}
	return nil
}

// checkPage checks a limit and an offset, either of which may be nil.
func checkPage(limit, offset *int64) error {
	if limit != nil && (*limit < minLimit || *limit > maxLimit) {
		return &clerk.InvalidParamError{Param: "limit", Reason: "must be 1 to 500"}
	}
	if offset != nil && *offset < 0 {
		return &clerk.InvalidParamError{Param: "offset", Reason: "must not be negative"}
	}
	return nil
}

// byCreatedAt reports whether order (nil for the API's default) sorts by creation time, the
// only order that the starting_after cursor accepts.
func byCreatedAt(order *string) bool {
	if order == nil {
		return true
	}
	switch *order {
	case "created_at", "+created_at", "-created_at":
		return true
	}
	return false
}

// List returns one page of users: a single request, at most Limit users (10 when Limit is
// nil), in the order of OrderBy. The API sends no total with the page; Count gives it, and
// All walks every page. A nil params lists from the newest user.
func (c *Client) List(ctx context.Context, params *ListParams) ([]*clerk.User, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	var users []*clerk.User
	req := &clerk.Request{Method: http.MethodGet, Path: "users", Query: params}
	if err := c.b.Do(ctx, req, &users); err != nil {
		return nil, err
	}
	return users, nil
}

// Count returns how many users match params; a nil params counts every user.
func (c *Client) Count(ctx context.Context, params *CountParams) (int64, error) {
	if err := params.validate(); err != nil {
		return 0, err
	}
	var out struct {
		TotalCount int64 `json:"total_count"`
	}
	req := &clerk.Request{Method: http.MethodGet, Path: "users/count", Query: params}
	if err := c.b.Do(ctx, req, &out); err != nil {
		return 0, err
	}
	return out.TotalCount, nil
}

// List returns one page of users with the default configuration (see clerk.SetKey).
func List(ctx context.Context, params *ListParams) ([]*clerk.User, error) {
	return defaultClient().List(ctx, params)
}

// Count counts users with the default configuration (see clerk.SetKey).
func Count(ctx context.Context, params *CountParams) (int64, error) {
	return defaultClient().Count(ctx, params)
}
