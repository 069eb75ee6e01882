package phonenumber_test

import (
	"context"
	"fmt"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/phonenumber"
)

// Example_verifyCode sends a code to a phone number and checks two codes the user typed: a
// wrong one, which is an answer and not an error, and the right one.
func Example_verifyCode() {
	ctx := context.Background()
	// In a program: phonenumber.NewClient(&clerk.ClientConfig{Key: key}), or the
	// package-level functions after clerk.SetKey.
	c := phonenumber.NewClient(fixture.Serve("prepare_verification.json",
		"attempt_verification.json", "attempt_verification_wrong_code.json"))
	const numberID = "idn_2gracePhone0001"

	v, err := c.PrepareVerification(ctx, numberID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("code sent:", v.ID, v.Status)

	for _, code := range []string{"000000", "424242"} {
		v, err := c.AttemptVerification(ctx, numberID, &phonenumber.AttemptVerificationParams{
			VerificationID: clerk.String(v.ID),
			Code:           clerk.String(code),
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("code %s: %s (verified: %t)\n", code, v.Status, v.Verified())
	}
	// Output:
	// code sent: ver_2graceCode0001 unverified
	// code 000000: failed (verified: false)
	// code 424242: verified (verified: true)
}
