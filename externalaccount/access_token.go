package externalaccount

import (
	"context"
	"fmt"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// tokenPageSize is the largest page the API serves. A user rarely has more than one account
// per provider, so one request nearly always returns them all.
const tokenPageSize = 500

// maxTokenPages bounds the walk, so that a server that ignores offset cannot keep a call
// going (and growing) for ever.
const maxTokenPages = 20

// AccessToken returns the user's OAuth access tokens at provider (such as "oauth_google"),
// one per external account the user connected there; an OAuth 2.0 token that has expired
// is refreshed by the API when it can. The API answers in pages: AccessToken reads them
// all. A user with no account at the provider gives an empty slice; an unknown user is an
// *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) AccessToken(ctx context.Context, userID, provider string,
) ([]*clerk.OAuthAccessToken, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if err := clerk.RequireID("provider", provider); err != nil {
		return nil, err
	}
	path := clerk.JoinPath("users", userID, "oauth_access_tokens", provider)

	tokens := []*clerk.OAuthAccessToken{}
	for page := 0; page < maxTokenPages; page++ {
		q := &pageParams{Limit: tokenPageSize, Offset: page * tokenPageSize}
		var got []*clerk.OAuthAccessToken
		req := &clerk.Request{Method: http.MethodGet, Path: path, Query: q}
		if err := c.b.Do(ctx, req, &got); err != nil {
			return nil, err
		}
		tokens = append(tokens, got...)
		if len(got) < tokenPageSize {
			return tokens, nil
		}
	}
	return nil, fmt.Errorf("externalaccount: GET /%s: more than %d tokens", path,
		maxTokenPages*tokenPageSize)
}

// AccessToken returns the user's OAuth access tokens at a provider with the default
// configuration (see clerk.SetKey).
func AccessToken(ctx context.Context, userID, provider string,
) ([]*clerk.OAuthAccessToken, error) {
	return defaultClient().AccessToken(ctx, userID, provider)
}

// pageParams is the query of one page. Offset is sent when zero too, so every page's query
// has the same shape.
type pageParams struct {
	Limit  int `url:"limit"`
	Offset int `url:"offset"`
}
