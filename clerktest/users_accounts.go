package clerktest

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/clerkcompat/clerk"
)

// oauthTokens lists the OAuth access tokens of the user's external accounts at one provider,
// which may be named with or without its "oauth_" prefix. With paginated=true the list comes
// in a {data, total_count} envelope.
func (s *Server) oauthTokens(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	paginated := false
	if q.Has("paginated") {
		var err error
		if paginated, err = strconv.ParseBool(q.Get("paginated")); err != nil {
			fail(w, errParam("form_param_format_invalid", "paginated",
				"paginated must be true or false."))
			return
		}
	}
	page, err := parseUserPage(q)
	if err != nil {
		fail(w, err)
		return
	}

	provider := r.PathValue("provider")
	tokens := []*clerk.OAuthAccessToken{}
	s.store.mu.Lock()
	rec, err := s.store.lookup(r.PathValue("user_id"))
	if err == nil {
		for _, a := range rec.user.ExternalAccounts {
			t := rec.tokens[a.ID]
			if t == nil || (a.Provider != provider && a.Provider != "oauth_"+provider) {
				continue
			}
			tokens = append(tokens, &clerk.OAuthAccessToken{
				Object: "oauth_access_token", ExternalAccountID: a.ID,
				ProviderUserID: a.ProviderUserID, Token: t.token, ExpiresAt: t.expiresAt,
				Provider: a.Provider, PublicMetadata: slices.Clone(a.PublicMetadata),
				Label: a.Label, Scopes: slices.Clone(t.scopes),
			})
		}
	}
	s.store.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}

	total := len(tokens)
	tokens = tokens[min(page.offset, total):]
	tokens = tokens[:min(page.limit, len(tokens))]
	if paginated {
		writeJSON(w, http.StatusOK, map[string]any{"data": tokens, "total_count": total})
		return
	}
	writeJSON(w, http.StatusOK, tokens)
}

func (s *Server) deletePasskey(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("passkey_identification_id")
	s.removeFromUser(w, r, "passkey", id, func(u *clerk.User) bool {
		n := len(u.Passkeys)
		u.Passkeys = slices.DeleteFunc(u.Passkeys, func(p *clerk.Passkey) bool {
			return p.ID == id
		})
		return len(u.Passkeys) < n
	})
}

func (s *Server) deleteWeb3Wallet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("web3_wallet_identification_id")
	s.removeFromUser(w, r, "web3_wallet", id, func(u *clerk.User) bool {
		n := len(u.Web3Wallets)
		u.Web3Wallets = slices.DeleteFunc(u.Web3Wallets, func(wl *clerk.Web3Wallet) bool {
			return wl.ID == id
		})
		if u.PrimaryWeb3WalletID != nil && *u.PrimaryWeb3WalletID == id {
			u.PrimaryWeb3WalletID = nil
			if len(u.Web3Wallets) > 0 {
				u.PrimaryWeb3WalletID = &u.Web3Wallets[0].ID
			}
		}
		return len(u.Web3Wallets) < n
	})
}

// deleteExternalAccount unlinks an external account: the account and its token go, and the
// identifiers it supplied stay, no longer linked to it.
func (s *Server) deleteExternalAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("external_account_id")
	s.removeFromUser(w, r, "external_account", id, func(u *clerk.User) bool {
		n := len(u.ExternalAccounts)
		u.ExternalAccounts = slices.DeleteFunc(u.ExternalAccounts,
			func(a *clerk.ExternalAccount) bool { return a.ID == id })
		linked := func(l clerk.IdentificationLink) bool { return l.ID == id }
		for _, e := range u.EmailAddresses {
			e.LinkedTo = slices.DeleteFunc(e.LinkedTo, linked)
		}
		for _, p := range u.PhoneNumbers {
			p.LinkedTo = slices.DeleteFunc(p.LinkedTo, linked)
		}
		return len(u.ExternalAccounts) < n
	})
}

// removeFromUser removes the object id of kind object from the user named by the path, with
// remove reporting whether the user had it, and answers with a DeletedObject.
func (s *Server) removeFromUser(w http.ResponseWriter, r *http.Request, object, id string,
	remove func(u *clerk.User) bool) {
	u, _, err := s.store.update(r.PathValue("user_id"), s.now(),
		func(rec *userRecord) (bool, error) {
			if !remove(rec.user) {
				return false, errNotFound(object)
			}
			delete(rec.tokens, id)
			return true, nil
		})
	if err != nil {
		fail(w, err)
		return
	}
	s.publish("user.updated", u)
	writeJSON(w, http.StatusOK, &clerk.DeletedObject{Object: object, ID: id, Deleted: true})
}
