package clerktest

import "net/http"

// Values of identification_status in the replace endpoints.
const (
	statusVerified   = "verified"
	statusReserved   = "reserved"
	statusUnverified = "unverified"
)

// replaceEmailParams is the body of PUT /users/{user_id}/email_address.
type replaceEmailParams struct {
	EmailAddress         *string `json:"email_address"`
	IdentificationStatus *string `json:"identification_status"`
	// The server sends no email, so the notice is accepted and not sent.
	NotifyPrimaryEmailChanged *bool `json:"notify_primary_email_address_changed"`
}

// replaceEmailAddress gives the user one primary email address in place of all it had.
func (s *Server) replaceEmailAddress(w http.ResponseWriter, r *http.Request) {
	var p replaceEmailParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}
	if p.EmailAddress == nil || *p.EmailAddress == "" {
		fail(w, errParam("form_param_missing", "email_address", "email_address is required."))
		return
	}
	addr, err := checkEmail("email_address", *p.EmailAddress)
	if err != nil {
		fail(w, err)
		return
	}
	status, err := identificationStatus(p.IdentificationStatus)
	if err != nil {
		fail(w, err)
		return
	}

	s.replaceIdentifier(w, r, emailKind, addr, func(rec *userRecord, now int64) string {
		e := newEmailAddress(s.store.newID("idn_"), addr, status == statusReserved, now)
		if status == statusUnverified {
			e.Verification = identifierVerification(true, emailKind.strategy)
		}
		rec.user.EmailAddresses = append(rec.user.EmailAddresses, e)
		return e.ID
	})
}

// replacePhoneParams is the body of PUT /users/{user_id}/phone_number.
type replacePhoneParams struct {
	PhoneNumber          *string `json:"phone_number"`
	IdentificationStatus *string `json:"identification_status"`
}

// replacePhoneNumber gives the user one primary phone number in place of all it had. The new
// number is not reserved for second factor; when one of the old numbers was, the user's
// multi-factor authentication is turned off (TOTP and backup codes too), as DELETE
// /users/{user_id}/mfa would.
func (s *Server) replacePhoneNumber(w http.ResponseWriter, r *http.Request) {
	var p replacePhoneParams
	if err := decodeBody(w, r, &p); err != nil {
		fail(w, err)
		return
	}
	if p.PhoneNumber == nil || *p.PhoneNumber == "" {
		fail(w, errParam("form_param_missing", "phone_number", "phone_number is required."))
		return
	}
	number, err := checkPhone("phone_number", *p.PhoneNumber)
	if err != nil {
		fail(w, err)
		return
	}
	status, err := identificationStatus(p.IdentificationStatus)
	if err != nil {
		fail(w, err)
		return
	}

	s.replaceIdentifier(w, r, phoneKind, number, func(rec *userRecord, now int64) string {
		for _, old := range rec.user.PhoneNumbers {
			if old.ReservedForSecondFactor {
				rec.totpSecret, rec.backupCodes = "", nil
			}
		}
		n := newPhoneNumber(s.store.newID("idn_"), number, status == statusReserved, now)
		if status == statusUnverified {
			n.Verification = identifierVerification(true, phoneKind.strategy)
		}
		rec.user.PhoneNumbers = append(rec.user.PhoneNumbers, n)
		return n.ID
	})
}

// identificationStatus reads identification_status, verified when not given.
func identificationStatus(status *string) (string, error) {
	if status == nil {
		return statusVerified, nil
	}
	switch *status {
	case statusVerified, statusReserved, statusUnverified:
		return *status, nil
	}
	return "", errParam("form_param_value_invalid", "identification_status",
		"identification_status must be verified, reserved or unverified.")
}

// replaceIdentifier replaces every identifier of kind k that the user in the path has with
// the one add appends, which becomes primary, and answers with it. It refuses when one of the
// old identifiers is linked to a connected account, or when another user holds value.
func (s *Server) replaceIdentifier(w http.ResponseWriter, r *http.Request, k *identifierKind,
	value string, add func(rec *userRecord, now int64) string) {
	now := s.now()
	var id string
	u, _, err := s.store.update(r.PathValue("user_id"), now, func(rec *userRecord) (bool, error) {
		u := rec.user
		old := k.list(u)
		for _, idn := range old {
			if len(idn.linkedTo) > 0 {
				return false, errBadRequest("identification_deletion_failed", "The "+k.what+
					" "+idn.value+" is linked to a connected account: remove the account "+
					"first.")
			}
		}
		if err := s.store.claim(k.object, value, u.ID); err != nil {
			return false, err
		}

		id = add(rec, now)
		for _, idn := range old {
			k.remove(u, index(k.list(u), idn.id))
			s.store.dropCodes(idn.id)
		}
		*k.primary(u) = &id
		return true, nil
	})
	if err != nil {
		fail(w, err)
		return
	}
	s.publish("user.updated", u)
	writeJSON(w, http.StatusOK, k.item(u, index(k.list(u), id)))
}
