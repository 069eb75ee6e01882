package clerk

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// callState follows one call through its attempts. It rides in the request's context because
// retryablehttp's hooks see the context but not the call.
type callState struct {
	method string
	// path is the request path below the base URL, without its leading slash (urlPath adds
	// it only when a log line or an error needs it).
	path    string
	attempt int // 1-based number of the attempt under way
	// wrote is set once any part of the current attempt reached the connection; a request that
	// never did may be sent again whatever its method.
	wrote atomic.Bool

	// expectBody is set when a successful body is to be decoded: readBody then runs after each
	// attempt's response, and bodyRead tells checkRetry's two looks at one attempt apart.
	expectBody bool
	bodyRead   bool
	// buf holds the body read ahead (pooled), lr the limit left for streaming the rest, and
	// bodyErr is nil when buf is the whole body, errReadAhead when more is to come.
	buf     *[]byte
	lr      limitedReader
	bodyErr error
}

type callKey struct{}

// urlPath is the path as errors and log lines show it.
func (c *callState) urlPath() string { return "/" + c.path }

func callFrom(ctx context.Context) *callState {
	c, _ := ctx.Value(callKey{}).(*callState)
	return c
}

// withWriteTrace marks call.wrote when the transport writes the request headers.
func withWriteTrace(ctx context.Context, call *callState) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaders: func() { call.wrote.Store(true) },
	})
}

// startAttempt runs before every attempt (retryablehttp's request hook).
func startAttempt(_ retryablehttp.Logger, req *http.Request, i int) {
	if c := callFrom(req.Context()); c != nil {
		c.attempt = i + 1
		c.wrote.Store(false)
		c.bodyRead = false
	}
}

// noBackoff leaves the wait to checkRetry, which knows the call and honours the context and
// the test clock; retryablehttp's own Backoff sees neither when the attempt failed to connect.
func noBackoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 0 }

// idempotent reports whether sending the request twice is harmless. POST and PATCH are not:
// the API has no idempotency key, and a second create would make a second user.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// checkRetry decides, after each attempt, whether to send the request again; when it does, it
// also waits, so the wait can be logged, capped and cut short by the context.
func (b *Backend) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	call := callFrom(ctx)
	if call == nil {
		return false, nil
	}
	retry := false
	switch {
	case err != nil:
		if ctx.Err() != nil {
			b.logAttempt(ctx, call, resp, err, -1)
			return false, nil
		}
		retry = !permanent(err) && (idempotent(call.method) || !call.wrote.Load())
	case resp.StatusCode == http.StatusTooManyRequests:
		// A refused request was not carried out, so any method may be sent again.
		retry = true
	case resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusServiceUnavailable,
		resp.StatusCode == http.StatusGatewayTimeout:
		retry = idempotent(call.method)
	}
	if !retry || call.attempt > b.cfg.MaxRetries {
		if err == nil && call.expectBody && !call.bodyRead {
			// readBody runs next and this attempt is judged (and logged) once more after it.
			return false, nil
		}
		b.logAttempt(ctx, call, resp, err, -1)
		return false, nil
	}

	wait := b.backoff(call.attempt, resp)
	b.logAttempt(ctx, call, resp, err, wait)
	if serr := b.sleep(ctx, wait); serr != nil {
		return false, serr
	}
	return true, nil
}

// permanent reports errors that another attempt cannot cure: a bad URL or certificate, a
// header that can never be sent (a key read from a file with its newline), a redirect loop.
func permanent(err error) bool {
	var certErr *tls.CertificateVerificationError
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &authErr) || errors.As(err, &hostErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "invalid header field") ||
		strings.Contains(msg, "stopped after") // too many redirects
}

// backoff returns the wait before attempt+1: the server's Retry-After when it gave one, else
// exponential from RetryWaitMin with jitter; never more than RetryWaitMax.
func (b *Backend) backoff(attempt int, resp *http.Response) time.Duration {
	lo, hi := b.cfg.RetryWaitMin, b.cfg.RetryWaitMax
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), b.now()); ok {
			return min(d, hi)
		}
	}
	d := lo
	for i := 1; i < attempt && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	// Full jitter over the upper half keeps many clients that failed together from coming
	// back together, while never waiting less than half the step.
	if half := d / 2; half > 0 {
		d = half + rand.N(half+1)
	}
	return max(d, lo)
}

// parseRetryAfter reads a Retry-After value in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// sleepContext waits for d or until ctx is done, whichever comes first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// logAttempt writes one line for an attempt; wait is negative when no retry follows.
func (b *Backend) logAttempt(ctx context.Context, call *callState, resp *http.Response,
	err error, wait time.Duration) {
	log := b.cfg.Logger
	if log == nil {
		return
	}
	attrs := make([]slog.Attr, 0, 5)
	attrs = append(attrs, slog.String("method", call.method),
		slog.String("path", call.urlPath()))
	level := slog.LevelDebug
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
		level = slog.LevelWarn
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if resp.StatusCode >= 400 {
			level = slog.LevelWarn
		}
	}
	attrs = append(attrs, slog.Int("attempt", call.attempt))
	msg := "clerk request"
	if wait >= 0 {
		attrs = append(attrs, slog.Duration("wait", wait))
		msg = "clerk request, retrying"
	}
	log.LogAttrs(ctx, level, msg, attrs...)
}
