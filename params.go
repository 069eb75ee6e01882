package clerk

import (
	"net/url"
	"strings"
)

// JoinPath joins path segments, escaping each so that it stays one segment: "/", "?", "#" and
// "%" are escaped, and a segment of only dots ("." or "..") is escaped too, so that no server or
// proxy on the way can resolve it against the segments before it.
func JoinPath(segments ...string) string {
	var sb strings.Builder
	for i, s := range segments {
		if i > 0 {
			sb.WriteByte('/')
		}
		if s == "." || s == ".." {
			sb.WriteString(strings.Repeat("%2E", len(s)))
			continue
		}
		sb.WriteString(url.PathEscape(s))
	}
	return sb.String()
}

// RequireID returns an *InvalidParamError naming param when id is empty or only white space,
// so that a missing ID is caught before a request (which could otherwise reach a list or
// collection endpoint).
func RequireID(param, id string) error {
	if id == "" {
		return &InvalidParamError{Param: param, Reason: "must not be empty"}
	}
	if strings.TrimSpace(id) == "" {
		return &InvalidParamError{Param: param, Reason: "must not be only white space"}
	}
	return nil
}
