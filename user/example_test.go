package user_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

// The examples run against clerktest, an in-memory server that speaks the Backend API, so
// that they need no network and no key. A program sets its key instead:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))

func ExampleCreate() {
	srv := clerktest.NewServer() // in a program: clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
	defer srv.Close()
	clerk.SetConfig(srv.Config())
	defer clerk.SetConfig(nil)
	ctx := context.Background()

	u, err := user.Create(ctx, &user.CreateParams{
		FirstName:      clerk.String("Ada"),
		LastName:       clerk.String("Lovelace"),
		EmailAddresses: []string{"ada@example.com"},
		PublicMetadata: clerk.JSONRawMessage(json.RawMessage(`{"plan":"free"}`)),
	})
	if err != nil {
		fmt.Println("creating the user:", err)
		return
	}
	// The first address becomes the primary one; the backend creates it verified.
	primary := u.EmailAddresses[0]
	fmt.Println(*u.FirstName, *u.LastName, primary.EmailAddress, primary.Verification.Status)
	fmt.Println(*u.PrimaryEmailAddressID == primary.ID, string(u.PublicMetadata))

	// The same address cannot belong to a second user.
	_, err = user.Create(ctx, &user.CreateParams{EmailAddresses: []string{"ada@example.com"}})
	var apiErr *clerk.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatusCode, apiErr.HasCode("form_identifier_exists"))
	}
	// Output:
	// Ada Lovelace ada@example.com verified
	// true {"plan":"free"}
	// 422 true
}

func ExampleGet() {
	srv := clerktest.NewServer() // in a program: clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
	defer srv.Close()
	clerk.SetConfig(srv.Config())
	defer clerk.SetConfig(nil)
	ctx := context.Background()
	created, err := user.Create(ctx, &user.CreateParams{FirstName: clerk.String("Grace"),
		EmailAddresses: []string{"grace@example.com"}})
	if err != nil {
		fmt.Println(err)
		return
	}

	u, err := user.Get(ctx, created.ID)
	if err != nil {
		fmt.Println("getting the user:", err)
		return
	}
	fmt.Println(*u.FirstName, u.EmailAddresses[0].EmailAddress)

	// An ID that names no user is an *clerk.APIError that matches clerk.ErrNotFound.
	_, err = user.Get(ctx, "user_doesNotExist")
	fmt.Println(errors.Is(err, clerk.ErrNotFound))

	// An empty ID is caught before any request is sent.
	_, err = user.Get(ctx, "")
	var invalid *clerk.InvalidParamError
	fmt.Println(errors.As(err, &invalid), invalid.Param)
	// Output:
	// Grace grace@example.com
	// true
	// true user_id
}

// A Client carries its own configuration: use one per instance, or for settings other than
// the default configuration's.
func ExampleClient_Get() {
	srv := clerktest.NewServer()
	defer srv.Close()
	// In a program: user.NewClient(&clerk.ClientConfig{Key: key, MaxRetries: 5})
	users := user.NewClient(srv.Config())
	ctx := context.Background()
	created, err := users.Create(ctx, &user.CreateParams{Username: clerk.String("hopper")})
	if err != nil {
		fmt.Println(err)
		return
	}

	u, err := users.Get(ctx, created.ID)
	if err != nil {
		fmt.Println("getting the user:", err)
		return
	}
	fmt.Println(*u.Username, u.ID == created.ID)
	// Output:
	// hopper true
}

// UpdateMetadata merges: keys it names are set, objects are merged key by key, and a key
// set to null is removed. Keys it does not name are kept.
func ExampleUpdateMetadata() {
	srv := clerktest.NewServer() // in a program: clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
	defer srv.Close()
	clerk.SetConfig(srv.Config())
	defer clerk.SetConfig(nil)
	ctx := context.Background()
	u, err := user.Create(ctx, &user.CreateParams{
		PublicMetadata: clerk.JSONRawMessage(json.RawMessage(
			`{"plan":"free","features":{"beta":true,"export":false},"trial":true}`)),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	u, err = user.UpdateMetadata(ctx, u.ID, &user.MetadataParams{
		PublicMetadata: clerk.JSONRawMessage(json.RawMessage(
			`{"plan":"pro","features":{"export":true},"trial":null}`)),
	})
	if err != nil {
		fmt.Println("updating metadata:", err)
		return
	}
	fmt.Println(string(u.PublicMetadata))

	// ReplaceMetadata replaces the object whole instead.
	u, err = user.ReplaceMetadata(ctx, u.ID, &user.MetadataParams{
		PublicMetadata: clerk.JSONRawMessage(json.RawMessage(`{"plan":"team"}`)),
	})
	if err != nil {
		fmt.Println("replacing metadata:", err)
		return
	}
	fmt.Println(string(u.PublicMetadata))
	// Output:
	// {"features":{"beta":true,"export":true},"plan":"pro"}
	// {"plan":"team"}
}

// All walks every user, one page per request, as the loop asks for them. Breaking out of
// the loop stops the requests.
func ExampleAll() {
	srv := clerktest.NewServer() // in a program: clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
	defer srv.Close()
	clerk.SetConfig(srv.Config())
	defer clerk.SetConfig(nil)
	// Five users who signed up a day apart (Unix milliseconds).
	day := int64(24 * 60 * 60 * 1000)
	var seed []clerktest.SeedUser
	for i, name := range []string{"Ada", "Grace", "Edsger", "Barbara", "Donald"} {
		seed = append(seed, clerktest.SeedUser{FirstName: clerk.String(name),
			CreatedAt: 1_700_000_000_000 + int64(i)*day})
	}
	if _, err := srv.SeedUsers(seed); err != nil {
		fmt.Println(err)
		return
	}

	// Newest first, two per page: three requests.
	n := 0
	for u, err := range user.All(context.Background(), &user.ListParams{Limit: clerk.Int64(2)}) {
		if err != nil {
			fmt.Println("listing users:", err)
			return
		}
		n++
		fmt.Println(n, *u.FirstName)
	}
	// Output:
	// 1 Donald
	// 2 Barbara
	// 3 Edsger
	// 4 Grace
	// 5 Ada
}

// List returns one page; Count says how many users match the same filters.
func ExampleList() {
	srv := clerktest.NewServer() // in a program: clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
	defer srv.Close()
	clerk.SetConfig(srv.Config())
	defer clerk.SetConfig(nil)
	ctx := context.Background()
	for _, addr := range []string{"ada@example.com", "grace@example.org", "alan@example.com"} {
		_, err := user.Create(ctx, &user.CreateParams{EmailAddresses: []string{addr}})
		if err != nil {
			fmt.Println(err)
			return
		}
	}

	users, err := user.List(ctx, &user.ListParams{
		EmailAddressQuery: clerk.String("example.com"),
		OrderBy:           clerk.String("+email_address"),
	})
	if err != nil {
		fmt.Println("listing users:", err)
		return
	}
	for _, u := range users {
		fmt.Println(u.EmailAddresses[0].EmailAddress)
	}
	n, err := user.Count(ctx, &user.CountParams{EmailAddressQuery: clerk.String("example.com")})
	if err != nil {
		fmt.Println("counting users:", err)
		return
	}
	fmt.Println(n)
	// Output:
	// ada@example.com
	// alan@example.com
	// 2
}
