package clerktest

import (
	"bytes"
	"encoding/json"
)

// decodeObject parses raw as a JSON object, keeping numbers exactly as written. A missing
// value counts as an empty object; null is not an object.
func decodeObject(raw json.RawMessage) (map[string]any, bool) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, true
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
		return nil, false
	}
	return obj, true
}

// isNull reports whether raw is missing or the JSON null, as an unset json.RawMessage field
// becomes after a round trip through JSON.
func isNull(raw json.RawMessage) bool {
	trimmed := bytes.TrimSpace(raw)
	return len(trimmed) == 0 || string(trimmed) == "null"
}

// metadataValue checks that raw, a metadata parameter named param, is a JSON object and
// returns it compacted; a missing value means {}.
func metadataValue(param string, raw json.RawMessage) (json.RawMessage, error) {
	obj, ok := decodeObject(raw)
	if !ok {
		return nil, errParam("form_param_format_invalid", param, param+" must be a JSON object.")
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, errParam("form_param_format_invalid", param, param+" must be a JSON object.")
	}
	return out, nil
}

// mergeMetadata merges patch into current the way PATCH /users/{id}/metadata does, which is
// JSON Merge Patch (RFC 7386): objects merge key by key at every depth, a null removes its key,
// and any other value replaces what was there. The patch itself must be an object.
func mergeMetadata(param string, current, patch json.RawMessage) (json.RawMessage, error) {
	p, ok := decodeObject(patch)
	if !ok {
		return nil, errParam("form_param_format_invalid", param, param+" must be a JSON object.")
	}
	cur, ok := decodeObject(current)
	if !ok {
		cur = map[string]any{}
	}
	out, err := json.Marshal(mergeObjects(cur, p))
	if err != nil {
		return nil, errParam("form_param_format_invalid", param, param+" must be a JSON object.")
	}
	return out, nil
}

// mergeObjects applies patch to target in place and returns it.
func mergeObjects(target, patch map[string]any) map[string]any {
	for key, value := range patch {
		if value == nil {
			delete(target, key)
			continue
		}
		sub, isObject := value.(map[string]any)
		if !isObject {
			target[key] = value
			continue
		}
		existing, _ := target[key].(map[string]any)
		if existing == nil {
			existing = map[string]any{}
		}
		target[key] = mergeObjects(existing, sub)
	}
	return target
}
