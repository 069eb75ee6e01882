package clerktest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

// upgradeHandler is a piece of an application under test: POST /upgrade moves the signed-in
// user to the "pro" plan, kept in the user's public metadata.
func upgradeHandler(users *user.Client) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := auth.ClaimsFromContext(r.Context())
		_, err := users.UpdateMetadata(r.Context(), claims.Subject, &user.MetadataParams{
			PublicMetadata: clerk.JSONRawMessage(json.RawMessage(`{"plan":"pro"}`)),
		})
		if err != nil {
			http.Error(w, "upgrade failed", http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// An application's handler is tested end to end: clerktest is the Clerk instance, the
// handler runs behind the real session check, and the test reads the result back from the
// server. In a real test, the Output lines would be assertions.
func Example_testingAnApplication() {
	srv := clerktest.NewServer()
	defer srv.Close()
	seeded, err := srv.SeedJSON(strings.NewReader(`[
		{"first_name": "Ada", "email_address": ["ada@example.com"],
		 "public_metadata": {"plan": "free"}}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	ada := seeded[0]

	// Wire the application to the server exactly as it would be wired to Clerk.
	users := user.NewClient(srv.Config())
	verifier, err := auth.NewVerifier(auth.Options{Config: srv.Config()})
	if err != nil {
		fmt.Println(err)
		return
	}
	app := verifier.RequireSession(upgradeHandler(users))

	// A request with Ada's session token upgrades Ada.
	token, err := srv.SessionToken(ada.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	req := httptest.NewRequest(http.MethodPost, "/upgrade", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	fmt.Println("status:", rec.Code)

	u, err := users.Get(context.Background(), ada.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("metadata:", string(u.PublicMetadata))

	// A request without a token never reaches the handler.
	rec = httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/upgrade", nil))
	fmt.Println("status without a token:", rec.Code)
	// Output:
	// status: 204
	// metadata: {"plan":"pro"}
	// status without a token: 401
}

// SessionToken mints the token a signed-in browser would send. Options make tokens that
// must be refused, for the unhappy paths.
func ExampleServer_SessionToken() {
	srv := clerktest.NewServer()
	defer srv.Close()
	u, err := srv.AddUser(&clerk.User{ID: "user_ada"})
	if err != nil {
		fmt.Println(err)
		return
	}
	verifier, err := auth.NewVerifier(auth.Options{Config: srv.Config(),
		AuthorizedParties: []string{"https://app.example.com"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	token, _ := srv.SessionToken(u.ID,
		clerktest.WithAuthorizedParty("https://app.example.com"),
		clerktest.WithClaims(map[string]any{"role": "admin"}))
	claims, err := verifier.Verify(ctx, token)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Subject, claims.AuthorizedParty, string(claims.Custom["role"]))

	other, _ := srv.SessionToken(u.ID, clerktest.WithAuthorizedParty("https://evil.example"))
	_, err = verifier.Verify(ctx, other)
	fmt.Println(err != nil)
	// Output:
	// user_ada https://app.example.com "admin"
	// true
}

// A seed file describes users as create-user requests do, plus what the API cannot set:
// fixed IDs, passwords, bans and external accounts. cmd/clerkfake -seed reads the same format.
func ExampleServer_SeedJSON() {
	srv := clerktest.NewServer()
	defer srv.Close()

	users, err := srv.SeedJSON(strings.NewReader(`[
		{"id": "user_ada", "first_name": "Ada", "email_address": ["ada@example.com"],
		 "password": "correct-horse", "public_metadata": {"plan": "pro"},
		 "external_accounts": [{"provider": "oauth_github", "provider_user_id": "1815"}]},
		{"id": "user_mallory", "email_address": ["mallory@example.net"], "banned": true}
	]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range users {
		fmt.Println(u.ID, u.EmailAddresses[0].EmailAddress, u.PasswordEnabled, u.Banned,
			len(u.ExternalAccounts))
	}
	// Output:
	// user_ada ada@example.com true false 1
	// user_mallory mallory@example.net false true 0
}
