package user

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/clerkcompat/clerk"
)

// allPageSize is the page size All asks for when the caller sets no Limit: large enough to
// keep the number of requests low, small enough that one page decodes quickly.
const allPageSize = 100

// All returns an iterator over every user that params selects, in the order of OrderBy,
// fetching pages as the loop asks for them. Nothing is sent until the loop starts.
//
// In the created_at orders (OrderBy nil, "created_at", "+created_at" or "-created_at") each
// page starts after the last user of the one before (the starting_after cursor), so users
// created or deleted during the walk neither shift the pages nor make the walk skip or repeat
// anyone. Other orders sort by values that change and are not unique, so they are walked by
// offset, which the API cannot keep stable under concurrent changes.
//
// Limit sets the page size (100 when nil); StartingAfter or Offset, when set, is where the
// walk starts. The walk ends after a page shorter than the page size. An error (invalid
// params, an *clerk.APIError, a context error) is yielded once with a nil user, and ends the
// walk; breaking out of the loop sends no further request.
//
//	for u, err := range client.All(ctx, &user.ListParams{OrderBy: clerk.String("created_at")}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.ID)
//	}
func (c *Client) All(ctx context.Context, params *ListParams) iter.Seq2[*clerk.User, error] {
	return func(yield func(*clerk.User, error) bool) {
		var p ListParams
		if params != nil {
			p = *params
		}
		if err := p.validate(); err != nil {
			yield(nil, err)
			return
		}
		if p.Limit == nil {
			p.Limit = clerk.Int64(allPageSize)
		}
		cursor := byCreatedAt(p.OrderBy)
		var offset int64
		if p.Offset != nil {
			offset = *p.Offset
		}
		var prevFirst string // first user of the previous page, in offset mode

		for {
			users, err := c.List(ctx, &p)
			if err != nil {
				yield(nil, err)
				return
			}
			// In offset mode, the first user of the page before coming first again means the
			// server ignores the offset, and the walk would repeat that page for ever.
			if !cursor && len(users) > 0 && users[0] != nil && users[0].ID != "" &&
				users[0].ID == prevFirst {
				yield(nil, fmt.Errorf("clerk: listing users: the page at offset %d repeats "+
					"the one before", offset))
				return
			}
			for _, u := range users {
				if !yield(u, nil) {
					return
				}
			}
			if int64(len(users)) < *p.Limit {
				return
			}

			if !cursor {
				if users[0] != nil {
					prevFirst = users[0].ID
				}
				offset += int64(len(users))
				p.Offset = clerk.Int64(offset)
				continue
			}
			next, err := nextCursor(users[len(users)-1], p.StartingAfter)
			if err != nil {
				yield(nil, err)
				return
			}
			p.StartingAfter = clerk.String(next)
			p.Offset = nil
		}
	}
}

// nextCursor returns the cursor of the page after the one that ended with last. A cursor
// that is missing or does not move would ask for the same page forever, so it is an error.
func nextCursor(last *clerk.User, prev *string) (string, error) {
	if last == nil || last.ID == "" {
		return "", errors.New("clerk: listing users: a full page ended with a user without an ID")
	}
	if prev != nil && *prev == last.ID {
		return "", fmt.Errorf("clerk: listing users: the page after %q ended with that same user",
			last.ID)
	}
	return last.ID, nil
}

// All iterates over every user params selects, with the default configuration (see
// clerk.SetKey). The configuration is read when the loop starts.
func All(ctx context.Context, params *ListParams) iter.Seq2[*clerk.User, error] {
	return func(yield func(*clerk.User, error) bool) {
		defaultClient().All(ctx, params)(yield)
	}
}
