// Package clerk is a Go client for the Clerk Backend API and for any server that speaks it.
//
// The root package holds what every resource package shares: the configuration
// ([ClientConfig], [SetKey], [SetConfig]), the [Backend] that sends requests, the errors
// ([APIError], [InvalidParamError]) and the resource types ([User], [EmailAddress],
// [Session], ...).
// The calls themselves live in one package per resource: user, emailaddress, phonenumber,
// externalaccount, session and jwks. Session tokens are verified without a network call by
// package auth, and package clerktest runs a Clerk-compatible server in process for tests.
//
// Most programs set the secret key once and then call package-level functions:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	u, err := user.Get(ctx, "user_123")
//	if errors.Is(err, clerk.ErrNotFound) {
//		// no such user
//	}
//
// Programs that talk to several instances, or that want their own retry policy, build a client
// per configuration instead: user.NewClient(&clerk.ClientConfig{Key: key}). The SDK reads no
// environment variable itself; a ClientConfig's zero fields take the defaults documented on it.
//
// # Errors
//
// Every answer with status 400 or above is an [*APIError], whatever its body: errors.Is matches
// it with [ErrNotFound], [ErrUnauthorized], [ErrForbidden], [ErrConflict], [ErrUnprocessable]
// or [ErrRateLimited], and errors.As gives the API's error codes ([APIError.HasCode]) and
// trace ID. Bad input, such as an empty ID, is an [*InvalidParamError] (errors.Is matches
// [ErrInvalidParam]) and sends no request. A cancelled or expired context is returned so that
// errors.Is(err, context.Canceled) holds.
//
// # Retries
//
// A 429, and a connection that failed before the request was sent, are retried for every
// method; a 502, 503, 504 or another connection error for GET, PUT and DELETE only, since the
// API has no idempotency key and a create sent twice makes two users. Waits grow from
// RetryWaitMin to RetryWaitMax and honour Retry-After within that bound.
//
// # Lists
//
// List functions return one page. user.All and session.All walk every page as a
// range-over-func iterator, one request per page as the loop asks for it.
package clerk

import (
	"encoding/json"
	"sync/atomic"
)

// Version is the version of this SDK, reported in the User-Agent header.
const Version = "0.1.0"

// APIVersion is the date of the Backend API version this SDK was written for. It is sent as the
// Clerk-API-Version header on every request, so the server answers with the shapes the SDK knows.
const APIVersion = "2026-05-12"

// DefaultBaseURL is where requests go when ClientConfig.BaseURL is empty.
const DefaultBaseURL = "https://api.clerk.com/v1"

// String returns a pointer to v, for optional string fields of params.
func String(v string) *string { return &v }

// Bool returns a pointer to v, for optional boolean fields of params.
func Bool(v bool) *bool { return &v }

// Int64 returns a pointer to v, for optional integer fields of params.
func Int64(v int64) *int64 { return &v }

// JSONRawMessage returns a pointer to v, for optional raw JSON fields of params such as metadata.
func JSONRawMessage(v json.RawMessage) *json.RawMessage { return &v }

// defaultBackend serves the package-level functions of every resource package. It is replaced
// whole by SetKey and SetConfig, so readers never see a half-written configuration.
var defaultBackend atomic.Pointer[Backend]

// SetKey sets the secret key of the default configuration, keeping its other settings. Calls
// made after SetKey returns use the new key; calls already under way keep the old one. It is safe
// to call while other goroutines make requests.
func SetKey(key string) {
	for {
		old := defaultBackend.Load()
		var cfg ClientConfig
		if old != nil {
			cfg = *old.given
		}
		cfg.Key = key
		if defaultBackend.CompareAndSwap(old, newBackend(cfg)) {
			return
		}
	}
}

// SetConfig replaces the default configuration used by package-level functions. A nil cfg
// restores the zero configuration. The config is copied: changing it afterwards has no effect.
func SetConfig(cfg *ClientConfig) {
	var c ClientConfig
	if cfg != nil {
		c = *cfg
	}
	defaultBackend.Store(newBackend(c))
}

// DefaultBackend returns the backend of the default configuration (see SetKey and SetConfig).
// Resource packages call it on every package-level call, so a key set later is seen at once.
func DefaultBackend() *Backend {
	if b := defaultBackend.Load(); b != nil {
		return b
	}
	defaultBackend.CompareAndSwap(nil, newBackend(ClientConfig{}))
	return defaultBackend.Load()
}
