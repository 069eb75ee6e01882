package auth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/clerkcompat/clerk/auth"
)

// This example protects a handler with the instance's public key, given up front in PEM, so
// verifying a request needs no network call at all.
func Example() {
	// A real program gets the PEM from the Clerk dashboard (or CLERK_JWT_KEY); the example
	// makes a key pair of its own so that it can sign a token the way the instance does.
	instanceKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		log.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&instanceKey.PublicKey)
	if err != nil {
		log.Fatal(err)
	}
	publicKeyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))

	verifier, err := auth.NewVerifier(auth.Options{
		PublicKeyPEM:      publicKeyPEM,
		AuthorizedParties: []string{"https://example.com"},
	})
	if err != nil {
		log.Fatal(err)
	}
	me := verifier.RequireSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := auth.ClaimsFromContext(r.Context())
		fmt.Fprintf(w, "signed in as %s", claims.Subject)
	}))

	// A request with no session token is refused, and the handler is not called.
	rec := httptest.NewRecorder()
	me.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/me", nil))
	fmt.Print(rec.Code, " ", rec.Body.String())

	// A request with a valid session token reaches the handler.
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: instanceKey}, nil)
	if err != nil {
		log.Fatal(err)
	}
	token, err := jwt.Signed(signer).Claims(map[string]any{
		"sub": "user_2abc",
		"azp": "https://example.com",
		"exp": time.Now().Add(time.Minute).Unix(),
	}).Serialize()
	if err != nil {
		log.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec = httptest.NewRecorder()
	me.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())

	// Output:
	// 401 {"errors":[{"code":"session_token_missing","message":"no session token: send it as an Authorization Bearer token or in the __session cookie"}]}
	// 200 signed in as user_2abc
}

// Handlers behind RequireSession can be tested without tokens: put the claims in the
// request's context as the middleware would.
func ExampleContextWithClaims() {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, ok := auth.ClaimsFromContext(r.Context())
		if !ok {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "hello %s", claims.Subject)
	})

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(auth.ContextWithClaims(req.Context(), &auth.Claims{Subject: "user_2abc"}))
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Println(rec.Body.String())

	// Output:
	// hello user_2abc
}
