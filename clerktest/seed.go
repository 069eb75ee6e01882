package clerktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/clerkcompat/clerk"
)

// AddUser stores a copy of u and returns the stored user. It is for state that the API cannot
// create, such as sign-in and activity times, passkeys, SAML accounts or a fixed ID.
//
// Missing parts are filled in as the API would: an ID (user_...), timestamps from the
// server's clock, IDs and objects of identifiers, {} metadata, empty lists, and the first
// identifier of each kind as the primary one. The flags that follow from the user's secrets
// (password_enabled, totp_enabled, backup_code_enabled, two_factor_enabled) are derived, and
// AddUser sets no secrets: give the user a password or TOTP secret through the API. Each
// external account gets a random OAuth access token with its approved scopes.
//
// AddUser fails when the ID is taken, when another user holds one of its identifiers, when
// a primary ID names none of its identifiers, or when metadata is not a JSON object.
func (s *Server) AddUser(u *clerk.User) (*clerk.User, error) {
	if u == nil {
		return nil, errors.New("clerktest: AddUser: nil user")
	}
	in, err := deepCopy(u)
	if err != nil {
		return nil, fmt.Errorf("clerktest: AddUser: %w", err)
	}
	objects := []struct {
		name string
		dst  *json.RawMessage
	}{
		{"public_metadata", &in.PublicMetadata},
		{"private_metadata", &in.PrivateMetadata},
		{"unsafe_metadata", &in.UnsafeMetadata},
	}
	for _, a := range in.ExternalAccounts {
		if a != nil {
			objects = append(objects, struct {
				name string
				dst  *json.RawMessage
			}{"external account public_metadata", &a.PublicMetadata})
		}
	}
	for _, m := range objects {
		if isNull(*m.dst) {
			*m.dst = nil // filled with {} by normalize
			continue
		}
		v, err := metadataValue(m.name, *m.dst)
		if err != nil {
			return nil, fmt.Errorf("clerktest: AddUser: %s is not a JSON object", m.name)
		}
		*m.dst = v
	}

	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if _, taken := s.store.users[in.ID]; taken {
		return nil, fmt.Errorf("clerktest: AddUser: user %q exists", in.ID)
	}
	s.store.normalize(in, s.now())
	if err := s.store.checkClaims(in); err != nil {
		return nil, fmt.Errorf("clerktest: AddUser: %w", err)
	}
	if err := checkPrimaries(in); err != nil {
		return nil, fmt.Errorf("clerktest: AddUser: %w", err)
	}
	rec := &userRecord{user: in, tokens: make(map[string]*oauthToken)}
	for _, a := range in.ExternalAccounts {
		rec.tokens[a.ID] = &oauthToken{token: "oauth_access_" + randomToken(32),
			scopes: strings.Fields(a.ApprovedScopes)}
	}
	rec.derive()
	s.store.users[in.ID] = rec
	delete(s.store.gone, in.ID)
	return copyUser(in), nil
}

// normalize fills in what every stored user has and a seeded user may lack. The caller must
// hold st.mu.
func (st *store) normalize(u *clerk.User, now int64) {
	if u.ID == "" {
		u.ID = st.newID("user_")
	}
	u.Object = "user"
	if u.CreatedAt == 0 {
		u.CreatedAt = now
	}
	if u.UpdatedAt == 0 {
		u.UpdatedAt = u.CreatedAt
	}
	for _, m := range []*json.RawMessage{&u.PublicMetadata, &u.PrivateMetadata,
		&u.UnsafeMetadata} {
		if isNull(*m) {
			*m = json.RawMessage(`{}`)
		}
	}

	u.EmailAddresses = dropNil(u.EmailAddresses)
	for _, e := range u.EmailAddresses {
		st.fillID(&e.ID, "idn_")
		e.Object = "email_address"
		e.LinkedTo = nonNil(e.LinkedTo)
		stamp(&e.CreatedAt, &e.UpdatedAt, u.CreatedAt)
		if e.Verification == nil {
			e.Verification = identifierVerification(e.Reserved,
				clerk.VerificationStrategyEmailCode)
		}
		fixVerification(e.Verification)
	}
	u.PhoneNumbers = dropNil(u.PhoneNumbers)
	for _, p := range u.PhoneNumbers {
		st.fillID(&p.ID, "idn_")
		p.Object = "phone_number"
		p.LinkedTo = nonNil(p.LinkedTo)
		stamp(&p.CreatedAt, &p.UpdatedAt, u.CreatedAt)
		if p.Verification == nil {
			p.Verification = identifierVerification(p.Reserved,
				clerk.VerificationStrategyPhoneCode)
		}
		fixVerification(p.Verification)
	}
	u.Web3Wallets = dropNil(u.Web3Wallets)
	for _, w := range u.Web3Wallets {
		st.fillID(&w.ID, "idn_")
		w.Object = "web3_wallet"
		stamp(&w.CreatedAt, &w.UpdatedAt, u.CreatedAt)
		w.Verification = orVerified(w.Verification, clerk.VerificationStrategyAdmin)
		fixVerification(w.Verification)
	}
	u.Passkeys = dropNil(u.Passkeys)
	for _, p := range u.Passkeys {
		st.fillID(&p.ID, "idn_")
		p.Object = "passkey"
		p.Verification = orVerified(p.Verification, clerk.VerificationStrategyPasskey)
		fixVerification(p.Verification)
	}
	st.normalizeAccounts(u, now)

	if u.PrimaryEmailAddressID == nil && len(u.EmailAddresses) > 0 {
		u.PrimaryEmailAddressID = &u.EmailAddresses[0].ID
	}
	if u.PrimaryPhoneNumberID == nil && len(u.PhoneNumbers) > 0 {
		u.PrimaryPhoneNumberID = &u.PhoneNumbers[0].ID
	}
	if u.PrimaryWeb3WalletID == nil && len(u.Web3Wallets) > 0 {
		u.PrimaryWeb3WalletID = &u.Web3Wallets[0].ID
	}
	switch {
	case u.ImageURL == "" && u.HasImage:
		u.ImageURL = imageHost + "uploaded/" + u.ID
	case u.ImageURL == "":
		u.ImageURL = imageHost + "default/" + u.ID
	}
	//lint:ignore SA1019 the API still sends the deprecated field, so the fake fills it too
	if u.ProfileImageURL == "" {
		//lint:ignore SA1019 as above
		u.ProfileImageURL = u.ImageURL
	}
}

// normalizeAccounts fills in the external, SAML and enterprise accounts of u.
func (st *store) normalizeAccounts(u *clerk.User, now int64) {
	u.ExternalAccounts = dropNil(u.ExternalAccounts)
	for _, a := range u.ExternalAccounts {
		st.fillID(&a.ID, "eac_")
		st.fillID(&a.IdentificationID, "idn_")
		if a.Object == "" {
			a.Object = "external_account"
		}
		if isNull(a.PublicMetadata) {
			a.PublicMetadata = json.RawMessage(`{}`)
		}
		stamp(&a.CreatedAt, &a.UpdatedAt, u.CreatedAt)
		if a.Verification == nil {
			a.Verification = oauthVerification(a.Provider, a.CreatedAt)
		}
		fixVerification(a.Verification)
	}
	u.SAMLAccounts = dropNil(u.SAMLAccounts)
	for _, a := range u.SAMLAccounts {
		st.fillID(&a.ID, "samlacc_")
		a.Object = "saml_account"
		a.Verification = orVerified(a.Verification, clerk.VerificationStrategySAML)
		fixVerification(a.Verification)
	}
	u.EnterpriseAccounts = dropNil(u.EnterpriseAccounts)
	for _, a := range u.EnterpriseAccounts {
		st.fillID(&a.ID, "entacc_")
		a.Object = "enterprise_account"
		if a.Verification == nil && a.Protocol == "oauth" {
			a.Verification = oauthVerification(a.Provider, now)
		}
		a.Verification = orVerified(a.Verification, clerk.VerificationStrategySAML)
		fixVerification(a.Verification)
	}
}

// checkPrimaries requires each primary ID to name one of the user's identifiers.
func checkPrimaries(u *clerk.User) error {
	check := func(name string, id *string, ids []string) error {
		if id != nil && !slices.Contains(ids, *id) {
			return fmt.Errorf("%s %q names none of the user's identifiers", name, *id)
		}
		return nil
	}
	var emails, phones, wallets []string
	for _, e := range u.EmailAddresses {
		emails = append(emails, e.ID)
	}
	for _, p := range u.PhoneNumbers {
		phones = append(phones, p.ID)
	}
	for _, w := range u.Web3Wallets {
		wallets = append(wallets, w.ID)
	}
	return errors.Join(
		check("primary_email_address_id", u.PrimaryEmailAddressID, emails),
		check("primary_phone_number_id", u.PrimaryPhoneNumberID, phones),
		check("primary_web3_wallet_id", u.PrimaryWeb3WalletID, wallets))
}

func (st *store) fillID(id *string, prefix string) {
	if *id == "" {
		*id = st.newID(prefix)
	}
}

// stamp fills zero creation and update times.
func stamp(created, updated *int64, def int64) {
	if *created == 0 {
		*created = def
	}
	if *updated == 0 {
		*updated = *created
	}
}

func dropNil[T any](s []*T) []*T {
	out := make([]*T, 0, len(s))
	for _, v := range s {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// orVerified returns v, or when v is nil a verification completed with strategy. The API
// describes verifications as nullable, but a checker cannot tell which of several shapes a
// null is, so stored objects always have one.
func orVerified(v *clerk.Verification, strategy string) *clerk.Verification {
	if v != nil {
		return v
	}
	return &clerk.Verification{Status: clerk.VerificationStatusVerified, Strategy: strategy}
}

// oauthVerification is the completed OAuth flow of an account at provider; that verification
// kind always carries an expiry time.
func oauthVerification(provider string, at int64) *clerk.Verification {
	if !strings.HasPrefix(provider, "oauth_") {
		provider = "oauth_custom"
	}
	return &clerk.Verification{Object: "verification_oauth",
		Status: clerk.VerificationStatusVerified, Strategy: provider, ExpireAt: &at}
}

// fixVerification names the object of a verification given without one, from its strategy:
// the API tells verification kinds apart by object.
func fixVerification(v *clerk.Verification) {
	if v == nil || v.Object != "" {
		return
	}
	switch s := v.Strategy; {
	case s == clerk.VerificationStrategyAdmin:
		v.Object = "verification_admin"
	case s == clerk.VerificationStrategyEmailCode, s == clerk.VerificationStrategyPhoneCode,
		s == clerk.VerificationStrategyResetPasswordEmailCode:
		v.Object = "verification_otp"
	case s == clerk.VerificationStrategyEmailLink:
		v.Object = "verification_email_link"
	case s == clerk.VerificationStrategyTicket:
		v.Object = "verification_ticket"
	case s == clerk.VerificationStrategySAML:
		v.Object = "verification_saml"
	case s == clerk.VerificationStrategySCIM:
		v.Object = "verification_scim"
	case s == clerk.VerificationStrategyPasskey:
		v.Object = "verification_passkey"
	case s == clerk.VerificationStrategyGoogleOneTap:
		v.Object = "verification_google_one_tap"
	case strings.HasPrefix(s, "from_oauth_"):
		v.Object = "verification_from_oauth"
	case strings.HasPrefix(s, "oauth_"):
		v.Object = "verification_oauth"
	case strings.HasPrefix(s, "web3_"):
		v.Object = "verification_web3"
	}
}

// AccountOption sets a detail of the external account that SeedExternalAccount links.
type AccountOption func(*accountSeed)

type accountSeed struct {
	email, firstName, lastName, label string
	token                             string
	scopes                            []string
}

// AccountEmail sets the account's email address. The default is the user's primary email
// address. When the user has the address, it is marked as linked to the account; when the
// user does not, it is added, verified by the provider.
func AccountEmail(addr string) AccountOption { return func(a *accountSeed) { a.email = addr } }

// AccountName sets the name the provider gives; the default is the user's name.
func AccountName(first, last string) AccountOption {
	return func(a *accountSeed) { a.firstName, a.lastName = first, last }
}

// AccountLabel sets the label that tells apart several accounts at one provider.
func AccountLabel(label string) AccountOption { return func(a *accountSeed) { a.label = label } }

// AccountToken sets the OAuth access token that GET /users/{id}/oauth_access_tokens/{provider}
// returns for the account, and the scopes the user granted. By default the token is random and
// the scopes are "email profile".
func AccountToken(token string, scopes ...string) AccountOption {
	return func(a *accountSeed) { a.token, a.scopes = token, scopes }
}

var providerName = regexp.MustCompile(`^oauth_[a-z]+$`)

// SeedExternalAccount links an account at an OAuth provider, such as "oauth_google", to the
// user userID, as signing in with the provider would; the API has no endpoint that creates
// one. It returns the account. It fails when the user does not exist, when the provider name
// is not "oauth_" and lower-case letters, or when another account already has providerUserID
// at that provider. Like AddUser, it sends no event; it does set the user's updated_at.
func (s *Server) SeedExternalAccount(userID, provider, providerUserID string,
	opts ...AccountOption) (*clerk.ExternalAccount, error) {
	if !providerName.MatchString(provider) {
		return nil, fmt.Errorf("clerktest: SeedExternalAccount: provider %q is not oauth_<name>",
			provider)
	}
	if providerUserID == "" {
		return nil, errors.New("clerktest: SeedExternalAccount: empty provider user ID")
	}
	seed := accountSeed{scopes: []string{"email", "profile"}}
	for _, opt := range opts {
		opt(&seed)
	}

	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	rec, ok := s.store.users[userID]
	if !ok {
		return nil, fmt.Errorf("clerktest: SeedExternalAccount: no user %q", userID)
	}
	for _, other := range s.store.users {
		for _, a := range other.user.ExternalAccounts {
			if a.Provider == provider && a.ProviderUserID == providerUserID {
				return nil, fmt.Errorf("clerktest: SeedExternalAccount: %s account %q is "+
					"linked to user %s", provider, providerUserID, other.user.ID)
			}
		}
	}
	now := s.now()
	acct, err := s.store.linkAccount(rec, provider, providerUserID, seed, now)
	if err != nil {
		return nil, fmt.Errorf("clerktest: SeedExternalAccount: %w", err)
	}
	rec.user.UpdatedAt = now
	return deepCopy(acct)
}

// linkAccount adds the account to rec with its token, and links or adds its email address.
// The caller must hold st.mu.
func (st *store) linkAccount(rec *userRecord, provider, providerUserID string, seed accountSeed,
	now int64) (*clerk.ExternalAccount, error) {
	u := rec.user
	if seed.email == "" {
		seed.email = primaryEmail(u)
	}
	if seed.firstName == "" && seed.lastName == "" {
		seed.firstName, seed.lastName = deref(u.FirstName), deref(u.LastName)
	}
	acct := &clerk.ExternalAccount{
		Object: "external_account", ID: st.newID("eac_"), Provider: provider,
		IdentificationID: st.newID("idn_"), ProviderUserID: providerUserID,
		ApprovedScopes: strings.Join(seed.scopes, " "), EmailAddress: seed.email,
		FirstName: seed.firstName, LastName: seed.lastName,
		PublicMetadata: json.RawMessage(`{}`), CreatedAt: now, UpdatedAt: now,
		Verification: oauthVerification(provider, now),
	}
	if seed.label != "" {
		acct.Label = &seed.label
	}

	if seed.email != "" {
		i := slices.IndexFunc(u.EmailAddresses, func(e *clerk.EmailAddress) bool {
			return strings.EqualFold(e.EmailAddress, seed.email)
		})
		if i < 0 {
			addr, err := checkEmail("email_address", seed.email)
			if err != nil {
				return nil, fmt.Errorf("account email %q is not an email address", seed.email)
			}
			if st.owner(kindEmail, addr, u.ID) != nil {
				return nil, fmt.Errorf("email address %q belongs to another user", addr)
			}
			e := newEmailAddress(st.newID("idn_"), addr, false, now)
			e.Verification = &clerk.Verification{Object: "verification_from_oauth",
				Status: clerk.VerificationStatusVerified, Strategy: "from_" + provider}
			u.EmailAddresses = append(u.EmailAddresses, e)
			if u.PrimaryEmailAddressID == nil {
				u.PrimaryEmailAddressID = &e.ID
			}
			i = len(u.EmailAddresses) - 1
		}
		e := u.EmailAddresses[i]
		e.LinkedTo = append(e.LinkedTo, clerk.IdentificationLink{Type: provider, ID: acct.ID})
	}

	u.ExternalAccounts = append(u.ExternalAccounts, acct)
	token := seed.token
	if token == "" {
		token = "oauth_access_" + randomToken(32)
	}
	if rec.tokens == nil {
		rec.tokens = make(map[string]*oauthToken)
	}
	rec.tokens[acct.ID] = &oauthToken{token: token, scopes: slices.Clone(seed.scopes)}
	return acct, nil
}

// primaryEmail returns the user's primary email address, or "".
func primaryEmail(u *clerk.User) string {
	for _, e := range u.EmailAddresses {
		if u.PrimaryEmailAddressID != nil && e.ID == *u.PrimaryEmailAddressID {
			return e.EmailAddress
		}
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
