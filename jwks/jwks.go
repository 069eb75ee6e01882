package jwks

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// Client calls the JWKS endpoint with one configuration.
type Client struct{ b *clerk.Backend }

// NewClient returns a Client for cfg; a nil cfg uses the default configuration.
func NewClient(cfg *clerk.ClientConfig) *Client { return &Client{b: clerk.NewBackend(cfg)} }

// Get returns the instance's JSON Web Key Set: the public keys that verify its session tokens.
// An API failure is a *clerk.APIError.
func (c *Client) Get(ctx context.Context) (*clerk.JSONWebKeySet, error) {
	var set clerk.JSONWebKeySet
	if err := c.b.Do(ctx, &clerk.Request{Method: http.MethodGet, Path: "jwks"}, &set); err != nil {
		return nil, err
	}
	return &set, nil
}

// Get returns the instance's JSON Web Key Set with the default configuration (see
// clerk.SetKey).
func Get(ctx context.Context) (*clerk.JSONWebKeySet, error) { return defaultClient().Get(ctx) }

func defaultClient() *Client { return &Client{b: clerk.DefaultBackend()} }
