// Command clerkfake runs an in-memory, Clerk-compatible Backend API server for local
// development, so that applications in any language can be tried without a Clerk instance.
// State lives in memory only and is lost when the program stops.
//
//	go run ./cmd/clerkfake -addr 127.0.0.1:8910
//
// The API is served under /v1. Point a client at http://127.0.0.1:8910/v1 with any secret key
// starting with sk_test_, or with the one key given by -key.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

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

// run parses args, serves until SIGINT or SIGTERM, and reports the URL on stdout.
func run(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("clerkfake", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8910",
		"`address` to listen on; use a loopback address, the server has no real security")
	key := flags.String("key", "",
		"the one secret `key` to accept; when empty, any key starting with sk_test_ is accepted")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "Usage: clerkfake [-addr host:port] [-key sk_test_...]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs an in-memory Clerk Backend API under /v1 until interrupted.")
		fmt.Fprintln(stderr, "Every object lives in memory and is lost when the program stops.")
		fmt.Fprintln(stderr)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		flags.Usage()
		return fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, *addr, *key, stdout)
}

// serve runs the server on addr until ctx ends, then closes it.
func serve(ctx context.Context, addr, key string, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	opts := []clerktest.Option{clerktest.WithListener(ln)}
	if key != "" {
		opts = append(opts, clerktest.WithKey(key))
	} else {
		opts = append(opts, clerktest.WithAnyTestKey())
	}
	srv := clerktest.NewServer(opts...)
	fmt.Fprintf(stdout, "clerkfake: serving the Clerk Backend API at %s\n", srv.URL())

	<-ctx.Done()
	srv.Close()
	return nil
}
