package clerk

import (
	"encoding/json"
	"log/slog"
)

// LogValue makes a ClientConfig logged through log/slog (by any handler, JSON included) show
// its settings with the key redacted.
func (c ClientConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("Key", redactedKey(c.Key)),
		slog.String("BaseURL", c.BaseURL),
		slog.Int("MaxRetries", c.MaxRetries),
		slog.Duration("RetryWaitMin", c.RetryWaitMin),
		slog.Duration("RetryWaitMax", c.RetryWaitMax),
		slog.Duration("Timeout", c.Timeout),
		slog.String("UserAgent", c.UserAgent),
	)
}

// MarshalJSON encodes the settings with the key redacted, so that a config dumped as JSON
// (into a debug endpoint or a structured log) cannot leak it. The HTTP client and logger are
// left out: neither has a meaningful JSON form.
func (c ClientConfig) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Key          string
		BaseURL      string
		MaxRetries   int
		RetryWaitMin string
		RetryWaitMax string
		Timeout      string
		UserAgent    string
	}{redactedKey(c.Key), c.BaseURL, c.MaxRetries, c.RetryWaitMin.String(),
		c.RetryWaitMax.String(), c.Timeout.String(), c.UserAgent})
}

// redactedKey says whether a key is set without showing any of it.
func redactedKey(key string) string {
	if key == "" {
		return "<unset>"
	}
	return "[redacted]"
}
