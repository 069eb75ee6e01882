// Command identifiers walks through a user's email addresses, phone numbers and connected
// accounts: it gives a user a second email address, verifies it with a one-time code, makes
// it the primary address and removes the old one, adds and verifies a phone number, and lists
// the user's external accounts. It deletes the user at the end.
//
// With CLERK_SECRET_KEY set it talks to CLERK_API_URL (default https://api.clerk.com/v1) and
// asks on stdin for each code, as the user would read it from their inbox or phone. The
// addresses and numbers it uses are test ones: on a development instance they receive no
// message and take the code 424242. Without a key it starts an in-process Clerk-compatible
// server (package clerktest), says so first, reads the codes from that server, and links a
// Google account to the user, which only a real sign-in can do on a real instance.
//
//	go run ./examples/identifiers
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/user"
)

// maxTries is how many codes a person may type for one verification.
const maxTries = 3

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Stdin, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "identifiers:", err)
		os.Exit(1)
	}
}

// env is where the example runs and how it learns the codes.
type env struct {
	out io.Writer
	// srv is the in-process server, or nil against a real instance.
	srv *clerktest.Server
	// in holds what the person types, against a real instance.
	in *bufio.Reader

	users    *user.Client
	emails   *emailaddress.Client
	phones   *phonenumber.Client
	accounts *externalaccount.Client
}

func run(ctx context.Context, out io.Writer, in io.Reader, getenv func(string) string) error {
	e := &env{out: out, in: bufio.NewReader(in)}
	var cfg *clerk.ClientConfig
	if key := getenv("CLERK_SECRET_KEY"); key != "" {
		cfg = &clerk.ClientConfig{Key: key, BaseURL: getenv("CLERK_API_URL")}
		base := cfg.BaseURL
		if base == "" {
			base = clerk.DefaultBaseURL
		}
		fmt.Fprintf(out, "using the Clerk API at %s\n", base)
	} else {
		e.srv = clerktest.NewServer()
		defer e.srv.Close()
		fmt.Fprintf(out, "CLERK_SECRET_KEY is not set: using an in-process Clerk-compatible "+
			"server at %s\n", e.srv.URL())
		cfg = e.srv.Config()
	}
	e.users, e.emails = user.NewClient(cfg), emailaddress.NewClient(cfg)
	e.phones, e.accounts = phonenumber.NewClient(cfg), externalaccount.NewClient(cfg)

	// Unique values, so that runs against one instance do not collide. The +clerk_test
	// addresses and +1 555 555 01xx numbers are a development instance's test identifiers.
	n := strconv.FormatInt(time.Now().UnixNano(), 36)
	oldAddr := "ada-" + n + "+clerk_test@example.com"
	newAddr := "lovelace-" + n + "+clerk_test@example.com"
	number := fmt.Sprintf("+1555555%04d", 100+rand.IntN(100))

	u, err := e.users.Create(ctx, &user.CreateParams{
		EmailAddresses: []string{oldAddr}, FirstName: clerk.String("Ada"),
		LastName: clerk.String("Lovelace"), SkipPasswordRequirement: clerk.Bool(true),
	})
	if err != nil {
		return fmt.Errorf("creating a user: %w", err)
	}
	fmt.Fprintf(out, "created     %s  Ada Lovelace <%s>\n", u.ID, oldAddr)
	// Whatever happens next, leave no test user behind.
	deleted := false
	defer func() {
		if !deleted {
			_, _ = e.users.Delete(context.WithoutCancel(ctx), u.ID)
		}
	}()

	if err := e.changeEmail(ctx, u, newAddr); err != nil {
		return err
	}
	if err := e.addPhone(ctx, u.ID, number); err != nil {
		return err
	}
	if err := e.listAccounts(ctx, u.ID); err != nil {
		return err
	}
	if err := e.show(ctx, u.ID); err != nil {
		return err
	}

	if _, err := e.users.Delete(ctx, u.ID); err != nil {
		return fmt.Errorf("deleting the user: %w", err)
	}
	deleted = true
	fmt.Fprintf(out, "deleted     %s\n", u.ID)
	return nil
}

// changeEmail adds addr to the user, verifies it, makes it primary and removes the address
// the user had.
func (e *env) changeEmail(ctx context.Context, u *clerk.User, addr string) error {
	oldID := *u.PrimaryEmailAddressID
	added, err := e.emails.Create(ctx, &emailaddress.CreateParams{
		UserID: clerk.String(u.ID), EmailAddress: clerk.String(addr),
	})
	if err != nil {
		return fmt.Errorf("adding %s: %w", addr, err)
	}
	fmt.Fprintf(e.out, "added       %s (%s)\n", added.EmailAddress, added.Verification.Status)

	err = e.verify(ctx, added.ID, added.EmailAddress, func() (string, error) {
		v, err := e.emails.PrepareVerification(ctx, added.ID)
		if err != nil {
			return "", err
		}
		return v.ID, nil
	}, func(verificationID, code string) (*clerk.Verification, error) {
		v, err := e.emails.AttemptVerification(ctx, added.ID,
			&emailaddress.AttemptVerificationParams{
				VerificationID: clerk.String(verificationID), Code: clerk.String(code),
			})
		if err != nil {
			return nil, err
		}
		return &v.Verification, nil
	})
	if err != nil {
		return err
	}

	if _, err := e.emails.Update(ctx, added.ID, &emailaddress.UpdateParams{
		Primary: clerk.Bool(true),
	}); err != nil {
		return fmt.Errorf("making %s primary: %w", addr, err)
	}
	fmt.Fprintf(e.out, "primary     %s\n", addr)
	if _, err := e.emails.Delete(ctx, oldID); err != nil {
		return fmt.Errorf("removing the old address: %w", err)
	}
	fmt.Fprintf(e.out, "removed     %s\n", primaryEmail(u))
	return nil
}

// addPhone adds number to the user and verifies it.
func (e *env) addPhone(ctx context.Context, userID, number string) error {
	added, err := e.phones.Create(ctx, &phonenumber.CreateParams{
		UserID: clerk.String(userID), PhoneNumber: clerk.String(number),
	})
	if err != nil {
		return fmt.Errorf("adding %s: %w", number, err)
	}
	fmt.Fprintf(e.out, "added       %s (%s)\n", added.PhoneNumber, added.Verification.Status)

	return e.verify(ctx, added.ID, added.PhoneNumber, func() (string, error) {
		v, err := e.phones.PrepareVerification(ctx, added.ID)
		if err != nil {
			return "", err
		}
		return v.ID, nil
	}, func(verificationID, code string) (*clerk.Verification, error) {
		v, err := e.phones.AttemptVerification(ctx, added.ID,
			&phonenumber.AttemptVerificationParams{
				VerificationID: clerk.String(verificationID), Code: clerk.String(code),
			})
		if err != nil {
			return nil, err
		}
		return &v.Verification, nil
	})
}

// verify runs the code flow for the identifier id: prepare sends a code, attempt checks one.
// A wrong code may be typed again, up to maxTries codes.
func (e *env) verify(ctx context.Context, id, sentTo string, prepare func() (string, error),
	attempt func(verificationID, code string) (*clerk.Verification, error)) error {
	verificationID, err := prepare()
	if err != nil {
		return fmt.Errorf("sending a code to %s: %w", sentTo, err)
	}
	fmt.Fprintf(e.out, "code sent   to %s\n", sentTo)

	for try := 1; ; try++ {
		code, err := e.code(id, sentTo)
		if err != nil {
			return err
		}
		v, err := attempt(verificationID, code)
		if err != nil {
			return fmt.Errorf("checking the code for %s: %w", sentTo, err)
		}
		switch {
		case v.Status == clerk.VerificationStatusVerified:
			fmt.Fprintf(e.out, "verified    %s\n", sentTo)
			return nil
		case v.Status == clerk.VerificationStatusFailed && try < maxTries:
			fmt.Fprintln(e.out, "            that code is wrong; try again")
		default:
			return fmt.Errorf("verifying %s: the code was not accepted (status %s)", sentTo,
				v.Status)
		}
	}
}

// code returns the code sent to the identifier id: from the in-process server's outbox, or
// as the person types it.
func (e *env) code(id, sentTo string) (string, error) {
	if e.srv != nil {
		code, ok := e.srv.LastVerificationCode(id)
		if !ok {
			return "", fmt.Errorf("the in-process server sent no code to %s", sentTo)
		}
		fmt.Fprintf(e.out, "            (read %s from the in-process server's outbox)\n", code)
		return code, nil
	}
	fmt.Fprintf(e.out, "Enter the code sent to %s: ", sentTo)
	line, err := e.in.ReadString('\n')
	if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
		return "", fmt.Errorf("reading the code for %s: %w", sentTo, err)
	}
	return strings.TrimSpace(line), nil
}

// listAccounts prints the user's external accounts. In process it first links a Google
// account, as signing in with Google would.
func (e *env) listAccounts(ctx context.Context, userID string) error {
	if e.srv != nil {
		_, err := e.srv.SeedExternalAccount(userID, "oauth_google", "104857600000000000001",
			clerktest.AccountEmail("ada.lovelace@gmail.example.com"))
		if err != nil {
			return fmt.Errorf("linking a Google account: %w", err)
		}
		fmt.Fprintln(e.out, "linked      a Google account (on a real instance, signing in "+
			"with Google does this)")
	}
	accounts, err := e.accounts.ListForUser(ctx, userID)
	if err != nil {
		return fmt.Errorf("listing external accounts: %w", err)
	}
	fmt.Fprintf(e.out, "external accounts: %d\n", len(accounts))
	for _, a := range accounts {
		fmt.Fprintf(e.out, "  %-14s %-32s provider user %s\n", a.Provider, a.EmailAddress,
			a.ProviderUserID)
	}
	return nil
}

// show prints the user's identifiers as the API now has them.
func (e *env) show(ctx context.Context, userID string) error {
	u, err := e.users.Get(ctx, userID)
	if err != nil {
		return fmt.Errorf("reading the user: %w", err)
	}
	fmt.Fprintf(e.out, "the user now has:\n")
	for _, a := range u.EmailAddresses {
		fmt.Fprintf(e.out, "  email  %-46s %s%s\n", a.EmailAddress, status(a.Verification),
			mark(u.PrimaryEmailAddressID, a.ID))
	}
	for _, p := range u.PhoneNumbers {
		fmt.Fprintf(e.out, "  phone  %-46s %s%s\n", p.PhoneNumber, status(p.Verification),
			mark(u.PrimaryPhoneNumberID, p.ID))
	}
	return nil
}

func status(v *clerk.Verification) string {
	if v == nil {
		return "unknown"
	}
	return v.Status
}

func mark(primaryID *string, id string) string {
	if primaryID != nil && *primaryID == id {
		return ", primary"
	}
	return ""
}

func primaryEmail(u *clerk.User) string {
	for _, a := range u.EmailAddresses {
		if u.PrimaryEmailAddressID != nil && a.ID == *u.PrimaryEmailAddressID {
			return a.EmailAddress
		}
	}
	return ""
}
