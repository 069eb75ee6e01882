package clerk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Doer sends one HTTP request. *http.Client satisfies it; so does any wrapper that adds tracing
// or recording around one.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Defaults used where a ClientConfig field is left at its zero value.
const (
	DefaultMaxRetries   = 3
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 5 * time.Second
	DefaultTimeout      = 60 * time.Second
)

// ClientConfig configures the clients of every resource package. The zero value talks to
// DefaultBaseURL with the default retry policy, but has no key: set Key before the first call.
//
// A ClientConfig is copied when a client is built from it; later changes have no effect on
// clients that already exist. Printing one with fmt never shows the key.
type ClientConfig struct {
	// Key is the instance's secret key (sk_live_... or sk_test_...), sent as a bearer token.
	Key string
	// BaseURL is the API's root, including the version path; DefaultBaseURL when empty.
	BaseURL string
	// HTTPClient sends the requests. When nil, a shared client with a connection pool sized for
	// concurrent use is used; it follows no redirect (the API never redirects, and a redirect
	// would carry the key and body elsewhere), so a 3xx comes back as an *APIError. A client
	// given here keeps its own redirect policy, and no timeout is added to it.
	HTTPClient Doer
	// MaxRetries is how many times a failed request may be sent again (so at most MaxRetries+1
	// attempts). Zero means DefaultMaxRetries; a negative value turns retries off.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the wait between attempts, including a wait that the
	// server asks for with Retry-After. Zero means DefaultRetryWaitMin and DefaultRetryWaitMax.
	// RetryWaitMax is a ceiling: when it is below RetryWaitMin, every wait is RetryWaitMax.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// Timeout bounds a whole call, retries included, when the caller's context has no deadline
	// of its own, so a server that never answers cannot hang a call made with
	// context.Background(). A context deadline always wins. Zero means DefaultTimeout; a
	// negative value turns it off.
	Timeout time.Duration
	// Logger receives one line per attempt (method, path, status, attempt, wait) when set.
	// Headers and bodies are never logged. Nil means no logging at all.
	Logger *slog.Logger
	// UserAgent, when set, is put before the SDK's own product token in the User-Agent header.
	UserAgent string
}

// String describes the configuration with the key redacted, so that logging a config with %v
// or %+v cannot leak it.
func (c ClientConfig) String() string {
	key := "<unset>"
	if c.Key != "" {
		key = "[redacted]"
	}
	return fmt.Sprintf("{Key:%s BaseURL:%s MaxRetries:%d RetryWaitMin:%s RetryWaitMax:%s "+
		"Timeout:%s UserAgent:%q}", key, c.BaseURL, c.MaxRetries, c.RetryWaitMin, c.RetryWaitMax,
		c.Timeout, c.UserAgent)
}

// GoString is String for %#v.
func (c ClientConfig) GoString() string { return "clerk.ClientConfig" + c.String() }

// Request is one API call as a resource package describes it to a Backend.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the escaped path below the base URL, as built by JoinPath.
	Path string
	// Query is nil, a url.Values, or a struct encoded with go-querystring's `url` tags.
	Query any
	// Body is nil or a value sent as JSON. A nil pointer sends no body.
	Body any
	// RawBody is a body already encoded (a multipart form); ContentType names its type.
	RawBody     []byte
	ContentType string
}

// Backend sends requests for one configuration: it adds the key, the API version, the
// User-Agent, encodes queries and bodies, retries by the policy described on ClientConfig, and
// decodes responses and errors. Resource packages share it; most programs never call it.
// A Backend is safe for concurrent use.
type Backend struct {
	// cfg (defaults filled in) and given (as the caller wrote it) are kept behind pointers so
	// that printing a Backend value shows no key.
	cfg     *ClientConfig
	given   *ClientConfig
	baseURL string
	// auth is behind a pointer for the same reason; it is the ready Authorization header value.
	auth      *[]string
	userAgent []string
	client    *retryablehttp.Client
	// sleep waits between attempts; tests replace it to observe waits without sleeping.
	sleep func(ctx context.Context, d time.Duration) error
	// now is the clock used for HTTP-date Retry-After values.
	now func() time.Time
	// followsDefault makes every method defer to DefaultBackend at call time.
	followsDefault bool
	// configErr is what is wrong with the configuration, reported by every call (which then
	// sends nothing), since NewBackend itself returns no error.
	configErr error
}

// sharedHTTPClient is used by every Backend built without an HTTPClient, so that building
// clients freely (one per request, or a new default after SetKey) never multiplies pools.
var sharedHTTPClient = &http.Client{
	Transport: newTransport(),
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// sharedRetryClient is sharedHTTPClient as retryablehttp is given it: the same transport and
// redirect policy, but without CloseIdleConnections. retryablehttp closes its client's idle
// connections after every call that fails, a cancelled context included; on the pool that
// every Backend shares, one caller giving up would make every other caller reconnect.
var sharedRetryClient = &http.Client{
	Transport:     keepIdle{sharedHTTPClient.Transport},
	CheckRedirect: sharedHTTPClient.CheckRedirect,
}

// keepIdle is a RoundTripper and nothing else, so http.Client finds no CloseIdleConnections
// on it.
type keepIdle struct{ http.RoundTripper }

func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	// The standard pool keeps 2 idle connections per host, which makes a busy server open a
	// new connection for nearly every concurrent call. A backend SDK talks to one host.
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return t
}

// NewBackend returns a Backend for a copy of cfg. A nil cfg returns a Backend that follows the
// default configuration: each call uses whatever SetKey or SetConfig last set.
func NewBackend(cfg *ClientConfig) *Backend {
	if cfg == nil {
		return &Backend{followsDefault: true}
	}
	return newBackend(*cfg)
}

func newBackend(c ClientConfig) *Backend {
	given := c
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = DefaultMaxRetries
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	if c.RetryWaitMin <= 0 {
		c.RetryWaitMin = DefaultRetryWaitMin
	}
	if c.RetryWaitMax <= 0 {
		c.RetryWaitMax = DefaultRetryWaitMax
	}
	if c.RetryWaitMax < c.RetryWaitMin {
		c.RetryWaitMin = c.RetryWaitMax
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}

	ua := "clerk-go/" + Version + " (" + runtime.Version() + ")"
	if c.UserAgent != "" {
		ua = c.UserAgent + " " + ua
	}
	b := &Backend{
		cfg:       &c,
		given:     &given,
		baseURL:   strings.TrimRight(c.BaseURL, "/") + "/",
		auth:      &[]string{"Bearer " + c.Key},
		userAgent: []string{ua},
		sleep:     sleepContext,
		now:       time.Now,
		configErr: checkConfig(&c),
	}
	b.client = &retryablehttp.Client{
		HTTPClient: httpClientFor(c.HTTPClient),
		// The retryablehttp logger would write to stderr; this backend logs through slog.
		Logger:         nil,
		RetryMax:       c.MaxRetries,
		RetryWaitMin:   c.RetryWaitMin,
		RetryWaitMax:   c.RetryWaitMax,
		CheckRetry:     b.checkRetry,
		Backoff:        noBackoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: startAttempt,
	}
	return b
}

// String describes the backend without its key.
func (b *Backend) String() string { return "clerk.Backend" + b.Config().String() }

// Config returns a copy of the configuration the backend was built from, defaults filled in.
func (b *Backend) Config() ClientConfig {
	if b.followsDefault {
		return DefaultBackend().Config()
	}
	return *b.cfg
}

// httpClientFor adapts the configured Doer to the *http.Client that retryablehttp drives.
func httpClientFor(d Doer) *http.Client {
	switch hc := d.(type) {
	case nil:
		return sharedRetryClient
	case *http.Client:
		return hc
	default:
		return &http.Client{Transport: doerTransport{d}}
	}
}

// doerTransport lets a plain Doer stand where an http.RoundTripper is needed.
type doerTransport struct{ d Doer }

func (t doerTransport) RoundTrip(req *http.Request) (*http.Response, error) { return t.d.Do(req) }

// maxResponseBytes bounds how much of a successful response is decoded; a list page of 500
// large users stays well below it, while a broken or hostile server cannot exhaust memory.
const maxResponseBytes = 32 << 20

// maxErrorBodyBytes bounds how much of an error response is read.
const maxErrorBodyBytes = 64 << 10

// ErrResponseTooLarge is returned (wrapped) when a response body exceeds the SDK's bound.
var ErrResponseTooLarge = errors.New("clerk: response body too large")

// Do sends req and decodes a 2xx JSON response into out (which may be nil to discard it). Any
// status of 400 or above is returned as an *APIError; a cancelled or expired ctx stops the
// request and any wait between attempts, and the error matches ctx.Err() with errors.Is.
func (b *Backend) Do(ctx context.Context, req *Request, out any) error {
	if b.followsDefault {
		return DefaultBackend().Do(ctx, req, out)
	}
	if b.configErr != nil {
		return b.configErr
	}
	path := strings.TrimPrefix(req.Path, "/")
	// A Doer other than net/http's may not look at the context, so a call that is already
	// cancelled must stop here rather than reach the wire.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("clerk: %s /%s: %w", req.Method, path, err)
	}
	if b.cfg.Timeout > 0 {
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, b.cfg.Timeout)
			defer cancel()
		}
	}
	call := &callState{method: req.Method, path: path}
	ctx = withWriteTrace(context.WithValue(ctx, callKey{}, call), call)

	hreq, err := b.newRequest(ctx, req, path)
	if err != nil {
		return fmt.Errorf("clerk: %s /%s: %w", req.Method, path, err)
	}
	if out != nil {
		// The body is read inside the retry loop, so that a connection cut in the middle of a
		// body is retried like one cut before it (for the methods that may be retried).
		call.expectBody = true
		hreq.SetResponseHandler(call.readBody)
	}
	resp, err := b.client.Do(hreq)
	defer call.releaseBody()
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return fmt.Errorf("clerk: %s /%s: %w", req.Method, path, err)
	}
	readToEnd := false
	defer func() {
		if readToEnd {
			resp.Body.Close()
		} else {
			drainAndClose(resp.Body)
		}
	}()

	if resp.StatusCode >= 300 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
		// A proxy or a debugging server may echo the request, Authorization header included,
		// in its error page; the error is what callers log, so the key is cut out of it.
		body = bytes.ReplaceAll(body, []byte(b.cfg.Key), []byte("[redacted]"))
		return newAPIError(req.Method, call.urlPath(), resp.StatusCode, resp.Header, body)
	}
	if out == nil {
		return nil
	}
	readToEnd, err = call.decode(resp, out)
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("empty response body")
		}
		return fmt.Errorf("clerk: %s /%s: decoding %d response (%s): %w", req.Method, path,
			resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	return nil
}

// bodyBufs holds the buffers that successful response bodies are read into before decoding.
// Reading a body whole, into a buffer sized from its Content-Length, spares the doubling
// buffer of a streaming decoder (about three times the body in garbage); json.Unmarshal keeps
// nothing of its input, so the buffers are reused.
var bodyBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuf is the largest buffer kept for reuse (a page of several hundred users), so
// that a rare larger body does not stay in memory after its call.
const maxPooledBuf = 2 << 20

// maxWholeBody is the most of a body read ahead of decoding. A longer body (which a list page
// never is) is decoded as a stream from there on, so that a huge or endless body costs what
// streaming costs, and a Content-Length header claiming a huge body reserves no more than this.
const maxWholeBody = 4 << 20

// errReadAhead is readBody's word that it stopped at maxWholeBody with more of the body to come.
var errReadAhead = errors.New("body longer than the read-ahead bound")

// readBody is the retry loop's response handler: it reads a successful body ahead of
// decoding, into a pooled buffer sized from its Content-Length, so that a body cut short fails
// the attempt (and may be retried) instead of the decode. Reading a body whole also spares the
// doubling buffer of a streaming decoder (about three times the body in garbage).
func (c *callState) readBody(resp *http.Response) error {
	c.bodyRead = true
	if resp.StatusCode >= 300 {
		return nil // error bodies are read, bounded, when the error is built
	}
	if c.buf == nil {
		c.buf = bodyBufs.Get().(*[]byte)
	}
	c.lr = limitedReader{r: resp.Body, n: maxResponseBytes}
	buf, err := readBody(&c.lr, (*c.buf)[:0], resp.ContentLength)
	*c.buf = buf
	switch {
	case err == nil:
		c.bodyErr = nil
	case errors.Is(err, errReadAhead):
		c.bodyErr = err // decode streams the rest of the body
	default:
		return err
	}
	return nil
}

// releaseBody returns the call's buffer to the pool, unless it grew too large to keep.
func (c *callState) releaseBody() {
	if c.buf != nil && cap(*c.buf) <= maxPooledBuf {
		*c.buf = (*c.buf)[:0]
		bodyBufs.Put(c.buf)
	}
	c.buf = nil
}

// errNullBody reports a successful response whose body is the JSON literal null, which would
// otherwise decode into a zero value with no error.
var errNullBody = errors.New("response body is null")

// decode decodes the body that readBody read (and, for a body longer than the read-ahead
// bound, the rest of it as a stream) into out, and reports whether the body was read to its
// end.
func (c *callState) decode(resp *http.Response, out any) (readToEnd bool, err error) {
	var buf []byte
	if c.buf != nil {
		buf = *c.buf
	}
	if c.bodyErr == nil {
		if string(bytes.TrimSpace(buf)) == "null" {
			return true, errNullBody
		}
		err = json.Unmarshal(buf, out)
		if syntax := (*json.SyntaxError)(nil); !errors.As(err, &syntax) {
			return true, err
		}
		// json.Unmarshal rejects what a stream decoder accepts or reports in its own words
		// (an empty body, a value followed by more data); decoding the bytes as a stream keeps
		// the outcome what it would be had the body been decoded as it arrived.
		return true, json.NewDecoder(bytes.NewReader(buf)).Decode(out)
	}
	rest := &limitedReader{r: resp.Body, n: c.lr.n}
	return false, json.NewDecoder(io.MultiReader(bytes.NewReader(buf), rest)).Decode(out)
}

// readBody appends what r yields to buf until the end of the body (a nil error), a read error,
// or maxWholeBody bytes (errReadAhead). size is the body's Content-Length, -1 when unknown;
// the buffer is sized for it, with room for the Read that only finds the end.
func readBody(r *limitedReader, buf []byte, size int64) ([]byte, error) {
	if size >= 0 {
		if want := int(min(size, maxWholeBody-1)) + 1; cap(buf) < want {
			buf = make([]byte, 0, want)
		}
	}
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= maxWholeBody {
				return buf, errReadAhead
			}
			grown := make([]byte, len(buf), min(max(512, 2*cap(buf)), maxWholeBody))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// newRequest builds the first attempt of req; retryablehttp rewinds the body for later ones.
func (b *Backend) newRequest(ctx context.Context, req *Request, path string,
) (*retryablehttp.Request, error) {
	u := b.baseURL + path
	q, err := encodeQuery(req.Query)
	if err != nil {
		return nil, fmt.Errorf("encoding query: %w", err)
	}
	if q != "" {
		u += "?" + q
	}

	var body []byte
	contentType := req.ContentType
	switch {
	case req.RawBody != nil:
		body = req.RawBody
	case !isNil(req.Body):
		if body, err = json.Marshal(req.Body); err != nil {
			return nil, fmt.Errorf("encoding body: %w", err)
		}
		contentType = "application/json"
	}

	var raw any
	if body != nil {
		raw = body
	}
	hreq, err := retryablehttp.NewRequestWithContext(ctx, req.Method, u, raw)
	if err != nil {
		return nil, err
	}
	h := hreq.Header
	h["Authorization"] = *b.auth
	h["Clerk-Api-Version"] = apiVersionHeader
	h["User-Agent"] = b.userAgent
	h["Accept"] = jsonHeader
	switch contentType {
	case "":
	case "application/json":
		h["Content-Type"] = jsonHeader
	default:
		h["Content-Type"] = []string{contentType}
	}
	return hreq, nil
}

// Header values that are the same for every request, shared rather than built per call; the
// transport only reads them.
var (
	apiVersionHeader = []string{APIVersion}
	jsonHeader       = []string{"application/json"}
)

// encodeQuery turns nil, url.Values or a go-querystring struct into a query string.
func encodeQuery(v any) (string, error) {
	switch q := v.(type) {
	case nil:
		return "", nil
	case url.Values:
		return q.Encode(), nil
	case string:
		return q, nil
	}
	if isNil(v) {
		return "", nil
	}
	vals, err := query.Values(v)
	if err != nil {
		return "", err
	}
	return vals.Encode(), nil
}

// isNil reports whether v is nil or a nil pointer, map or slice, so that a typed nil params
// pointer sends no body rather than the JSON literal null.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// drainAndClose reads a little of what is left so the connection can be reused, then closes.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	body.Close()
}

// limitedReader fails with ErrResponseTooLarge instead of silently truncating like
// io.LimitReader, so a cut body is never mistaken for a complete one.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, fmt.Errorf("%w (over %d bytes)", ErrResponseTooLarge, maxResponseBytes)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// checkConfig reports what makes cfg unusable, so that calls fail with a clear error and send
// nothing: no key, a key that cannot travel in a header, or a base URL that is not an absolute
// http(s) URL without query or fragment. The key itself is never put in the error.
func checkConfig(c *ClientConfig) error {
	switch {
	case strings.TrimSpace(c.Key) == "":
		return &InvalidParamError{Param: "Key",
			Reason: "no secret key configured: call clerk.SetKey or set ClientConfig.Key"}
	case strings.ContainsFunc(c.Key, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return &InvalidParamError{Param: "Key",
			Reason: "contains white space or control characters"}
	case strings.ContainsFunc(c.UserAgent, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return &InvalidParamError{Param: "UserAgent", Reason: "contains control characters"}
	}
	u, err := url.Parse(c.BaseURL)
	switch {
	case err != nil:
		return &InvalidParamError{Param: "BaseURL", Reason: "is not a URL: " + err.Error()}
	case u.Scheme != "http" && u.Scheme != "https":
		return &InvalidParamError{Param: "BaseURL", Reason: "must start with https:// or http://"}
	case u.Host == "":
		return &InvalidParamError{Param: "BaseURL", Reason: "has no host"}
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil:
		return &InvalidParamError{Param: "BaseURL",
			Reason: "must not carry a query, a fragment or credentials"}
	}
	return nil
}
