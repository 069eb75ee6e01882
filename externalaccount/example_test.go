package externalaccount_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/internal/fixture"
)

// Example_findUser looks up who connected a Google account, then a GitHub account that
// nobody connected.
func Example_findUser() {
	ctx := context.Background()
	// In a program: externalaccount.NewClient(&clerk.ClientConfig{Key: key}), or the
	// package-level functions after clerk.SetKey.
	c := externalaccount.NewClient(fixture.Serve("find_user.json", "find_user_none.json"))

	u, err := c.FindUser(ctx, "oauth_google", "104857600000000000001")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("found", u.ID, *u.FirstName)

	_, err = c.FindUser(ctx, "oauth_google", "unknown")
	fmt.Println("unknown account is not found:", errors.Is(err, clerk.ErrNotFound))
	// Output:
	// found user_2ada Ada
	// unknown account is not found: true
}
