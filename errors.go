package clerk

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors matched by errors.Is against an *APIError with the corresponding status.
var (
	ErrNotFound      = errors.New("clerk: not found")            // 404
	ErrUnauthorized  = errors.New("clerk: unauthorized")         // 401
	ErrForbidden     = errors.New("clerk: forbidden")            // 403
	ErrConflict      = errors.New("clerk: conflict")             // 409
	ErrUnprocessable = errors.New("clerk: unprocessable entity") // 422
	ErrRateLimited   = errors.New("clerk: rate limited")         // 429
)

// Error is one entry of the errors list the API returns with a failed request.
type Error struct {
	// Code is a stable machine-readable code such as "resource_not_found".
	Code string `json:"code"`
	// Message is a short human-readable summary.
	Message string `json:"message"`
	// LongMessage explains the error in more detail.
	LongMessage string `json:"long_message"`
	// Meta holds details such as the name of the offending parameter, when the API gives them.
	Meta json.RawMessage `json:"meta,omitempty"`
}

// APIError is returned for every response with status 400 or above, whatever its body. When
// the body is Clerk's JSON error document, Errors and TraceID are filled from it; otherwise (an
// HTML page from a proxy, an empty body) Body holds a short excerpt of what came back.
//
// Match the common cases with errors.Is, for example errors.Is(err, clerk.ErrNotFound), and use
// errors.As to read the details.
type APIError struct {
	// HTTPStatusCode is the status of the response.
	HTTPStatusCode int
	// Errors lists what the API reported, most important first. It may be empty.
	Errors []Error
	// TraceID identifies the request in Clerk's logs, from the body's clerk_trace_id or the
	// Clerk-Trace-Id header.
	TraceID string
	// RetryAfter is how long the server asked callers to wait (Retry-After), or zero.
	RetryAfter time.Duration
	// Body is an excerpt of the response body when it is not Clerk's JSON error document.
	Body string
	// Method and Path name the request that failed (the path without the base URL or query).
	Method string
	Path   string
}

// Error describes the failure in one line: the request, the status, and the first API error.
func (e *APIError) Error() string {
	var sb strings.Builder
	sb.WriteString("clerk: ")
	if e.Method != "" {
		sb.WriteString(e.Method + " " + e.Path + ": ")
	}
	fmt.Fprintf(&sb, "%d %s", e.HTTPStatusCode, http.StatusText(e.HTTPStatusCode))
	if len(e.Errors) > 0 {
		first := e.Errors[0]
		sb.WriteString(": ")
		if first.Code != "" {
			sb.WriteString(first.Code + ": ")
		}
		msg := first.LongMessage
		if msg == "" {
			msg = first.Message
		}
		sb.WriteString(msg)
		if n := len(e.Errors) - 1; n > 0 {
			fmt.Fprintf(&sb, " (and %d more)", n)
		}
	} else if e.Body != "" {
		fmt.Fprintf(&sb, ": %q", e.Body)
	}
	if e.TraceID != "" {
		sb.WriteString(" (trace " + e.TraceID + ")")
	}
	return sb.String()
}

// Is reports whether target is the sentinel for e's status, such as ErrNotFound for 404.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.HTTPStatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.HTTPStatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.HTTPStatusCode == http.StatusForbidden
	case ErrConflict:
		return e.HTTPStatusCode == http.StatusConflict
	case ErrUnprocessable:
		return e.HTTPStatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.HTTPStatusCode == http.StatusTooManyRequests
	}
	return false
}

// HasCode reports whether any of the API's errors carries code, such as "form_identifier_exists".
func (e *APIError) HasCode(code string) bool {
	for _, item := range e.Errors {
		if item.Code == code {
			return true
		}
	}
	return false
}

// ErrInvalidParam is matched by errors.Is against every *InvalidParamError.
var ErrInvalidParam = errors.New("clerk: invalid parameter")

// InvalidParamError reports bad input caught before any request was sent: an empty ID, a
// missing required parameter, an out-of-range limit. No request is sent when it is returned.
type InvalidParamError struct {
	// Param names the parameter, as the API spells it (for example "user_id" or "limit").
	Param string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the parameter and what is wrong with it.
func (e *InvalidParamError) Error() string {
	return "clerk: invalid parameter " + e.Param + ": " + e.Reason
}

// Is makes errors.Is(err, ErrInvalidParam) hold for every InvalidParamError.
func (e *InvalidParamError) Is(target error) bool { return target == ErrInvalidParam }

// maxErrorExcerpt bounds Body in an APIError: enough to recognise a proxy's page, never a dump.
const maxErrorExcerpt = 512

// newAPIError builds the error for a response with status >= 400 from its (bounded) body.
func newAPIError(method, path string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, HTTPStatusCode: status}
	var doc struct {
		Errors  []Error `json:"errors"`
		TraceID string  `json:"clerk_trace_id"`
	}
	if json.Unmarshal(body, &doc) == nil && doc.Errors != nil {
		e.Errors = doc.Errors
		e.TraceID = doc.TraceID
	} else {
		e.Body = excerpt(body)
	}
	if e.TraceID == "" {
		e.TraceID = header.Get("Clerk-Trace-Id")
	}
	e.RetryAfter, _ = parseRetryAfter(header.Get("Retry-After"), time.Now())
	return e
}

// excerpt returns the start of body as valid UTF-8 text, cut to maxErrorExcerpt bytes.
func excerpt(body []byte) string {
	// Invalid bytes are replaced before the cut: each becomes three, so replacing them after
	// it could make the excerpt of a short binary body three times the bound.
	s := strings.ToValidUTF8(strings.TrimSpace(string(body)), "\uFFFD")
	if len(s) > maxErrorExcerpt {
		s = strings.ToValidUTF8(s[:maxErrorExcerpt], "") + "..."
	}
	return s
}
