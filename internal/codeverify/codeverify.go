// Package codeverify sends the one-time code calls that email addresses and phone numbers
// share: prepare_verification and attempt_verification below their own collection.
package codeverify

import (
	"context"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// Prepare asks for a code to be sent to the identifier id of collection ("email_addresses"
// or "phone_numbers"); idParam names id in errors.
func Prepare(ctx context.Context, b *clerk.Backend, collection, idParam, id string,
) (*clerk.CodeVerification, error) {
	if err := clerk.RequireID(idParam, id); err != nil {
		return nil, err
	}
	return send(ctx, b, clerk.JoinPath(collection, id, "prepare_verification"), nil)
}

// Attempt checks code against the verification verificationID of the identifier id. Both are
// required; a nil pointer or an empty value is an *clerk.InvalidParamError.
func Attempt(ctx context.Context, b *clerk.Backend, collection, idParam, id string,
	verificationID, code *string) (*clerk.CodeVerification, error) {
	if err := clerk.RequireID(idParam, id); err != nil {
		return nil, err
	}
	if verificationID == nil {
		return nil, &clerk.InvalidParamError{Param: "verification_id", Reason: "is required"}
	}
	if err := clerk.RequireID("verification_id", *verificationID); err != nil {
		return nil, err
	}
	if code == nil || *code == "" {
		return nil, &clerk.InvalidParamError{Param: "code", Reason: "is required"}
	}
	body := struct {
		VerificationID string `json:"verification_id"`
		Code           string `json:"code"`
	}{*verificationID, *code}
	return send(ctx, b, clerk.JoinPath(collection, id, "attempt_verification"), body)
}

// send makes one POST whose answer is a verification.
func send(ctx context.Context, b *clerk.Backend, path string, body any,
) (*clerk.CodeVerification, error) {
	var v clerk.CodeVerification
	req := &clerk.Request{Method: http.MethodPost, Path: path, Body: body}
	if err := b.Do(ctx, req, &v); err != nil {
		return nil, err
	}
	return &v, nil
}
