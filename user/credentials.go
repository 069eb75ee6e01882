package user

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// VerifyPasswordParams holds the password VerifyPassword checks.
type VerifyPasswordParams struct {
	// Password is the password to check. Required.
	Password string `json:"password"`
}

// PasswordVerification is the answer to a correct password.
type PasswordVerification struct {
	Verified bool `json:"verified"`
}

// VerifyTOTPParams holds the code VerifyTOTP checks.
type VerifyTOTPParams struct {
	// Code is a code from the user's authenticator app, or one of the user's backup codes.
	// Required.
	Code string `json:"code"`
}

// TOTPVerification is the answer to a correct code.
type TOTPVerification struct {
	Verified bool `json:"verified"`
	// CodeType is "totp" or "backup_code", saying which kind of code matched.
	CodeType string `json:"code_type"`
}

// MFAResponse is the answer of DisableMFA, DeleteBackupCodes and DeleteTOTP: the ID of the
// user whose factors were removed.
type MFAResponse struct {
	UserID string `json:"user_id"`
}

// RemovePasswordParams are the options of RemovePassword.
type RemovePasswordParams struct {
	// SignOutOfOtherSessions revokes the user's active sessions too when true.
	SignOutOfOtherSessions *bool `json:"sign_out_of_other_sessions,omitempty"`
}

// VerifyPassword checks password against the user's password. A wrong password is an
// *clerk.APIError matching clerk.ErrUnprocessable (422); a user without a password is one
// with status 400.
func (c *Client) VerifyPassword(ctx context.Context, userID string,
	params *VerifyPasswordParams) (*PasswordVerification, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if params == nil || params.Password == "" {
		return nil, &clerk.InvalidParamError{Param: "password", Reason: "must not be empty"}
	}
	var out PasswordVerification
	req := &clerk.Request{Method: http.MethodPost,
		Path: clerk.JoinPath("users", userID, "verify_password"), Body: params}
	if err := c.b.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// VerifyTOTP checks a TOTP or backup code for the user; a backup code that matches is used
// up. A wrong code is an *clerk.APIError matching clerk.ErrUnprocessable (422); a user
// without TOTP is one with status 400.
func (c *Client) VerifyTOTP(ctx context.Context, userID string, params *VerifyTOTPParams,
) (*TOTPVerification, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if params == nil || params.Code == "" {
		return nil, &clerk.InvalidParamError{Param: "code", Reason: "must not be empty"}
	}
	var out TOTPVerification
	req := &clerk.Request{Method: http.MethodPost,
		Path: clerk.JoinPath("users", userID, "verify_totp"), Body: params}
	if err := c.b.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DisableMFA turns off all of the user's second factors at once, such as phone codes and
// TOTP.
func (c *Client) DisableMFA(ctx context.Context, userID string) (*MFAResponse, error) {
	return c.deleteFactor(ctx, userID, "mfa")
}

// DeleteBackupCodes removes the user's backup codes.
func (c *Client) DeleteBackupCodes(ctx context.Context, userID string) (*MFAResponse, error) {
	return c.deleteFactor(ctx, userID, "backup_code")
}

// DeleteTOTP removes the user's TOTP (authenticator app) factors.
func (c *Client) DeleteTOTP(ctx context.Context, userID string) (*MFAResponse, error) {
	return c.deleteFactor(ctx, userID, "totp")
}

// RemovePassword removes the user's password, without asking for it, even when the user has
// no other way to sign in; a user without a password is returned unchanged. Sessions stay
// active unless params.SignOutOfOtherSessions is true. A nil params sends no body.
func (c *Client) RemovePassword(ctx context.Context, userID string,
	params *RemovePasswordParams) (*clerk.User, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	return c.user(ctx, http.MethodPost, clerk.JoinPath("users", userID, "remove_password"),
		params)
}

// DeletePasskey deletes one of the user's passkeys; the user is told by email.
func (c *Client) DeletePasskey(ctx context.Context, userID, passkeyID string,
) (*clerk.DeletedObject, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if err := clerk.RequireID("passkey_identification_id", passkeyID); err != nil {
		return nil, err
	}
	return c.deleted(ctx, clerk.JoinPath("users", userID, "passkeys", passkeyID))
}

// DeleteWeb3Wallet deletes one of the user's Web3 wallets.
func (c *Client) DeleteWeb3Wallet(ctx context.Context, userID, walletID string,
) (*clerk.DeletedObject, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if err := clerk.RequireID("web3_wallet_identification_id", walletID); err != nil {
		return nil, err
	}
	return c.deleted(ctx, clerk.JoinPath("users", userID, "web3_wallets", walletID))
}

// VerifyPassword checks a user's password with the default configuration (see
// clerk.SetKey).
func VerifyPassword(ctx context.Context, userID string, params *VerifyPasswordParams,
) (*PasswordVerification, error) {
	return defaultClient().VerifyPassword(ctx, userID, params)
}

// VerifyTOTP checks a user's TOTP or backup code with the default configuration (see
// clerk.SetKey).
func VerifyTOTP(ctx context.Context, userID string, params *VerifyTOTPParams,
) (*TOTPVerification, error) {
	return defaultClient().VerifyTOTP(ctx, userID, params)
}

// DisableMFA removes a user's second factors with the default configuration (see
// clerk.SetKey).
func DisableMFA(ctx context.Context, userID string) (*MFAResponse, error) {
	return defaultClient().DisableMFA(ctx, userID)
}

// DeleteBackupCodes removes a user's backup codes with the default configuration (see
// clerk.SetKey).
func DeleteBackupCodes(ctx context.Context, userID string) (*MFAResponse, error) {
	return defaultClient().DeleteBackupCodes(ctx, userID)
}

// DeleteTOTP removes a user's TOTP factors with the default configuration (see
// clerk.SetKey).
func DeleteTOTP(ctx context.Context, userID string) (*MFAResponse, error) {
	return defaultClient().DeleteTOTP(ctx, userID)
}

// RemovePassword removes a user's password with the default configuration (see
// clerk.SetKey).
func RemovePassword(ctx context.Context, userID string, params *RemovePasswordParams,
) (*clerk.User, error) {
	return defaultClient().RemovePassword(ctx, userID, params)
}

// DeletePasskey deletes a user's passkey with the default configuration (see clerk.SetKey).
func DeletePasskey(ctx context.Context, userID, passkeyID string) (*clerk.DeletedObject, error) {
	return defaultClient().DeletePasskey(ctx, userID, passkeyID)
}

// DeleteWeb3Wallet deletes a user's Web3 wallet with the default configuration (see
// clerk.SetKey).
func DeleteWeb3Wallet(ctx context.Context, userID, walletID string,
) (*clerk.DeletedObject, error) {
	return defaultClient().DeleteWeb3Wallet(ctx, userID, walletID)
}

// deleteFactor sends DELETE /users/{user_id}/{factor}.
func (c *Client) deleteFactor(ctx context.Context, userID, factor string,
) (*MFAResponse, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	var out MFAResponse
	req := &clerk.Request{Method: http.MethodDelete, Path: clerk.JoinPath("users", userID, factor)}
	if err := c.b.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
