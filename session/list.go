package session

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// ListParams selects the sessions that List and All return. One of ClientID and UserID must be
// set: the API no longer lists every session of an instance at once. Only the fields set are
// sent.
type ListParams struct {
	// ClientID selects the sessions of one client (a browser or device).
	ClientID *string `url:"client_id,omitempty"`
	// UserID selects the sessions of one user.
	UserID *string `url:"user_id,omitempty"`
	// Status keeps only the sessions with that status, such as clerk.SessionStatusActive. The
	// filter accepts every status but "pending".
	Status *string `url:"status,omitempty"`
	// Limit is the page size, 1 to 500; the API's default is 10.
	Limit *int64 `url:"limit,omitempty"`
	// Offset skips that many sessions first; it must not be negative.
	Offset *int64 `url:"offset,omitempty"`
}

func (p *ListParams) validate() error {
	if p == nil || (p.ClientID == nil && p.UserID == nil) {
		return &clerk.InvalidParamError{Param: "user_id",
			Reason: "is required unless client_id is set"}
	}
	// An empty filter would be sent as "user_id=", which does not select what the caller meant.
	if p.ClientID != nil && *p.ClientID == "" {
		return &clerk.InvalidParamError{Param: "client_id", Reason: "must not be empty"}
	}
	if p.UserID != nil && *p.UserID == "" {
		return &clerk.InvalidParamError{Param: "user_id", Reason: "must not be empty"}
	}
	if p.Status != nil && *p.Status == "" {
		return &clerk.InvalidParamError{Param: "status", Reason: "must not be empty"}
	}
	if p.Limit != nil && (*p.Limit < 1 || *p.Limit > 500) {
		return &clerk.InvalidParamError{Param: "limit", Reason: "must be 1 to 500"}
	}
	if p.Offset != nil && *p.Offset < 0 {
		return &clerk.InvalidParamError{Param: "offset", Reason: "must not be negative"}
	}
	return nil
}

// listQuery is the query List sends: the caller's filters, and paginated=true so that the
// API answers with the total count beside the page instead of a bare array.
type listQuery struct {
	ListParams
	Paginated bool `url:"paginated"`
}

// ListResponse is one page of sessions, newest first.
type ListResponse struct {
	Sessions []*clerk.Session `json:"data"`
	// TotalCount is the number of sessions that match the filters, on every page together.
	TotalCount int64 `json:"total_count"`
}

// List returns one page of the sessions that params selects, newest first, with the total
// count; one request. The API drops old inactive sessions after a while, so they are not
// listed. Missing or bad params are a *clerk.InvalidParamError, and no request is sent.
func (c *Client) List(ctx context.Context, params *ListParams) (*ListResponse, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	return c.list(ctx, *params)
}

func (c *Client) list(ctx context.Context, params ListParams) (*ListResponse, error) {
	var page ListResponse
	req := &clerk.Request{
		Method: http.MethodGet,
		Path:   "sessions",
		Query:  listQuery{ListParams: params, Paginated: true},
	}
	if err := c.b.Do(ctx, req, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// allPageSize is the page size of All when params.Limit is not set.
const allPageSize = 100

// All returns every session that params selects, newest first, fetching pages of params.Limit
// sessions (100 when unset) from params.Offset on as the loop asks for them. Nothing is sent
// until the loop starts; breaking out of it stops the requests.
//
// An error (bad params, a failed request) is yielded once with a nil session, and ends the
// walk. Pages are found by offset, so a session created during the walk moves the others one
// place down: All skips the sessions it has already yielded, and never yields one twice. A
// session that ends and is cleaned up during the walk may move another one past the offset,
// which is then missed.
func (c *Client) All(ctx context.Context, params *ListParams) iter.Seq2[*clerk.Session, error] {
	// A copy, so that the caller may change params while the walk goes on; each walk works on
	// a copy of its own, so that ranging twice starts twice from the same place.
	var base ListParams
	if params != nil {
		base = *params
	}
	return func(yield func(*clerk.Session, error) bool) {
		p := base
		if err := p.validate(); err != nil {
			yield(nil, err)
			return
		}
		if p.Limit == nil {
			p.Limit = clerk.Int64(allPageSize)
		}
		var offset int64
		if p.Offset != nil {
			offset = *p.Offset
		}
		seen := make(map[string]bool)
		for {
			// Checked here as well as by the transport, so that a walk whose context ended
			// while the loop body ran sends nothing, whatever Doer the configuration uses.
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			p.Offset = clerk.Int64(offset)
			page, err := c.list(ctx, p)
			if err != nil {
				yield(nil, err)
				return
			}
			fresh := 0
			for _, s := range page.Sessions {
				if s == nil || seen[s.ID] {
					continue
				}
				seen[s.ID] = true
				fresh++
				if !yield(s, nil) {
					return
				}
			}
			full := int64(len(page.Sessions)) >= *p.Limit
			if full && fresh == 0 {
				// A full page of sessions all seen before means the server is not moving
				// through the list (it ignores offset): asking on would repeat it for ever.
				yield(nil, fmt.Errorf("clerk: listing sessions: the page at offset %d holds "+
					"only sessions already seen", offset))
				return
			}
			offset += int64(len(page.Sessions))
			// A short page is the last one, whatever total_count says, so that a count that
			// is too high cannot make the walk request empty pages for ever.
			if int64(len(page.Sessions)) < *p.Limit || offset >= page.TotalCount {
				return
			}
		}
	}
}

// List returns one page of sessions with the default configuration (see clerk.SetKey).
func List(ctx context.Context, params *ListParams) (*ListResponse, error) {
	return defaultClient().List(ctx, params)
}

// All returns every session that params selects with the default configuration (see
// clerk.SetKey). The configuration is read when the loop starts.
func All(ctx context.Context, params *ListParams) iter.Seq2[*clerk.Session, error] {
	return func(yield func(*clerk.Session, error) bool) {
		defaultClient().All(ctx, params)(yield)
	}
}
