package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

// Verify checks a session token with the instance's keys, fetched once from its JWKS
// endpoint and cached. Here clerktest stands in for the instance and signs the tokens.
func ExampleVerifier_Verify() {
	srv := clerktest.NewServer()
	defer srv.Close()
	if _, err := srv.SeedUsers([]clerktest.SeedUser{{ID: "user_ada"}}); err != nil {
		fmt.Println(err)
		return
	}

	// In a program: auth.Options{Config: &clerk.ClientConfig{Key: key}}, built once at start.
	v, err := auth.NewVerifier(auth.Options{Config: srv.Config(), Issuer: srv.Issuer()})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	token, err := srv.SessionToken("user_ada")
	if err != nil {
		fmt.Println(err)
		return
	}
	claims, err := v.Verify(ctx, token)
	if err != nil {
		fmt.Println("verifying:", err)
		return
	}
	fmt.Println("user:", claims.Subject)

	// Each kind of failure matches its own sentinel.
	expired, _ := srv.SessionToken("user_ada", clerktest.Expired())
	_, err = v.Verify(ctx, expired)
	fmt.Println("expired:", errors.Is(err, auth.ErrExpired))
	forged, _ := srv.SessionToken("user_ada", clerktest.ForeignSigned())
	_, err = v.Verify(ctx, forged)
	fmt.Println("forged:", errors.Is(err, auth.ErrInvalidSignature))
	// Output:
	// user: user_ada
	// expired: true
	// forged: true
}

// RequireSession protects a handler: requests without a valid session token get a 401 and
// never reach it. This is also how an application tests its own protected handlers end to
// end: clerktest serves the API and the keys, and mints the tokens.
func ExampleVerifier_RequireSession() {
	srv := clerktest.NewServer()
	defer srv.Close()
	users, err := srv.SeedUsers([]clerktest.SeedUser{{FirstName: clerk.String("Ada")}})
	if err != nil {
		fmt.Println(err)
		return
	}

	// The application: GET /me greets the signed-in user by name.
	v, err := auth.NewVerifier(auth.Options{Config: srv.Config()})
	if err != nil {
		fmt.Println(err)
		return
	}
	userClient := user.NewClient(srv.Config())
	me := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := auth.ClaimsFromContext(r.Context())
		u, err := userClient.Get(r.Context(), claims.Subject)
		if err != nil {
			http.Error(w, "cannot read the user", http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, "Hello, %s", *u.FirstName)
	})
	app := httptest.NewServer(v.RequireSession(me))
	defer app.Close()

	get := func(token string) {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet,
			app.URL+"/me", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			// The body is the API's error document; its code says what was wrong.
			var e struct {
				Errors []struct{ Code string } `json:"errors"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || len(e.Errors) == 0 {
				fmt.Println(resp.StatusCode, "with no error code")
				return
			}
			fmt.Println(resp.StatusCode, e.Errors[0].Code)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(body))
	}

	get("")
	expired, _ := srv.SessionToken(users[0].ID, clerktest.Expired())
	get(expired)
	token, _ := srv.SessionToken(users[0].ID)
	get(token)
	// Output:
	// 401 session_token_missing
	// 401 session_token_expired
	// 200 Hello, Ada
}
