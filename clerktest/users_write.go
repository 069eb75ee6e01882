package clerktest

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/clerkcompat/clerk"
)

// imageHost serves no images: the .invalid domain never resolves, so code under test that
// fetches a profile image fails at once instead of reaching the network.
const imageHost = "https://img.clerktest.invalid/"

// createUser stores a new user built from the body of POST /users and returns a copy. Every
// check runs before anything is stored. The caller must hold st.mu.
func (st *store) createUser(p *createUserParams, now int64) (*clerk.User, error) {
	u := &clerk.User{
		ID:                        st.newID("user_"),
		ExternalID:                nonEmpty(p.ExternalID),
		FirstName:                 nonEmpty(p.FirstName),
		LastName:                  nonEmpty(p.LastName),
		Locale:                    nonEmpty(p.Locale),
		CreatedAt:                 now,
		UpdatedAt:                 now,
		DeleteSelfEnabled:         true,
		CreateOrganizationEnabled: true,
	}
	rec := &userRecord{user: u}
	if err := st.addIdentifiers(u, p, now); err != nil {
		return nil, err
	}
	if p.Username != nil && *p.Username != "" {
		name, err := checkUsername(*p.Username)
		if err != nil {
			return nil, err
		}
		u.Username = &name
	}

	err := rec.setPassword(p.Password, p.PasswordDigest, p.PasswordHasher,
		p.SkipPasswordChecks != nil && *p.SkipPasswordChecks, now)
	if err != nil {
		return nil, err
	}
	if p.TOTPSecret != nil && *p.TOTPSecret != "" {
		if err := checkTOTPSecret(*p.TOTPSecret); err != nil {
			return nil, err
		}
		rec.totpSecret = *p.TOTPSecret
	}
	if err := checkBackupCodes(p.BackupCodes); err != nil {
		return nil, err
	}
	rec.backupCodes = slices.Clone(p.BackupCodes)

	for _, m := range []struct {
		param string
		raw   json.RawMessage
		dst   *json.RawMessage
	}{
		{"public_metadata", p.PublicMetadata, &u.PublicMetadata},
		{"private_metadata", p.PrivateMetadata, &u.PrivateMetadata},
		{"unsafe_metadata", p.UnsafeMetadata, &u.UnsafeMetadata},
	} {
		v, err := metadataValue(m.param, m.raw)
		if err != nil {
			return nil, err
		}
		*m.dst = v
	}

	if err := setSettings(u, p); err != nil {
		return nil, err
	}
	if err := st.checkClaims(u); err != nil {
		return nil, err
	}
	st.normalize(u, now)
	rec.refresh(now)
	st.users[u.ID] = rec
	return copyUser(u), nil
}

// addIdentifiers adds the email addresses, phone numbers and wallets of a create request, the
// first of each kind becoming the primary one.
func (st *store) addIdentifiers(u *clerk.User, p *createUserParams, now int64) error {
	if err := checkStatuses("email_address_identification_status", p.EmailStatus,
		len(p.EmailAddress)); err != nil {
		return err
	}
	if err := checkStatuses("phone_number_identification_status", p.PhoneStatus,
		len(p.PhoneNumber)); err != nil {
		return err
	}
	for i, raw := range p.EmailAddress {
		addr, err := checkEmail("email_address", raw)
		if err != nil {
			return err
		}
		reserved := len(p.EmailStatus) > 0 && p.EmailStatus[i] == "reserved"
		u.EmailAddresses = append(u.EmailAddresses,
			newEmailAddress(st.newID("idn_"), addr, reserved, now))
	}
	for i, raw := range p.PhoneNumber {
		number, err := checkPhone("phone_number", raw)
		if err != nil {
			return err
		}
		reserved := len(p.PhoneStatus) > 0 && p.PhoneStatus[i] == "reserved"
		u.PhoneNumbers = append(u.PhoneNumbers,
			newPhoneNumber(st.newID("idn_"), number, reserved, now))
	}
	for _, raw := range p.Web3Wallet {
		wallet, err := checkWeb3("web3_wallet", raw)
		if err != nil {
			return err
		}
		u.Web3Wallets = append(u.Web3Wallets, newWeb3Wallet(st.newID("idn_"), wallet, now))
	}
	return nil
}

// setSettings applies the plain settings of a create request.
func setSettings(u *clerk.User, p *createUserParams) error {
	if p.DeleteSelfEnabled != nil {
		u.DeleteSelfEnabled = *p.DeleteSelfEnabled
	}
	if p.CreateOrganizationEnabled != nil {
		u.CreateOrganizationEnabled = *p.CreateOrganizationEnabled
	}
	if p.CreateOrganizationsLimit != nil {
		if *p.CreateOrganizationsLimit < 0 {
			return errParam("form_param_value_invalid", "create_organizations_limit",
				"create_organizations_limit must be 0 (no limit) or more.")
		}
		u.CreateOrganizationsLimit = p.CreateOrganizationsLimit
	}
	if p.LegalAcceptedAt != nil && *p.LegalAcceptedAt != "" {
		ms, err := parseTimestamp("legal_accepted_at", *p.LegalAcceptedAt)
		if err != nil {
			return err
		}
		u.LegalAcceptedAt = &ms
	}
	if p.CreatedAt != nil && *p.CreatedAt != "" {
		ms, err := parseTimestamp("created_at", *p.CreatedAt)
		if err != nil {
			return err
		}
		u.CreatedAt = ms
	}
	u.BypassClientTrust = p.BypassClientTrust != nil && *p.BypassClientTrust
	u.Banned = p.Banned != nil && *p.Banned
	u.Locked = p.Locked != nil && *p.Locked
	return nil
}

// applyUpdate applies the body of PATCH /users/{user_id} to rec. The caller must hold st.mu
// and discard rec when it fails (see store.update).
func (st *store) applyUpdate(rec *userRecord, p *updateUserParams, now int64) error {
	u := rec.user
	if p.ExternalID.set {
		v := nonEmpty(p.ExternalID.ptr())
		if v != nil {
			if err := st.claim(kindExternalID, *v, u.ID); err != nil {
				return err
			}
		}
		u.ExternalID = v
	}
	if p.Username.set {
		v := nonEmpty(p.Username.ptr())
		if v != nil {
			name, err := checkUsername(*v)
			if err != nil {
				return err
			}
			if err := st.claim(kindUsername, name, u.ID); err != nil {
				return err
			}
			v = &name
		}
		u.Username = v
	}
	for _, f := range []struct {
		o   opt[string]
		dst **string
	}{{p.FirstName, &u.FirstName}, {p.LastName, &u.LastName}, {p.Locale, &u.Locale}} {
		if f.o.set {
			*f.dst = nonEmpty(f.o.ptr())
		}
	}
	if err := setPrimaries(u, p); err != nil {
		return err
	}
	if p.ProfileImageID.set {
		setImage(u, nonEmpty(p.ProfileImageID.ptr()))
	}

	err := rec.setPassword(p.Password.ptrIfSet(), p.PasswordDigest.ptrIfSet(),
		p.PasswordHasher.ptrIfSet(), p.SkipPasswordChecks.val, now)
	if err != nil {
		return err
	}
	if p.TOTPSecret.set {
		rec.totpSecret = ""
		if v := nonEmpty(p.TOTPSecret.ptr()); v != nil {
			if err := checkTOTPSecret(*v); err != nil {
				return err
			}
			rec.totpSecret = *v
		}
	}
	if p.BackupCodes.set {
		if err := checkBackupCodes(p.BackupCodes.val); err != nil {
			return err
		}
		rec.backupCodes = slices.Clone(p.BackupCodes.val)
	}
	return updateSettings(u, p)
}

// updateSettings applies the plain settings of an update request.
func updateSettings(u *clerk.User, p *updateUserParams) error {
	for _, f := range []struct {
		o   opt[bool]
		dst *bool
	}{
		{p.DeleteSelfEnabled, &u.DeleteSelfEnabled},
		{p.CreateOrganizationEnabled, &u.CreateOrganizationEnabled},
		{p.BypassClientTrust, &u.BypassClientTrust},
	} {
		if f.o.set && !f.o.null {
			*f.dst = f.o.val
		}
	}
	if p.CreateOrganizationsLimit.set {
		v := p.CreateOrganizationsLimit.ptr()
		if v != nil && *v < 0 {
			return errParam("form_param_value_invalid", "create_organizations_limit",
				"create_organizations_limit must be 0 (no limit) or more.")
		}
		u.CreateOrganizationsLimit = v
	}
	if p.LegalAcceptedAt.set {
		u.LegalAcceptedAt = nil
		if v := nonEmpty(p.LegalAcceptedAt.ptr()); v != nil {
			ms, err := parseTimestamp("legal_accepted_at", *v)
			if err != nil {
				return err
			}
			u.LegalAcceptedAt = &ms
		}
	}
	if v := nonEmpty(p.CreatedAt.ptrIfSet()); v != nil {
		ms, err := parseTimestamp("created_at", *v)
		if err != nil {
			return err
		}
		u.CreatedAt = ms
	}
	return nil
}

// setPrimaries sets the primary email address, phone number and wallet named by an update.
// Each must belong to the user and be verified.
func setPrimaries(u *clerk.User, p *updateUserParams) error {
	if id := p.PrimaryEmailAddressID.ptrIfSet(); id != nil {
		i := slices.IndexFunc(u.EmailAddresses, func(e *clerk.EmailAddress) bool {
			return e.ID == *id
		})
		if i < 0 || !verified(u.EmailAddresses[i].Verification) {
			return errPrimary("primary_email_address_id", "email address")
		}
		u.PrimaryEmailAddressID = id
	}
	if id := p.PrimaryPhoneNumberID.ptrIfSet(); id != nil {
		i := slices.IndexFunc(u.PhoneNumbers, func(n *clerk.PhoneNumber) bool {
			return n.ID == *id
		})
		if i < 0 || !verified(u.PhoneNumbers[i].Verification) {
			return errPrimary("primary_phone_number_id", "phone number")
		}
		u.PrimaryPhoneNumberID = id
	}
	if id := p.PrimaryWeb3WalletID.ptrIfSet(); id != nil {
		i := slices.IndexFunc(u.Web3Wallets, func(w *clerk.Web3Wallet) bool {
			return w.ID == *id
		})
		if i < 0 || !verified(u.Web3Wallets[i].Verification) {
			return errPrimary("primary_web3_wallet_id", "web3 wallet")
		}
		u.PrimaryWeb3WalletID = id
	}
	return nil
}

func errPrimary(param, what string) error {
	return errParam("form_param_value_invalid", param,
		param+" must name a verified "+what+" of this user.")
}

func verified(v *clerk.Verification) bool {
	return v != nil && v.Status == clerk.VerificationStatusVerified
}

// setImage sets the user's profile image to the image imageID, or removes it when imageID is
// nil. The server keeps no images: the URL only names the ID.
func setImage(u *clerk.User, imageID *string) {
	if imageID == nil {
		u.HasImage = false
		u.ImageURL = imageHost + "default/" + u.ID
	} else {
		u.HasImage = true
		u.ImageURL = imageHost + "uploaded/" + *imageID
	}
	//lint:ignore SA1019 the API still sends the deprecated field, so the fake fills it too
	u.ProfileImageURL = u.ImageURL
}

// setPassword gives rec a plaintext password or an imported digest; with neither it does
// nothing. The two cannot be given together.
func (rec *userRecord) setPassword(password, digest, hasher *string, skipChecks bool,
	now int64) error {
	if password != nil && digest != nil {
		return errParam("form_param_value_invalid", "password_digest",
			"password and password_digest cannot be given together.")
	}
	if err := checkDigest(digest, hasher); err != nil {
		return err
	}
	switch {
	case password != nil:
		if err := checkPassword(*password, skipChecks); err != nil {
			return err
		}
		rec.password, rec.digest, rec.hasher = hashPassword(*password), "", ""
	case digest != nil:
		rec.password, rec.digest, rec.hasher = nil, *digest, *hasher
	default:
		return nil
	}
	rec.user.PasswordLastUpdatedAt = &now
	return nil
}

// checkClaims checks that no other user holds any of u's unique identifiers, and that u does
// not list one twice. The caller must hold st.mu.
func (st *store) checkClaims(u *clerk.User) error {
	seen := make(map[string]bool)
	check := func(kind, value string) error {
		key := kind + " " + strings.ToLower(value)
		if seen[key] {
			return st.duplicate(kind)
		}
		seen[key] = true
		return st.claim(kind, value, u.ID)
	}
	for _, e := range u.EmailAddresses {
		if err := check(kindEmail, e.EmailAddress); err != nil {
			return err
		}
	}
	for _, p := range u.PhoneNumbers {
		if err := check(kindPhone, p.PhoneNumber); err != nil {
			return err
		}
	}
	for _, w := range u.Web3Wallets {
		if err := check(kindWeb3, w.Web3Wallet); err != nil {
			return err
		}
	}
	if u.Username != nil {
		if err := check(kindUsername, *u.Username); err != nil {
			return err
		}
	}
	if u.ExternalID != nil {
		return check(kindExternalID, *u.ExternalID)
	}
	return nil
}

// duplicate is the error for an identifier listed twice in one request.
func (st *store) duplicate(kind string) error {
	e := errParam("form_identifier_exists", kind, "The same "+
		strings.ReplaceAll(kind, "_", " ")+" is given more than once.")
	e.message = "duplicate " + strings.ReplaceAll(kind, "_", " ")
	return e
}

// newEmailAddress returns an email address identification: verified by an administrator, or
// reserved (unverified, but held for this user) when reserved is true.
func newEmailAddress(id, addr string, reserved bool, now int64) *clerk.EmailAddress {
	return &clerk.EmailAddress{ID: id, Object: "email_address", EmailAddress: addr,
		Reserved: reserved, Verification: identifierVerification(reserved,
			clerk.VerificationStrategyEmailCode),
		LinkedTo: []clerk.IdentificationLink{}, CreatedAt: now, UpdatedAt: now}
}

// newPhoneNumber is newEmailAddress for phone numbers.
func newPhoneNumber(id, number string, reserved bool, now int64) *clerk.PhoneNumber {
	return &clerk.PhoneNumber{ID: id, Object: "phone_number", PhoneNumber: number,
		Reserved: reserved, Verification: identifierVerification(reserved,
			clerk.VerificationStrategyPhoneCode),
		LinkedTo: []clerk.IdentificationLink{}, CreatedAt: now, UpdatedAt: now}
}

// identifierVerification is the verification of an identifier the backend creates: verified
// by an administrator, or, for a reserved one, a code verification not yet done.
func identifierVerification(reserved bool, codeStrategy string) *clerk.Verification {
	if reserved {
		return &clerk.Verification{Object: "verification_otp",
			Status: clerk.VerificationStatusUnverified, Strategy: codeStrategy}
	}
	return adminVerification()
}

// newWeb3Wallet returns a wallet identification verified by an administrator.
func newWeb3Wallet(id, wallet string, now int64) *clerk.Web3Wallet {
	return &clerk.Web3Wallet{ID: id, Object: "web3_wallet", Web3Wallet: wallet,
		Verification: adminVerification(), CreatedAt: now, UpdatedAt: now}
}

// adminVerification is how the API marks identifiers that the backend created verified.
func adminVerification() *clerk.Verification {
	return &clerk.Verification{Object: "verification_admin",
		Status: clerk.VerificationStatusVerified, Strategy: clerk.VerificationStrategyAdmin}
}
