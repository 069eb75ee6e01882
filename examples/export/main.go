// Command export writes every user of a Clerk instance as JSON Lines (one user object per
// line), to a file or to stdout, walking the users with user.All.
//
//	go run ./examples/export -o users.jsonl
//	go run ./examples/export -o users.jsonl -resume   # after an interruption
//
// With -resume it reads the last complete line of the file, keeps every line up to it, and
// continues after that user with the starting_after cursor, so that an interrupted export
// finished with -resume holds every user exactly once. A line cut short by the interruption
// is dropped and written again. The walk is newest first, the order the cursor follows.
//
// While stderr is a terminal, a progress line there shows the users written so far and the
// rate. Ctrl-C stops the export after the last whole line.
//
// With CLERK_SECRET_KEY set it exports that instance (at CLERK_API_URL when set). Without a
// key it starts an in-process Clerk-compatible server (package clerktest) with sample users,
// and says so on stderr first.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

// sampleUsers is how many users the in-process server starts with.
const sampleUsers = 1200

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, isTerminal(os.Stderr))
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

// options are the command-line settings.
type options struct {
	out      string // file to write; "" or "-" for stdout
	resume   bool
	pageSize int64
}

// run parses args, picks the instance from getenv, and exports. The progress line goes to
// stderr only when progress is true.
func run(ctx context.Context, args []string, getenv func(string) string,
	stdout, stderr io.Writer, progress bool) error {
	flags := flag.NewFlagSet("export", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var opts options
	flags.StringVar(&opts.out, "o", "-", "`file` to write the users to; - for stdout")
	flags.BoolVar(&opts.resume, "resume", false,
		"continue an interrupted export after the last user in the -o file")
	flags.Int64Var(&opts.pageSize, "page-size", 500, "users per request, 1 to 500")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", flags.Arg(0))
	}

	cfg, done, err := config(getenv, stderr)
	if err != nil {
		return err
	}
	defer done()
	var prog io.Writer
	if progress {
		prog = stderr
	}
	n, err := export(ctx, cfg, opts, stdout, prog)
	if errors.Is(err, context.Canceled) && opts.out != "-" && opts.out != "" {
		return fmt.Errorf("interrupted after %d users; run again with -resume to go on: %w",
			n, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d users\n", n)
	return nil
}

// config returns the configuration of the instance to export and a function that releases
// what it started.
func config(getenv func(string) string, stderr io.Writer) (*clerk.ClientConfig, func(), error) {
	if key := getenv("CLERK_SECRET_KEY"); key != "" {
		return &clerk.ClientConfig{Key: key, BaseURL: getenv("CLERK_API_URL")}, func() {}, nil
	}
	srv := clerktest.NewServer()
	fmt.Fprintf(stderr, "CLERK_SECRET_KEY is not set: exporting %d sample users from an "+
		"in-process Clerk-compatible server at %s\n", sampleUsers, srv.URL())
	if err := seedSamples(srv, sampleUsers); err != nil {
		srv.Close()
		return nil, nil, err
	}
	return srv.Config(), srv.Close, nil
}

// seedSamples stores n users who signed up a minute apart.
func seedSamples(srv *clerktest.Server, n int) error {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	seed := make([]clerktest.SeedUser, n)
	for i := range seed {
		seed[i] = clerktest.SeedUser{
			FirstName:      clerk.String(fmt.Sprintf("Sample%04d", i+1)),
			EmailAddresses: []string{fmt.Sprintf("sample%04d@example.com", i+1)},
			PublicMetadata: json.RawMessage(fmt.Sprintf(`{"cohort":%d}`, i%7)),
			CreatedAt:      start.Add(time.Duration(i) * time.Minute).UnixMilli(),
		}
	}
	_, err := srv.SeedUsers(seed)
	return err
}

// export writes every user to opts.out (stdout when "-" or empty), after the last one already
// there when opts.resume is set, and returns how many users the file or stdout holds. It
// writes whole lines only, so an interruption leaves every line but at most the last intact.
func export(ctx context.Context, cfg *clerk.ClientConfig, opts options, stdout io.Writer,
	progress io.Writer) (int, error) {
	toStdout := opts.out == "" || opts.out == "-"
	if opts.resume && toStdout {
		return 0, errors.New("-resume needs -o FILE: there is nothing to resume on stdout")
	}
	if opts.pageSize < 1 || opts.pageSize > 500 {
		return 0, fmt.Errorf("-page-size %d: want 1 to 500", opts.pageSize)
	}

	params := &user.ListParams{Limit: clerk.Int64(opts.pageSize)}
	out := stdout
	written := 0
	if !toStdout {
		f, last, lines, err := openOutput(opts.out, opts.resume)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		out, written = f, lines
		if last != "" {
			params.StartingAfter = clerk.String(last)
		}
	}

	w := bufio.NewWriterSize(out, 64<<10)
	p := newProgress(progress, written)
	n, err := writeUsers(ctx, user.NewClient(cfg), params, w, p)
	written += n
	p.finish(written)
	if ferr := w.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("writing the users: %w", ferr)
	}
	if f, ok := out.(*os.File); ok && out != stdout && err == nil {
		if serr := f.Sync(); serr != nil {
			err = fmt.Errorf("writing the users: %w", serr)
		}
	}
	return written, err
}

// writeUsers writes one line per user of the walk and returns how many it wrote.
func writeUsers(ctx context.Context, users *user.Client, params *user.ListParams,
	w *bufio.Writer, p *progressLine) (int, error) {
	n := 0
	for u, err := range users.All(ctx, params) {
		if err != nil {
			return n, fmt.Errorf("listing users: %w", err)
		}
		line, err := json.Marshal(u)
		if err != nil {
			return n, fmt.Errorf("encoding user %s: %w", u.ID, err)
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return n, fmt.Errorf("writing the users: %w", err)
		}
		n++
		p.update(n)
	}
	return n, nil
}

// openOutput opens path for writing. Without resume the file is truncated. With resume, the
// file keeps its whole lines (a cut last line is removed) and is opened for appending; last
// is the ID of the user on its last line ("" when there is none) and lines counts them.
func openOutput(path string, resume bool) (f *os.File, last string, lines int, err error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if resume {
		flags = os.O_RDWR | os.O_CREATE
	}
	f, err = os.OpenFile(path, flags, 0o600)
	if err != nil {
		return nil, "", 0, fmt.Errorf("opening the output: %w", err)
	}
	if !resume {
		return f, "", 0, nil
	}
	last, lines, err = resumePoint(f)
	if err != nil {
		f.Close()
		return nil, "", 0, fmt.Errorf("resuming %s: %w", path, err)
	}
	return f, last, lines, nil
}

// resumePoint reads f, cuts it after its last complete line, leaves the offset at the end,
// and returns the user ID of that line and how many lines f keeps.
func resumePoint(f *os.File) (last string, lines int, err error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, err
	}
	r := bufio.NewReaderSize(f, 64<<10)
	var keep int64
	var lastLine []byte
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			break // a line without its newline was cut short: it is dropped
		}
		if err != nil {
			return "", 0, err
		}
		keep += int64(len(line))
		lastLine = line
		lines++
	}
	if lines > 0 {
		var u struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(bytes.TrimSpace(lastLine), &u); err != nil || u.ID == "" {
			return "", 0, fmt.Errorf("line %d is not a user object with an id", lines)
		}
		last = u.ID
	}
	if err := f.Truncate(keep); err != nil {
		return "", 0, err
	}
	if _, err := f.Seek(keep, io.SeekStart); err != nil {
		return "", 0, err
	}
	return last, lines, nil
}

// progressLine redraws one line on a terminal: users written so far and the rate of this run.
type progressLine struct {
	w        io.Writer // nil when there is no terminal to draw on
	start    time.Time
	before   int // users already in the file when this run started
	lastDraw time.Time
}

func newProgress(w io.Writer, before int) *progressLine {
	return &progressLine{w: w, start: time.Now(), before: before}
}

// update redraws the line at most every 200 ms.
func (p *progressLine) update(n int) {
	if p.w == nil || time.Since(p.lastDraw) < 200*time.Millisecond {
		return
	}
	p.lastDraw = time.Now()
	p.draw(n)
}

func (p *progressLine) draw(n int) {
	rate := float64(n) / max(time.Since(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r%d users exported (%.0f users/s)\x1b[K", p.before+n, rate)
}

// finish draws the final count of this run and ends the line.
func (p *progressLine) finish(total int) {
	if p.w == nil {
		return
	}
	p.draw(total - p.before)
	fmt.Fprintln(p.w)
}

// isTerminal reports whether f is a terminal (a character device), so that the progress
// line is drawn only where someone can see it redrawn.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
