package badinput_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/jwks"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/session"
	"github.com/clerkcompat/clerk/user"
)

// TestClientsNeverPrintKey prints the client of every resource package, and a verifier built
// on a configuration, in the fmt forms a program uses to log them.
func TestClientsNeverPrintKey(t *testing.T) {
	t.Parallel()
	const secret = "PRINTMENOT42"
	cfg := &clerk.ClientConfig{Key: "sk_test_" + secret, BaseURL: "http://127.0.0.1:1/v1"}
	verifier, err := auth.NewVerifier(auth.Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{
		"user":            user.NewClient(cfg),
		"emailaddress":    emailaddress.NewClient(cfg),
		"phonenumber":     phonenumber.NewClient(cfg),
		"externalaccount": externalaccount.NewClient(cfg),
		"session":         session.NewClient(cfg),
		"jwks":            jwks.NewClient(cfg),
		"verifier":        verifier,
		"options":         auth.Options{Config: cfg},
	}
	for name, v := range values {
		for _, form := range []string{"%v", "%+v", "%#v"} {
			if text := fmt.Sprintf(form, v); strings.Contains(text, secret) {
				t.Errorf("%s printed with %s shows the key: %s", name, form, text)
			}
		}
	}
}
