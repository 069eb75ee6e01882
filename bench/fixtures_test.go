package bench

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestServerAnswers records what the benchmark server answers, as fixtures, and has the API
// description's checker validate them, so the benchmarks decode bodies the real API could
// send. It is skipped when the checker is not beside the checkout.
func TestServerAnswers(t *testing.T) {
	t.Parallel()
	checker := os.Getenv("SHARED_DIR")
	if checker == "" {
		checker = filepath.Join("..", "..", "shared")
	}
	checker = filepath.Join(checker, "tools", "contract.sh")
	if _, err := os.Stat(checker); err != nil {
		t.Skipf("no contract checker: %v", err)
	}

	s := newAPIServer(t, 1000)
	dir := filepath.Join(t.TempDir(), "testdata")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, query string
		wantStatus        int
	}{
		{"get", "/v1/users/" + benchUserID, "", http.StatusOK},
		{"list", "/v1/users", "limit=3", http.StatusOK},
		{"list_cursor", "/v1/users", "limit=2&starting_after=" + userID(997), http.StatusOK},
		{"list_offset", "/v1/users", "limit=2&offset=999", http.StatusOK},
		{"count", "/v1/users/count", "", http.StatusOK},
		{"jwks", "/v1/jwks", "", http.StatusOK},
		{"not_found", "/v1/users/" + userID(1000), "", http.StatusNotFound},
	}
	for i, tt := range tests {
		u := s.srv.URL + tt.path
		if tt.query != "" {
			u += "?" + tt.query
		}
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testKey)
		resp, err := s.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.wantStatus {
			t.Fatalf("%s: got status %d, want %d", tt.name, resp.StatusCode, tt.wantStatus)
		}
		if tt.name == "get" && (len(body) < 2000 || len(body) > 3000) {
			t.Errorf("got a user of %d bytes, want 2 to 3 KB", len(body))
		}
		fixture, err := json.MarshalIndent(map[string]any{
			"request": map[string]any{"method": "GET", "path": tt.path, "query": tt.query},
			"response": map[string]any{
				"status":  resp.StatusCode,
				"headers": map[string]string{"Content-Type": resp.Header.Get("Content-Type")},
				"body":    json.RawMessage(body),
			},
		}, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, strconv.Itoa(i)+"_"+tt.name+".json")
		if err := os.WriteFile(name, fixture, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	cmd := exec.Command(checker, "check", dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("contract check failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
