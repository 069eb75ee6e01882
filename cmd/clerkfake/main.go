// Command clerkfake runs an in-memory, Clerk-compatible Backend API server for local
// development, so that applications in any language can be tried without a Clerk instance.
// It is the server of package clerktest, run as a program. State lives in memory only and is
// lost when the program stops.
//
//	go run ./cmd/clerkfake -addr 127.0.0.1:8910 -seed users.json
//
// The API is served under /v1: point a client at http://127.0.0.1:8910/v1 with any secret key
// starting with sk_test_, or only with the one key given by -key. Session tokens come from
// POST /v1/sessions/{id}/tokens and verify against the keys at GET /v1/jwks; their issuer is
// the server's address.
//
// With -seed, the users of a JSON file are stored before the first request is served. The file
// holds an array of users written like create-user requests, with a few more fields
// (clerktest.SeedUser lists them all):
//
//	[
//	  {"id": "user_ada", "first_name": "Ada", "email_address": ["ada@example.com"],
//	   "phone_number": ["+15555550100"], "password": "correct-horse",
//	   "public_metadata": {"plan": "pro"},
//	   "external_accounts": [{"provider": "oauth_github", "provider_user_id": "583231"}]}
//	]
//
// Every request is logged on stderr as one line (method, path, status, duration); headers,
// queries and bodies never are, so neither the key nor personal data reach the log. -quiet
// turns the log off. The server stops on SIGINT or SIGTERM.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/clerkcompat/clerk/clerktest"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		// -h printed the usage, which is what was asked for.
	case err != nil:
		fmt.Fprintln(os.Stderr, "clerkfake:", err)
		os.Exit(2)
	}
}

// options are the settings given on the command line.
type options struct {
	addr  string
	key   string
	seed  string
	quiet bool
}

// usage is printed by -h, before the flags.
const usage = `Usage: clerkfake [-addr host:port] [-key sk_test_...] [-seed users.json] [-quiet]

Runs an in-memory, Clerk-compatible Backend API under /v1 until interrupted
(SIGINT or SIGTERM). Every object lives in memory and is lost when it stops.

Point a client at http://<addr>/v1 with a secret key as a bearer token: any
key starting with sk_test_ is accepted, or only the one given with -key.
Session tokens come from POST /v1/sessions/{id}/tokens and verify against
GET /v1/jwks.

-seed reads users from a JSON array written like create-user requests, plus
"id", "password", "banned", "locked", "created_at" (Unix ms) and
"external_accounts" ({"provider", "provider_user_id", "email_address",
"token", "scopes"}). For example:

  [{"id": "user_ada", "first_name": "Ada",
    "email_address": ["ada@example.com"], "phone_number": ["+15555550100"],
    "password": "correct-horse", "public_metadata": {"plan": "pro"}}]

Each request is logged on stderr: method, path, status and duration. Headers,
queries and bodies are never logged.

Flags:
`

// run parses args, serves until SIGINT or SIGTERM, and reports the URL on stdout.
func run(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("clerkfake", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var opts options
	flags.StringVar(&opts.addr, "addr", "127.0.0.1:8910",
		"`address` to listen on; use a loopback address, the server has no real security")
	flags.StringVar(&opts.key, "key", "",
		"the one secret `key` to accept; when empty, any key starting with sk_test_ is accepted")
	flags.StringVar(&opts.seed, "seed", "",
		"JSON `file` of users to store before serving (see above)")
	flags.BoolVar(&opts.quiet, "quiet", false, "log nothing per request")
	flags.Usage = func() {
		fmt.Fprint(stderr, usage)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		flags.Usage()
		return fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}
	if opts.key != "" && !strings.HasPrefix(opts.key, "sk_") {
		return errors.New("-key must be a secret key (sk_test_... or sk_live_...), " +
			"not a publishable one")
	}
	if !loopback(opts.addr) {
		fmt.Fprintf(stderr, "clerkfake: warning: %s is not a loopback address; the fake "+
			"server has no real security, so anyone who can reach it can read its users\n",
			opts.addr)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, opts, stdout, stderr)
}

// loopback reports whether addr (host:port) names only this machine.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true // listening fails later with its own message
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serve runs the server on opts.addr until ctx ends, then closes it. The URL goes to stdout
// once the server accepts requests; the request log goes to stderr.
func serve(ctx context.Context, opts options, stdout, stderr io.Writer) error {
	var seed []byte
	if opts.seed != "" {
		var err error
		if seed, err = os.ReadFile(opts.seed); err != nil {
			return fmt.Errorf("reading the seed file: %w", err)
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", opts.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.addr, err)
	}
	defer ln.Close()

	// The program serves the API itself, behind its request log, so the clerktest server
	// gets a listener that only names the address (for its URL and the issuer of its
	// tokens) and never accepts a connection.
	names := newAddrListener(ln.Addr())
	srvOpts := []clerktest.Option{clerktest.WithListener(names)}
	if opts.key != "" {
		srvOpts = append(srvOpts, clerktest.WithKey(opts.key))
	} else {
		srvOpts = append(srvOpts, clerktest.WithAnyTestKey())
	}
	srv := clerktest.NewServer(srvOpts...)
	defer srv.Close()

	seeded := 0
	if seed != nil {
		users, err := srv.SeedJSON(bytes.NewReader(seed))
		if err != nil {
			return fmt.Errorf("seeding users from %s: %w", opts.seed, err)
		}
		seeded = len(users)
	}

	handler := srv.Handler()
	if !opts.quiet {
		handler = logRequests(slog.New(slog.NewTextHandler(stderr, nil)), handler)
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "clerkfake: serving the Clerk Backend API at %s\n", srv.URL())
	if seed != nil {
		fmt.Fprintf(stdout, "clerkfake: seeded %d users from %s\n", seeded, opts.seed)
	}

	select {
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		hs.Close()
	}
	return nil
}

// logRequests logs one line per request on logger: method, path, status and duration. It logs
// no header (the Authorization header holds the key), no query and no body.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.EscapedPath()),
			slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)))
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// addrListener is a listener that names an address and accepts nothing: Accept waits until
// Close.
type addrListener struct {
	addr   net.Addr
	closed chan struct{}
	once   sync.Once
}

func newAddrListener(addr net.Addr) *addrListener {
	return &addrListener{addr: addr, closed: make(chan struct{})}
}

func (l *addrListener) Accept() (net.Conn, error) {
	<-l.closed
	return nil, net.ErrClosed
}

func (l *addrListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *addrListener) Addr() net.Addr { return l.addr }
