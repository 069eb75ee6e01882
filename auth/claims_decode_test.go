package auth

import (
	"encoding/json"
	"reflect"
	"testing"

	josejson "github.com/go-jose/go-jose/v4/json"
)

// decodeTwice is how Verify decoded a payload before it took the named claims from one decode
// by name: into tokenClaims, then by name.
func decodeTwice(payload []byte) (tokenClaims, map[string]json.RawMessage, error) {
	var c tokenClaims
	var all map[string]json.RawMessage
	if err := josejson.Unmarshal(payload, &c); err != nil {
		return c, nil, err
	}
	err := josejson.Unmarshal(payload, &all)
	return c, all, err
}

// decodeOnce is how Verify decodes a payload now, before any fall back to decodeTwice.
func decodeOnce(payload []byte) (tokenClaims, map[string]json.RawMessage, error) {
	var c tokenClaims
	var all map[string]json.RawMessage
	if err := josejson.Unmarshal(payload, &all); err != nil {
		return c, nil, err
	}
	return c, all, c.fromNamed(all)
}

// checkSameDecode fails t when decodeOnce gives another value than decodeTwice, or succeeds
// where decodeTwice fails. (Where decodeOnce fails, Verify falls back to decodeTwice.)
func checkSameDecode(t *testing.T, payload []byte) {
	t.Helper()
	c2, all2, err2 := decodeTwice(payload)
	c1, all1, err1 := decodeOnce(payload)
	if err1 != nil {
		return
	}
	if err2 != nil {
		t.Fatalf("payload %q: got no error from one decode, want %v as from two", payload, err2)
	}
	if !reflect.DeepEqual(c1, c2) {
		t.Fatalf("payload %q: got claims %+v, want %+v", payload, c1, c2)
	}
	if !reflect.DeepEqual(all1, all2) {
		t.Fatalf("payload %q: got claims by name %v, want %v", payload, all1, all2)
	}
}

var claimPayloads = []string{
	`{"azp":"https://app.example.com","exp":1700003600,"fva":[2,-1],"iat":1700000000,` +
		`"iss":"https://clerk.example.com","jti":"7a0a","nbf":1699999995,"sid":"sess_1",` +
		`"sub":"user_1","v":2}`,
	`{"sub":"user_1","exp":1700003600,"org_id":"org_1","org_role":"org:admin",` +
		`"org_slug":"acme","org_permissions":["org:a","org:b"],"act":{"sub":"user_2"}}`,
	`{"sub":"us\u0065r_1","sid":"s\"q","iss":"caf\u00e9","azp":"\ud83d\ude00"}`,
	"{\"sub\":\"\xff\xfe\",\"sid\":\"ok\"}",
	"{\"sub\":\"caf\xc3\xa9\",\"iss\":\"\xed\xa0\x80\"}",
	`{"sub":null,"exp":null,"nbf":null,"iat":null,"org_permissions":null,"act":null}`,
	`{"exp":1.7e9,"nbf":1700000000.5,"iat":-1}`,
	`{"exp":"1700003600"}`,
	`{"exp":{}}`,
	`{"exp":[1]}`,
	`{"exp":true}`,
	`{"sub":7}`,
	`{"sub":["a"]}`,
	`{"org_permissions":"org:a"}`,
	`{"org_permissions":[1]}`,
	`{"act":"x"}`,
	`{"sub":"a","sub":"b"}`,
	`{"SUB":"a","Exp":1}`,
	`{}`,
	`null`,
	`[]`,
	`"sub"`,
	`1`,
	`{"sub":"a"`,
	``,
	`{"sub":"a"} x`,
	` { "sub" : "a" , "exp" : 1700000000 } `,
}

func TestFromNamedDecodesAsTheWholePayload(t *testing.T) {
	t.Parallel()
	for _, p := range claimPayloads {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			checkSameDecode(t, []byte(p))
		})
	}
}

func FuzzFromNamedDecodesAsTheWholePayload(f *testing.F) {
	for _, p := range claimPayloads {
		f.Add([]byte(p))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkSameDecode(t, payload)
	})
}
