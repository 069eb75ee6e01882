package jwks_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/jwks"
)

func TestClientGet(t *testing.T) {
	t.Parallel()
	ex := fixture.Load(t, "get.json")
	mt := fixture.Replay(t, ex)

	set, err := jwks.NewClient(fixture.Config(mt)).Get(context.Background())
	require.NoError(t, err)

	// The decoded set must hold exactly what the recorded body holds.
	want := fixture.Decode[clerk.JSONWebKeySet](t, ex)
	require.Len(t, want.Keys, 2, "fixture should hold two keys")
	assert.Equal(t, &want, set)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "requests")

	rsaKey := set.Keys[0]
	assert.Equal(t, "ins_2abcDEFghiJKLmnoPQRstuVWXyz", rsaKey.KeyID)
	assert.Equal(t, "RSA", rsaKey.KeyType)
	assert.Equal(t, "RS256", rsaKey.Algorithm)
	assert.Equal(t, "sig", rsaKey.Use)
	assert.Equal(t, "AQAB", rsaKey.E)
	assert.NotEmpty(t, rsaKey.N)

	ecKey := set.Keys[1]
	assert.Equal(t, "EC", ecKey.KeyType)
	assert.Equal(t, "P-256", ecKey.Curve)
	assert.NotEmpty(t, ecKey.X)
	assert.NotEmpty(t, ecKey.Y)
}

func TestClientGetErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"unauthorized", http.StatusUnauthorized,
			`{"errors":[{"code":"authentication_invalid","message":"bad key"}]}`,
			clerk.ErrUnauthorized},
		{"not found", http.StatusNotFound, ``, clerk.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder(http.MethodGet, fixture.BaseURL+"/jwks",
				httpmock.NewStringResponder(tt.status, tt.body))

			set, err := jwks.NewClient(fixture.Config(mt)).Get(context.Background())
			assert.Nil(t, set)
			require.ErrorIs(t, err, tt.want)
			var apiErr *clerk.APIError
			require.True(t, errors.As(err, &apiErr), "got %T, want *clerk.APIError", err)
			assert.Equal(t, tt.status, apiErr.HTTPStatusCode)
		})
	}
}

// TestGetDefault changes the package-level default configuration, so it does not run in
// parallel with other tests.
func TestGetDefault(t *testing.T) {
	mt := fixture.ReplayFiles(t, "get.json")
	clerk.SetConfig(fixture.Config(mt))
	t.Cleanup(func() { clerk.SetConfig(nil) })

	set, err := jwks.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "requests")
	assert.Len(t, set.Keys, 2)
}
