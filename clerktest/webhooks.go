package clerktest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/clerkcompat/clerk/webhook"
)

// Events the server delivers through SendWebhooks. Every handler that changes state publishes
// one event per change, with the store unlocked and after the change is stored, before it
// answers:
//
//   - user.created, data *clerk.User: a user was created (POST /users).
//   - user.updated, data *clerk.User as it now is: any change to a user, including the
//     creation, change, verification or removal of one of its email addresses or phone
//     numbers (the API reports identifier changes as user.updated, not as events of their
//     own). A request that changes nothing publishes nothing.
//   - user.deleted, data *clerk.DeletedObject{Object: "user", ID: ..., Deleted: true}.
//   - session.created, data *clerk.Session: a session was created.
//   - session.revoked, data *clerk.Session with status "revoked": a session was revoked.
//
// The data must be a copy that no one changes afterwards; it is encoded at once.

// Settings of webhook delivery. Deliveries go to a receiver the caller runs, usually in the
// same process, so the waits are short.
const (
	// webhookAttempts is how many times one event is sent before it is given up.
	webhookAttempts = 5
	// webhookBackoff is the wait before the first retry; it doubles for each later one.
	webhookBackoff = 20 * time.Millisecond
	// webhookTimeout bounds one attempt, from connecting to reading the answer's status.
	webhookTimeout = 5 * time.Second
	// webhookDrainTimeout bounds how long stop waits for queued events to be delivered.
	webhookDrainTimeout = 10 * time.Second
	// maxWebhookFailures is how many failed deliveries an endpoint remembers for
	// WaitWebhooks; later ones are only counted.
	maxWebhookFailures = 20
)

// webhookSettings are the timings of one endpoint; tests shorten them.
type webhookSettings struct {
	attempts int
	backoff  time.Duration
	timeout  time.Duration
	drain    time.Duration
}

var defaultWebhookSettings = webhookSettings{
	attempts: webhookAttempts,
	backoff:  webhookBackoff,
	timeout:  webhookTimeout,
	drain:    webhookDrainTimeout,
}

// NewWebhookSecret returns a new random signing secret in the form the Clerk Dashboard shows
// ("whsec_" and base64), for SendWebhooks and the receiver's webhook.NewVerifier.
func NewWebhookSecret() string {
	key := make([]byte, 24)
	rand.Read(key)
	return "whsec_" + base64.StdEncoding.EncodeToString(key)
}

// SendWebhooks makes the server deliver a signed event to target for every change it makes
// from now on (the events of the package documentation: user.created, user.updated, user.deleted,
// session.created, session.revoked), as a Clerk instance does for a webhook endpoint.
//
// Each event is POSTed as the JSON document {"data", "object": "event", "type", "timestamp",
// "instance_id"}, with the svix-id, svix-timestamp and svix-signature headers made with
// secret ("whsec_" and base64, as NewWebhookSecret makes), so webhook.NewVerifier(secret)
// verifies it. The timestamp in the body comes from the server's clock (see WithClock); the
// svix-timestamp header is the real time of each attempt, so a receiver with a real clock
// accepts deliveries from a server with a fixed clock.
//
// Events are sent one at a time, in the order the server published them, by a goroutine of
// their own, so a request never waits for its webhook. An attempt fails on a connection error,
// after five seconds, or with any status outside 2xx (redirects are not followed: events go
// only to target). A failed event is sent again, up to five attempts in all, after waits of
// 20 ms, 40 ms, 80 ms and 160 ms; every attempt carries the same svix-id and a new
// svix-timestamp. An event that fails every attempt is dropped and reported by WaitWebhooks.
//
// stop ends delivery to target: no new event is queued, stop waits up to ten seconds for the
// queued ones to be delivered, then abandons the rest and returns. Close calls it too. Calling
// stop more than once is harmless. SendWebhooks may be called several times, for several
// endpoints; each gets every event.
//
// SendWebhooks fails when target is not an absolute http or https URL, or when secret is not a
// signing secret (the error then matches webhook.ErrInvalidSecret and does not contain it).
func (s *Server) SendWebhooks(target, secret string) (stop func(), err error) {
	return s.sendWebhooks(target, secret, defaultWebhookSettings)
}

// WaitWebhooks waits until every event published so far has been delivered to every endpoint
// of SendWebhooks, or given up, and returns an error describing each event given up since the
// previous call (nil when all were delivered). It returns early with an error matching ctx's
// error when ctx ends first. Tests call it after their requests and before they look at what
// their receiver did.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	endpoints := s.webhooks.list()
	for _, ep := range endpoints {
		if err := ep.waitIdle(ctx); err != nil {
			return fmt.Errorf("clerktest: waiting for webhook deliveries: %w", err)
		}
	}
	var errs []error
	for _, ep := range endpoints {
		errs = append(errs, ep.takeFailures()...)
	}
	return errors.Join(errs...)
}

func (s *Server) sendWebhooks(target, secret string, set webhookSettings) (func(), error) {
	signer, err := webhook.NewVerifier(secret)
	if err != nil {
		return nil, fmt.Errorf("clerktest: webhook secret: %w", err)
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The URL may hold credentials: name only what is wrong with it.
		return nil, errors.New("clerktest: webhook target must be an absolute http or " +
			"https URL")
	}

	ep := newWebhookEndpoint(u, signer, set)
	s.webhooks.add(ep, func() {
		s.listenMu.Lock()
		s.listeners = append(s.listeners, s.queueWebhook)
		s.listenMu.Unlock()
	})
	go ep.run()
	return func() {
		s.webhooks.remove(ep)
		ep.stop()
	}, nil
}

// stopWebhooks stops every endpoint, draining each as its stop function would.
func (s *Server) stopWebhooks() {
	for _, ep := range s.webhooks.list() {
		s.webhooks.remove(ep)
		ep.stop()
	}
}

// webhookPayload is the body of one delivery.
type webhookPayload struct {
	Data       any    `json:"data"`
	Object     string `json:"object"`
	Type       string `json:"type"`
	Timestamp  int64  `json:"timestamp"`
	InstanceID string `json:"instance_id"`
}

// queueWebhook is the server's listener: it encodes one change as an event and queues it for
// every endpoint.
func (s *Server) queueWebhook(eventType string, data any) {
	if !s.webhooks.active() {
		return // every endpoint has stopped: spare the encoding
	}
	d := webhookDelivery{id: "msg_" + randomToken(27), eventType: eventType}
	d.body, d.err = json.Marshal(webhookPayload{
		Data:       data,
		Object:     "event",
		Type:       eventType,
		Timestamp:  s.now(),
		InstanceID: s.instanceID(),
	})
	s.webhooks.queue(d)
}

// instanceID names the server as the instance_id of its events. It is derived from the
// server's address, so it stays the same for one server and differs between servers.
func (s *Server) instanceID() string {
	sum := sha256.Sum256([]byte(s.baseURL))
	return "ins_" + base62(sum[:20], 27)
}

// webhookHub holds a server's webhook endpoints. Its zero value is ready to use.
type webhookHub struct {
	mu        sync.Mutex
	endpoints []*webhookEndpoint
	// listening says whether the server's listener has been registered; it is registered
	// once, with the first endpoint, and stays.
	listening bool
}

// add registers ep, calling listen first if no endpoint was ever registered.
func (h *webhookHub) add(ep *webhookEndpoint, listen func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.listening {
		listen()
		h.listening = true
	}
	h.endpoints = append(h.endpoints, ep)
}

// remove unregisters ep, so that no event is queued for it any more.
func (h *webhookHub) remove(ep *webhookEndpoint) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.endpoints = slices.DeleteFunc(h.endpoints, func(e *webhookEndpoint) bool {
		return e == ep
	})
}

// list returns the endpoints registered now.
func (h *webhookHub) list() []*webhookEndpoint {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.endpoints)
}

// active reports whether any endpoint is registered.
func (h *webhookHub) active() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.endpoints) > 0
}

// queue hands d to every endpoint. Holding the lock while doing so makes every endpoint
// receive events in the same order.
func (h *webhookHub) queue(d webhookDelivery) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ep := range h.endpoints {
		ep.enqueue(d)
	}
}

// webhookDelivery is one event to send.
type webhookDelivery struct {
	id        string // the svix-id header, the same for every attempt
	eventType string
	body      []byte
	err       error // why the event could not be encoded, if it could not
}

// webhookEndpoint sends events to one URL from a queue, one at a time, in order.
type webhookEndpoint struct {
	target *url.URL
	signer *webhook.Verifier
	set    webhookSettings
	client *http.Client
	// ctx is cancelled when stop stops waiting, which ends the attempt under way.
	ctx    context.Context
	cancel context.CancelFunc

	mu   sync.Mutex
	cond *sync.Cond // signalled when an event is queued or the endpoint closes
	// queue holds the events not yet taken by run; pending counts those and the one being
	// sent.
	queue   []webhookDelivery
	pending int
	// idle is closed whenever pending is 0, and replaced by an open channel when an event
	// arrives, so that waiters can select on it with a context.
	idle     chan struct{}
	closed   bool // no event is queued any more; run returns once the queue is empty
	failures []error
	dropped  int // failures beyond maxWebhookFailures

	stopOnce sync.Once
	done     chan struct{} // closed when run returns
}

func newWebhookEndpoint(target *url.URL, signer *webhook.Verifier,
	set webhookSettings) *webhookEndpoint {
	transport := &http.Transport{
		// Events go to the target itself, never through a proxy from the environment.
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: set.timeout}).DialContext,
		MaxIdleConnsPerHost: 1,
		IdleConnTimeout:     30 * time.Second,
	}
	ep := &webhookEndpoint{
		target: target,
		signer: signer,
		set:    set,
		client: &http.Client{
			Transport: transport,
			// A redirect is a failed attempt, as it is for Clerk's own deliveries.
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		idle: make(chan struct{}),
		done: make(chan struct{}),
	}
	close(ep.idle)
	ep.cond = sync.NewCond(&ep.mu)
	ep.ctx, ep.cancel = context.WithCancel(context.Background())
	return ep
}

// enqueue adds d to the queue, unless the endpoint is closed.
func (ep *webhookEndpoint) enqueue(d webhookDelivery) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.closed {
		return
	}
	if ep.pending == 0 {
		ep.idle = make(chan struct{})
	}
	ep.pending++
	ep.queue = append(ep.queue, d)
	ep.cond.Signal()
}

// run sends queued events until the endpoint is closed and its queue is empty.
func (ep *webhookEndpoint) run() {
	defer close(ep.done)
	for {
		ep.mu.Lock()
		for len(ep.queue) == 0 && !ep.closed {
			ep.cond.Wait()
		}
		if len(ep.queue) == 0 {
			ep.mu.Unlock()
			return
		}
		d := ep.queue[0]
		ep.queue[0] = webhookDelivery{}
		ep.queue = ep.queue[1:]
		ep.mu.Unlock()

		err := ep.deliver(d)

		ep.mu.Lock()
		if err != nil {
			ep.recordFailure(err)
		}
		ep.settle(1)
		ep.mu.Unlock()
	}
}

// settle marks n pending events as done; the caller holds ep.mu.
func (ep *webhookEndpoint) settle(n int) {
	ep.pending -= n
	if ep.pending == 0 {
		close(ep.idle)
	}
}

// recordFailure keeps err for WaitWebhooks; the caller holds ep.mu.
func (ep *webhookEndpoint) recordFailure(err error) {
	if len(ep.failures) < maxWebhookFailures {
		ep.failures = append(ep.failures, err)
		return
	}
	ep.dropped++
}

// deliver sends d until an attempt succeeds, the attempts run out or the endpoint is stopped.
func (ep *webhookEndpoint) deliver(d webhookDelivery) error {
	if d.err != nil {
		return ep.failure(d, 0, fmt.Errorf("encoding the event: %w", d.err))
	}
	wait := ep.set.backoff
	for attempt := 1; ; attempt++ {
		err := ep.attempt(d)
		if err == nil {
			return nil
		}
		if attempt >= ep.set.attempts || ep.ctx.Err() != nil {
			return ep.failure(d, attempt, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ep.ctx.Done():
			t.Stop()
			return ep.failure(d, attempt, err)
		}
		wait *= 2
	}
}

// failure describes an event given up after attempts attempts, the last failing with err.
func (ep *webhookEndpoint) failure(d webhookDelivery, attempts int, err error) error {
	return fmt.Errorf("clerktest: webhook %s (%s) to %s given up after %d attempt(s): %w",
		d.id, d.eventType, ep.target.Redacted(), attempts, err)
}

// attempt POSTs d once, signed now, and reports any answer outside 2xx as an error.
func (ep *webhookEndpoint) attempt(d webhookDelivery) error {
	ctx, cancel := context.WithTimeout(ep.ctx, ep.set.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.target.String(),
		bytes.NewReader(d.body))
	if err != nil {
		return err
	}
	now := time.Now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "clerktest-webhooks")
	req.Header.Set(webhook.HeaderID, d.id)
	req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(webhook.HeaderSignature, ep.signer.Sign(d.id, now, d.body))

	resp, err := ep.client.Do(req)
	if err != nil {
		return err
	}
	// Reading a bounded part of the body lets the connection be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}

// waitIdle waits until no event is pending, or ctx ends.
func (ep *webhookEndpoint) waitIdle(ctx context.Context) error {
	ep.mu.Lock()
	idle := ep.idle
	ep.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// takeFailures returns the failures recorded since the last call and forgets them.
func (ep *webhookEndpoint) takeFailures() []error {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	errs := ep.failures
	if ep.dropped > 0 {
		errs = append(errs, fmt.Errorf("clerktest: %d more webhook deliveries to %s given up",
			ep.dropped, ep.target.Redacted()))
	}
	ep.failures, ep.dropped = nil, 0
	return errs
}

// stop closes the endpoint, waits for its queue to drain up to the drain timeout, then
// abandons what is left and waits for the attempt under way to end.
func (ep *webhookEndpoint) stop() {
	ep.stopOnce.Do(func() {
		ep.mu.Lock()
		ep.closed = true
		ep.cond.Broadcast()
		ep.mu.Unlock()

		t := time.NewTimer(ep.set.drain)
		defer t.Stop()
		select {
		case <-ep.done:
		case <-t.C:
			ep.abandon()
			<-ep.done
		}
		ep.cancel()
		ep.client.CloseIdleConnections()
	})
}

// abandon drops the queued events, recording each as a failure, and cancels the attempt
// under way.
func (ep *webhookEndpoint) abandon() {
	ep.cancel()
	ep.mu.Lock()
	defer ep.mu.Unlock()
	for _, d := range ep.queue {
		ep.recordFailure(ep.failure(d, 0, errors.New("abandoned when delivery stopped")))
	}
	n := len(ep.queue)
	ep.queue = nil
	if n > 0 {
		ep.settle(n)
	}
}
