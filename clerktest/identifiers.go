package clerktest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/clerkcompat/clerk"
)

// Email addresses and phone numbers live on their user, as the user object shows them; the
// /email_addresses and /phone_numbers endpoints find them there by ID. Rules shared by both:
//
//   - An identifier is held (no other user may add it) once it is verified or reserved. An
//     unverified one holds nothing: several users may have it until one of them verifies it,
//     and that user then holds it. A user never has the same value twice.
//   - A user's first address (or number) becomes primary whatever the request says; a later
//     one becomes primary only when it is verified.
//   - Deleting the primary one makes the oldest remaining verified one primary (the oldest
//     remaining one when none is verified). Deleting the user's last way to sign in (no other
//     address, number, username, wallet, passkey or connected account) is refused with 400
//     identification_deletion_failed, as the API requires every user to keep one.

// routeIdentifiers registers the email address and phone number endpoints, with the code
// verification flow, and the user endpoints that replace all of a user's addresses or numbers.
func (s *Server) routeIdentifiers(mux *http.ServeMux) {
	for _, k := range []*identifierKind{emailKind, phoneKind} {
		item := "/v1/" + k.collection + "/{id}"
		mux.HandleFunc("GET "+item, s.getIdentifier(k))
		mux.HandleFunc("DELETE "+item, s.deleteIdentifier(k))
		mux.HandleFunc("POST "+item+"/prepare_verification", s.prepareVerification(k))
		mux.HandleFunc("POST "+item+"/attempt_verification", s.attemptVerification(k))
	}
	mux.HandleFunc("POST /v1/email_addresses", s.createEmailAddress)
	mux.HandleFunc("PATCH /v1/email_addresses/{id}", s.updateEmailAddress)
	mux.HandleFunc("POST /v1/phone_numbers", s.createPhoneNumber)
	mux.HandleFunc("PATCH /v1/phone_numbers/{id}", s.updatePhoneNumber)
	mux.HandleFunc("PUT /v1/users/{user_id}/email_address", s.replaceEmailAddress)
	mux.HandleFunc("PUT /v1/users/{user_id}/phone_number", s.replacePhoneNumber)
}

// identifierKind describes what email addresses and phone numbers differ in, so that the
// code they share is written once.
type identifierKind struct {
	// collection is the path segment of the endpoints, object the object name, which is
	// also the body parameter and the kind in uniqueness checks.
	collection, object string
	// what names the kind in messages, title at their start.
	what, title string
	// strategy is the code verification strategy; channel is how codes are delivered.
	strategy, channel string
	// limitSends caps how many codes one identifier may be sent (see prepareVerification).
	limitSends bool

	// list returns views of the user's identifiers of this kind, oldest first.
	list func(u *clerk.User) []identifier
	// primary returns the user's primary ID field of this kind.
	primary func(u *clerk.User) **string
	// remove drops the identifier at index i from the user.
	remove func(u *clerk.User, i int)
	// item returns the identifier at index i as the API shows it.
	item func(u *clerk.User, i int) any
	// fold returns the form in which two values are the same identifier.
	fold func(value string) string
}

// identifier is a view of one email address or phone number: its pointers change the object
// inside the user.
type identifier struct {
	id, value    string
	reserved     *bool
	verification **clerk.Verification
	linkedTo     []clerk.IdentificationLink
	updatedAt    *int64
}

// verified reports whether the identifier is verified.
func (idn identifier) verified() bool { return verified(*idn.verification) }

// markVerified records a completed verification v, unless the identifier was verified
// already, and reports whether it changed. A verified identifier is no longer reserved.
func (idn identifier) markVerified(v *clerk.Verification, now int64) bool {
	if idn.verified() {
		return false
	}
	*idn.verification = v
	*idn.reserved = false
	*idn.updatedAt = now
	return true
}

var emailKind = &identifierKind{
	collection: "email_addresses", object: kindEmail, what: "email address",
	title:    "Email address",
	strategy: clerk.VerificationStrategyEmailCode,
	list: func(u *clerk.User) []identifier {
		out := make([]identifier, len(u.EmailAddresses))
		for i, e := range u.EmailAddresses {
			out[i] = identifier{id: e.ID, value: e.EmailAddress, reserved: &e.Reserved,
				verification: &e.Verification, linkedTo: e.LinkedTo, updatedAt: &e.UpdatedAt}
		}
		return out
	},
	primary: func(u *clerk.User) **string { return &u.PrimaryEmailAddressID },
	remove: func(u *clerk.User, i int) {
		u.EmailAddresses = slices.Delete(u.EmailAddresses, i, i+1)
	},
	item: func(u *clerk.User, i int) any { return u.EmailAddresses[i] },
	fold: strings.ToLower,
}

var phoneKind = &identifierKind{
	collection: "phone_numbers", object: kindPhone, what: "phone number",
	title:    "Phone number",
	strategy: clerk.VerificationStrategyPhoneCode, channel: "sms", limitSends: true,
	list: func(u *clerk.User) []identifier {
		out := make([]identifier, len(u.PhoneNumbers))
		for i, p := range u.PhoneNumbers {
			out[i] = identifier{id: p.ID, value: p.PhoneNumber, reserved: &p.Reserved,
				verification: &p.Verification, linkedTo: p.LinkedTo, updatedAt: &p.UpdatedAt}
		}
		return out
	},
	primary: func(u *clerk.User) **string { return &u.PrimaryPhoneNumberID },
	remove: func(u *clerk.User, i int) {
		wasDefault := u.PhoneNumbers[i].DefaultSecondFactor
		u.PhoneNumbers = slices.Delete(u.PhoneNumbers, i, i+1)
		if wasDefault {
			pickDefaultSecondFactor(u)
		}
	},
	item: func(u *clerk.User, i int) any { return u.PhoneNumbers[i] },
	fold: func(v string) string { return v },
}

// index returns the position of the identifier id in list, or -1.
func index(list []identifier, id string) int {
	return slices.IndexFunc(list, func(idn identifier) bool { return idn.id == id })
}

// identifierOwner returns the ID of the user who has the identifier id of kind k, or "". The
// caller must hold st.mu.
func (st *store) identifierOwner(k *identifierKind, id string) string {
	for userID, rec := range st.users {
		if index(k.list(rec.user), id) >= 0 {
			return userID
		}
	}
	return ""
}

// changeIdentifier applies change to the user who has the identifier id of kind k, all or
// nothing as store.update does, publishes the change when there was one, and returns the
// user with the identifier's index in it.
func (s *Server) changeIdentifier(k *identifierKind, id string, now int64,
	change func(rec *userRecord, i int) (bool, error)) (*clerk.User, int, error) {
	s.store.mu.Lock()
	var u *clerk.User
	changed := false
	var err error = errNotFound(k.title)
	if owner := s.store.identifierOwner(k, id); owner != "" {
		u, changed, err = s.store.users[owner].apply(now, func(rec *userRecord) (bool, error) {
			return change(rec, index(k.list(rec.user), id))
		})
	}
	s.store.mu.Unlock()
	if err != nil {
		return nil, -1, err
	}
	if changed {
		s.publish("user.updated", u)
	}
	return u, index(k.list(u), id), nil
}

func (s *Server) getIdentifier(k *identifierKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		s.store.mu.Lock()
		var item any
		if owner := s.store.identifierOwner(k, id); owner != "" {
			u := copyUser(s.store.users[owner].user)
			item = k.item(u, index(k.list(u), id))
		}
		s.store.mu.Unlock()
		if item == nil {
			fail(w, errNotFound(k.title))
			return
		}
		writeJSON(w, http.StatusOK, item)
	}
}

func (s *Server) deleteIdentifier(k *identifierKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		_, _, err := s.changeIdentifier(k, id, s.now(), func(rec *userRecord, i int) (bool, error) {
			if signInMethods(rec) <= 1 {
				return false, errBadRequest("identification_deletion_failed",
					"A user must keep at least one way to sign in: this "+k.what+
						" is the last one.")
			}
			u := rec.user
			k.remove(u, i)
			if p := k.primary(u); *p != nil && **p == id {
				*p = pickPrimary(k.list(u))
			}
			s.store.dropCodes(id)
			return true, nil
		})
		if err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, &clerk.DeletedObject{Object: k.object, ID: id, Deleted: true})
	}
}

// signInMethods counts the identifiers and accounts the user can sign in with.
func signInMethods(rec *userRecord) int {
	u := rec.user
	n := len(u.EmailAddresses) + len(u.PhoneNumbers) + len(u.Web3Wallets) + len(u.Passkeys) +
		len(u.ExternalAccounts) + len(u.SAMLAccounts) + len(u.EnterpriseAccounts)
	if u.Username != nil {
		n++
	}
	return n
}

// pickPrimary returns the ID of the oldest verified identifier in list, else of the oldest
// one, else nil.
func pickPrimary(list []identifier) *string {
	if len(list) == 0 {
		return nil
	}
	pick := list[0].id
	if i := slices.IndexFunc(list, identifier.verified); i >= 0 {
		pick = list[i].id
	}
	return &pick
}

// pickDefaultSecondFactor makes the first phone number reserved for second factor the default
// one when no number is.
func pickDefaultSecondFactor(u *clerk.User) {
	for _, p := range u.PhoneNumbers {
		if p.DefaultSecondFactor {
			return
		}
	}
	for _, p := range u.PhoneNumbers {
		if p.ReservedForSecondFactor {
			p.DefaultSecondFactor = true
			return
		}
	}
}

// checkNew checks that value, of kind k, may be added to the user u: u does not have it yet,
// and no other user holds it. The caller must hold st.mu.
func (st *store) checkNew(k *identifierKind, u *clerk.User, value string) error {
	for _, idn := range k.list(u) {
		if k.fold(idn.value) == k.fold(value) {
			e := errParam("form_identifier_exists", k.object,
				"This user already has that "+k.what+".")
			e.message = "That " + k.what + " is taken."
			return e
		}
	}
	return st.claim(k.object, value, u.ID)
}

// setPrimary makes the new identifier id primary when the user has no primary one of kind k
// yet, or when wanted and the identifier is verified; wanted with an unverified identifier is
// an error.
func setPrimary(k *identifierKind, u *clerk.User, id string, wanted, isVerified bool) error {
	p := k.primary(u)
	switch {
	case *p == nil || index(k.list(u), **p) < 0:
		*p = &id
	case !wanted:
	case !isVerified:
		return errParam("form_param_value_invalid", "primary",
			"Only a verified "+k.what+" can become the primary one.")
	default:
		*p = &id
	}
	return nil
}

// requireParams checks the user_id of a create request and the identifier parameter named
// param.
func requireParams(userID, value *string, param string) error {
	if userID == nil || *userID == "" {
		return errParam("form_param_missing", "user_id", "user_id is required.")
	}
	if value == nil || *value == "" {
		return errParam("form_param_missing", param, param+" is required.")
	}
	return nil
}

// createIdentifier adds a new identifier to the user userID with add, which returns its ID,
// and answers with it.
func (s *Server) createIdentifier(w http.ResponseWriter, k *identifierKind, userID string,
	add func(rec *userRecord, now int64) (string, error)) {
	now := s.now()
	var id string
	u, _, err := s.store.update(userID, now, func(rec *userRecord) (bool, error) {
		var err error
		id, err = add(rec, now)
		return err == nil, err
	})
	if err != nil {
		fail(w, err)
		return
	}
	s.publish("user.updated", u)
	writeJSON(w, http.StatusOK, k.item(u, index(k.list(u), id)))
}

// createEmailParams is the body of POST /email_addresses.
type createEmailParams struct {
	UserID       *string `json:"user_id"`
	EmailAddress *string `json:"email_address"`
	Verified     *bool   `json:"verified"`
	Primary      *bool   `json:"primary"`
	// The server sends no email, so the notice is accepted and not sent.
	NotifyPrimaryEmailChanged *bool `json:"notify_primary_email_address_changed"`
}

func (s *Server) createEmailAddress(w http.ResponseWriter, r *http.Request) {
	var p createEmailParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}
	if err := requireParams(p.UserID, p.EmailAddress, "email_address"); err != nil {
		fail(w, err)
		return
	}
	addr, err := checkEmail("email_address", *p.EmailAddress)
	if err != nil {
		fail(w, err)
		return
	}

	s.createIdentifier(w, emailKind, *p.UserID, func(rec *userRecord, now int64) (string, error) {
		u := rec.user
		if err := s.store.checkNew(emailKind, u, addr); err != nil {
			return "", err
		}
		isVerified := isTrue(p.Verified)
		e := newEmailAddress(s.store.newID("idn_"), addr, false, now)
		if !isVerified {
			e.Verification = identifierVerification(true, emailKind.strategy)
		}
		u.EmailAddresses = append(u.EmailAddresses, e)
		return e.ID, setPrimary(emailKind, u, e.ID, isTrue(p.Primary), isVerified)
	})
}

// createPhoneParams is the body of POST /phone_numbers.
type createPhoneParams struct {
	UserID                  *string `json:"user_id"`
	PhoneNumber             *string `json:"phone_number"`
	Verified                *bool   `json:"verified"`
	Primary                 *bool   `json:"primary"`
	ReservedForSecondFactor *bool   `json:"reserved_for_second_factor"`
}

func (s *Server) createPhoneNumber(w http.ResponseWriter, r *http.Request) {
	var p createPhoneParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}
	if err := requireParams(p.UserID, p.PhoneNumber, "phone_number"); err != nil {
		fail(w, err)
		return
	}
	number, err := checkPhone("phone_number", *p.PhoneNumber)
	if err != nil {
		fail(w, err)
		return
	}
	isVerified := isTrue(p.Verified)
	if isTrue(p.ReservedForSecondFactor) && !isVerified {
		fail(w, errSecondFactor())
		return
	}

	s.createIdentifier(w, phoneKind, *p.UserID, func(rec *userRecord, now int64) (string, error) {
		u := rec.user
		if err := s.store.checkNew(phoneKind, u, number); err != nil {
			return "", err
		}
		n := newPhoneNumber(s.store.newID("idn_"), number, false, now)
		if !isVerified {
			n.Verification = identifierVerification(true, phoneKind.strategy)
		}
		u.PhoneNumbers = append(u.PhoneNumbers, n)
		if isTrue(p.ReservedForSecondFactor) {
			n.ReservedForSecondFactor = true
			pickDefaultSecondFactor(u)
		}
		return n.ID, setPrimary(phoneKind, u, n.ID, isTrue(p.Primary), isVerified)
	})
}

func errSecondFactor() *apiError {
	return errParam("form_param_value_invalid", "reserved_for_second_factor",
		"Only a verified phone number can be reserved for second factor.")
}

// updateEmailParams is the body of PATCH /email_addresses/{id}.
type updateEmailParams struct {
	Verified                  *bool `json:"verified"`
	Primary                   *bool `json:"primary"`
	NotifyPrimaryEmailChanged *bool `json:"notify_primary_email_address_changed"`
}

// updateEmailAddress applies verified: true (an administrator's verification) and primary:
// true. false leaves either alone: an address is unverified only by replacing it, and a user
// with addresses always has a primary one. The endpoint describes no 422, so bad input is 400.
func (s *Server) updateEmailAddress(w http.ResponseWriter, r *http.Request) {
	var p updateEmailParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, asBadRequest(err))
		return
	}
	s.updateIdentifier(w, r, emailKind, p.Verified, p.Primary, nil)
}

// updatePhoneParams is the body of PATCH /phone_numbers/{id}.
type updatePhoneParams struct {
	Verified                *bool `json:"verified"`
	Primary                 *bool `json:"primary"`
	ReservedForSecondFactor *bool `json:"reserved_for_second_factor"`
}

// updatePhoneNumber is updateEmailAddress for phone numbers, which may also be reserved for
// second factor (when verified) or released from it.
func (s *Server) updatePhoneNumber(w http.ResponseWriter, r *http.Request) {
	var p updatePhoneParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, asBadRequest(err))
		return
	}
	s.updateIdentifier(w, r, phoneKind, p.Verified, p.Primary,
		func(u *clerk.User, i int) (bool, error) {
			n := u.PhoneNumbers[i]
			reserve := p.ReservedForSecondFactor
			switch {
			case reserve == nil || *reserve == n.ReservedForSecondFactor:
				return false, nil
			case *reserve && !verified(n.Verification):
				return false, errSecondFactor()
			}
			n.ReservedForSecondFactor = *reserve
			n.DefaultSecondFactor = false
			pickDefaultSecondFactor(u)
			return true, nil
		})
}

// updateIdentifier applies the changes an update shares, then more (which reports whether it
// changed anything, and may be nil), and answers with the identifier.
func (s *Server) updateIdentifier(w http.ResponseWriter, r *http.Request, k *identifierKind,
	verify, primary *bool, more func(u *clerk.User, i int) (bool, error)) {
	now := s.now()
	id := r.PathValue("id")
	u, i, err := s.changeIdentifier(k, id, now, func(rec *userRecord, i int) (bool, error) {
		u := rec.user
		idn := k.list(u)[i]
		changed := false
		if isTrue(verify) && !idn.verified() {
			if err := s.store.claim(k.object, idn.value, u.ID); err != nil {
				return false, err
			}
			changed = idn.markVerified(adminVerification(), now)
		}
		if isTrue(primary) {
			if p := k.primary(u); *p == nil || **p != id {
				if err := setPrimary(k, u, id, true, idn.verified()); err != nil {
					return false, err
				}
				changed = true
			}
		}
		if more != nil {
			changedMore, err := more(u, i)
			if err != nil {
				return false, err
			}
			changed = changed || changedMore
		}
		if changed {
			*idn.updatedAt = now
		}
		return changed, nil
	})
	if err != nil {
		fail(w, asBadRequest(err))
		return
	}
	writeJSON(w, http.StatusOK, k.item(u, i))
}

func isTrue(b *bool) bool { return b != nil && *b }
