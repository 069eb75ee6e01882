package session

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// CreateParams are the fields of a new session.
type CreateParams struct {
	// UserID names the user who is signed in by the new session. It is required.
	UserID string `json:"user_id"`
	// ActiveOrganizationID, when set, makes that organization the session's active one.
	ActiveOrganizationID *string `json:"active_organization_id,omitempty"`
}

func (p *CreateParams) validate() error {
	if p == nil {
		return &clerk.InvalidParamError{Param: "user_id", Reason: "is required"}
	}
	return clerk.RequireID("user_id", p.UserID)
}

// Get returns the session with the given ID. A session that does not exist is an
// *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) Get(ctx context.Context, sessionID string) (*clerk.Session, error) {
	if err := clerk.RequireID("session_id", sessionID); err != nil {
		return nil, err
	}
	return c.session(ctx, http.MethodGet, clerk.JoinPath("sessions", sessionID), nil)
}

// Revoke ends the session and returns it with status "revoked": its user must sign in again on
// that client.
func (c *Client) Revoke(ctx context.Context, sessionID string) (*clerk.Session, error) {
	if err := clerk.RequireID("session_id", sessionID); err != nil {
		return nil, err
	}
	path := clerk.JoinPath("sessions", sessionID, "revoke")
	return c.session(ctx, http.MethodPost, path, nil)
}

// Create starts a new active session for params.UserID and returns it.
//
// Create is meant for tests: it works only on development instances (sk_test_ keys), and a
// production instance refuses it. To sign a real user in from the backend, use a sign-in token.
// A user that does not exist is an *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) Create(ctx context.Context, params *CreateParams) (*clerk.Session, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	return c.session(ctx, http.MethodPost, "sessions", params)
}

// Get returns the session with the given ID, with the default configuration (see
// clerk.SetKey).
func Get(ctx context.Context, sessionID string) (*clerk.Session, error) {
	return defaultClient().Get(ctx, sessionID)
}

// Revoke ends a session with the default configuration (see clerk.SetKey).
func Revoke(ctx context.Context, sessionID string) (*clerk.Session, error) {
	return defaultClient().Revoke(ctx, sessionID)
}

// Create starts a new session, on a test instance only, with the default configuration (see
// clerk.SetKey).
func Create(ctx context.Context, params *CreateParams) (*clerk.Session, error) {
	return defaultClient().Create(ctx, params)
}
