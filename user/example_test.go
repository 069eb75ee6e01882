package user_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/user"
)

// fakeAPI stands in for the Backend API so that the examples run without a network: it
// knows five users, newest first, and serves GET /v1/users/{id} and GET /v1/users with
// limit and starting_after.
func fakeAPI() *httptest.Server {
	ids := []string{"user_5", "user_4", "user_3", "user_2", "user_1"}
	userJSON := func(id string) map[string]any {
		return map[string]any{"id": id, "object": "user", "first_name": "Ada",
			"public_metadata": map[string]any{}}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for _, id := range ids {
			if id == r.PathValue("id") {
				_ = json.NewEncoder(w).Encode(userJSON(id))
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"errors":[{"code":"resource_not_found","message":"not found",`+
			`"long_message":"Resource not found"}]}`)
	})
	mux.HandleFunc("GET /v1/users", func(w http.ResponseWriter, r *http.Request) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		start := 0
		for i, id := range ids {
			if id == r.URL.Query().Get("starting_after") {
				start = i + 1
			}
		}
		page := []map[string]any{}
		for _, id := range ids[start:min(start+limit, len(ids))] {
			page = append(page, userJSON(id))
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(page)
	})
	return httptest.NewServer(mux)
}

func Example() {
	api := fakeAPI()
	defer api.Close()
	ctx := context.Background()

	// Programs usually call clerk.SetKey once and then user.Get; a client built from a
	// configuration works the same way.
	client := user.NewClient(&clerk.ClientConfig{Key: "sk_test_example", BaseURL: api.URL + "/v1"})

	u, err := client.Get(ctx, "user_3")
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(u.ID, *u.FirstName)

	_, err = client.Get(ctx, "user_9")
	fmt.Println("not found:", errors.Is(err, clerk.ErrNotFound))
	// Output:
	// user_3 Ada
	// not found: true
}

func ExampleClient_All() {
	api := fakeAPI()
	defer api.Close()
	client := user.NewClient(&clerk.ClientConfig{Key: "sk_test_example", BaseURL: api.URL + "/v1"})

	// Pages of two users, each asked for after the last user of the one before.
	for u, err := range client.All(context.Background(), &user.ListParams{Limit: clerk.Int64(2)}) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(u.ID)
	}
	// Output:
	// user_5
	// user_4
	// user_3
	// user_2
	// user_1
}
