package clerktest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyPassword(t *testing.T) {
	t.Parallel()
	s := start(t)
	withPassword := create(t, s, map[string]any{"password": "correct horse"})
	without := create(t, s, map[string]any{})
	digest := create(t, s, map[string]any{"password_digest": "x", "password_hasher": "bcrypt"})
	skipped := create(t, s, map[string]any{"password": "abc", "skip_password_checks": true})

	tests := []struct {
		name   string
		userID string
		body   any
		status int
		code   string
	}{
		{"right", withPassword.ID, map[string]any{"password": "correct horse"}, 200, ""},
		{"wrong", withPassword.ID, map[string]any{"password": "Correct horse"}, 422,
			"form_password_incorrect"},
		{"short password kept with checks skipped", skipped.ID,
			map[string]any{"password": "abc"}, 200, ""},
		{"no password", without.ID, map[string]any{"password": "x"}, 400, "no_password_set"},
		{"digest the server cannot check", digest.ID, map[string]any{"password": "x"}, 500,
			"internal_clerk_error"},
		{"missing parameter", withPassword.ID, map[string]any{}, 422, "form_param_missing"},
		{"unknown user", "user_missing", map[string]any{"password": "x"}, 404,
			"resource_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, s, http.MethodPost, "/users/"+tt.userID+"/verify_password", tt.body)
			if tt.status == http.StatusOK {
				assert.Equal(t, map[string]bool{"verified": true}, ok[map[string]bool](t, r))
				return
			}
			failed(t, r, tt.status, tt.code)
		})
	}
}

func TestTOTPCode(t *testing.T) {
	t.Parallel()
	// RFC 6238, appendix B: the SHA-1 key "12345678901234567890" at 59 s gives 94287082,
	// whose last six digits are the 6-digit code.
	key := []byte("12345678901234567890")
	assert.Equal(t, "287082", totpCode(key, time.Unix(59, 0)))
	assert.Equal(t, "081804", totpCode(key, time.Unix(1111111109, 0)))
}

func TestVerifyTOTP(t *testing.T) {
	t.Parallel()
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // base32 of "12345678901234567890"
	clock := newTestClock(59_000)
	s := start(t, WithClock(clock.Now))
	u := create(t, s, map[string]any{"totp_secret": secret, "backup_codes": []string{"bk-1"}})
	none := create(t, s, map[string]any{})
	verify := func(id, code string) response {
		return do(t, s, http.MethodPost, "/users/"+id+"/verify_totp", map[string]any{"code": code})
	}

	got := ok[map[string]any](t, verify(u.ID, "287082"))
	assert.Equal(t, map[string]any{"verified": true, "code_type": "totp"}, got)
	clock.Add(30 * time.Second) // one step of clock skew is accepted
	ok[map[string]any](t, verify(u.ID, "287082"))
	clock.Add(60 * time.Second)
	failedParam(t, verify(u.ID, "287082"), http.StatusUnprocessableEntity, "form_code_incorrect",
		"code")

	got = ok[map[string]any](t, verify(u.ID, "bk-1"))
	assert.Equal(t, map[string]any{"verified": true, "code_type": "backup_code"}, got)
	failed(t, verify(u.ID, "bk-1"), http.StatusUnprocessableEntity, "form_code_incorrect")
	after := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+u.ID, nil))
	assert.False(t, after.BackupCodeEnabled, "the only backup code was used up")
	assert.True(t, after.TOTPEnabled)

	failed(t, verify(none.ID, "123456"), http.StatusBadRequest, "totp_not_enabled")
	failed(t, verify("user_missing", "123456"), http.StatusNotFound, "resource_not_found")
	failed(t, do(t, s, http.MethodPost, "/users/"+u.ID+"/verify_totp", map[string]any{}),
		http.StatusUnprocessableEntity, "form_param_missing")
}

func TestRemovePassword(t *testing.T) {
	t.Parallel()
	clock := newTestClock(1_000_000)
	s := start(t, WithClock(clock.Now))
	u := create(t, s, map[string]any{"password": "to be removed"})

	clock.Add(time.Second)
	got := ok[*clerk.User](t, do(t, s, http.MethodPost, "/users/"+u.ID+"/remove_password",
		map[string]any{"sign_out_of_other_sessions": true}))
	assert.False(t, got.PasswordEnabled)
	assert.Equal(t, int64(1_001_000), got.UpdatedAt)

	clock.Add(time.Second)
	again := ok[*clerk.User](t, do(t, s, http.MethodPost, "/users/"+u.ID+"/remove_password", nil))
	assert.Equal(t, got, again, "removing a missing password changed the user")
	failed(t, do(t, s, http.MethodPost, "/users/"+u.ID+"/verify_password",
		map[string]any{"password": "to be removed"}), http.StatusBadRequest, "no_password_set")

	failed(t, do(t, s, http.MethodPost, "/users/"+u.ID+"/remove_password",
		map[string]any{"other": true}), http.StatusBadRequest, "form_param_unknown")
	failed(t, do(t, s, http.MethodPost, "/users/user_missing/remove_password", nil),
		http.StatusNotFound, "resource_not_found")
}

func TestSecondFactorDeletions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path             string
		totp, backupCode bool
		secondFactor     bool
	}{
		{"totp", false, true, true},
		{"backup_code", true, false, true},
		{"mfa", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			clock := newTestClock(5_000)
			s := start(t, WithClock(clock.Now))
			u := create(t, s, map[string]any{"totp_secret": "JBSWY3DPEHPK3PXP",
				"backup_codes": []string{"a", "b"}})

			clock.Add(time.Second)
			got := ok[map[string]string](t, do(t, s, http.MethodDelete,
				"/users/"+u.ID+"/"+tt.path, nil))
			assert.Equal(t, map[string]string{"user_id": u.ID}, got)
			after := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+u.ID, nil))
			assert.Equal(t, tt.totp, after.TOTPEnabled)
			assert.Equal(t, tt.backupCode, after.BackupCodeEnabled)
			assert.Equal(t, tt.secondFactor, after.TwoFactorEnabled)
			if !tt.secondFactor {
				assert.Equal(t, int64(6_000), *after.MFADisabledAt)
				assert.Equal(t, int64(5_000), *after.MFAEnabledAt, "enabled time is kept")
			}

			failed(t, do(t, s, http.MethodDelete, "/users/user_missing/"+tt.path, nil),
				http.StatusNotFound, "resource_not_found")
		})
	}
}

// multipartImage returns a form with one file part.
func multipartImage(t *testing.T, field, contentType string, data []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="me.png"`)
	h.Set("Content-Type", contentType)
	part, err := w.CreatePart(h)
	require.NoError(t, err)
	part.Write(data)
	require.NoError(t, w.Close())
	return w.FormDataContentType(), buf.Bytes()
}

func postForm(t *testing.T, s *Server, path, contentType string, body []byte) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.Key())
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, body: raw}
}

func TestProfileImage(t *testing.T) {
	t.Parallel()
	s := start(t)
	u := create(t, s, map[string]any{})
	assert.False(t, u.HasImage)
	assert.NotEmpty(t, u.ImageURL)

	ct, body := multipartImage(t, "file", "image/png", []byte("\x89PNG fake"))
	got := ok[*clerk.User](t, postForm(t, s, "/users/"+u.ID+"/profile_image", ct, body))
	assert.True(t, got.HasImage)
	assert.NotEqual(t, u.ImageURL, got.ImageURL)
	//lint:ignore SA1019 the deprecated field must still mirror image_url
	assert.Equal(t, got.ImageURL, got.ProfileImageURL)

	removed := ok[*clerk.User](t, do(t, s, http.MethodDelete, "/users/"+u.ID+"/profile_image", nil))
	assert.False(t, removed.HasImage)
	assert.Equal(t, u.ImageURL, removed.ImageURL)

	tests := []struct {
		name string
		form func() (string, []byte)
		code string
	}{
		{"not multipart", func() (string, []byte) { return "application/json", []byte(`{}`) },
			"form_param_missing"},
		{"no file part", func() (string, []byte) {
			return multipartImage(t, "image", "image/png", []byte("x"))
		}, "form_param_missing"},
		{"empty file", func() (string, []byte) {
			return multipartImage(t, "file", "image/png", nil)
		}, "form_param_format_invalid"},
		{"not an image", func() (string, []byte) {
			return multipartImage(t, "file", "text/html", []byte("<html>"))
		}, "form_param_format_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := tt.form()
			failed(t, postForm(t, s, "/users/"+u.ID+"/profile_image", ct, body),
				http.StatusBadRequest, tt.code)
		})
	}

	t.Run("too large", func(t *testing.T) {
		ctype, b := multipartImage(t, "file", "image/png",
			[]byte(strings.Repeat("x", maxMultipartBody+1)))
		failed(t, postForm(t, s, "/users/"+u.ID+"/profile_image", ctype, b),
			http.StatusRequestEntityTooLarge, "request_body_too_large")
	})
	t.Run("unknown user", func(t *testing.T) {
		ctype, b := multipartImage(t, "file", "image/png", []byte("x"))
		failed(t, postForm(t, s, "/users/user_missing/profile_image", ctype, b),
			http.StatusNotFound, "resource_not_found")
		failed(t, do(t, s, http.MethodDelete, "/users/user_missing/profile_image", nil),
			http.StatusNotFound, "resource_not_found")
	})
}
