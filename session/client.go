package session

import (
	"context"

	"github.com/clerkcompat/clerk"
)

// Client calls the session endpoints with one configuration. It is safe for concurrent use.
type Client struct{ b *clerk.Backend }

// NewClient returns a Client for cfg; a nil cfg follows the default configuration (clerk.SetKey).
func NewClient(cfg *clerk.ClientConfig) *Client { return &Client{b: clerk.NewBackend(cfg)} }

// defaultClient is built on every package-level call, so that a key set with clerk.SetKey
// after the program started is seen by the next call.
func defaultClient() *Client { return &Client{b: clerk.DefaultBackend()} }

// session sends one request whose answer is a session.
func (c *Client) session(ctx context.Context, method, path string, body any,
) (*clerk.Session, error) {
	var s clerk.Session
	req := &clerk.Request{Method: method, Path: path, Body: body}
	if err := c.b.Do(ctx, req, &s); err != nil {
		return nil, err
	}
	return &s, nil
}
