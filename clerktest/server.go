package clerktest

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/clerkcompat/clerk"
)

// DefaultKey is the secret key a Server accepts when no other is fixed with WithKey.
const DefaultKey = "sk_test_clerktestFakeSecretKey000000000000000"

// testKeyPrefix starts every development-instance key; WithAnyTestKey accepts any key with it.
const testKeyPrefix = "sk_test_"

// Server is an in-memory Clerk Backend API on loopback. Its state lives only in memory and
// ends with Close. All of its methods are safe for concurrent use.
type Server struct {
	key     string
	anyTest bool
	clock   func() time.Time
	ln      net.Listener
	store   *store
	handler http.Handler
	http    *http.Server
	baseURL string

	// listeners receive every change the server makes, after the store is unlocked. listenMu
	// guards the slice, since SendWebhooks adds to it while requests are served.
	listenMu  sync.Mutex
	listeners []func(eventType string, data any)
	// webhooks holds the endpoints of SendWebhooks (see webhooks.go).
	webhooks webhookHub

	closeOnce sync.Once
	served    chan struct{}
	// conns tracks connections by state, so that Close can drop the ones with no request
	// under way at once instead of waiting for them.
	connMu sync.Mutex
	conns  map[net.Conn]http.ConnState
}

// Option configures a Server.
type Option func(*Server)

// WithKey makes the server accept only key as its secret key (and Config return it).
func WithKey(key string) Option {
	return func(s *Server) { s.key = key }
}

// WithAnyTestKey makes the server accept every key that starts with "sk_test_", as a
// development instance shared by several programs would. Config still returns one fixed key.
func WithAnyTestKey() Option {
	return func(s *Server) { s.anyTest = true }
}

// WithClock sets the clock that timestamps objects (created_at, updated_at, ...). Tests use it
// to get predictable times; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.clock = now }
}

// WithListener makes the server serve on ln instead of a new listener on 127.0.0.1:0. The
// server owns ln from then on and closes it in Close.
func WithListener(ln net.Listener) Option {
	return func(s *Server) { s.ln = ln }
}

// NewServer starts a server on a new listener on 127.0.0.1:0 (or on the one given with
// WithListener) and returns it. Call Close when done. Like httptest.NewServer, it panics when
// no loopback listener can be opened, which only a broken environment causes.
func NewServer(opts ...Option) *Server {
	s := &Server{key: DefaultKey, clock: time.Now, served: make(chan struct{}),
		conns: make(map[net.Conn]http.ConnState)}
	for _, opt := range opts {
		opt(s)
	}
	s.store = newStore()
	s.handler = s.newHandler()

	if s.ln == nil {
		var lc net.ListenConfig
		ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
		if err != nil {
			panic(fmt.Sprintf("clerktest: cannot listen on loopback: %v", err))
		}
		s.ln = ln
	}
	s.baseURL = "http://" + s.ln.Addr().String()
	s.http = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second,
		ConnState: s.trackConn}
	go func() {
		defer close(s.served)
		_ = s.http.Serve(s.ln) // returns when Close shuts the server down
	}()
	return s
}

// URL returns the base URL of the API, ending in /v1, as clerk.ClientConfig.BaseURL wants it.
func (s *Server) URL() string { return s.baseURL + "/v1" }

// Key returns the secret key that Config uses, which the server accepts.
func (s *Server) Key() string { return s.key }

// Config returns a client configuration for this server: its URL, an accepted key, and short
// retry waits so that tests which make the server fail stay fast.
func (s *Server) Config() *clerk.ClientConfig {
	return &clerk.ClientConfig{
		Key:          s.key,
		BaseURL:      s.URL(),
		RetryWaitMin: 5 * time.Millisecond,
		RetryWaitMax: 50 * time.Millisecond,
	}
}

// Handler returns the API as an http.Handler that serves paths under /v1, for mounting on a
// server of the caller's own. It shares its state with s.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the server: it stops accepting connections, closes the ones with no request under
// way, lets requests under way finish for a few seconds, then closes every connection. Calling
// it more than once is harmless.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- s.http.Shutdown(ctx) }()
		// Shutdown treats a connection that never sent a request as busy for its first
		// seconds; clients often open such spare connections, so close them here.
		s.connMu.Lock()
		for c, state := range s.conns {
			if state == http.StateNew || state == http.StateIdle {
				c.Close()
			}
		}
		s.connMu.Unlock()
		if err := <-done; err != nil {
			s.http.Close()
		}
		<-s.served
		s.stopWebhooks()
	})
}

func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch state {
	case http.StateNew, http.StateActive, http.StateIdle:
		s.conns[c] = state
	default:
		delete(s.conns, c)
	}
}

// now returns the current time of the server's clock in Unix milliseconds, as the API writes
// timestamps.
func (s *Server) now() int64 { return s.clock().UnixMilli() }

// publish hands one change to every listener. It must be called with the store unlocked, so
// that a listener may read the server's state.
func (s *Server) publish(eventType string, data any) {
	s.listenMu.Lock()
	listeners := s.listeners
	s.listenMu.Unlock()
	for _, l := range listeners {
		l(eventType, data)
	}
}

// newHandler builds the routes: one registration function per resource file.
func (s *Server) newHandler() http.Handler {
	mux := http.NewServeMux()
	s.routeUsers(mux)
	s.routeIdentifiers(mux)
	s.routeSessions(mux)
	// Every other path answers as the API does for an unknown one, in its JSON error shape.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "resource_not_found", "not found",
			"No endpoint matches "+r.Method+" "+r.URL.Path+".", nil)
	})
	return s.authenticate(canonicalPaths(mux))
}

// canonicalPaths answers 404 for a path with "." or ".." segments or doubled slashes, where
// http.ServeMux would redirect to the cleaned path: an escaped ".." in an ID must never reach
// another endpoint.
func canonicalPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		clean := path.Clean(p)
		if strings.HasSuffix(p, "/") && clean != "/" {
			clean += "/"
		}
		if p != clean {
			writeError(w, http.StatusNotFound, "resource_not_found", "not found",
				"No resource exists at this path.", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate answers 401 with Clerk's error body unless the request carries an accepted
// secret key as a bearer token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, found := bearerToken(r.Header.Get("Authorization"))
		switch {
		case !found:
			writeError(w, http.StatusUnauthorized, "clerk_key_invalid",
				"Missing secret key", "The request has no Authorization header with a "+
					"Bearer secret key. Send your instance's secret key.", nil)
		case !s.accepts(key):
			writeError(w, http.StatusUnauthorized, "clerk_key_invalid",
				"Invalid secret key", "The secret key in the Authorization header is not "+
					"valid for this instance. Check that you use the right key.", nil)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (s *Server) accepts(key string) bool {
	if s.anyTest && strings.HasPrefix(key, testKeyPrefix) && len(key) > len(testKeyPrefix) {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(key), []byte(s.key)) == 1
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header; the scheme is
// matched in any case, as HTTP auth schemes are.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
