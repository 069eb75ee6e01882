package user

import (
	"context"
	"net/http"
	"strconv"

	"github.com/clerkcompat/clerk"
)

// maxBulkUsers is how many users one BanMany or UnbanMany call may name.
const maxBulkUsers = 50

// BanManyParams names the users that BanMany bans.
type BanManyParams struct {
	// UserIDs holds 1 to 50 user IDs.
	UserIDs []string `json:"user_ids"`
}

// UnbanManyParams names the users that UnbanMany unbans.
type UnbanManyParams struct {
	// UserIDs holds 1 to 50 user IDs.
	UserIDs []string `json:"user_ids"`
}

// Ban marks the user as banned: all of the user's sessions are revoked and the user can no
// longer sign in. It returns the updated user. Instances whose plan does not include bans
// get an *clerk.APIError with status 402.
func (c *Client) Ban(ctx context.Context, userID string) (*clerk.User, error) {
	return c.userAction(ctx, userID, "ban")
}

// Unban lifts the user's ban and returns the updated user.
func (c *Client) Unban(ctx context.Context, userID string) (*clerk.User, error) {
	return c.userAction(ctx, userID, "unban")
}

// BanMany bans every user of params, as Ban does, and returns the updated users.
func (c *Client) BanMany(ctx context.Context, params *BanManyParams) ([]*clerk.User, error) {
	if params == nil {
		return nil, checkBulk(nil)
	}
	return c.bulk(ctx, "ban", params.UserIDs)
}

// UnbanMany lifts the ban of every user of params and returns the updated users.
func (c *Client) UnbanMany(ctx context.Context, params *UnbanManyParams,
) ([]*clerk.User, error) {
	if params == nil {
		return nil, checkBulk(nil)
	}
	return c.bulk(ctx, "unban", params.UserIDs)
}

// Lock stops the user from signing in until the lock expires (after the instance's lockout
// duration) or Unlock is called, and returns the updated user.
func (c *Client) Lock(ctx context.Context, userID string) (*clerk.User, error) {
	return c.userAction(ctx, userID, "lock")
}

// Unlock lifts the user's lock and returns the updated user.
func (c *Client) Unlock(ctx context.Context, userID string) (*clerk.User, error) {
	return c.userAction(ctx, userID, "unlock")
}

// Ban bans a user with the default configuration (see clerk.SetKey).
func Ban(ctx context.Context, userID string) (*clerk.User, error) {
	return defaultClient().Ban(ctx, userID)
}

// Unban lifts a user's ban with the default configuration (see clerk.SetKey).
func Unban(ctx context.Context, userID string) (*clerk.User, error) {
	return defaultClient().Unban(ctx, userID)
}

// BanMany bans several users with the default configuration (see clerk.SetKey).
func BanMany(ctx context.Context, params *BanManyParams) ([]*clerk.User, error) {
	return defaultClient().BanMany(ctx, params)
}

// UnbanMany lifts the ban of several users with the default configuration (see
// clerk.SetKey).
func UnbanMany(ctx context.Context, params *UnbanManyParams) ([]*clerk.User, error) {
	return defaultClient().UnbanMany(ctx, params)
}

// Lock locks a user with the default configuration (see clerk.SetKey).
func Lock(ctx context.Context, userID string) (*clerk.User, error) {
	return defaultClient().Lock(ctx, userID)
}

// Unlock unlocks a user with the default configuration (see clerk.SetKey).
func Unlock(ctx context.Context, userID string) (*clerk.User, error) {
	return defaultClient().Unlock(ctx, userID)
}

// userAction sends a POST with no body to /users/{user_id}/{action}; the answer is the user.
func (c *Client) userAction(ctx context.Context, userID, action string) (*clerk.User, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	return c.user(ctx, http.MethodPost, clerk.JoinPath("users", userID, action), nil)
}

// bulk sends POST /users/{action} for userIDs; the answer is the list of updated users.
func (c *Client) bulk(ctx context.Context, action string, userIDs []string,
) ([]*clerk.User, error) {
	if err := checkBulk(userIDs); err != nil {
		return nil, err
	}
	body := struct {
		UserIDs []string `json:"user_ids"`
	}{userIDs}
	var users []*clerk.User
	req := &clerk.Request{Method: http.MethodPost, Path: clerk.JoinPath("users", action),
		Body: body}
	if err := c.b.Do(ctx, req, &users); err != nil {
		return nil, err
	}
	return users, nil
}

// checkBulk checks the user IDs of a bulk call: 1 to maxBulkUsers, none empty.
func checkBulk(userIDs []string) error {
	if len(userIDs) == 0 || len(userIDs) > maxBulkUsers {
		return &clerk.InvalidParamError{Param: "user_ids",
			Reason: "must hold 1 to " + strconv.Itoa(maxBulkUsers) + " user IDs"}
	}
	for i, id := range userIDs {
		if id == "" {
			return &clerk.InvalidParamError{Param: "user_ids",
				Reason: "entry " + strconv.Itoa(i) + " is empty"}
		}
	}
	return nil
}
