package clerktest

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
)

// metadataParams is the body of PATCH and PUT /users/{user_id}/metadata.
type metadataParams struct {
	PublicMetadata  json.RawMessage `json:"public_metadata"`
	PrivateMetadata json.RawMessage `json:"private_metadata"`
	UnsafeMetadata  json.RawMessage `json:"unsafe_metadata"`
}

// updateMetadata returns the handler of PATCH (merge true: a deep merge, see mergeMetadata)
// or PUT (merge false: each metadata given replaces the old one) /users/{user_id}/metadata.
// Metadata left out of the body is left alone either way.
func (s *Server) updateMetadata(merge bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var p metadataParams
		if err := decodeBody(w, r, &p); err != nil {
			fail(w, err)
			return
		}
		s.changeUser(w, r, func(rec *userRecord) (bool, error) {
			u := rec.user
			for _, m := range []struct {
				param string
				patch json.RawMessage
				dst   *json.RawMessage
			}{
				{"public_metadata", p.PublicMetadata, &u.PublicMetadata},
				{"private_metadata", p.PrivateMetadata, &u.PrivateMetadata},
				{"unsafe_metadata", p.UnsafeMetadata, &u.UnsafeMetadata},
			} {
				if m.patch == nil {
					continue
				}
				var v json.RawMessage
				var err error
				if merge {
					v, err = mergeMetadata(m.param, *m.dst, m.patch)
				} else {
					v, err = metadataValue(m.param, m.patch)
				}
				if err != nil {
					return false, err
				}
				*m.dst = v
			}
			return true, nil
		})
	}
}

// setProfileImage accepts a multipart form with the image in its "file" part. The server keeps
// no images: it reads the file to its end (within the body bound) and gives the user an image
// URL that names a new image ID.
func (s *Server) setProfileImage(w http.ResponseWriter, r *http.Request) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		fail(w, errBadRequest("form_param_missing",
			"The profile image must be sent as multipart/form-data with a file part."))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxMultipartBody)
	if err := r.ParseMultipartForm(maxMultipartBody); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, bodyReadError(err))
			return
		}
		fail(w, errBadRequest("malformed_request", "The multipart form could not be read."))
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }() // temporary files only
	file, header, err := r.FormFile("file")
	if err != nil {
		fail(w, errBadRequest("form_param_missing", "The form has no file part."))
		return
	}
	file.Close()
	if header.Size == 0 {
		fail(w, errBadRequest("form_param_format_invalid", "The image file is empty."))
		return
	}
	if ct := header.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "image/") &&
		ct != "application/octet-stream" {
		fail(w, errBadRequest("form_param_format_invalid", "The file is not an image."))
		return
	}

	s.changeUser(w, r, func(rec *userRecord) (bool, error) {
		id := "img_" + randomToken(27)
		setImage(rec.user, &id)
		return true, nil
	})
}

func (s *Server) deleteProfileImage(w http.ResponseWriter, r *http.Request) {
	s.changeUser(w, r, func(rec *userRecord) (bool, error) {
		if !rec.user.HasImage {
			return false, nil
		}
		setImage(rec.user, nil)
		return true, nil
	})
}
