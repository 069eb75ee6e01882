package session

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// Bounds of CreateTokenParams.ExpiresInSeconds that the API accepts: 30 seconds to 10 years.
const (
	MinTokenLifetimeSeconds = 30
	MaxTokenLifetimeSeconds = 315360000
)

// CreateTokenParams tunes a token made by CreateToken or CreateTokenFromTemplate. A nil
// params, or one with no field set, keeps the lifetime that the instance (or the template)
// defines.
type CreateTokenParams struct {
	// ExpiresInSeconds is the token's lifetime, from MinTokenLifetimeSeconds to
	// MaxTokenLifetimeSeconds.
	ExpiresInSeconds *int64 `json:"expires_in_seconds,omitempty"`
}

func (p *CreateTokenParams) validate() error {
	if p == nil || p.ExpiresInSeconds == nil {
		return nil
	}
	if n := *p.ExpiresInSeconds; n < MinTokenLifetimeSeconds || n > MaxTokenLifetimeSeconds {
		return &clerk.InvalidParamError{Param: "expires_in_seconds",
			Reason: "must be 30 to 315360000"}
	}
	return nil
}

// body returns what the request sends: an empty object for nil params, never JSON null.
func (p *CreateTokenParams) body() any {
	if p == nil {
		return struct{}{}
	}
	return p
}

// CreateToken returns a new session token (a signed JWT) for the session, with the claims of
// the instance's session token. A session that does not exist is an *clerk.APIError matching
// clerk.ErrNotFound.
func (c *Client) CreateToken(ctx context.Context, sessionID string, params *CreateTokenParams,
) (*clerk.SessionToken, error) {
	if err := clerk.RequireID("session_id", sessionID); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	return c.token(ctx, clerk.JoinPath("sessions", sessionID, "tokens"), params.body())
}

// CreateTokenFromTemplate returns a new token (a signed JWT) for the session, shaped by the
// instance's JWT template named templateName (such as a template for a third-party
// service). An unknown session or template is an *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) CreateTokenFromTemplate(ctx context.Context, sessionID, templateName string,
	params *CreateTokenParams) (*clerk.SessionToken, error) {
	if err := clerk.RequireID("session_id", sessionID); err != nil {
		return nil, err
	}
	if err := clerk.RequireID("template_name", templateName); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	path := clerk.JoinPath("sessions", sessionID, "tokens", templateName)
	return c.token(ctx, path, params.body())
}

// token sends one request whose answer is a token.
func (c *Client) token(ctx context.Context, path string, body any) (*clerk.SessionToken, error) {
	var t clerk.SessionToken
	req := &clerk.Request{Method: http.MethodPost, Path: path, Body: body}
	if err := c.b.Do(ctx, req, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateToken returns a new session token with the default configuration (see clerk.SetKey).
func CreateToken(ctx context.Context, sessionID string, params *CreateTokenParams,
) (*clerk.SessionToken, error) {
	return defaultClient().CreateToken(ctx, sessionID, params)
}

// CreateTokenFromTemplate returns a new token shaped by a JWT template with the default
// configuration (see clerk.SetKey).
func CreateTokenFromTemplate(ctx context.Context, sessionID, templateName string,
	params *CreateTokenParams) (*clerk.SessionToken, error) {
	return defaultClient().CreateTokenFromTemplate(ctx, sessionID, templateName, params)
}
