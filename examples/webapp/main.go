// Command webapp is a web server with a public page ("/") and a page for signed-in users only
// ("/me") that greets the user by name. The session token that Clerk's frontend makes comes in
// an "Authorization: Bearer" header or in the __session cookie; package auth verifies it with
// no call to the API, and the user's name is then read with package user.
//
// With CLERK_SECRET_KEY set it uses that instance (at CLERK_API_URL when set). Without a key it
// starts an in-process Clerk-compatible server (package clerktest) and says so first, creates
// a demo user and prints a curl command with a valid session token to try.
//
//	go run ./examples/webapp [-addr 127.0.0.1:8080]
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

// demoTokenLifetime is how long the printed demo token stays valid: long enough to copy the
// command and try it a few times.
const demoTokenLifetime = time.Hour

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "webapp:", err)
		os.Exit(1)
	}
}

// run parses args, sets the app up and serves it until ctx ends.
func run(ctx context.Context, args []string, getenv func(string) string,
	stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("webapp", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "`address` to listen on")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}

	cfg := &clerk.ClientConfig{Key: getenv("CLERK_SECRET_KEY"), BaseURL: getenv("CLERK_API_URL")}
	var demo *clerktest.Server
	if cfg.Key == "" {
		demo = clerktest.NewServer()
		defer demo.Close()
		fmt.Fprintf(stdout, "CLERK_SECRET_KEY is not set: using an in-process "+
			"Clerk-compatible server at %s\n", demo.URL())
		cfg = demo.Config()
	} else {
		fmt.Fprintf(stdout, "using the Clerk API at %s\n",
			cmp.Or(cfg.BaseURL, clerk.DefaultBaseURL))
	}

	handler, err := newHandler(cfg)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	url := "http://" + ln.Addr().String()
	if demo != nil {
		token, err := demoToken(ctx, demo, cfg)
		if err != nil {
			ln.Close()
			return err
		}
		fmt.Fprintf(stdout, "try it (the token is valid for %s):\n", demoTokenLifetime)
		fmt.Fprintf(stdout, "  curl -H 'Authorization: Bearer %s' %s/me\n", token, url)
	}
	fmt.Fprintf(stdout, "serving on %s (Ctrl-C stops)\n", url)
	return serve(ctx, ln, handler)
}

// newHandler returns the app's routes: "/" for everyone and "/me" for signed-in users only.
func newHandler(cfg *clerk.ClientConfig) (http.Handler, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", home)

	// The protection: one verifier per instance, and RequireSession around the handler.
	verifier, err := auth.NewVerifier(auth.Options{Config: cfg})
	if err != nil {
		return nil, fmt.Errorf("session verifier: %w", err)
	}
	mux.Handle("GET /me", verifier.RequireSession(greet(user.NewClient(cfg))))
	return mux, nil
}

func home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "Hello, visitor. Send a session token to /me to be greeted by name.")
}

// greet answers with the signed-in user's name. It runs behind RequireSession, so the request
// always carries verified claims; the name is not in them, so it is read from the API.
func greet(users *user.Client) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, ok := auth.ClaimsFromContext(r.Context())
		if !ok {
			http.Error(w, "not signed in", http.StatusUnauthorized)
			return
		}
		u, err := users.Get(r.Context(), claims.Subject)
		switch {
		case errors.Is(err, clerk.ErrNotFound):
			// The token is genuine, but its user has been deleted since it was made.
			http.Error(w, "this session's user no longer exists", http.StatusUnauthorized)
			return
		case err != nil:
			http.Error(w, "cannot read your profile right now", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "Hello, %s! You are %s, signed in with session %s.\n",
			displayName(u), u.ID, claims.SessionID)
	})
}

// displayName is the user's full name, else the username, else a neutral word.
func displayName(u *clerk.User) string {
	var parts []string
	for _, p := range []*string{u.FirstName, u.LastName} {
		if p != nil && *p != "" {
			parts = append(parts, *p)
		}
	}
	switch {
	case len(parts) > 0:
		return strings.Join(parts, " ")
	case u.Username != nil && *u.Username != "":
		return *u.Username
	}
	return "there"
}

// demoToken creates the demo user on the in-process server and returns a session token for it.
func demoToken(ctx context.Context, demo *clerktest.Server, cfg *clerk.ClientConfig,
) (string, error) {
	u, err := user.NewClient(cfg).Create(ctx, &user.CreateParams{
		FirstName:               clerk.String("Ada"),
		LastName:                clerk.String("Lovelace"),
		EmailAddresses:          []string{"ada@example.com"},
		SkipPasswordRequirement: clerk.Bool(true),
	})
	if err != nil {
		return "", fmt.Errorf("creating the demo user: %w", err)
	}
	token, err := demo.SessionToken(u.ID, clerktest.WithLifetime(demoTokenLifetime))
	if err != nil {
		return "", fmt.Errorf("making the demo token: %w", err)
	}
	return token, nil
}

// serve serves handler on ln until ctx ends, then lets requests under way finish for a few
// seconds.
func serve(ctx context.Context, ln net.Listener, handler http.Handler) error {
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}
