package clerktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/emailaddress"
	"github.com/clerkcompat/clerk/phonenumber"
	"github.com/clerkcompat/clerk/session"
	"github.com/clerkcompat/clerk/user"
	"github.com/clerkcompat/clerk/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fastWebhooks are delivery settings that keep failing deliveries short in tests.
var fastWebhooks = webhookSettings{
	attempts: 3,
	backoff:  time.Millisecond,
	timeout:  2 * time.Second,
	drain:    2 * time.Second,
}

// receiver is a webhook endpoint that verifies every delivery and records the events.
type receiver struct {
	*httptest.Server
	secret string

	mu     sync.Mutex
	events []*webhook.Event
}

// newReceiver starts a receiver whose handler passes each verified event to fn before
// recording it; fn may be nil.
func newReceiver(t *testing.T, fn func(e *webhook.Event) error) *receiver {
	t.Helper()
	rc := &receiver{secret: NewWebhookSecret()}
	v, err := webhook.NewVerifier(rc.secret)
	require.NoError(t, err)
	rc.Server = httptest.NewServer(webhook.Handler(v,
		func(_ context.Context, e *webhook.Event) error {
			if fn != nil {
				if err := fn(e); err != nil {
					return err
				}
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			rc.events = append(rc.events, e)
			return nil
		}))
	t.Cleanup(rc.Close)
	return rc
}

// received returns the events recorded so far.
func (rc *receiver) received() []*webhook.Event {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*webhook.Event(nil), rc.events...)
}

// types returns the type of each event recorded so far.
func (rc *receiver) types() []string {
	var out []string
	for _, e := range rc.received() {
		out = append(out, e.Type)
	}
	return out
}

// startWebhooks starts a server that delivers to rc with settings set; both stop when the
// test ends.
func startWebhooks(t *testing.T, rc *receiver, set webhookSettings,
	opts ...Option) (*Server, *user.Client) {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	stop, err := s.sendWebhooks(rc.URL, rc.secret, set)
	require.NoError(t, err)
	t.Cleanup(stop)
	return s, user.NewClient(s.Config())
}

// waitWebhooks waits for every delivery of s and fails the test if one was given up.
func waitWebhooks(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, s.WaitWebhooks(ctx))
}

func TestSendWebhooksEventsFollowChanges(t *testing.T) {
	t.Parallel()
	// A fixed clock far in the past: the body's timestamp follows it, while the signature's
	// timestamp must stay current for the receiver's verifier to accept it.
	fixed := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	rc := newReceiver(t, nil)
	s, users := startWebhooks(t, rc, defaultWebhookSettings,
		WithClock(func() time.Time { return fixed }))
	ctx := context.Background()

	u, err := users.Create(ctx, &user.CreateParams{
		EmailAddresses:          []string{"ada@example.com"},
		FirstName:               clerk.String("Ada"),
		PublicMetadata:          clerk.JSONRawMessage(json.RawMessage(`{"plan":"free","n":1}`)),
		SkipPasswordRequirement: clerk.Bool(true),
	})
	require.NoError(t, err)
	_, err = users.Update(ctx, u.ID, &user.UpdateParams{FirstName: clerk.String("Grace")})
	require.NoError(t, err)
	_, err = users.UpdateMetadata(ctx, u.ID, &user.MetadataParams{
		PublicMetadata: clerk.JSONRawMessage(json.RawMessage(`{"plan":"pro","n":null}`)),
	})
	require.NoError(t, err)
	_, err = users.Ban(ctx, u.ID)
	require.NoError(t, err)
	_, err = users.Ban(ctx, u.ID) // already banned: no change, so no event
	require.NoError(t, err)
	_, err = users.Delete(ctx, u.ID)
	require.NoError(t, err)
	waitWebhooks(t, s)

	events := rc.received()
	want := []string{webhook.EventUserCreated, webhook.EventUserUpdated,
		webhook.EventUserUpdated, webhook.EventUserUpdated, webhook.EventUserDeleted}
	require.Equal(t, want, rc.types())

	ids := map[string]bool{}
	for i, e := range events {
		assert.Equal(t, "event", e.Object, "event %d object", i)
		assert.Equal(t, fixed.UnixMilli(), e.Timestamp, "event %d timestamp", i)
		assert.Equal(t, s.instanceID(), e.InstanceID, "event %d instance_id", i)
		assert.True(t, strings.HasPrefix(e.InstanceID, "ins_"), "got instance_id %q", e.InstanceID)
		assert.True(t, strings.HasPrefix(e.ID, "msg_"), "got svix-id %q, want msg_...", e.ID)
		assert.False(t, ids[e.ID], "svix-id %s repeated", e.ID)
		ids[e.ID] = true
	}

	created, err := events[0].User()
	require.NoError(t, err)
	assert.Equal(t, u.ID, created.ID)
	assert.Equal(t, "Ada", *created.FirstName)
	require.Len(t, created.EmailAddresses, 1)
	assert.Equal(t, "ada@example.com", created.EmailAddresses[0].EmailAddress)

	renamed, err := events[1].User()
	require.NoError(t, err)
	assert.Equal(t, "Grace", *renamed.FirstName)

	merged, err := events[2].User()
	require.NoError(t, err)
	assert.JSONEq(t, `{"plan":"pro"}`, string(merged.PublicMetadata))

	banned, err := events[3].User()
	require.NoError(t, err)
	assert.True(t, banned.Banned, "got banned=false in the ban's event")

	deleted, err := events[4].DeletedObject()
	require.NoError(t, err)
	assert.Equal(t, clerk.DeletedObject{Object: "user", ID: u.ID, Deleted: true}, *deleted)
}

func TestSendWebhooksIdentifierChangesAreUserUpdates(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	s, users := startWebhooks(t, rc, defaultWebhookSettings)
	emails := emailaddress.NewClient(s.Config())
	phones := phonenumber.NewClient(s.Config())
	ctx := context.Background()

	u, err := users.Create(ctx, &user.CreateParams{
		EmailAddresses:          []string{"first@example.com"},
		SkipPasswordRequirement: clerk.Bool(true),
	})
	require.NoError(t, err)
	added, err := emails.Create(ctx, &emailaddress.CreateParams{UserID: clerk.String(u.ID),
		EmailAddress: clerk.String("second@example.com"), Verified: clerk.Bool(true)})
	require.NoError(t, err)
	_, err = emails.Update(ctx, added.ID, &emailaddress.UpdateParams{Primary: clerk.Bool(true)})
	require.NoError(t, err)
	phone, err := phones.Create(ctx, &phonenumber.CreateParams{UserID: clerk.String(u.ID),
		PhoneNumber: clerk.String("+15555550100"), Verified: clerk.Bool(true)})
	require.NoError(t, err)
	_, err = phones.Delete(ctx, phone.ID)
	require.NoError(t, err)
	waitWebhooks(t, s)

	events := rc.received()
	require.Equal(t, []string{webhook.EventUserCreated, webhook.EventUserUpdated,
		webhook.EventUserUpdated, webhook.EventUserUpdated, webhook.EventUserUpdated},
		rc.types())
	// Each event carries the user with its identifiers as the change left them.
	addresses := func(u *clerk.User) []string {
		var out []string
		for _, e := range u.EmailAddresses {
			out = append(out, e.EmailAddress)
		}
		return out
	}
	withSecond, err := events[1].User()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"first@example.com", "second@example.com"},
		addresses(withSecond))
	madePrimary, err := events[2].User()
	require.NoError(t, err)
	require.NotNil(t, madePrimary.PrimaryEmailAddressID)
	assert.Equal(t, added.ID, *madePrimary.PrimaryEmailAddressID)
	withPhone, err := events[3].User()
	require.NoError(t, err)
	require.Len(t, withPhone.PhoneNumbers, 1)
	assert.Equal(t, "+15555550100", withPhone.PhoneNumbers[0].PhoneNumber)
	withoutPhone, err := events[4].User()
	require.NoError(t, err)
	assert.Empty(t, withoutPhone.PhoneNumbers)
}

func TestSendWebhooksSessionEvents(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	s, users := startWebhooks(t, rc, defaultWebhookSettings)
	sessions := session.NewClient(s.Config())
	ctx := context.Background()

	u, err := users.Create(ctx, &user.CreateParams{Username: clerk.String("signedin")})
	require.NoError(t, err)
	created, err := sessions.Create(ctx, &session.CreateParams{UserID: u.ID})
	require.NoError(t, err)
	revoked, err := sessions.Revoke(ctx, created.ID)
	require.NoError(t, err)
	waitWebhooks(t, s)

	events := rc.received()
	require.Equal(t, []string{webhook.EventUserCreated, webhook.EventSessionCreated,
		webhook.EventSessionRevoked}, rc.types())
	// Each event carries the session as the API answered it.
	for i, want := range []*clerk.Session{created, revoked} {
		got, err := events[i+1].Session()
		require.NoError(t, err)
		assert.Equal(t, want, got, "event %d", i+1)
	}
	assert.Equal(t, clerk.SessionStatusRevoked, revoked.Status)
}

func TestSendWebhooksRetriesWithTheSameID(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var attempts []string // svix-id of each attempt at the first event
	failing := 2
	rc := newReceiver(t, func(e *webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if e.Type != webhook.EventUserCreated {
			return nil
		}
		attempts = append(attempts, e.ID)
		if len(attempts) <= failing {
			return errors.New("not yet") // the handler answers 500
		}
		return nil
	})
	s, users := startWebhooks(t, rc, fastWebhooks)
	ctx := context.Background()

	u, err := users.Create(ctx, &user.CreateParams{Username: clerk.String("retried")})
	require.NoError(t, err)
	_, err = users.Delete(ctx, u.ID)
	require.NoError(t, err)
	waitWebhooks(t, s)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, attempts, failing+1)
	for i, id := range attempts {
		assert.Equal(t, attempts[0], id, "attempt %d svix-id", i+1)
	}
	// The retried event is still delivered before the one that followed it.
	assert.Equal(t, []string{webhook.EventUserCreated, webhook.EventUserDeleted}, rc.types())
}

func TestSendWebhooksGivesUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
		}, "500"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, "302"},
		{"bad request", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
		}, "400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits, elsewhere atomic.Int32
			target := httptest.NewServer(http.HandlerFunc(
				func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == "/elsewhere" {
						elsewhere.Add(1)
						return
					}
					hits.Add(1)
					tt.handler(w, r)
				}))
			t.Cleanup(target.Close)
			s := NewServer()
			t.Cleanup(s.Close)
			stop, err := s.sendWebhooks(target.URL+"/hook", NewWebhookSecret(), fastWebhooks)
			require.NoError(t, err)
			t.Cleanup(stop)

			_, err = user.NewClient(s.Config()).Create(context.Background(),
				&user.CreateParams{Username: clerk.String("unheard")})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err = s.WaitWebhooks(ctx)

			require.Error(t, err)
			msg := err.Error()
			for _, part := range []string{"user.created", "3 attempt", tt.want} {
				assert.Contains(t, msg, part)
			}
			assert.Equal(t, int32(fastWebhooks.attempts), hits.Load(), "attempts")
			assert.Zero(t, elsewhere.Load(), "got a delivery at the redirect's target")
			// A failure is reported once.
			assert.NoError(t, s.WaitWebhooks(ctx))
		})
	}
}

func TestSendWebhooksSignsEveryAttempt(t *testing.T) {
	t.Parallel()
	secret := NewWebhookSecret()
	v, err := webhook.NewVerifier(secret)
	require.NoError(t, err)
	var mu sync.Mutex
	var verified []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, err := v.Verify(r.Header, body)
		mu.Lock()
		defer mu.Unlock()
		verified = append(verified, fmt.Sprint(err))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(target.Close)
	s := NewServer()
	t.Cleanup(s.Close)
	stop, err := s.sendWebhooks(target.URL, secret, fastWebhooks)
	require.NoError(t, err)
	t.Cleanup(stop)

	s.publish(webhook.EventUserDeleted, &clerk.DeletedObject{Object: "user", ID: "user_1",
		Deleted: true})
	assert.Error(t, s.WaitWebhooks(context.Background()))

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"<nil>", "<nil>", "<nil>"}, verified)
}

func TestSendWebhooksStopDrainsTheQueue(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	rc := newReceiver(t, func(*webhook.Event) error {
		<-release
		return nil
	})
	s := NewServer()
	t.Cleanup(s.Close)
	stop, err := s.sendWebhooks(rc.URL, rc.secret, defaultWebhookSettings)
	require.NoError(t, err)
	users := user.NewClient(s.Config())

	const n = 5
	for i := range n {
		_, err := users.Create(context.Background(),
			&user.CreateParams{Username: clerk.String(fmt.Sprintf("queued%d", i))})
		require.NoError(t, err)
	}
	// The receiver holds the first delivery, so the others wait in the queue.
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		stop()
	}()
	close(release)
	<-stopped

	assert.Len(t, rc.received(), n, "events delivered before stop returned")
	// After stop, changes are no longer delivered.
	_, err = users.Create(context.Background(), &user.CreateParams{
		Username: clerk.String("unsent")})
	require.NoError(t, err)
	require.NoError(t, s.WaitWebhooks(context.Background()))
	assert.Len(t, rc.received(), n, "events delivered after stop")
	stop() // harmless a second time
}

func TestSendWebhooksStopAbandonsAStuckReceiver(t *testing.T) {
	t.Parallel()
	unblock := make(chan struct{})
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-unblock:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(target.Close)
	t.Cleanup(func() { close(unblock) })
	s := NewServer()
	t.Cleanup(s.Close)
	set := fastWebhooks
	set.drain = 50 * time.Millisecond
	set.timeout = time.Minute // only stop can end the attempt
	stop, err := s.sendWebhooks(target.URL, NewWebhookSecret(), set)
	require.NoError(t, err)

	for i := range 3 {
		s.publish(webhook.EventUserDeleted, &clerk.DeletedObject{Object: "user",
			ID: fmt.Sprintf("user_%d", i), Deleted: true})
	}
	stop() // returns although the receiver never answers
	require.NoError(t, s.WaitWebhooks(context.Background()))
}

func TestSendWebhooksCloseDrains(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	s := NewServer()
	_, err := s.SendWebhooks(rc.URL, rc.secret)
	require.NoError(t, err)
	_, err = user.NewClient(s.Config()).Create(context.Background(),
		&user.CreateParams{Username: clerk.String("lastword")})
	require.NoError(t, err)

	s.Close()
	assert.Equal(t, []string{webhook.EventUserCreated}, rc.types())
}

func TestWaitWebhooksEndsWithItsContext(t *testing.T) {
	t.Parallel()
	unblock := make(chan struct{})
	rc := newReceiver(t, func(*webhook.Event) error {
		<-unblock
		return nil
	})
	s, _ := startWebhooks(t, rc, defaultWebhookSettings)
	// Runs before the stop registered by startWebhooks, which waits for the receiver.
	t.Cleanup(func() { close(unblock) })
	s.publish(webhook.EventUserDeleted, &clerk.DeletedObject{Object: "user", ID: "user_1",
		Deleted: true})

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.WaitWebhooks(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestWaitWebhooksWithoutEndpoints(t *testing.T) {
	t.Parallel()
	s := NewServer()
	t.Cleanup(s.Close)
	assert.NoError(t, s.WaitWebhooks(context.Background()))
}

func TestSendWebhooksRejectsBadInput(t *testing.T) {
	t.Parallel()
	good := NewWebhookSecret()
	tests := []struct {
		name, target, secret string
		is                   error
	}{
		{"empty secret", "http://127.0.0.1:1/hook", "", webhook.ErrInvalidSecret},
		{"secret not base64", "http://127.0.0.1:1/hook", "whsec_not*base64!",
			webhook.ErrInvalidSecret},
		{"empty URL", "", good, nil},
		{"relative URL", "/hook", good, nil},
		{"other scheme", "ftp://127.0.0.1/hook", good, nil},
		{"no host", "http:///hook", good, nil},
		{"unparsable URL with a password", "http://user:hunter2@[::1/hook", good, nil},
	}
	s := NewServer()
	t.Cleanup(s.Close)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stop, err := s.SendWebhooks(tt.target, tt.secret)
			require.Error(t, err)
			assert.Nil(t, stop)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			if tt.secret != "" {
				assert.NotContains(t, err.Error(), tt.secret)
			}
			assert.NotContains(t, err.Error(), "hunter2")
		})
	}
	assert.Empty(t, s.webhooks.list(), "endpoints registered by failed calls")
}

func TestNewWebhookSecret(t *testing.T) {
	t.Parallel()
	a, b := NewWebhookSecret(), NewWebhookSecret()
	assert.NotEqual(t, a, b)
	for _, secret := range []string{a, b} {
		assert.True(t, strings.HasPrefix(secret, "whsec_"), "got %q, want whsec_...", secret)
		_, err := webhook.NewVerifier(secret)
		assert.NoError(t, err)
	}
}

func TestSendWebhooksConcurrentChanges(t *testing.T) {
	t.Parallel()
	first, second := newReceiver(t, nil), newReceiver(t, nil)
	s, users := startWebhooks(t, first, defaultWebhookSettings)
	stop, err := s.SendWebhooks(second.URL, second.secret)
	require.NoError(t, err)
	t.Cleanup(stop)

	const workers, each = 8, 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for i := range each {
				u, err := users.Create(ctx, &user.CreateParams{
					Username: clerk.String(fmt.Sprintf("w%du%d", w, i))})
				if err != nil {
					errs <- err
					return
				}
				_, err = users.Update(ctx, u.ID, &user.UpdateParams{
					FirstName: clerk.String("Changed")})
				if err == nil {
					_, err = users.Delete(ctx, u.ID)
				}
				if err != nil {
					errs <- err
				}
				// Waiting while others publish must be safe too.
				if err := s.WaitWebhooks(ctx); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	waitWebhooks(t, s)

	for _, rc := range []*receiver{first, second} {
		events := rc.received()
		require.Len(t, events, 3*workers*each)
		// Each user's events arrive in the order of its changes.
		seen := map[string][]string{}
		for _, e := range events {
			var obj struct {
				ID string `json:"id"`
			}
			require.NoError(t, json.Unmarshal(e.Data, &obj))
			seen[obj.ID] = append(seen[obj.ID], e.Type)
		}
		require.Len(t, seen, workers*each)
		for id, types := range seen {
			assert.Equal(t, []string{webhook.EventUserCreated, webhook.EventUserUpdated,
				webhook.EventUserDeleted}, types, "events of %s", id)
		}
	}
	// Both endpoints get the same events in the same order.
	var firstIDs, secondIDs []string
	for _, e := range first.received() {
		firstIDs = append(firstIDs, e.ID)
	}
	for _, e := range second.received() {
		secondIDs = append(secondIDs, e.ID)
	}
	assert.Equal(t, firstIDs, secondIDs)
}
