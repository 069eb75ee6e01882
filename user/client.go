package user

import (
	"github.com/clerkcompat/clerk"
)

// Client calls the user endpoints with one configuration. It is safe for concurrent use.
type Client struct{ b *clerk.Backend }

// NewClient returns a Client for cfg; a nil cfg follows the default configuration (clerk.SetKey).
func NewClient(cfg *clerk.ClientConfig) *Client { return &Client{b: clerk.NewBackend(cfg)} }

// defaultClient is built on every package-level call, so that a key set with clerk.SetKey
// after the program started is seen by the next call.
func defaultClient() *Client { return &Client{b: clerk.DefaultBackend()} }
