package phonenumber_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/jarcoal/httpmock"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/phonenumber"
)

// Example_verifyCode sends a code to a phone number and checks two codes the user typed: a
// wrong one, which is an answer and not an error, and the right one.
func Example_verifyCode() {
	ctx := context.Background()
	// In a program: phonenumber.NewClient(&clerk.ClientConfig{Key: key}), or the
	// package-level functions after clerk.SetKey.
	c := phonenumber.NewClient(recordedAPI())
	const numberID = "idn_2gracePhone0001"

	v, err := c.PrepareVerification(ctx, numberID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("code sent:", v.ID, v.Status)

	for _, code := range []string{"000000", "424242"} {
		v, err := c.AttemptVerification(ctx, numberID, &phonenumber.AttemptVerificationParams{
			VerificationID: clerk.String(v.ID),
			Code:           clerk.String(code),
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("code %s: %s (verified: %t)\n", code, v.Status, v.Verified())
	}
	// Output:
	// code sent: ver_2graceCode0001 unverified
	// code 000000: failed (verified: false)
	// code 424242: verified (verified: true)
}

// recordedAPI returns a configuration whose requests are answered from the recorded
// exchanges in testdata, each by the exchange whose request it matches.
func recordedAPI() *clerk.ClientConfig {
	names := []string{
		"prepare_verification.json",
		"attempt_verification.json",
		"attempt_verification_wrong_code.json",
	}
	var fixtures []fixture
	for _, name := range names {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			panic(err)
		}
		var f fixture
		if err := json.Unmarshal(raw, &f); err != nil {
			panic(err)
		}
		fixtures = append(fixtures, f)
	}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
		}
		for _, f := range fixtures {
			if f.Request.Method == req.Method && f.Request.Path == req.URL.EscapedPath() &&
				sameJSON(f.Request.Body, body) {
				return httpmock.NewBytesResponse(f.Response.Status, f.Response.Body), nil
			}
		}
		return httpmock.NewStringResponse(http.StatusNotFound, `{"errors":[]}`), nil
	})
	return mockConfig(mt)
}

// sameJSON reports whether a and b hold the same JSON value, or are both empty.
func sameJSON(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	ca, _ := json.Marshal(va)
	cb, _ := json.Marshal(vb)
	return bytes.Equal(ca, cb)
}
