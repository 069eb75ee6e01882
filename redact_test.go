package clerk

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigRedactedInJSONAndSlog(t *testing.T) {
	t.Parallel()
	cfg := ClientConfig{Key: testKey, BaseURL: "http://127.0.0.1:1/v1", MaxRetries: 2}

	out, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "SECRETVALUE")
	assert.Contains(t, string(out), `"Key":"[redacted]"`)

	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("config", "cfg", cfg, "ptr", &cfg)
		assert.NotContains(t, buf.String(), "SECRETVALUE", "%s handler: %s", name, buf.String())
		assert.Contains(t, buf.String(), "127.0.0.1:1", "%s handler keeps the settings", name)
	}
}
