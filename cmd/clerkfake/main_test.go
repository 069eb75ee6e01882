package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		help    bool
		message string
	}{
		{"help", []string{"-h"}, true, "-addr"},
		{"unknown flag", []string{"-port", "1"}, false, "flag provided but not defined"},
		{"extra argument", []string{"serve"}, false, "Usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			require.Error(t, err)
			assert.Equal(t, tt.help, errors.Is(err, flag.ErrHelp), "got error %v", err)
			assert.Contains(t, stderr.String(), tt.message)
			assert.Empty(t, stdout.String())
		})
	}
}

// startServe runs serve in the background and returns the base URL it prints and a function
// that stops it and returns serve's result.
func startServe(t *testing.T, key string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, "127.0.0.1:0", key, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	require.GreaterOrEqual(t, i, 0, "got first line %q, want one with the URL", line)
	return strings.TrimSpace(line[i:]), func() error {
		cancel()
		return <-done
	}
}

func status(t *testing.T, url, key string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+"/users", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeAnyTestKey(t *testing.T) {
	t.Parallel()
	url, stop := startServe(t, "")
	assert.True(t, strings.HasSuffix(url, "/v1"), "got URL %s", url)

	assert.Equal(t, http.StatusOK, status(t, url, "sk_test_one"))
	assert.Equal(t, http.StatusOK, status(t, url, "sk_test_another"))
	assert.Equal(t, http.StatusUnauthorized, status(t, url, "sk_live_one"))

	require.NoError(t, stop())
	_, err := http.Get(url + "/users")
	assert.Error(t, err, "the server still answers after it stopped")
}

func TestServeFixedKey(t *testing.T) {
	t.Parallel()
	url, stop := startServe(t, "sk_test_only")
	defer stop()

	assert.Equal(t, http.StatusOK, status(t, url, "sk_test_only"))
	assert.Equal(t, http.StatusUnauthorized, status(t, url, "sk_test_other"))
}

func TestServeAddressInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()

	err = serve(context.Background(), ln.Addr().String(), "", io.Discard)
	assert.ErrorContains(t, err, "listen on")
}
