package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/clerkcompat/clerk"
)

// keySource finds the key that verifies a token whose header names kid.
type keySource interface {
	lookup(ctx context.Context, kid string) (*publicKey, error)
}

// staticKey is a key given up front: it verifies every token, whatever its kid.
type staticKey struct{ key *publicKey }

func (s staticKey) lookup(context.Context, string) (*publicKey, error) { return s.key, nil }

// keyCache holds the keys of a JWKS for a fixed lifetime. Concurrent lookups that find no
// usable set share one fetch, and a kid missing from a fresh set causes a refetch only when the
// last fetch started at least refetchInterval ago, so a flood of tokens with made-up kids costs
// at most one request per interval.
//
// When the JWKS endpoint fails, keys whose lifetime has run out go on verifying for one more
// lifetime (an outage of the endpoint must not sign every user out), and a failed fetch is not
// tried again for failureBackoff, so an outage does not turn each request into a fetch.
type keyCache struct {
	fetch           func(ctx context.Context) (*clerk.JSONWebKeySet, error)
	ttl             time.Duration
	refetchInterval time.Duration
	now             func() time.Time

	mu        sync.Mutex
	keys      map[string]*publicKey // nil until the first successful fetch
	expires   time.Time             // when keys stop being used
	lastFetch time.Time             // when the latest fetch started, successful or not
	lastErr   error                 // the error of the latest fetch, nil when it succeeded
	inflight  *fetchCall            // the fetch under way, if any

	// waitHook, when set, is called as a lookup starts waiting for another lookup's fetch, so
	// that tests can order events without sleeping.
	waitHook func()
}

// fetchCall is one fetch that several lookups wait for.
type fetchCall struct {
	done chan struct{}
	// Set before done is closed.
	keys map[string]*publicKey
	err  error
	// abandoned reports that the fetch failed because the context of the lookup that ran it
	// ended; lookups whose own context is still live try again rather than fail with it.
	abandoned bool
}

func (c *keyCache) lookup(ctx context.Context, kid string) (*publicKey, error) {
	if kid == "" {
		return nil, ErrMissingKeyID
	}
	for {
		c.mu.Lock()
		now := c.now()
		fresh := c.keys != nil && now.Before(c.expires)
		if k, ok := c.keys[kid]; ok && fresh {
			c.mu.Unlock()
			return k, nil
		}
		call := c.inflight
		if call == nil {
			if fresh && now.Sub(c.lastFetch) < c.refetchInterval {
				c.mu.Unlock()
				return nil, fmt.Errorf("%w: %q", ErrUnknownKey, kid)
			}
			if c.lastErr != nil && now.Sub(c.lastFetch) < failureBackoff {
				k, err := c.staleLocked(kid, now, c.lastErr)
				c.mu.Unlock()
				return k, err
			}
			call = &fetchCall{done: make(chan struct{})}
			c.inflight = call
			c.lastFetch = now
			c.mu.Unlock()
			c.run(ctx, call, now)
		} else {
			c.mu.Unlock()
			if c.waitHook != nil {
				c.waitHook()
			}
			select {
			case <-call.done:
			case <-ctx.Done():
				return nil, fmt.Errorf("%w: %w", ErrKeysUnavailable, ctx.Err())
			}
		}

		if call.err != nil {
			if call.abandoned && ctx.Err() == nil {
				continue
			}
			c.mu.Lock()
			k, err := c.staleLocked(kid, c.now(), call.err)
			c.mu.Unlock()
			return k, err
		}
		// The set was fetched just now, for this lookup or another one: a kid it lacks is
		// unknown, with no further fetch.
		if k, ok := call.keys[kid]; ok {
			return k, nil
		}
		return nil, fmt.Errorf("%w: %q", ErrUnknownKey, kid)
	}
}

// failureBackoff is how long after a failed fetch lookups answer from what the cache holds
// (or with the failure) instead of fetching again.
const failureBackoff = time.Second

// staleLocked answers a lookup while the endpoint fails: the key from the last good set if its
// lifetime ran out less than one lifetime ago, or fetchErr, the failure.
func (c *keyCache) staleLocked(kid string, now time.Time, fetchErr error,
) (*publicKey, error) {
	if k, ok := c.keys[kid]; ok && now.Before(c.expires.Add(c.ttl)) {
		return k, nil
	}
	return nil, fetchErr
}

// errFetchIncomplete stands for a fetch that ended without returning, such as a JWKSClient
// that panicked, so that lookups waiting for it are released instead of waiting forever.
var errFetchIncomplete = errors.New("JWKS fetch did not complete")

// run fetches the set for call, stores it, and releases every lookup waiting for call. The
// lifetime of the new keys counts from started, when the fetch began.
func (c *keyCache) run(ctx context.Context, call *fetchCall, started time.Time) {
	var keys map[string]*publicKey
	err := errFetchIncomplete
	defer func() {
		c.mu.Lock()
		if err == nil {
			c.keys, c.expires = keys, started.Add(c.ttl)
		} else {
			err = fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
		}
		call.keys, call.err, call.abandoned = keys, err, err != nil && ctx.Err() != nil
		if !call.abandoned {
			c.lastErr = err
		}
		c.inflight = nil
		c.mu.Unlock()
		close(call.done)
	}()

	var set *clerk.JSONWebKeySet
	set, err = c.fetch(ctx)
	if err == nil {
		keys = keysFromSet(set)
	}
}
