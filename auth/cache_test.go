package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/auth"
)

const (
	testTTL      = time.Hour
	testInterval = 5 * time.Minute
)

// cachedVerifier returns a verifier over fake whose clock the test moves.
func cachedVerifier(t *testing.T, fake *fakeJWKS, clock *testClock) *auth.Verifier {
	t.Helper()
	v, err := auth.NewVerifier(auth.Options{
		JWKSClient:      fake,
		CacheTTL:        testTTL,
		RefetchInterval: testInterval,
		Clock:           clock.Now,
	})
	require.NoError(t, err)
	return v
}

// longClaims stay valid for as long as the cache tests move the clock.
func longClaims() map[string]any {
	return withClaims(map[string]any{"exp": testNow.Add(24 * time.Hour).Unix()})
}

func TestCacheConcurrentColdVerifications(t *testing.T) {
	t.Parallel()
	const n = 1000
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"))
	// The fetch answers only once every verification has started, so that the others find
	// the cache cold while it runs.
	var started atomic.Int64
	allStarted := make(chan struct{})
	fake.block = func(ctx context.Context, _ int64) error {
		select {
		case <-allStarted:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	v := cachedVerifier(t, fake, newClock())
	token := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())

	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if started.Add(1) == n {
				close(allStarted)
			}
			_, errs[i] = v.Verify(context.Background(), token)
		}()
	}
	wg.Wait()

	for i, err := range errs {
		require.NoError(t, err, "verification %d", i)
	}
	assert.Equal(t, int64(1), fake.calls.Load(), "got %d fetches, want 1", fake.calls.Load())
}

// verifyUnknownKids verifies n tokens, concurrently, each with a kid of its own that the JWKS
// does not hold, and requires every one to fail with ErrUnknownKey.
func verifyUnknownKids(t *testing.T, v *auth.Verifier, round, n int) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		token := sign(t, rsaKeyB(), jose.RS256, fmt.Sprintf("ins_unknown_%d_%d", round, i),
			longClaims())
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = v.Verify(context.Background(), token)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		requireOnly(t, err, auth.ErrUnknownKey)
		require.NotNil(t, err, "token %d", i)
	}
}

func TestCacheUnknownKidsRefetchAtMostOncePerInterval(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"))
	clock := newClock()
	v := cachedVerifier(t, fake, clock)
	known := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())

	_, err := v.Verify(context.Background(), known)
	require.NoError(t, err)
	require.Equal(t, int64(1), fake.calls.Load())

	steps := []struct {
		advance time.Duration
		want    int64 // fetches so far, after 100 unknown kids
	}{
		{0, 1},                          // the set was fetched just now
		{testInterval - time.Second, 1}, // still within the interval of the first fetch
		{time.Second, 2},                // one interval after the first fetch: one refetch
		{testInterval / 2, 2},
		{testInterval / 2, 3},
		{time.Second, 3},
	}
	for round, s := range steps {
		clock.Advance(s.advance)
		verifyUnknownKids(t, v, round, 100)
		assert.Equal(t, s.want, fake.calls.Load(), "round %d: got %d fetches, want %d",
			round, fake.calls.Load(), s.want)

		// The known key keeps verifying, with no fetch of its own.
		_, err := v.Verify(context.Background(), known)
		require.NoError(t, err, "round %d", round)
		assert.Equal(t, s.want, fake.calls.Load(), "round %d", round)
	}
}

func TestCacheRotatedKeyVerifiesAfterOneRefetch(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"))
	clock := newClock()
	v := cachedVerifier(t, fake, clock)
	oldToken := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())
	newToken := sign(t, rsaKeyB(), jose.RS256, kidB, longClaims())

	_, err := v.Verify(context.Background(), oldToken)
	require.NoError(t, err)

	// The instance rotates its key: the set now holds only B.
	fake.Serve(jwk(t, rsaKeyB(), kidB, "RS256"))

	// Right after the first fetch, B is not looked for yet.
	clock.Advance(time.Minute)
	_, err = v.Verify(context.Background(), newToken)
	requireOnly(t, err, auth.ErrUnknownKey)
	assert.Equal(t, int64(1), fake.calls.Load())

	clock.Advance(testInterval)
	got, err := v.Verify(context.Background(), newToken)
	require.NoError(t, err)
	assert.Equal(t, "user_2abc", got.Subject)
	assert.Equal(t, int64(2), fake.calls.Load(), "got %d fetches, want 2", fake.calls.Load())

	// The refetched set replaced the old one, so A no longer verifies.
	_, err = v.Verify(context.Background(), oldToken)
	requireOnly(t, err, auth.ErrUnknownKey)
	assert.Equal(t, int64(2), fake.calls.Load())
}

func TestCacheRemovedKeyStopsAfterLifetime(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"), jwk(t, rsaKeyB(), kidB, "RS256"))
	clock := newClock()
	v := cachedVerifier(t, fake, clock)
	tokenA := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())
	tokenB := sign(t, rsaKeyB(), jose.RS256, kidB, longClaims())

	_, err := v.Verify(context.Background(), tokenA)
	require.NoError(t, err)

	// A is withdrawn; the cached set still holds it until its lifetime ends.
	fake.Serve(jwk(t, rsaKeyB(), kidB, "RS256"))
	clock.Advance(testTTL - time.Second)
	_, err = v.Verify(context.Background(), tokenA)
	require.NoError(t, err)
	assert.Equal(t, int64(1), fake.calls.Load())

	clock.Advance(time.Second)
	_, err = v.Verify(context.Background(), tokenA)
	requireOnly(t, err, auth.ErrUnknownKey)
	assert.Equal(t, int64(2), fake.calls.Load(), "got %d fetches, want 2", fake.calls.Load())

	_, err = v.Verify(context.Background(), tokenB)
	require.NoError(t, err)
	assert.Equal(t, int64(2), fake.calls.Load())
}

func TestCacheFetchFailure(t *testing.T) {
	t.Parallel()
	cause := errors.New("connection refused")
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"))
	fake.Fail(cause)
	clock := newClock()
	v := cachedVerifier(t, fake, clock)
	token := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())

	_, err := v.Verify(context.Background(), token)
	requireOnly(t, err, auth.ErrKeysUnavailable)
	require.ErrorIs(t, err, cause)

	// Within a second of the failure, verifications answer with it and fetch nothing; after
	// that second, the next one tries again.
	fake.Serve(jwk(t, rsaKeyA(), kidA, "RS256"))
	_, err = v.Verify(context.Background(), token)
	requireOnly(t, err, auth.ErrKeysUnavailable)
	assert.Equal(t, int64(1), fake.calls.Load())
	clock.Advance(time.Second)
	_, err = v.Verify(context.Background(), token)
	require.NoError(t, err)
	assert.Equal(t, int64(2), fake.calls.Load())

	// A failed refetch for an unknown kid leaves the cached keys in use.
	fake.Fail(cause)
	clock.Advance(testInterval)
	_, err = v.Verify(context.Background(), sign(t, rsaKeyB(), jose.RS256, kidB, longClaims()))
	requireOnly(t, err, auth.ErrKeysUnavailable)
	require.ErrorIs(t, err, cause)
	_, err = v.Verify(context.Background(), token)
	require.NoError(t, err)
	assert.Equal(t, int64(3), fake.calls.Load())

	// A failed refetch counts as one: more unknown kids within the interval wait for the next.
	verifyUnknownKids(t, v, 0, 20)
	assert.Equal(t, int64(3), fake.calls.Load())
}

func TestCacheFetchPanic(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"))
	fake.block = func(context.Context, int64) error { panic("broken JWKS client") }
	clock := newClock()
	v := cachedVerifier(t, fake, clock)
	token := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())

	require.Panics(t, func() { _, _ = v.Verify(context.Background(), token) })

	// The panic must not leave the fetch marked as under way, which would block every later
	// verification.
	fake.block = nil
	clock.Advance(time.Second)
	_, err := v.Verify(context.Background(), token)
	require.NoError(t, err)
}

// TestCacheKeepsExpiredKeysWhileTheEndpointFails checks that an outage of the JWKS endpoint
// after the lifetime does not fail every verification, nor make each one a fetch.
func TestCacheKeepsExpiredKeysWhileTheEndpointFails(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"))
	clock := newClock()
	v := cachedVerifier(t, fake, clock)
	token := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())
	_, err := v.Verify(context.Background(), token)
	require.NoError(t, err)

	fake.Fail(errors.New("503"))
	clock.Advance(testTTL + time.Minute)
	for range 5 {
		_, err = v.Verify(context.Background(), token)
		require.NoError(t, err, "the last good keys verify while the endpoint fails")
	}
	assert.Equal(t, int64(2), fake.calls.Load(), "one failed refetch, not one per token")

	// One lifetime after they expired, the old keys stop verifying.
	clock.Advance(testTTL)
	_, err = v.Verify(context.Background(), token)
	requireOnly(t, err, auth.ErrKeysUnavailable)
}

// TestCacheFetchingCallerCancels checks that a verification waiting for another one's fetch
// is not failed by that other caller's cancellation: it fetches again with its own context.
func TestCacheFetchingCallerCancels(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"))
	firstFetch := make(chan struct{})
	fake.block = func(ctx context.Context, call int64) error {
		if call > 1 {
			return nil
		}
		close(firstFetch)
		<-ctx.Done()
		return ctx.Err()
	}
	v := cachedVerifier(t, fake, newClock())
	waiting := make(chan struct{}, 1)
	auth.SetWaitHook(v, func() { waiting <- struct{}{} })
	token := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())

	ctx, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error)
	go func() {
		_, err := v.Verify(ctx, token)
		firstErr <- err
	}()
	<-firstFetch
	secondErr := make(chan error)
	go func() {
		_, err := v.Verify(context.Background(), token)
		secondErr <- err
	}()
	<-waiting
	cancel()

	err := <-firstErr
	requireOnly(t, err, auth.ErrKeysUnavailable)
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, <-secondErr)
	assert.Equal(t, int64(2), fake.calls.Load())
}

// TestCacheWaiterCancels checks that a verification waiting for a fetch returns as soon as its
// own context ends, while the fetch goes on for the others.
func TestCacheWaiterCancels(t *testing.T) {
	t.Parallel()
	fake := newFakeJWKS(jwk(t, rsaKeyA(), kidA, "RS256"))
	firstFetch, release := make(chan struct{}), make(chan struct{})
	fake.block = func(ctx context.Context, _ int64) error {
		close(firstFetch)
		<-release
		return nil
	}
	v := cachedVerifier(t, fake, newClock())
	waiting := make(chan struct{}, 1)
	auth.SetWaitHook(v, func() { waiting <- struct{}{} })
	token := sign(t, rsaKeyA(), jose.RS256, kidA, longClaims())

	fetcherErr := make(chan error)
	go func() {
		_, err := v.Verify(context.Background(), token)
		fetcherErr <- err
	}()
	<-firstFetch
	ctx, cancel := context.WithCancel(context.Background())
	waiterErr := make(chan error)
	go func() {
		_, err := v.Verify(ctx, token)
		waiterErr <- err
	}()
	<-waiting
	cancel()

	err := <-waiterErr
	requireOnly(t, err, auth.ErrKeysUnavailable)
	require.ErrorIs(t, err, context.Canceled)
	close(release)
	require.NoError(t, <-fetcherErr)
	assert.Equal(t, int64(1), fake.calls.Load())
}

// TestVerifyWithConfig fetches the JWKS through the API client, over a mocked transport.
func TestVerifyWithConfig(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	var requests []*http.Request
	var mu sync.Mutex
	set := clerk.JSONWebKeySet{Keys: []clerk.JSONWebKey{jwk(t, rsaKeyA(), kidA, "RS256")}}
	mt.RegisterResponder(http.MethodGet, "https://api.example.test/v1/jwks",
		func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			requests = append(requests, req)
			mu.Unlock()
			return httpmock.NewJsonResponse(http.StatusOK, set)
		})
	v, err := auth.NewVerifier(auth.Options{
		Config: &clerk.ClientConfig{
			Key:        "sk_test_auth",
			BaseURL:    "https://api.example.test/v1",
			HTTPClient: &http.Client{Transport: mt},
		},
		Clock: func() time.Time { return testNow },
	})
	require.NoError(t, err)
	token := sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims())

	for range 3 {
		got, err := v.Verify(context.Background(), token)
		require.NoError(t, err)
		assert.Equal(t, "user_2abc", got.Subject)
	}
	require.Len(t, requests, 1, "got %d requests, want 1", len(requests))
	assert.Equal(t, "Bearer sk_test_auth", requests[0].Header.Get("Authorization"))
}

func TestVerifyWithConfigAPIError(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "https://api.example.test/v1/jwks",
		httpmock.NewStringResponder(http.StatusUnauthorized,
			`{"errors":[{"code":"authentication_invalid","message":"invalid key"}]}`))
	v, err := auth.NewVerifier(auth.Options{
		Config: &clerk.ClientConfig{
			Key:        "sk_test_secret_value",
			BaseURL:    "https://api.example.test/v1",
			HTTPClient: &http.Client{Transport: mt},
		},
		Clock: func() time.Time { return testNow },
	})
	require.NoError(t, err)

	_, err = v.Verify(context.Background(), sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims()))
	requireOnly(t, err, auth.ErrKeysUnavailable)
	require.ErrorIs(t, err, clerk.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "sk_test_secret_value")
}

// TestVerifyWithDefaultConfig changes the package-level default configuration, so it does not
// run in parallel with other tests.
func TestVerifyWithDefaultConfig(t *testing.T) {
	mt := httpmock.NewMockTransport()
	set := clerk.JSONWebKeySet{Keys: []clerk.JSONWebKey{jwk(t, rsaKeyA(), kidA, "RS256")}}
	mt.RegisterResponder(http.MethodGet, "https://api.example.test/v1/jwks",
		httpmock.NewJsonResponderOrPanic(http.StatusOK, set))
	v, err := auth.NewVerifier(auth.Options{Clock: func() time.Time { return testNow }})
	require.NoError(t, err)

	// The default configuration is read when keys are fetched, not when the verifier is built.
	clerk.SetConfig(&clerk.ClientConfig{
		Key:        "sk_test_default",
		BaseURL:    "https://api.example.test/v1",
		HTTPClient: &http.Client{Transport: mt},
	})
	t.Cleanup(func() { clerk.SetConfig(nil) })

	_, err = v.Verify(context.Background(), sign(t, rsaKeyA(), jose.RS256, kidA, baseClaims()))
	require.NoError(t, err)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
