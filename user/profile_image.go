package user

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/clerkcompat/clerk"
)

// maxProfileImageBytes bounds the image SetProfileImage reads into memory: far above any
// profile image, it only stops a reader that never ends from exhausting memory.
const maxProfileImageBytes = 32 << 20

// SetProfileImageParams is the image SetProfileImage uploads.
type SetProfileImageParams struct {
	// File is read to its end; it is not closed. Required.
	File io.Reader
	// Filename is the name sent with the file, such as "avatar.png"; "profile_image" when
	// empty. The file's type is taken from its content, not from this name.
	Filename string
}

// SetProfileImage uploads a new profile image for the user (a multipart/form-data POST)
// and returns the updated user. The whole image is read into memory first, so that the
// request can be sent again when it is retried; an image over 32 MiB is refused before any
// request.
func (c *Client) SetProfileImage(ctx context.Context, userID string,
	params *SetProfileImageParams) (*clerk.User, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	if params == nil || params.File == nil {
		return nil, &clerk.InvalidParamError{Param: "file", Reason: "must not be nil"}
	}
	body, contentType, err := profileImageForm(params)
	if err != nil {
		return nil, err
	}

	var u clerk.User
	req := &clerk.Request{
		Method:      http.MethodPost,
		Path:        clerk.JoinPath("users", userID, "profile_image"),
		RawBody:     body,
		ContentType: contentType,
	}
	if err := c.b.Do(ctx, req, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// DeleteProfileImage removes the user's uploaded profile image, so that the generated
// default is shown again, and returns the updated user.
func (c *Client) DeleteProfileImage(ctx context.Context, userID string) (*clerk.User, error) {
	if err := clerk.RequireID("user_id", userID); err != nil {
		return nil, err
	}
	return c.user(ctx, http.MethodDelete, clerk.JoinPath("users", userID, "profile_image"), nil)
}

// SetProfileImage uploads a user's profile image with the default configuration (see
// clerk.SetKey).
func SetProfileImage(ctx context.Context, userID string, params *SetProfileImageParams,
) (*clerk.User, error) {
	return defaultClient().SetProfileImage(ctx, userID, params)
}

// DeleteProfileImage removes a user's profile image with the default configuration (see
// clerk.SetKey).
func DeleteProfileImage(ctx context.Context, userID string) (*clerk.User, error) {
	return defaultClient().DeleteProfileImage(ctx, userID)
}

// quoteEscaper escapes a file name for a Content-Disposition parameter. Line breaks are
// percent-encoded, as browsers do, so that a name cannot add a header to the part.
var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A")

// profileImageForm encodes the image as a multipart form with one part, "file", and
// returns the body and its Content-Type (which carries the boundary).
func profileImageForm(p *SetProfileImageParams) ([]byte, string, error) {
	img, err := io.ReadAll(io.LimitReader(p.File, maxProfileImageBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("clerk: reading profile image: %w", err)
	}
	if len(img) > maxProfileImageBytes {
		return nil, "", &clerk.InvalidParamError{Param: "file", Reason: "is larger than 32 MiB"}
	}
	if len(img) == 0 {
		return nil, "", &clerk.InvalidParamError{Param: "file", Reason: "is empty"}
	}
	name := p.Filename
	if name == "" {
		name = "profile_image"
	}

	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition",
		`form-data; name="file"; filename="`+quoteEscaper.Replace(name)+`"`)
	// The type is sniffed from the bytes, so that it is right even when the file name has no
	// extension or a wrong one.
	h.Set("Content-Type", http.DetectContentType(img))
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", fmt.Errorf("clerk: encoding profile image: %w", err)
	}
	if _, err := part.Write(img); err != nil {
		return nil, "", fmt.Errorf("clerk: encoding profile image: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, "", fmt.Errorf("clerk: encoding profile image: %w", err)
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}
