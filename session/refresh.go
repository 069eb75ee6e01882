package session

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// Values of RefreshParams.Format.
const (
	// RefreshFormatToken asks for the new session token itself (the API's default).
	RefreshFormatToken = "token"
	// RefreshFormatCookie asks for the Set-Cookie directives that carry the new token.
	RefreshFormatCookie = "cookie"
)

// RefreshParams carry what a backend saw on a request whose session token had expired.
// ExpiredToken, RefreshToken and RequestOrigin are required.
type RefreshParams struct {
	// ExpiredToken is the expired session token from the __session cookie. It must belong to
	// the session being refreshed.
	ExpiredToken string `json:"expired_token"`
	// RefreshToken is the value of the __refresh cookie.
	RefreshToken string `json:"refresh_token"`
	// RequestOrigin is the origin of the incoming request, such as "https://app.example.com".
	RequestOrigin string `json:"request_origin"`
	// RequestHeaders are the headers of the incoming request, if the caller wants them
	// checked; an *http.Request's Header can be given as it is.
	RequestHeaders http.Header `json:"request_headers,omitempty"`
	// Format is RefreshFormatToken or RefreshFormatCookie; unset means a token.
	Format *string `json:"format,omitempty"`
	// RequestOriginatingIP is the IP address of the client that sent the incoming request.
	RequestOriginatingIP *string `json:"request_originating_ip,omitempty"`
}

func (p *RefreshParams) validate() error {
	if p == nil {
		return &clerk.InvalidParamError{Param: "expired_token", Reason: "is required"}
	}
	if err := clerk.RequireID("expired_token", p.ExpiredToken); err != nil {
		return err
	}
	if err := clerk.RequireID("refresh_token", p.RefreshToken); err != nil {
		return err
	}
	return clerk.RequireID("request_origin", p.RequestOrigin)
}

// Values of RefreshResponse.Object.
const (
	RefreshObjectToken   = "token"
	RefreshObjectCookies = "cookies"
)

// RefreshResponse is the answer to Refresh: either a token or cookies, as Object says.
type RefreshResponse struct {
	// Object is RefreshObjectToken when JWT is set, RefreshObjectCookies when Cookies is.
	Object string `json:"object"`
	// JWT is the new session token, for the token format.
	JWT string `json:"jwt,omitempty"`
	// Cookies are Set-Cookie directives carrying the new token, for the cookie format; each
	// is sent as it is in a Set-Cookie header of the response to the browser.
	Cookies []string `json:"cookies,omitempty"`
}

// Refresh makes a new session token for a session whose token has expired, in the format
// params.Format asks for. Missing required params are a *clerk.InvalidParamError, and no
// request is sent.
//
// The API answers 401 (an *clerk.APIError matching clerk.ErrUnauthorized) when the expired
// token, the refresh token or the request does not check out; the caller then sends the
// browser through Clerk's handshake flow instead.
func (c *Client) Refresh(ctx context.Context, sessionID string, params *RefreshParams,
) (*RefreshResponse, error) {
	if err := clerk.RequireID("session_id", sessionID); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}

	var out RefreshResponse
	req := &clerk.Request{
		Method: http.MethodPost,
		Path:   clerk.JoinPath("sessions", sessionID, "refresh"),
		Body:   params,
	}
	if err := c.b.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Refresh makes a new session token for an expired one with the default configuration (see
// clerk.SetKey).
func Refresh(ctx context.Context, sessionID string, params *RefreshParams,
) (*RefreshResponse, error) {
	return defaultClient().Refresh(ctx, sessionID, params)
}
