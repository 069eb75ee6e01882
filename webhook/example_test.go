package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/webhook"
)

// The delivery is made with Sign, standing in for Clerk, and at a fixed time so the output
// does not depend on the clock.
func Example() {
	sentAt := time.Unix(1_654_012_592, 0)
	v, err := webhook.NewVerifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		webhook.WithClock(func() time.Time { return sentAt.Add(30 * time.Second) }))
	if err != nil {
		fmt.Println(err)
		return
	}

	body := `{"object":"event","type":"user.created","timestamp":1654012591835,` +
		`"data":{"object":"user","id":"user_29w83sxmDNGwOuEthce5gg56FcC","first_name":"Ada"}}`
	req := httptest.NewRequest(http.MethodPost, "/webhooks/clerk", strings.NewReader(body))
	req.Header.Set("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	req.Header.Set("svix-timestamp", strconv.FormatInt(sentAt.Unix(), 10))
	req.Header.Set("svix-signature", v.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", sentAt, []byte(body)))

	h := webhook.Handler(v, func(ctx context.Context, e *webhook.Event) error {
		data, err := e.Decode()
		if err != nil {
			return err
		}
		switch d := data.(type) {
		case *clerk.User:
			fmt.Println(e.Type, d.ID, *d.FirstName)
		case *clerk.DeletedObject:
			fmt.Println(e.Type, d.ID)
		}
		return nil
	})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println("status", w.Code)

	// The same delivery replayed an hour later is refused.
	late, _ := webhook.NewVerifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		webhook.WithClock(func() time.Time { return sentAt.Add(time.Hour) }))
	_, err = late.Verify(req.Header, []byte(body))
	fmt.Println(err)

	// Output:
	// user.created user_29w83sxmDNGwOuEthce5gg56FcC Ada
	// status 204
	// webhook: timestamp too old: signed at 1654012592, more than 5m0s ago
}
