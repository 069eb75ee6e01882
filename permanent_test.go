package clerk

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnsendableHeaderNotRetried checks that a request whose headers can never be sent (a key
// or User-Agent with a line break, as a key read from a file keeps its newline) fails at once
// instead of waiting through every retry, and that the error does not show the key.
func TestUnsendableHeaderNotRetried(t *testing.T) {
	t.Parallel()
	mods := map[string]func(*ClientConfig){
		"key with newline": func(c *ClientConfig) { c.Key = testKey + "\n" },
		"user agent":       func(c *ClientConfig) { c.UserAgent = "app/1\r\nX-Injected: 1" },
	}
	for name, mod := range mods {
		for _, method := range faultMethods {
			t.Run(name+"/"+method, func(t *testing.T) {
				t.Parallel()
				fs := newFaultServer(t, reply(200))
				b, rec := faultBackend(t, fs, mod)
				err := b.Do(context.Background(), faultRequest(method), nil)
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidParam, "refused before any request")
				assert.NotContains(t, err.Error(), secretPart)
				assert.Empty(t, rec.all(), "no wait: another attempt cannot help")
				assert.Equal(t, 0, fs.count())
			})
		}
	}
}
