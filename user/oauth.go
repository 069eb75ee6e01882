package user

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// ListOAuthAccessTokensParams pages the tokens of ListOAuthAccessTokens; nil asks for the
// API's default page (the first 10). The API's paginated flag is left out: it would change
// the shape of the answer.
type ListOAuthAccessTokensParams struct {
	// Limit is 1 to 500.
	Limit  *int64 `url:"limit,omitempty"`
	Offset *int64 `url:"offset,omitempty"`
}

// ListOAuthAccessTokens returns the user's access tokens at an OAuth provider, such as
// "oauth_google". It is a list because a user may have connected several accounts at one
// provider. An expired OAuth 2.0 token that can be refreshed is refreshed by the API before
// it answers.
func (c *Client) ListOAuthAccessTokens(ctx context.Context, userID, provider string,
	params *ListOAuthAccessTokensParams) ([]*clerk.OAuthAccessToken, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if err := clerk.RequireID("provider", provider); err != nil {
		return nil, err
	}
	if params != nil {
		if err := checkPage(params.Limit, params.Offset); err != nil {
			return nil, err
		}
	}
	var tokens []*clerk.OAuthAccessToken
	req := &clerk.Request{Method: http.MethodGet,
		Path:  clerk.JoinPath("users", userID, "oauth_access_tokens", provider),
		Query: params}
	if err := c.b.Do(ctx, req, &tokens); err != nil {
		return nil, err
	}
	return tokens, nil
}

// ListOAuthAccessTokens returns a user's OAuth access tokens at a provider with the default
// configuration (see clerk.SetKey).
func ListOAuthAccessTokens(ctx context.Context, userID, provider string,
	params *ListOAuthAccessTokensParams) ([]*clerk.OAuthAccessToken, error) {
	return defaultClient().ListOAuthAccessTokens(ctx, userID, provider, params)
}
