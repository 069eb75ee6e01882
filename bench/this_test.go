package bench

import (
	"context"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
	"github.com/clerkcompat/clerk/user"
)

// thisConfig configures this SDK for s the way a program would: the key and the base URL,
// every other field at its default (the SDK's shared HTTP client, retries, deadline).
func thisConfig(s *apiServer) *clerk.ClientConfig {
	return &clerk.ClientConfig{Key: testKey, BaseURL: s.baseURL()}
}

func thisGet(s *apiServer) func(context.Context, string) (userView, error) {
	c := user.NewClient(thisConfig(s))
	return func(ctx context.Context, id string) (userView, error) {
		u, err := c.Get(ctx, id)
		if err != nil {
			return userView{}, err
		}
		return viewOf(u), nil
	}
}

var thisListParams = user.ListParams{Limit: clerk.Int64(listLimit)}

func thisList(s *apiServer) func(context.Context) (int, error) {
	c := user.NewClient(thisConfig(s))
	return func(ctx context.Context) (int, error) {
		users, err := c.List(ctx, &thisListParams)
		return len(users), err
	}
}

func thisWalk(s *apiServer) func(context.Context, func(userView)) error {
	c := user.NewClient(thisConfig(s))
	params := &user.ListParams{Limit: clerk.Int64(walkLimit)}
	return func(ctx context.Context, visit func(userView)) error {
		for u, err := range c.All(ctx, params) {
			if err != nil {
				return err
			}
			visit(viewOf(u))
		}
		return nil
	}
}

// thisVerify uses keys from the instance's JWKS, cached by the verifier: the check before the
// timed loop fetches them once.
func thisVerify(b *testing.B, s *apiServer) func(context.Context, string) (string, error) {
	v, err := auth.NewVerifier(auth.Options{
		Config:            thisConfig(s),
		Issuer:            tokenIssuer,
		AuthorizedParties: []string{tokenAZP},
	})
	if err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context, token string) (string, error) {
		c, err := v.Verify(ctx, token)
		if err != nil {
			return "", err
		}
		return c.Subject, nil
	}
}
