// Package webhook verifies and decodes the webhook deliveries a Clerk instance sends when
// something changes, such as a user signing up or a session ending.
//
// Each delivery is signed with the endpoint's signing secret (the "whsec_..." value of the
// endpoint in the Clerk Dashboard): the svix-signature header holds an HMAC-SHA256 of the
// svix-id header, the svix-timestamp header and the body. A Verifier checks that signature and
// that the timestamp is recent (five minutes either way by default), so a forged or replayed
// delivery is refused. Handler wraps a Verifier for net/http:
//
//	v, err := webhook.NewVerifier(os.Getenv("CLERK_WEBHOOK_SIGNING_SECRET"))
//	if err != nil {
//		log.Fatal(err) // the secret is malformed; the error does not contain it
//	}
//	http.Handle("POST /webhooks/clerk", webhook.Handler(v,
//		func(ctx context.Context, e *webhook.Event) error {
//			data, err := e.Decode()
//			if err != nil {
//				return err
//			}
//			switch d := data.(type) {
//			case *clerk.User:
//				return saveUser(ctx, d)
//			case *clerk.DeletedObject:
//				return forgetUser(ctx, d.ID)
//			}
//			return nil // an event this application does not use
//		}))
//
// A handler that returns an error makes Handler answer 500, and Clerk delivers the event again
// later with the same Event.ID; a handler should therefore tolerate seeing an event twice.
//
// Event.Decode picks the Go type from the object the event carries: *clerk.User for
// user.created and user.updated, *clerk.DeletedObject for user.deleted and the other deletions
// that send only the deleted object's ID, *clerk.Session for session events, *Email and
// *SMSMessage for email.created and sms.created.
// Events of other types (organizations, roles, billing, ...) verify the same way and decode
// to json.RawMessage, so a new kind of event never breaks a receiver. The accessors User,
// Session, DeletedObject, Email and SMSMessage decode one type and fail with
// ErrUnexpectedData on any other.
//
// Programs that read the request themselves call Verify with the headers and the raw body,
// exactly as received: re-encoded JSON does not verify. Every failure wraps a sentinel error
// for errors.Is, such as ErrNoMatchingSignature or ErrTimestampTooOld. Verifier.Sign makes
// the signature header for a delivery, for servers and tests that send events.
package webhook
