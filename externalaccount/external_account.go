package externalaccount

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/clerkcompat/clerk"
)

// ErrUserNotFound is returned, wrapped with the provider and provider user ID, by FindUser
// when no user has the external account. It matches clerk.ErrNotFound too, so code that
// handles a missing user from package user handles this one the same way.
var ErrUserNotFound error = userNotFound{}

type userNotFound struct{}

func (userNotFound) Error() string { return "externalaccount: no user has this external account" }

// Is makes errors.Is(err, clerk.ErrNotFound) hold for ErrUserNotFound.
func (userNotFound) Is(target error) bool { return target == clerk.ErrNotFound }

// ErrMultipleUsers is returned, wrapped, by FindUser when more than one user has the
// external account, so that a lookup used to sign someone in never picks one of them at
// random.
var ErrMultipleUsers = errors.New("externalaccount: more than one user has this external account")

// Delete disconnects an external account from its user. An unknown user or account is an
// *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) Delete(ctx context.Context, userID, externalAccountID string,
) (*clerk.DeletedObject, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if err := clerk.RequireID("external_account_id", externalAccountID); err != nil {
		return nil, err
	}
	var deleted clerk.DeletedObject
	req := &clerk.Request{
		Method: http.MethodDelete,
		Path:   clerk.JoinPath("users", userID, "external_accounts", externalAccountID),
	}
	if err := c.b.Do(ctx, req, &deleted); err != nil {
		return nil, err
	}
	return &deleted, nil
}

// Delete disconnects an external account from its user with the default configuration (see
// clerk.SetKey).
func Delete(ctx context.Context, userID, externalAccountID string) (*clerk.DeletedObject, error) {
	return defaultClient().Delete(ctx, userID, externalAccountID)
}

// ListForUser returns the external accounts of a user, read from the user object (the API
// has no list endpoint of its own for them). A user with none gives an empty slice; an
// unknown user is an *clerk.APIError matching clerk.ErrNotFound.
func (c *Client) ListForUser(ctx context.Context, userID string,
) ([]*clerk.ExternalAccount, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	// Only the accounts are decoded; the rest of the user is read and dropped.
	var u struct {
		ExternalAccounts []*clerk.ExternalAccount `json:"external_accounts"`
	}
	req := &clerk.Request{Method: http.MethodGet, Path: clerk.JoinPath("users", userID)}
	if err := c.b.Do(ctx, req, &u); err != nil {
		return nil, err
	}
	if u.ExternalAccounts == nil {
		u.ExternalAccounts = []*clerk.ExternalAccount{}
	}
	return u.ExternalAccounts, nil
}

// ListForUser returns the external accounts of a user with the default configuration (see
// clerk.SetKey).
func ListForUser(ctx context.Context, userID string) ([]*clerk.ExternalAccount, error) {
	return defaultClient().ListForUser(ctx, userID)
}

// FindUser returns the user who connected the account that provider knows as
// providerUserID. provider is the provider's ID with its prefix, such as "oauth_google";
// providerUserID is the user's ID at the provider (ExternalAccount.ProviderUserID).
//
// When no user has that account the error matches ErrUserNotFound and clerk.ErrNotFound;
// when several do, it matches ErrMultipleUsers. An empty provider or providerUserID is an
// *clerk.InvalidParamError and sends nothing: without both filters the request would list
// every user.
func (c *Client) FindUser(ctx context.Context, provider, providerUserID string,
) (*clerk.User, error) {
	if err := clerk.RequireID("provider", provider); err != nil {
		return nil, err
	}
	if err := clerk.RequireID("provider_user_id", providerUserID); err != nil {
		return nil, err
	}
	// Asking for two tells one match from several without reading more.
	q := url.Values{
		"provider":         {provider},
		"provider_user_id": {providerUserID},
		"limit":            {"2"},
	}
	var users []*clerk.User
	req := &clerk.Request{Method: http.MethodGet, Path: "users", Query: q}
	if err := c.b.Do(ctx, req, &users); err != nil {
		return nil, err
	}
	switch len(users) {
	case 0:
		return nil, fmt.Errorf("%w (provider %s, provider user ID %q)",
			ErrUserNotFound, provider, providerUserID)
	case 1:
		return users[0], nil
	default:
		return nil, fmt.Errorf("%w (provider %s, provider user ID %q)",
			ErrMultipleUsers, provider, providerUserID)
	}
}

// FindUser returns the user who connected an external account, with the default
// configuration (see clerk.SetKey).
func FindUser(ctx context.Context, provider, providerUserID string) (*clerk.User, error) {
	return defaultClient().FindUser(ctx, provider, providerUserID)
}
