package clerktest

import (
	"crypto/subtle"
	"net/http"
	"slices"
)

// verifyPasswordParams is the body of POST /users/{user_id}/verify_password.
type verifyPasswordParams struct {
	Password *string `json:"password"`
}

// verifyPassword answers 200 {"verified": true} for the right password, 422 for a wrong one and
// 400 when the user has no password. A password imported as a digest cannot be checked here:
// the server does not implement the hashers, and says so with a 500.
func (s *Server) verifyPassword(w http.ResponseWriter, r *http.Request) {
	var p verifyPasswordParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}
	if p.Password == nil {
		fail(w, errParam("form_param_missing", "password", "password is required."))
		return
	}

	s.store.mu.Lock()
	rec, err := s.store.lookup(r.PathValue("user_id"))
	var hash *passwordHash
	var hasher string
	if err == nil {
		hash, hasher = rec.password, rec.hasher
	}
	s.store.mu.Unlock()
	switch {
	case err != nil:
		fail(w, err)
	case hash == nil && hasher != "":
		fail(w, &apiError{status: http.StatusInternalServerError, code: "internal_clerk_error",
			message: "cannot verify", longMessage: "This test server cannot check passwords " +
				"imported as a " + hasher + " digest."})
	case hash == nil:
		fail(w, errBadRequest("no_password_set", "The user has no password."))
	case !hash.matches(*p.Password):
		fail(w, errParam("form_password_incorrect", "password",
			"Password is incorrect. Try again, or use another method."))
	default:
		writeJSON(w, http.StatusOK, map[string]bool{"verified": true})
	}
}

// verifyTOTPParams is the body of POST /users/{user_id}/verify_totp.
type verifyTOTPParams struct {
	Code *string `json:"code"`
}

// verifyTOTP checks a TOTP code against the user's secret, or a backup code, which it uses up.
func (s *Server) verifyTOTP(w http.ResponseWriter, r *http.Request) {
	var p verifyTOTPParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}
	if p.Code == nil {
		fail(w, errParam("form_param_missing", "code", "code is required."))
		return
	}

	now := s.clock()
	codeType := ""
	u, _, err := s.store.update(r.PathValue("user_id"), now.UnixMilli(),
		func(rec *userRecord) (bool, error) {
			if rec.totpSecret == "" && len(rec.backupCodes) == 0 {
				return false, errBadRequest("totp_not_enabled",
					"The user has no TOTP or backup codes.")
			}
			if rec.totpSecret != "" && totpMatches(rec.totpSecret, *p.Code, now) {
				codeType = "totp"
				return false, nil
			}
			i := slices.IndexFunc(rec.backupCodes, func(c string) bool {
				return subtle.ConstantTimeCompare([]byte(c), []byte(*p.Code)) == 1
			})
			if i < 0 {
				return false, errParam("form_code_incorrect", "code", "The code is incorrect.")
			}
			rec.backupCodes = slices.Delete(rec.backupCodes, i, i+1)
			codeType = "backup_code"
			return true, nil
		})
	if err != nil {
		fail(w, err)
		return
	}
	if codeType == "backup_code" {
		s.publish("user.updated", u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"verified": true, "code_type": codeType})
}

// removePasswordParams is the body of POST /users/{user_id}/remove_password.
type removePasswordParams struct {
	SignOutOfOtherSessions *bool `json:"sign_out_of_other_sessions"`
}

// removePassword removes the user's password, and with sign_out_of_other_sessions revokes the
// user's sessions; a user without a password is returned unchanged.
func (s *Server) removePassword(w http.ResponseWriter, r *http.Request) {
	var p removePasswordParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, asBadRequest(err))
		return
	}
	now := s.now()
	s.changeUser(w, r, func(rec *userRecord) (bool, error) {
		if rec.password == nil && rec.digest == "" {
			return false, nil
		}
		rec.password, rec.digest, rec.hasher = nil, "", ""
		if p.SignOutOfOtherSessions != nil && *p.SignOutOfOtherSessions {
			s.store.endUserSessions(rec.user.ID, now)
		}
		return true, nil
	})
}

func (s *Server) disableMFA(w http.ResponseWriter, r *http.Request) {
	s.changeSecrets(w, r, func(rec *userRecord) bool {
		changed := rec.totpSecret != "" || len(rec.backupCodes) > 0
		rec.totpSecret, rec.backupCodes = "", nil
		for _, p := range rec.user.PhoneNumbers {
			changed = changed || p.ReservedForSecondFactor || p.DefaultSecondFactor
			p.ReservedForSecondFactor, p.DefaultSecondFactor = false, false
		}
		return changed
	})
}

func (s *Server) deleteBackupCodes(w http.ResponseWriter, r *http.Request) {
	s.changeSecrets(w, r, func(rec *userRecord) bool {
		changed := len(rec.backupCodes) > 0
		rec.backupCodes = nil
		return changed
	})
}

func (s *Server) deleteTOTP(w http.ResponseWriter, r *http.Request) {
	s.changeSecrets(w, r, func(rec *userRecord) bool {
		changed := rec.totpSecret != ""
		rec.totpSecret = ""
		return changed
	})
}

// changeSecrets applies a change to the user's second factors and answers {"user_id": id},
// as the MFA endpoints do.
func (s *Server) changeSecrets(w http.ResponseWriter, r *http.Request,
	change func(rec *userRecord) bool) {
	u, changed, err := s.store.update(r.PathValue("user_id"), s.now(),
		func(rec *userRecord) (bool, error) { return change(rec), nil })
	if err != nil {
		fail(w, err)
		return
	}
	if changed {
		s.publish("user.updated", u)
	}
	writeJSON(w, http.StatusOK, map[string]string{"user_id": u.ID})
}
