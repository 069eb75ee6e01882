package clerktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMergeMetadata(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, current, patch, want string
	}{
		{"add a key", `{"a":1}`, `{"b":2}`, `{"a":1,"b":2}`},
		{"replace a value", `{"a":1}`, `{"a":"x"}`, `{"a":"x"}`},
		{"null removes a key", `{"a":1,"b":2}`, `{"a":null}`, `{"b":2}`},
		{"null for a missing key", `{"a":1}`, `{"z":null}`, `{"a":1}`},
		{"objects merge deeply", `{"a":{"b":{"c":1,"d":2},"e":3}}`, `{"a":{"b":{"c":9}}}`,
			`{"a":{"b":{"c":9,"d":2},"e":3}}`},
		{"null removes a nested key", `{"a":{"b":1,"c":2}}`, `{"a":{"b":null}}`, `{"a":{"c":2}}`},
		{"arrays are replaced, not merged", `{"a":[1,2,3]}`, `{"a":[4]}`, `{"a":[4]}`},
		{"an object replaces a scalar", `{"a":1}`, `{"a":{"b":1,"c":null}}`, `{"a":{"b":1}}`},
		{"a scalar replaces an object", `{"a":{"b":1}}`, `{"a":true}`, `{"a":true}`},
		{"empty patch", `{"a":1}`, `{}`, `{"a":1}`},
		{"into empty", `{}`, `{"a":{"b":[1,{"c":null}]}}`, `{"a":{"b":[1,{"c":null}]}}`},
		{"big numbers stay exact", `{}`, `{"n":12345678901234567890}`,
			`{"n":12345678901234567890}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := mergeMetadata("public_metadata", json.RawMessage(tt.current),
				json.RawMessage(tt.patch))
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
			if tt.name == "big numbers stay exact" {
				assert.Contains(t, string(got), "12345678901234567890")
			}
		})
	}
	for _, patch := range []string{`null`, `[1]`, `"s"`, `{`} {
		_, err := mergeMetadata("public_metadata", json.RawMessage(`{}`), json.RawMessage(patch))
		assert.Error(t, err, "patch %s", patch)
	}
}

func TestMetadataEndpoints(t *testing.T) {
	t.Parallel()
	s := start(t)
	u := create(t, s, map[string]any{
		"public_metadata":  map[string]any{"plan": "free", "prefs": map[string]any{"a": 1, "b": 2}},
		"private_metadata": map[string]any{"secret": "s"},
		"unsafe_metadata":  map[string]any{"theme": "light"},
	})
	path := "/users/" + u.ID + "/metadata"

	got := ok[*clerk.User](t, do(t, s, http.MethodPatch, path, map[string]any{
		"public_metadata": map[string]any{"plan": "pro", "prefs": map[string]any{"a": nil, "c": 3}},
	}))
	assert.JSONEq(t, `{"plan":"pro","prefs":{"b":2,"c":3}}`, string(got.PublicMetadata))
	assert.JSONEq(t, `{"secret":"s"}`, string(got.PrivateMetadata), "left-out metadata changed")
	assert.JSONEq(t, `{"theme":"light"}`, string(got.UnsafeMetadata))

	got = ok[*clerk.User](t, do(t, s, http.MethodPut, path, map[string]any{
		"public_metadata": map[string]any{"only": true},
		"unsafe_metadata": map[string]any{},
	}))
	assert.JSONEq(t, `{"only":true}`, string(got.PublicMetadata))
	assert.JSONEq(t, `{"secret":"s"}`, string(got.PrivateMetadata))
	assert.JSONEq(t, `{}`, string(got.UnsafeMetadata))

	stored := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+u.ID, nil))
	assert.Equal(t, got, stored)

	for _, method := range []string{http.MethodPatch, http.MethodPut} {
		t.Run(method, func(t *testing.T) {
			for name, body := range map[string]string{
				"null":       `{"public_metadata":null}`,
				"array":      `{"private_metadata":[1]}`,
				"string":     `{"unsafe_metadata":"x"}`,
				"unknown":    `{"other_metadata":{}}`,
				"not object": `[]`,
				"second bad": `{"public_metadata":{"half":"done"},"private_metadata":[1]}`,
			} {
				r := do(t, s, method, path, body)
				assert.Contains(t, []int{400, 422}, r.status, "%s: body %s", name, r.body)
			}
			failed(t, do(t, s, method, "/users/user_missing/metadata", map[string]any{}),
				http.StatusNotFound, "resource_not_found")
		})
	}
	after := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+u.ID, nil))
	assert.Equal(t, stored, after, "a refused metadata change changed the user")
}

func TestMetadataMergeIsAtomic(t *testing.T) {
	t.Parallel()
	s := start(t)
	u := create(t, s, map[string]any{})
	const n = 40

	errs := make(chan error, n)
	for i := range n {
		go func() {
			body := fmt.Sprintf(`{"private_metadata":{"k%02d":%d,"nested":{"k%02d":true}}}`, i, i, i)
			r, err := send(s, s.Key(), http.MethodPatch, "/users/"+u.ID+"/metadata", body)
			if err != nil {
				errs <- err
				return
			}
			if r.status != http.StatusOK {
				errs <- fmt.Errorf("got status %d, want 200: %s", r.status, r.body)
				return
			}
			errs <- nil
		}()
	}
	for range n {
		require.NoError(t, <-errs)
	}

	got := ok[*clerk.User](t, do(t, s, http.MethodGet, "/users/"+u.ID, nil))
	var meta struct {
		Nested map[string]bool `json:"nested"`
	}
	var all map[string]any
	require.NoError(t, json.Unmarshal(got.PrivateMetadata, &meta))
	require.NoError(t, json.Unmarshal(got.PrivateMetadata, &all))
	assert.Len(t, all, n+1, "a concurrent merge lost a key")
	assert.Len(t, meta.Nested, n, "a concurrent merge lost a nested key")
}
