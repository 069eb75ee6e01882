package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/user"
)

func noEnv(string) string { return "" }

func TestRunInProcess(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer

	require.NoError(t, run(ctx, &out, strings.NewReader(""), noEnv))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.True(t, strings.HasPrefix(lines[0], "CLERK_SECRET_KEY is not set: using an "+
		"in-process"), "first line %q", lines[0])
	for _, want := range []string{"verified    lovelace-", "primary     lovelace-",
		"removed     ada-", "verified    +1555555", "external accounts: 1",
		"  oauth_google   ada.lovelace@gmail.example.com", "deleted     user_"} {
		assert.Contains(t, out.String(), want)
	}
	assert.Regexp(t, `email  lovelace-\S+ +verified, primary\n`, out.String())
	assert.Regexp(t, `phone  \+1555555\d{4} +verified, primary\n`, out.String())
	assert.NotContains(t, out.String(), "email  ada-", "the old address is gone")
}

// typist answers each "Enter the code sent to X: " prompt that run writes to out: with the
// codes in wrong first, then with the code the server sent to X.
type typist struct {
	t     *testing.T
	srv   *clerktest.Server
	out   *bytes.Buffer
	wrong []string
	// prompts counts the prompts answered.
	prompts int
}

func (ty *typist) Read(p []byte) (int, error) {
	text := ty.out.String()
	i := strings.LastIndex(text, "Enter the code sent to ")
	if i < 0 {
		return 0, io.EOF
	}
	ty.prompts++
	if len(ty.wrong) > 0 {
		code := ty.wrong[0]
		ty.wrong = ty.wrong[1:]
		return copy(p, code+"\n"), nil
	}
	sentTo := strings.TrimSuffix(text[i+len("Enter the code sent to "):], ": ")
	return copy(p, ty.codeFor(sentTo)+"\n"), nil
}

// codeFor finds the identifier with the value sentTo and returns its last code.
func (ty *typist) codeFor(sentTo string) string {
	params := &user.ListParams{EmailAddresses: []string{sentTo}}
	if strings.HasPrefix(sentTo, "+") {
		params = &user.ListParams{PhoneNumbers: []string{sentTo}}
	}
	users, err := user.NewClient(ty.srv.Config()).List(context.Background(), params)
	require.NoError(ty.t, err)
	require.Len(ty.t, users, 1, "users with %s", sentTo)
	for _, e := range users[0].EmailAddresses {
		if e.EmailAddress == sentTo {
			code, _ := ty.srv.LastVerificationCode(e.ID)
			return code
		}
	}
	for _, p := range users[0].PhoneNumbers {
		if p.PhoneNumber == sentTo {
			code, _ := ty.srv.LastVerificationCode(p.ID)
			return code
		}
	}
	ty.t.Fatalf("no identifier %s", sentTo)
	return ""
}

// withKey returns the environment of a run against srv as if it were a real instance.
func withKey(srv *clerktest.Server) func(string) string {
	return func(name string) string {
		switch name {
		case "CLERK_SECRET_KEY":
			return srv.Key()
		case "CLERK_API_URL":
			return srv.URL()
		}
		return ""
	}
}

func TestRunWithKeyReadsCodes(t *testing.T) {
	t.Parallel()
	srv := clerktest.NewServer()
	defer srv.Close()
	var out bytes.Buffer
	ty := &typist{t: t, srv: srv, out: &out, wrong: []string{"000000"}}

	require.NoError(t, run(context.Background(), &out, ty, withKey(srv)))
	assert.True(t, strings.HasPrefix(out.String(), "using the Clerk API at "+srv.URL()+"\n"))
	assert.Equal(t, 3, ty.prompts, "one wrong code, then one code per identifier")
	assert.Contains(t, out.String(), "that code is wrong; try again")
	assert.Contains(t, out.String(), "external accounts: 0")
	assert.NotContains(t, out.String(), "in-process")
	count, err := user.NewClient(srv.Config()).Count(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(0), count, "the example's user is deleted")
}

func TestRunFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stdin func(t *testing.T, srv *clerktest.Server, out *bytes.Buffer) io.Reader
		env   func(srv *clerktest.Server) func(string) string
		want  string
		is    error
	}{
		{"wrong codes", func(t *testing.T, srv *clerktest.Server, out *bytes.Buffer) io.Reader {
			return &typist{t: t, srv: srv, out: out, wrong: []string{"1", "2", "3", "4"}}
		}, withKey, "the code was not accepted (status failed)", nil},
		{"no input", func(*testing.T, *clerktest.Server, *bytes.Buffer) io.Reader {
			return strings.NewReader("")
		}, withKey, "reading the code", io.EOF},
		{"wrong key", func(*testing.T, *clerktest.Server, *bytes.Buffer) io.Reader {
			return strings.NewReader("")
		}, func(srv *clerktest.Server) func(string) string {
			return func(name string) string {
				if name == "CLERK_SECRET_KEY" {
					return "sk_test_not_this_one"
				}
				return withKey(srv)(name)
			}
		}, "creating a user", clerk.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := clerktest.NewServer()
			defer srv.Close()
			var out bytes.Buffer

			err := run(context.Background(), &out, tt.stdin(t, srv, &out), tt.env(srv))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			if tt.is != nil {
				assert.True(t, errors.Is(err, tt.is), "got %v, want it to match %v", err, tt.is)
			}
			assert.NotContains(t, err.Error(), srv.Key())
			count, err := user.NewClient(srv.Config()).Count(context.Background(), nil)
			require.NoError(t, err)
			assert.Equal(t, int64(0), count, "no user is left behind")
		})
	}
}
