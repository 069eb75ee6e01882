// Command webhooks keeps a local table of users in step with a Clerk instance through its
// webhooks: every verified user.created, user.updated and user.deleted event updates the table.
//
// With CLERK_SECRET_KEY set, it serves the webhook endpoint on -addr (default 127.0.0.1:8080,
// path /webhooks/clerk) and prints the table after each event. CLERK_WEBHOOK_SIGNING_SECRET
// must then hold the endpoint's signing secret ("whsec_...") from the Clerk Dashboard.
//
// Without a key, it starts an in-process Clerk-compatible server (package clerktest) and says so
// first, serves its own endpoint on a free loopback port, has the server deliver webhooks to it,
// then creates, updates and deletes a user and shows after each step that the table follows.
//
//	go run ./examples/webhooks
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
	"github.com/clerkcompat/clerk/webhook"
)

// webhookPath is where the endpoint listens.
const webhookPath = "/webhooks/clerk"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "webhooks:", err)
		os.Exit(1)
	}
}

// run parses args and runs the demonstration (no key in getenv) or the endpoint (a key).
func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	flags := flag.NewFlagSet("webhooks", flag.ContinueOnError)
	flags.SetOutput(out)
	addr := flags.String("addr", "127.0.0.1:8080",
		"address to serve the webhook endpoint on, when CLERK_SECRET_KEY is set")
	if err := flags.Parse(args); err != nil {
		return err
	}

	if getenv("CLERK_SECRET_KEY") == "" {
		return demonstrate(ctx, out)
	}
	secret := getenv("CLERK_WEBHOOK_SIGNING_SECRET")
	if secret == "" {
		return errors.New("CLERK_WEBHOOK_SIGNING_SECRET must hold the endpoint's signing secret " +
			"(whsec_...) from the Clerk Dashboard")
	}
	return serve(ctx, *addr, secret, out)
}

// serve runs the webhook endpoint on addr until ctx ends, printing the table after each event.
func serve(ctx context.Context, addr, secret string, out io.Writer) error {
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		return fmt.Errorf("CLERK_WEBHOOK_SIGNING_SECRET: %w", err)
	}
	t := newTable()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listening for webhooks: %w", err)
	}
	fmt.Fprintf(out, "serving webhooks at http://%s%s\n", ln.Addr(), webhookPath)

	handle := func(ctx context.Context, e *webhook.Event) error {
		applied, err := t.apply(e)
		if err != nil || !applied {
			return err
		}
		t.print(out, fmt.Sprintf("%s (delivery %s):", e.Type, e.ID))
		return nil
	}
	return serveUntil(ctx, ln, endpoint(v, handle))
}

// endpoint routes webhookPath to the verifying handler.
func endpoint(v *webhook.Verifier, fn func(context.Context, *webhook.Event) error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(webhookPath, webhook.Handler(v, fn))
	return mux
}

// serveUntil serves h on ln until ctx ends, then shuts down, letting deliveries under way end.
func serveUntil(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	failed := make(chan error, 1)
	go func() { failed <- srv.Serve(ln) }()
	select {
	case err := <-failed:
		return fmt.Errorf("serving webhooks: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// demonstrate runs the whole loop in process: an API server, the endpoint, and users created,
// changed and deleted through the user package while the table follows.
func demonstrate(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	api := clerktest.NewServer()
	defer api.Close()
	fmt.Fprintf(out, "CLERK_SECRET_KEY is not set: using an in-process Clerk-compatible "+
		"server at %s\n", api.URL())

	secret := clerktest.NewWebhookSecret()
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		return err
	}
	t := newTable()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listening for webhooks: %w", err)
	}
	serveCtx, stopServing := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() {
		served <- serveUntil(serveCtx, ln, endpoint(v,
			func(_ context.Context, e *webhook.Event) error {
				_, err := t.apply(e)
				return err
			}))
	}()
	defer func() {
		stopServing()
		// Reported, not returned: the demonstration's own result is what the caller gets.
		if err := <-served; err != nil {
			fmt.Fprintf(out, "stopping the webhook endpoint: %v\n", err)
		}
	}()

	target := "http://" + ln.Addr().String() + webhookPath
	stopWebhooks, err := api.SendWebhooks(target, secret)
	if err != nil {
		return fmt.Errorf("starting webhook delivery: %w", err)
	}
	defer stopWebhooks()
	fmt.Fprintf(out, "webhooks go to %s\n", target)

	users := user.NewClient(api.Config())
	// step makes one change, waits until its webhook has been handled, prints the table and
	// checks that the table shows what the API answered.
	step := func(what string, change func() (check func() error, err error)) error {
		check, err := change()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := api.WaitWebhooks(ctx); err != nil {
			return fmt.Errorf("%s: waiting for the webhook: %w", what, err)
		}
		t.print(out, "\n"+what+"; the local table now holds:")
		if err := check(); err != nil {
			return fmt.Errorf("%s: the local table did not follow: %w", what, err)
		}
		return nil
	}

	var id string
	err = step("created a user", func() (func() error, error) {
		u, err := users.Create(ctx, &user.CreateParams{
			EmailAddresses:          []string{"ada@example.com"},
			FirstName:               clerk.String("Ada"),
			LastName:                clerk.String("Lovelace"),
			PublicMetadata:          clerk.JSONRawMessage(json.RawMessage(`{"plan":"free"}`)),
			SkipPasswordRequirement: clerk.Bool(true),
		})
		if err != nil {
			return nil, err
		}
		id = u.ID
		return func() error { return t.expect(rowOf(u)) }, nil
	})
	if err != nil {
		return err
	}

	err = step("renamed the user", func() (func() error, error) {
		u, err := users.Update(ctx, id, &user.UpdateParams{FirstName: clerk.String("Augusta")})
		if err != nil {
			return nil, err
		}
		return func() error { return t.expect(rowOf(u)) }, nil
	})
	if err != nil {
		return err
	}

	err = step("merged public metadata", func() (func() error, error) {
		u, err := users.UpdateMetadata(ctx, id, &user.MetadataParams{
			PublicMetadata: clerk.JSONRawMessage(json.RawMessage(`{"plan":"pro","seats":5}`)),
		})
		if err != nil {
			return nil, err
		}
		return func() error { return t.expect(rowOf(u)) }, nil
	})
	if err != nil {
		return err
	}

	return step("deleted the user", func() (func() error, error) {
		if _, err := users.Delete(ctx, id); err != nil {
			return nil, err
		}
		return func() error { return t.expectGone(id) }, nil
	})
}

// row is what the application keeps of a user.
type row struct {
	ID        string
	Name      string
	Email     string
	Public    string // public metadata, compact JSON
	UpdatedAt int64
}

// rowOf reduces a user to a row.
func rowOf(u *clerk.User) row {
	name := strings.TrimSpace(deref(u.FirstName) + " " + deref(u.LastName))
	return row{ID: u.ID, Name: name, Email: primaryEmail(u), Public: compact(u.PublicMetadata),
		UpdatedAt: u.UpdatedAt}
}

// table is the application's local copy of the instance's users. It is safe for concurrent
// use, as deliveries may arrive on several connections at once.
type table struct {
	mu   sync.Mutex
	rows map[string]row
}

func newTable() *table { return &table{rows: make(map[string]row)} }

// apply changes the table for one event and reports whether the event concerned it. A
// delivery may come twice (a retry after a lost answer) or late, so a user event older than
// the row it would replace is ignored.
func (t *table) apply(e *webhook.Event) (bool, error) {
	switch e.Type {
	case webhook.EventUserCreated, webhook.EventUserUpdated:
		u, err := e.User()
		if err != nil {
			return false, err
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		if old, ok := t.rows[u.ID]; ok && old.UpdatedAt > u.UpdatedAt {
			return false, nil
		}
		t.rows[u.ID] = rowOf(u)
		return true, nil
	case webhook.EventUserDeleted:
		d, err := e.DeletedObject()
		if err != nil {
			return false, err
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		delete(t.rows, d.ID)
		return true, nil
	}
	return false, nil
}

// print writes heading and the table, one user per line, in ID order. The lock is held
// throughout, so tables printed by concurrent deliveries do not interleave.
func (t *table) print(out io.Writer, heading string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintln(out, heading)
	if len(t.rows) == 0 {
		fmt.Fprintln(out, "  (no users)")
		return
	}
	ids := make([]string, 0, len(t.rows))
	for id := range t.rows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		r := t.rows[id]
		who := r.Name
		if r.Email != "" {
			who += " <" + r.Email + ">"
		}
		fmt.Fprintf(out, "  %s  %s  public %s\n", r.ID, who, r.Public)
	}
}

// expect checks that the table holds want.
func (t *table) expect(want row) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	got, ok := t.rows[want.ID]
	switch {
	case !ok:
		return fmt.Errorf("%s is missing", want.ID)
	case got != want:
		return fmt.Errorf("got %+v, want %+v", got, want)
	}
	return nil
}

// expectGone checks that the table no longer holds id.
func (t *table) expectGone(id string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.rows[id]; ok {
		return fmt.Errorf("%s is still there", id)
	}
	return nil
}

func primaryEmail(u *clerk.User) string {
	for _, e := range u.EmailAddresses {
		if u.PrimaryEmailAddressID != nil && e.ID == *u.PrimaryEmailAddressID {
			return e.EmailAddress
		}
	}
	return ""
}

// compact returns raw JSON without insignificant space, or {} when there is none.
func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if len(raw) == 0 || json.Compact(&b, raw) != nil {
		return "{}"
	}
	return b.String()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
