package clerktest

import (
	"encoding/json"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/clerkcompat/clerk"
)

// createUserParams is the body of POST /users.
type createUserParams struct {
	ExternalID                *string         `json:"external_id"`
	FirstName                 *string         `json:"first_name"`
	LastName                  *string         `json:"last_name"`
	Locale                    *string         `json:"locale"`
	EmailAddress              []string        `json:"email_address"`
	EmailStatus               []string        `json:"email_address_identification_status"`
	PhoneNumber               []string        `json:"phone_number"`
	PhoneStatus               []string        `json:"phone_number_identification_status"`
	Web3Wallet                []string        `json:"web3_wallet"`
	Username                  *string         `json:"username"`
	Password                  *string         `json:"password"`
	PasswordDigest            *string         `json:"password_digest"`
	PasswordHasher            *string         `json:"password_hasher"`
	SkipPasswordChecks        *bool           `json:"skip_password_checks"`
	SkipPasswordRequirement   *bool           `json:"skip_password_requirement"`
	TOTPSecret                *string         `json:"totp_secret"`
	BackupCodes               []string        `json:"backup_codes"`
	PublicMetadata            json.RawMessage `json:"public_metadata"`
	PrivateMetadata           json.RawMessage `json:"private_metadata"`
	UnsafeMetadata            json.RawMessage `json:"unsafe_metadata"`
	DeleteSelfEnabled         *bool           `json:"delete_self_enabled"`
	LegalAcceptedAt           *string         `json:"legal_accepted_at"`
	SkipLegalChecks           *bool           `json:"skip_legal_checks"`
	SkipUserRequirement       *bool           `json:"skip_user_requirement"`
	CreateOrganizationEnabled *bool           `json:"create_organization_enabled"`
	CreateOrganizationsLimit  *int64          `json:"create_organizations_limit"`
	CreatedAt                 *string         `json:"created_at"`
	BypassClientTrust         *bool           `json:"bypass_client_trust"`
	Banned                    *bool           `json:"banned"`
	Locked                    *bool           `json:"locked"`
}

// updateUserParams is the body of PATCH /users/{user_id}. Metadata is not among them: since
// API version 2026-05-12 it changes only through the metadata endpoints.
type updateUserParams struct {
	ExternalID                opt[string]   `json:"external_id"`
	FirstName                 opt[string]   `json:"first_name"`
	LastName                  opt[string]   `json:"last_name"`
	Locale                    opt[string]   `json:"locale"`
	PrimaryEmailAddressID     opt[string]   `json:"primary_email_address_id"`
	NotifyPrimaryEmailChanged opt[bool]     `json:"notify_primary_email_address_changed"`
	PrimaryPhoneNumberID      opt[string]   `json:"primary_phone_number_id"`
	PrimaryWeb3WalletID       opt[string]   `json:"primary_web3_wallet_id"`
	Username                  opt[string]   `json:"username"`
	ProfileImageID            opt[string]   `json:"profile_image_id"`
	Password                  opt[string]   `json:"password"`
	PasswordDigest            opt[string]   `json:"password_digest"`
	PasswordHasher            opt[string]   `json:"password_hasher"`
	SkipPasswordChecks        opt[bool]     `json:"skip_password_checks"`
	SignOutOfOtherSessions    opt[bool]     `json:"sign_out_of_other_sessions"`
	TOTPSecret                opt[string]   `json:"totp_secret"`
	BackupCodes               opt[[]string] `json:"backup_codes"`
	DeleteSelfEnabled         opt[bool]     `json:"delete_self_enabled"`
	CreateOrganizationEnabled opt[bool]     `json:"create_organization_enabled"`
	LegalAcceptedAt           opt[string]   `json:"legal_accepted_at"`
	SkipLegalChecks           opt[bool]     `json:"skip_legal_checks"`
	CreateOrganizationsLimit  opt[int64]    `json:"create_organizations_limit"`
	CreatedAt                 opt[string]   `json:"created_at"`
	BypassClientTrust         opt[bool]     `json:"bypass_client_trust"`
}

// Identifier kinds that must be unique across the instance.
const (
	kindEmail      = "email_address"
	kindPhone      = "phone_number"
	kindUsername   = "username"
	kindWeb3       = "web3_wallet"
	kindExternalID = "external_id"
)

// owner returns the user other than except that holds value as an identifier of kind, or nil.
// Email addresses, usernames and wallets compare without case. The caller must hold st.mu.
func (st *store) owner(kind, value, except string) *clerk.User {
	for id, rec := range st.users {
		if id != except && holds(rec.user, kind, value) {
			return rec.user
		}
	}
	return nil
}

// holds reports whether u has value as an identifier of kind. An email address or phone
// number that is neither verified nor reserved holds nothing: several users may have it
// until one of them verifies it.
func holds(u *clerk.User, kind, value string) bool {
	switch kind {
	case kindEmail:
		for _, e := range u.EmailAddresses {
			if strings.EqualFold(e.EmailAddress, value) &&
				(e.Reserved || verified(e.Verification)) {
				return true
			}
		}
	case kindPhone:
		for _, p := range u.PhoneNumbers {
			if p.PhoneNumber == value && (p.Reserved || verified(p.Verification)) {
				return true
			}
		}
	case kindWeb3:
		for _, w := range u.Web3Wallets {
			if strings.EqualFold(w.Web3Wallet, value) {
				return true
			}
		}
	case kindUsername:
		return u.Username != nil && strings.EqualFold(*u.Username, value)
	case kindExternalID:
		return u.ExternalID != nil && *u.ExternalID == value
	}
	return false
}

// claim returns form_identifier_exists when another user than except holds value.
func (st *store) claim(kind, value, except string) error {
	if st.owner(kind, value, except) == nil {
		return nil
	}
	what := strings.ReplaceAll(kind, "_", " ")
	e := errParam("form_identifier_exists", kind, "That "+what+" is taken. Please try another.")
	e.message = "That " + what + " is taken."
	return e
}

// checkEmail returns addr in the lower case the API stores, or a format error.
func checkEmail(param, addr string) (string, error) {
	parsed, err := mail.ParseAddress(addr)
	_, domain, _ := strings.Cut(addr, "@")
	if err != nil || parsed.Address != addr || !strings.Contains(domain, ".") {
		return "", errParam("form_param_format_invalid", param,
			param+" must be a valid email address.")
	}
	return strings.ToLower(addr), nil
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// checkPhone accepts numbers in E.164 form, such as +15555550100.
func checkPhone(param, number string) (string, error) {
	if !e164.MatchString(number) {
		return "", errParam("form_param_format_invalid", param,
			param+" must be a phone number in E.164 format, such as +15555550100.")
	}
	return number, nil
}

var (
	ethereumAddress = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	solanaAddress   = regexp.MustCompile(`^[1-9A-HJ-NP-Za-km-z]{32,44}$`)
)

// checkWeb3 accepts Ethereum addresses (stored in lower case) and Solana addresses.
func checkWeb3(param, wallet string) (string, error) {
	switch {
	case ethereumAddress.MatchString(wallet):
		return strings.ToLower(wallet), nil
	case solanaAddress.MatchString(wallet):
		return wallet, nil
	}
	return "", errParam("form_param_format_invalid", param,
		param+" must be an Ethereum (0x...) or Solana wallet address.")
}

var usernameChars = regexp.MustCompile(`^[a-z0-9_-]+$`)

// checkUsername applies the API's default username rules: 4 to 64 characters, letters,
// digits, "-" and "_", kept in lower case.
func checkUsername(name string) (string, error) {
	lower := strings.ToLower(name)
	if n := len(lower); n < 4 || n > 64 {
		return "", errParam("form_username_invalid_length", "username",
			"username must be between 4 and 64 characters long.")
	}
	if !usernameChars.MatchString(lower) {
		return "", errParam("form_username_invalid_character", "username",
			"username can only contain letters, numbers, '-' and '_'.")
	}
	return lower, nil
}

// checkPassword applies the length rule unless the caller skips password checks.
func checkPassword(password string, skipChecks bool) error {
	if skipChecks {
		if password == "" {
			return errParam("form_param_format_invalid", "password", "password must not be empty.")
		}
		return nil
	}
	if len(password) < minPasswordLength {
		return errParam("form_password_length_too_short", "password",
			"Passwords must be 8 characters or more.")
	}
	return nil
}

// checkDigest requires password_digest and password_hasher together, with a known hasher.
func checkDigest(digest, hasher *string) error {
	switch {
	case digest == nil && hasher == nil:
		return nil
	case digest == nil || *digest == "":
		return errParam("form_param_missing", "password_digest",
			"password_digest is required when password_hasher is given.")
	case hasher == nil || *hasher == "":
		return errParam("form_param_missing", "password_hasher",
			"password_hasher is required when password_digest is given.")
	case !passwordHashers[*hasher]:
		return errParam("form_param_value_invalid", "password_hasher",
			"password_hasher "+*hasher+" is not a supported hashing algorithm.")
	}
	return nil
}

// checkTOTPSecret requires a base32 secret, as authenticator apps use.
func checkTOTPSecret(secret string) error {
	if _, err := decodeTOTPSecret(secret); err != nil {
		return errParam("form_param_format_invalid", "totp_secret",
			"totp_secret must be a base32-encoded secret.")
	}
	return nil
}

// checkBackupCodes requires non-empty codes.
func checkBackupCodes(codes []string) error {
	for _, c := range codes {
		if strings.TrimSpace(c) == "" {
			return errParam("form_param_format_invalid", "backup_codes",
				"backup_codes must not contain empty codes.")
		}
	}
	return nil
}

// parseTimestamp reads an RFC 3339 date-time parameter as Unix milliseconds.
func parseTimestamp(param, value string) (int64, error) {
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		return 0, errParam("form_param_format_invalid", param,
			param+" must be an RFC 3339 date-time, such as 2012-10-20T07:15:20.902Z.")
	}
	return t.UnixMilli(), nil
}

// checkStatuses checks an *_identification_status list: empty, or one verified/reserved item
// per identifier.
func checkStatuses(param string, statuses []string, n int) error {
	if len(statuses) == 0 {
		return nil
	}
	if len(statuses) != n {
		return errParam("form_param_value_invalid", param,
			param+" must have exactly one item per identifier.")
	}
	for _, s := range statuses {
		if s != "verified" && s != "reserved" {
			return errParam("form_param_value_invalid", param,
				param+" items must be verified or reserved.")
		}
	}
	return nil
}

// nonEmpty returns nil for nil or "", else s: an empty string clears a nullable field.
func nonEmpty(s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	v := *s
	return &v
}
