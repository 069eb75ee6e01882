package clerk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

// Most programs set the key once, at start, and call the package-level functions of the
// resource packages, which use this default configuration.
func ExampleSetKey() {
	srv := clerktest.NewServer() // stands in for api.clerk.com in this example
	defer srv.Close()
	clerk.SetConfig(&clerk.ClientConfig{BaseURL: srv.URL()}) // not needed with the real API
	defer clerk.SetConfig(nil)

	// In a program: clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
	clerk.SetKey(srv.Key())

	n, err := user.Count(context.Background(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("users:", n)
	// Output:
	// users: 0
}

// A ClientConfig gives one client its own settings; every field has a working default.
// Here the client logs each attempt through slog (never a header, body or the key).
func ExampleClientConfig() {
	srv := clerktest.NewServer()
	defer srv.Close()

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the example's output the same on every run
			}
			return a
		},
	}))
	users := user.NewClient(&clerk.ClientConfig{
		Key:        srv.Key(), // in a program: os.Getenv("CLERK_SECRET_KEY")
		BaseURL:    srv.URL(), // empty for the real API
		MaxRetries: 5,
		Logger:     logger,
		UserAgent:  "billing-service/1.4",
	})

	_, err := users.Get(context.Background(), "user_missing")
	fmt.Println(errors.Is(err, clerk.ErrNotFound))
	// Output:
	// level=WARN msg="clerk request" method=GET path=/users/user_missing status=404 attempt=1
	// true
}

// Every answer of 400 or above is a *clerk.APIError. errors.Is matches the common statuses;
// errors.As gives the details, such as the API's error codes.
func ExampleAPIError() {
	srv := clerktest.NewServer()
	defer srv.Close()
	users := user.NewClient(srv.Config())
	ctx := context.Background()

	_, err := users.Get(ctx, "user_missing")
	switch {
	case errors.Is(err, clerk.ErrNotFound):
		fmt.Println("no such user")
	case err != nil:
		fmt.Println("something else went wrong:", err)
	}

	_, err = users.Create(ctx, &user.CreateParams{EmailAddresses: []string{"not an address"}})
	var apiErr *clerk.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatusCode, errors.Is(err, clerk.ErrUnprocessable))
		for _, e := range apiErr.Errors {
			// Meta is raw JSON; for a bad parameter it names the parameter.
			var meta struct {
				ParamName string `json:"param_name"`
			}
			_ = json.Unmarshal(e.Meta, &meta)
			fmt.Println(e.Code, meta.ParamName)
		}
	}
	// Output:
	// no such user
	// 422 true
	// form_param_format_invalid email_address
}

// Bad input is caught before any request is sent, as an *InvalidParamError naming the
// parameter; errors.Is matches it with ErrInvalidParam.
func ExampleInvalidParamError() {
	users := user.NewClient(&clerk.ClientConfig{Key: "sk_test_unused"})

	_, err := users.Get(context.Background(), "")
	fmt.Println(errors.Is(err, clerk.ErrInvalidParam))
	var invalid *clerk.InvalidParamError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Param)
	}

	_, err = users.List(context.Background(), &user.ListParams{Limit: clerk.Int64(1000)})
	fmt.Println(err)
	// Output:
	// true
	// user_id
	// clerk: invalid parameter limit: must be 1 to 500
}
