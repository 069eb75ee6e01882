package clerktest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
)

// The server speaks plain HTTP, so any client can use it; Go code would normally use
// Config with the resource packages instead.
func Example() {
	srv := clerktest.NewServer()
	defer srv.Close()

	body := strings.NewReader(`{"email_address":["ada@example.com"],"first_name":"Ada"}`)
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/users", body)
	req.Header.Set("Authorization", "Bearer "+srv.Key())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()

	var u clerk.User
	if err := json.NewDecoder(resp.Body).Decode(&u); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode, *u.FirstName, u.EmailAddresses[0].EmailAddress,
		u.EmailAddresses[0].Verification.Status)
	// Output: 200 Ada ada@example.com verified
}

// AddUser seeds what the API cannot create, here a user who last signed in long ago.
func ExampleServer_AddUser() {
	srv := clerktest.NewServer()
	defer srv.Close()

	lastSignIn := int64(1_600_000_000_000)
	u, err := srv.AddUser(&clerk.User{
		ID:             "user_dormant",
		LastSignInAt:   &lastSignIn,
		EmailAddresses: []*clerk.EmailAddress{{EmailAddress: "old@example.com"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.ID, *u.PrimaryEmailAddressID == u.EmailAddresses[0].ID)
	// Output: user_dormant true
}

// SeedExternalAccount links an OAuth account, whose token the API then returns.
func ExampleServer_SeedExternalAccount() {
	srv := clerktest.NewServer()
	defer srv.Close()

	u, _ := srv.AddUser(&clerk.User{})
	acct, err := srv.SeedExternalAccount(u.ID, "oauth_github", "12345",
		clerktest.AccountToken("gho_example", "read:user"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(acct.Provider, acct.ProviderUserID, acct.ApprovedScopes)
	// Output: oauth_github 12345 read:user
}
