package clerktest

import (
	"net/http"
	"slices"

	"github.com/clerkcompat/clerk"
)

// routeUsers registers the /users endpoints.
func (s *Server) routeUsers(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/users", s.listUsers)
	mux.HandleFunc("GET /v1/users/count", s.countUsers)
	mux.HandleFunc("POST /v1/users", s.createUser)
	mux.HandleFunc("GET /v1/users/{user_id}", s.getUser)
	mux.HandleFunc("PATCH /v1/users/{user_id}", s.updateUser)
	mux.HandleFunc("DELETE /v1/users/{user_id}", s.deleteUser)

	mux.HandleFunc("POST /v1/users/{user_id}/ban", s.banUser)
	mux.HandleFunc("POST /v1/users/{user_id}/unban", s.setFlag(func(u *clerk.User) *bool {
		return &u.Banned
	}, false))
	mux.HandleFunc("POST /v1/users/{user_id}/lock", s.setFlag(func(u *clerk.User) *bool {
		return &u.Locked
	}, true))
	mux.HandleFunc("POST /v1/users/{user_id}/unlock", s.setFlag(func(u *clerk.User) *bool {
		return &u.Locked
	}, false))
	mux.HandleFunc("POST /v1/users/ban", s.banMany(true))
	mux.HandleFunc("POST /v1/users/unban", s.banMany(false))

	mux.HandleFunc("PATCH /v1/users/{user_id}/metadata", s.updateMetadata(true))
	mux.HandleFunc("PUT /v1/users/{user_id}/metadata", s.updateMetadata(false))
	mux.HandleFunc("POST /v1/users/{user_id}/profile_image", s.setProfileImage)
	mux.HandleFunc("DELETE /v1/users/{user_id}/profile_image", s.deleteProfileImage)

	mux.HandleFunc("POST /v1/users/{user_id}/verify_password", s.verifyPassword)
	mux.HandleFunc("POST /v1/users/{user_id}/verify_totp", s.verifyTOTP)
	mux.HandleFunc("POST /v1/users/{user_id}/remove_password", s.removePassword)
	mux.HandleFunc("DELETE /v1/users/{user_id}/mfa", s.disableMFA)
	mux.HandleFunc("DELETE /v1/users/{user_id}/backup_code", s.deleteBackupCodes)
	mux.HandleFunc("DELETE /v1/users/{user_id}/totp", s.deleteTOTP)

	mux.HandleFunc("GET /v1/users/{user_id}/oauth_access_tokens/{provider}", s.oauthTokens)
	mux.HandleFunc("DELETE /v1/users/{user_id}/passkeys/{passkey_identification_id}",
		s.deletePasskey)
	mux.HandleFunc("DELETE /v1/users/{user_id}/web3_wallets/{web3_wallet_identification_id}",
		s.deleteWeb3Wallet)
	mux.HandleFunc("DELETE /v1/users/{user_id}/external_accounts/{external_account_id}",
		s.deleteExternalAccount)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.store.get(r.PathValue("user_id"))
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var p createUserParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}

	s.store.mu.Lock()
	u, err := s.store.createUser(&p, s.now())
	s.store.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	s.publish("user.created", u)
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	var p updateUserParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}
	now := s.now()
	s.changeUser(w, r, func(rec *userRecord) (bool, error) {
		if err := s.store.applyUpdate(rec, &p, now); err != nil {
			return false, err
		}
		if p.Password.ptrIfSet() != nil && p.SignOutOfOtherSessions.val {
			s.store.endUserSessions(rec.user.ID, now)
		}
		return true, nil
	})
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("user_id")
	s.store.mu.Lock()
	rec, err := s.store.lookup(id)
	if err == nil {
		delete(s.store.users, id)
		s.store.gone[id] = cursorKey{rec.user.CreatedAt, id}
		s.store.endUserSessions(id, s.now())
	}
	s.store.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	deleted := &clerk.DeletedObject{Object: "user", ID: id, Deleted: true}
	s.publish("user.deleted", deleted)
	writeJSON(w, http.StatusOK, deleted)
}

// banUser bans the user, which also revokes every session of the user.
func (s *Server) banUser(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	s.changeUser(w, r, func(rec *userRecord) (bool, error) {
		s.store.endUserSessions(rec.user.ID, now)
		changed := !rec.user.Banned
		rec.user.Banned = true
		return changed, nil
	})
}

// setFlag returns a handler that sets one boolean of the user (banned, locked) to value.
func (s *Server) setFlag(flag func(*clerk.User) *bool, value bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.changeUser(w, r, func(rec *userRecord) (bool, error) {
			f := flag(rec.user)
			changed := *f != value
			*f = value
			return changed, nil
		})
	}
}

// banManyParams is the body of POST /users/ban and POST /users/unban.
type banManyParams struct {
	UserIDs []string `json:"user_ids"`
}

// maxBanMany is the most users one bulk ban or unban may name.
const maxBanMany = 50

// banMany bans or unbans several users at once. IDs that name no user are ignored, as the
// list filters ignore them; the response lists the users that exist, in the order given.
func (s *Server) banMany(banned bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var p banManyParams
		if err := decodeBody(w, r, &p); err != nil {
			fail(w, asBadRequest(err))
			return
		}
		switch {
		case len(p.UserIDs) == 0:
			fail(w, errBadRequest("form_param_missing", "user_ids must list at least one user."))
			return
		case len(p.UserIDs) > maxBanMany:
			fail(w, errBadRequest("form_param_value_invalid",
				"user_ids may list at most 50 users."))
			return
		}

		now := s.now()
		users := []*clerk.User{}
		var changed []*clerk.User
		s.store.mu.Lock()
		for i, id := range p.UserIDs {
			rec, ok := s.store.users[id]
			if !ok || slices.Contains(p.UserIDs[:i], id) {
				continue
			}
			if banned {
				s.store.endUserSessions(id, now)
			}
			if rec.user.Banned != banned {
				rec.user.Banned = banned
				rec.user.UpdatedAt = now
				changed = append(changed, copyUser(rec.user))
			}
			users = append(users, copyUser(rec.user))
		}
		s.store.mu.Unlock()

		for _, u := range changed {
			s.publish("user.updated", u)
		}
		writeJSON(w, http.StatusOK, users)
	}
}

// changeUser applies change to the user named by the path's user_id, publishes the change
// when there was one, and answers with the user.
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request,
	change func(rec *userRecord) (bool, error)) {
	u, changed, err := s.store.update(r.PathValue("user_id"), s.now(), change)
	if err != nil {
		fail(w, err)
		return
	}
	if changed {
		s.publish("user.updated", u)
	}
	writeJSON(w, http.StatusOK, u)
}
