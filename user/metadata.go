package user

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/clerkcompat/clerk"
)

// MetadataParams holds the metadata objects to merge (UpdateMetadata) or to replace
// (ReplaceMetadata). A nil field leaves that metadata as it is; a set field must be a JSON
// object, such as clerk.JSONRawMessage(json.RawMessage(`{"plan":"pro"}`)).
type MetadataParams struct {
	// PublicMetadata is readable by the frontend and writable only from the backend.
	PublicMetadata *json.RawMessage `json:"public_metadata,omitempty"`
	// PrivateMetadata is readable and writable only from the backend.
	PrivateMetadata *json.RawMessage `json:"private_metadata,omitempty"`
	// UnsafeMetadata is writable by the frontend too, so its content is not to be trusted.
	UnsafeMetadata *json.RawMessage `json:"unsafe_metadata,omitempty"`
}

func (p *MetadataParams) validate() error {
	if p == nil {
		return nil
	}
	return validateMetadata(p.PublicMetadata, p.PrivateMetadata, p.UnsafeMetadata)
}

// UpdateMetadata merges params into the user's metadata (PATCH /users/{user_id}/metadata)
// and returns the updated user. The merge is deep: nested objects are merged key by key, and
// a key set to null is removed, at any depth. A nil params changes nothing.
func (c *Client) UpdateMetadata(ctx context.Context, userID string, params *MetadataParams,
) (*clerk.User, error) {
	return c.metadata(ctx, http.MethodPatch, userID, params)
}

// ReplaceMetadata replaces each metadata object set in params whole (PUT
// /users/{user_id}/metadata) and returns the updated user: what the object held before is
// discarded. Objects left nil keep their content; set one to {} to empty it.
func (c *Client) ReplaceMetadata(ctx context.Context, userID string, params *MetadataParams,
) (*clerk.User, error) {
	return c.metadata(ctx, http.MethodPut, userID, params)
}

func (c *Client) metadata(ctx context.Context, method, userID string, params *MetadataParams,
) (*clerk.User, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	return c.user(ctx, method, clerk.JoinPath("users", userID, "metadata"), orEmpty(params))
}

// UpdateMetadata merges metadata into a user's with the default configuration (see
// clerk.SetKey).
func UpdateMetadata(ctx context.Context, userID string, params *MetadataParams,
) (*clerk.User, error) {
	return defaultClient().UpdateMetadata(ctx, userID, params)
}

// ReplaceMetadata replaces a user's metadata objects with the default configuration (see
// clerk.SetKey).
func ReplaceMetadata(ctx context.Context, userID string, params *MetadataParams,
) (*clerk.User, error) {
	return defaultClient().ReplaceMetadata(ctx, userID, params)
}

// validateMetadata checks public, private and unsafe metadata (in that order), each of
// which may be nil. A set value must be a JSON object: an empty value would fail inside the
// JSON encoder, and anything but an object is refused by the API.
func validateMetadata(public, private, unsafe *json.RawMessage) error {
	fields := []struct {
		name string
		v    *json.RawMessage
	}{{"public_metadata", public}, {"private_metadata", private}, {"unsafe_metadata", unsafe}}
	for _, f := range fields {
		if f.v == nil {
			continue
		}
		raw := bytes.TrimSpace(*f.v)
		switch {
		case len(raw) == 0:
			return &clerk.InvalidParamError{Param: f.name,
				Reason: "is empty: leave it nil to keep the metadata, or send {}"}
		case !json.Valid(raw):
			return &clerk.InvalidParamError{Param: f.name, Reason: "is not valid JSON"}
		case raw[0] != '{':
			return &clerk.InvalidParamError{Param: f.name, Reason: "must be a JSON object"}
		}
	}
	return nil
}
