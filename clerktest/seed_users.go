package clerktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/clerkcompat/clerk"
)

// SeedUser describes one user for SeedUsers and SeedJSON. Its JSON form is that of a
// create-user request (POST /users: email_address and phone_number are lists of strings),
// plus fields that such a request cannot carry: a fixed id, the banned and locked flags,
// and external accounts.
type SeedUser struct {
	// ID fixes the user's ID, such as "user_ada"; the server makes one when it is empty.
	ID string `json:"id,omitempty"`
	// ExternalID, FirstName, LastName and Username are stored as given.
	ExternalID *string `json:"external_id,omitempty"`
	FirstName  *string `json:"first_name,omitempty"`
	LastName   *string `json:"last_name,omitempty"`
	Username   *string `json:"username,omitempty"`
	// EmailAddresses and PhoneNumbers (E.164, such as "+15555550100") become verified
	// identifiers of the user; the first of each is the primary one.
	EmailAddresses []string `json:"email_address,omitempty"`
	PhoneNumbers   []string `json:"phone_number,omitempty"`
	// Password, when set, is the password that POST /users/{id}/verify_password accepts.
	// Unlike a create-user request, it is not checked for length.
	Password *string `json:"password,omitempty"`
	// PublicMetadata, PrivateMetadata and UnsafeMetadata are JSON objects; {} when absent.
	PublicMetadata  json.RawMessage `json:"public_metadata,omitempty"`
	PrivateMetadata json.RawMessage `json:"private_metadata,omitempty"`
	UnsafeMetadata  json.RawMessage `json:"unsafe_metadata,omitempty"`
	// Banned and Locked set the user's flags of the same names.
	Banned bool `json:"banned,omitempty"`
	Locked bool `json:"locked,omitempty"`
	// CreatedAt backdates the user, in Unix milliseconds; the server's clock when zero.
	CreatedAt int64 `json:"created_at,omitempty"`
	// ExternalAccounts are linked as SeedExternalAccount links them, in order.
	ExternalAccounts []SeedAccount `json:"external_accounts,omitempty"`
}

// SeedAccount is an external account of a SeedUser.
type SeedAccount struct {
	// Provider is "oauth_" and the provider's name, such as "oauth_google".
	Provider string `json:"provider"`
	// ProviderUserID is the user's ID at the provider.
	ProviderUserID string `json:"provider_user_id"`
	// EmailAddress is the account's address; the user's primary address when empty.
	EmailAddress string `json:"email_address,omitempty"`
	// Token and Scopes are the OAuth access token and the scopes the user granted (see
	// AccountToken); a random token with "email profile" when Token is empty.
	Token  string   `json:"token,omitempty"`
	Scopes []string `json:"scopes,omitempty"`
}

// SeedUsers stores each user in order, as AddUser does, and returns the stored users. Their
// email addresses and phone numbers are verified, and like AddUser it sends no webhook event.
//
// It stops at the first user that cannot be stored (an invalid email address or phone
// number, an identifier or ID another user holds, metadata that is not an object, ...) and
// returns an error naming that user by its position, with the users stored before it. Those
// stay stored, and so may the failing user when only one of its external accounts failed.
func (s *Server) SeedUsers(users []SeedUser) ([]*clerk.User, error) {
	out := make([]*clerk.User, 0, len(users))
	for i := range users {
		u, err := s.seedUser(&users[i])
		if err != nil {
			return out, fmt.Errorf("clerktest: seeding user %d: %w", i+1, err)
		}
		out = append(out, u)
	}
	return out, nil
}

// SeedJSON reads a JSON array of SeedUser objects from r and stores them with SeedUsers.
// A field that SeedUser does not have is an error, so that a misspelt field is not ignored
// in silence:
//
//	[{"id": "user_ada", "first_name": "Ada", "email_address": ["ada@example.com"],
//	  "public_metadata": {"plan": "pro"}}]
func (s *Server) SeedJSON(r io.Reader) ([]*clerk.User, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("clerktest: reading seed users: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var users []SeedUser
	if err := dec.Decode(&users); err != nil {
		return nil, fmt.Errorf("clerktest: decoding seed users (a JSON array of users): %w", err)
	}
	if dec.More() {
		return nil, errors.New("clerktest: decoding seed users: data after the JSON array")
	}
	return s.SeedUsers(users)
}

// seedUser stores one user: AddUser with the identifiers checked as the API checks them, then
// the password and the external accounts.
func (s *Server) seedUser(in *SeedUser) (*clerk.User, error) {
	u := &clerk.User{
		ID: in.ID, ExternalID: in.ExternalID, FirstName: in.FirstName, LastName: in.LastName,
		PublicMetadata: in.PublicMetadata, PrivateMetadata: in.PrivateMetadata,
		UnsafeMetadata: in.UnsafeMetadata, Banned: in.Banned, Locked: in.Locked,
		CreatedAt: in.CreatedAt,
	}
	if in.Username != nil {
		name, err := checkUsername(*in.Username)
		if err != nil {
			return nil, err
		}
		u.Username = &name
	}
	for _, e := range in.EmailAddresses {
		addr, err := checkEmail("email_address", e)
		if err != nil {
			return nil, err
		}
		u.EmailAddresses = append(u.EmailAddresses, &clerk.EmailAddress{EmailAddress: addr})
	}
	for _, p := range in.PhoneNumbers {
		number, err := checkPhone("phone_number", p)
		if err != nil {
			return nil, err
		}
		u.PhoneNumbers = append(u.PhoneNumbers, &clerk.PhoneNumber{PhoneNumber: number})
	}
	if in.Password != nil && *in.Password == "" {
		return nil, errors.New("password is empty")
	}
	for _, a := range in.ExternalAccounts {
		if !providerName.MatchString(a.Provider) || a.ProviderUserID == "" {
			return nil, fmt.Errorf("external account %q/%q: want a provider oauth_<name> "+
				"and a provider_user_id", a.Provider, a.ProviderUserID)
		}
	}

	stored, err := s.AddUser(u)
	if err != nil {
		return nil, err
	}
	if in.Password != nil {
		s.store.mu.Lock()
		if rec, ok := s.store.users[stored.ID]; ok {
			rec.password = hashPassword(*in.Password)
			rec.derive()
		}
		s.store.mu.Unlock()
	}
	for _, a := range in.ExternalAccounts {
		var opts []AccountOption
		if a.EmailAddress != "" {
			opts = append(opts, AccountEmail(a.EmailAddress))
		}
		if a.Token != "" || a.Scopes != nil {
			scopes := a.Scopes
			if scopes == nil {
				scopes = []string{"email", "profile"}
			}
			opts = append(opts, AccountToken(a.Token, scopes...))
		}
		if _, err := s.SeedExternalAccount(stored.ID, a.Provider, a.ProviderUserID,
			opts...); err != nil {
			return nil, err
		}
	}
	if in.Password == nil && len(in.ExternalAccounts) == 0 {
		return stored, nil
	}
	return s.userCopy(stored.ID)
}

// userCopy returns a copy of the stored user id.
func (s *Server) userCopy(id string) (*clerk.User, error) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	rec, ok := s.store.users[id]
	if !ok {
		return nil, fmt.Errorf("user %q is gone", id)
	}
	return copyUser(rec.user), nil
}
