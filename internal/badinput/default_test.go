package badinput_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/externalaccount"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/session"
	"github.com/clerkcompat/clerk/user"
)

// TestPackageFunctionsCheckInput runs the package-level functions, which use the default
// configuration, with empty IDs and hostile ones. Not parallel: it sets the default.
func TestPackageFunctionsCheckInput(t *testing.T) {
	rec := newRecorder(t)
	clerk.SetConfig(&clerk.ClientConfig{Key: "sk_test_badinput", BaseURL: rec.srv.URL + "/v1",
		MaxRetries: -1})
	t.Cleanup(func() { clerk.SetConfig(nil) })
	ctx := context.Background()

	empty := map[string]func(id string) error{
		"user.Get":    func(id string) error { _, err := user.Get(ctx, id); return err },
		"user.Delete": func(id string) error { _, err := user.Delete(ctx, id); return err },
		"user.Ban":    func(id string) error { _, err := user.Ban(ctx, id); return err },
		"user.UpdateMetadata": func(id string) error {
			_, err := user.UpdateMetadata(ctx, id, nil)
			return err
		},
		"emailaddress.Delete": func(id string) error {
			_, err := emailaddress.Delete(ctx, id)
			return err
		},
		"phonenumber.Delete": func(id string) error {
			_, err := phonenumber.Delete(ctx, id)
			return err
		},
		"externalaccount.Delete": func(id string) error {
			_, err := externalaccount.Delete(ctx, id, "eac_1")
			return err
		},
		"session.Revoke": func(id string) error { _, err := session.Revoke(ctx, id); return err },
	}
	for name, call := range empty {
		err := call("")
		require.NotNil(t, invalidParam(err), "%s: got %v, want an InvalidParamError", name, err)
		assert.Empty(t, rec.take(), "%s sent a request for an empty ID", name)

		require.NoError(t, call("../a/b?c#d"), name)
		reqs := rec.take()
		require.Len(t, reqs, 1, name)
		assert.Contains(t, reqs[0].path, "/..%2Fa%2Fb%3Fc%23d", name)
		assert.Empty(t, reqs[0].query, name)
	}
}
