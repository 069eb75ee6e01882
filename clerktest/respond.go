package clerktest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// Bounds on request bodies, so that a broken client cannot make the server hold unbounded
// memory: JSON parameters are small, a profile image may be a few megabytes.
const (
	maxJSONBody      = 1 << 20
	maxMultipartBody = 10 << 20
)

// apiError is a failed request as the API reports it. Handlers return it as an error and
// fail writes it.
type apiError struct {
	status      int
	code        string
	message     string
	longMessage string
	meta        map[string]any
}

func (e *apiError) Error() string { return e.code + ": " + e.longMessage }

// errNotFound is the answer for an ID that names nothing.
func errNotFound(what string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "resource_not_found",
		message: "not found", longMessage: what + " not found"}
}

// errParam is a 422 about one parameter, named in meta.param_name as the API does.
func errParam(code, param, longMessage string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: code,
		message: "is invalid", longMessage: longMessage,
		meta: map[string]any{"param_name": param}}
}

// errBadRequest is a 400 for a request the endpoint cannot act on.
func errBadRequest(code, longMessage string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code,
		message: "bad request", longMessage: longMessage}
}

// writeJSON writes v as the JSON body of a response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_clerk_error",
			"internal error", "The response could not be encoded: "+err.Error(), nil)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that went away has no use for the error
}

// writeError writes Clerk's error document: one entry with code, message, long_message and,
// when given, meta, plus a trace ID as the API adds to every error.
func writeError(w http.ResponseWriter, status int, code, message, longMessage string,
	meta map[string]any) {
	type entry struct {
		Message     string         `json:"message"`
		LongMessage string         `json:"long_message"`
		Code        string         `json:"code"`
		Meta        map[string]any `json:"meta,omitempty"`
	}
	body, _ := json.Marshal(struct {
		Errors  []entry `json:"errors"`
		TraceID string  `json:"clerk_trace_id"`
	}{
		Errors:  []entry{{Message: message, LongMessage: longMessage, Code: code, Meta: meta}},
		TraceID: traceID(),
	})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that went away has no use for the error
}

// fail writes err: an *apiError as the API would, anything else as a 500.
func fail(w http.ResponseWriter, err error) {
	var e *apiError
	if errors.As(err, &e) {
		writeError(w, e.status, e.code, e.message, e.longMessage, e.meta)
		return
	}
	writeError(w, http.StatusInternalServerError, "internal_clerk_error", "internal error",
		err.Error(), nil)
}

func traceID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// decodeBody reads the JSON object in r's body into dst, a pointer to a struct whose json tags
// name every parameter the endpoint accepts. An empty body counts as {}. It reports a body that
// is not a JSON object (400), a parameter the endpoint does not know (422
// form_param_unknown), a value of the wrong type (422 form_param_format_invalid) and a body
// over maxJSONBody (413).
func decodeBody(w http.ResponseWriter, r *http.Request, dst any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		return bodyReadError(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}

	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return errBadRequest("malformed_request", "The request body must be a JSON object.")
	}
	known := jsonNames(dst)
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !known[name] {
			return errParam("form_param_unknown", name, name+" is not a valid parameter "+
				"for this request.")
		}
	}

	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			param, _, _ := strings.Cut(te.Field, ".")
			return errParam("form_param_format_invalid", param, param+" must be a "+
				jsonTypeName(te.Type)+".")
		}
		return errBadRequest("malformed_request", "The request body could not be read: "+
			err.Error())
	}
	return nil
}

// asBadRequest turns a 422 about the parameters into a 400, for endpoints whose description has
// only 400 for bad input.
func asBadRequest(err error) error {
	var e *apiError
	if errors.As(err, &e) && e.status == http.StatusUnprocessableEntity {
		out := *e
		out.status = http.StatusBadRequest
		return &out
	}
	return err
}

// bodyReadError maps a failed body read to the API's answer.
func bodyReadError(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{status: http.StatusRequestEntityTooLarge,
			code: "request_body_too_large", message: "request body too large",
			longMessage: "The request body is larger than this endpoint accepts."}
	}
	return errBadRequest("malformed_request", "The request body could not be read.")
}

// jsonNames returns the JSON names of the fields of the struct dst points to.
func jsonNames(dst any) map[string]bool {
	t := reflect.TypeOf(dst).Elem()
	names := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names[name] = true
		}
	}
	return names
}

// jsonTypeName names the JSON type that a Go type decodes from, for error messages.
func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "list"
	default:
		return "JSON object"
	}
}

// opt is a body parameter that tells apart a missing key, an explicit null and a value, for
// updates where null clears a field and a missing key leaves it alone.
type opt[T any] struct {
	set  bool
	null bool
	val  T
}

// UnmarshalJSON records that the key was present, and whether it was null.
func (o *opt[T]) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.null = true
		return nil
	}
	return json.Unmarshal(b, &o.val)
}

// ptr returns nil for null, else a pointer to the value; only meaningful when set.
func (o opt[T]) ptr() *T {
	if o.null {
		return nil
	}
	v := o.val
	return &v
}

// ptrIfSet returns nil when the key was missing or null, else a pointer to the value.
func (o opt[T]) ptrIfSet() *T {
	if !o.set {
		return nil
	}
	return o.ptr()
}
