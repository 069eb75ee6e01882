// Command quickstart walks through the user API: it creates a user with an email address and
// metadata, reads it back, merges more metadata, lists and counts users, and deletes the user.
//
// With CLERK_SECRET_KEY set it talks to CLERK_API_URL (default https://api.clerk.com/v1). Without
// a key it starts an in-process Clerk-compatible server (package clerktest) and says so first.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run() error {
	// Ctrl-C cancels the call under way; the deferred clean-up below still deletes the user.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	cfg, stop := config()
	defer stop()
	users := user.NewClient(cfg)

	// A unique address, so that running the example twice against one instance works.
	email := fmt.Sprintf("quickstart+%d@example.com", time.Now().UnixNano())
	created, err := users.Create(ctx, &user.CreateParams{
		EmailAddresses:          []string{email},
		FirstName:               clerk.String("Ada"),
		LastName:                clerk.String("Lovelace"),
		PublicMetadata:          metadata(`{"plan":"free","tags":["beta"]}`),
		SkipPasswordRequirement: clerk.Bool(true),
	})
	if err != nil {
		return fmt.Errorf("creating a user: %w", err)
	}
	fmt.Printf("created   %s  %s %s <%s>\n", created.ID, deref(created.FirstName),
		deref(created.LastName), primaryEmail(created))

	// Whatever happens next, leave no test user behind.
	deleted := false
	defer func() {
		if !deleted {
			cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if _, err := users.Delete(cleanup, created.ID); err == nil {
				fmt.Printf("deleted   %s (clean-up)\n", created.ID)
			}
		}
	}()

	got, err := users.Get(ctx, created.ID)
	if err != nil {
		return fmt.Errorf("reading the user back: %w", err)
	}
	fmt.Printf("read      %s  public metadata %s\n", got.ID, compact(got.PublicMetadata))

	// A merge: "plan" changes, "tags" is removed by null, "seats" is added; nothing else moves.
	merged, err := users.UpdateMetadata(ctx, created.ID, &user.MetadataParams{
		PublicMetadata: metadata(`{"plan":"pro","tags":null,"seats":5}`),
	})
	if err != nil {
		return fmt.Errorf("merging metadata: %w", err)
	}
	fmt.Printf("merged    %s  public metadata %s\n", merged.ID, compact(merged.PublicMetadata))

	fmt.Println("users, newest first:")
	seen, found := 0, false
	for u, err := range users.All(ctx, &user.ListParams{Limit: clerk.Int64(100)}) {
		if err != nil {
			return fmt.Errorf("listing users: %w", err)
		}
		seen++
		found = found || u.ID == created.ID
		if seen <= 5 {
			fmt.Printf("  %-32s %s\n", u.ID, primaryEmail(u))
		}
	}
	if seen > 5 {
		fmt.Printf("  ... and %d more\n", seen-5)
	}
	if !found {
		return fmt.Errorf("walking users: %s was not listed", created.ID)
	}

	total, err := users.Count(ctx, nil)
	if err != nil {
		return fmt.Errorf("counting users: %w", err)
	}
	fmt.Printf("counted   %d user(s)\n", total)

	del, err := users.Delete(ctx, created.ID)
	if err != nil {
		return fmt.Errorf("deleting the user: %w", err)
	}
	deleted = true
	fmt.Printf("deleted   %s (deleted=%t)\n", del.ID, del.Deleted)

	switch _, err := users.Get(ctx, created.ID); {
	case err == nil:
		return errors.New("reading a deleted user: got the user, want a not-found error")
	case !errors.Is(err, clerk.ErrNotFound):
		return fmt.Errorf("reading a deleted user: got %w, want a not-found error", err)
	}
	fmt.Printf("confirmed %s is gone (404)\n", created.ID)
	return nil
}

// config returns the configuration to use and a function that releases what it started.
func config() (*clerk.ClientConfig, func()) {
	if key := os.Getenv("CLERK_SECRET_KEY"); key != "" {
		cfg := &clerk.ClientConfig{Key: key, BaseURL: os.Getenv("CLERK_API_URL")}
		fmt.Printf("using the Clerk API at %s\n", baseURL(cfg))
		return cfg, func() {}
	}
	srv := clerktest.NewServer()
	fmt.Printf("CLERK_SECRET_KEY is not set: using an in-process Clerk-compatible server at %s\n",
		srv.URL())
	return srv.Config(), srv.Close
}

func baseURL(cfg *clerk.ClientConfig) string {
	if cfg.BaseURL != "" {
		return cfg.BaseURL
	}
	return clerk.DefaultBaseURL
}

func primaryEmail(u *clerk.User) string {
	for _, e := range u.EmailAddresses {
		if u.PrimaryEmailAddressID != nil && e.ID == *u.PrimaryEmailAddressID {
			return e.EmailAddress
		}
	}
	return "(no email)"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// metadata wraps a JSON object for a params field.
func metadata(object string) *json.RawMessage {
	return clerk.JSONRawMessage(json.RawMessage(object))
}

// compact prints metadata on one line, whatever spacing the server used.
func compact(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	out, _ := json.Marshal(v)
	return string(out)
}
