package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clerkcompat/clerk"
)

// Event types whose data this package decodes into typed values. Deliveries of other types
// (organization.created, role.updated, ...) verify just the same; their Data stays raw JSON.
const (
	EventUserCreated    = "user.created"    // data: clerk.User
	EventUserUpdated    = "user.updated"    // data: clerk.User
	EventUserDeleted    = "user.deleted"    // data: clerk.DeletedObject
	EventSessionCreated = "session.created" // data: clerk.Session
	EventSessionEnded   = "session.ended"   // data: clerk.Session
	EventSessionRemoved = "session.removed" // data: clerk.Session
	EventSessionRevoked = "session.revoked" // data: clerk.Session
	EventEmailCreated   = "email.created"   // data: Email
	EventSMSCreated     = "sms.created"     // data: SMSMessage
)

// ErrUnexpectedData means an accessor such as (*Event).User was called on an event whose data
// is another kind of object, for example User on a user.deleted event.
var ErrUnexpectedData = errors.New("webhook: event data is not the requested type")

// Event is one verified delivery.
type Event struct {
	// ID is the delivery's svix-id header. Retries of one delivery share it, so a receiver can
	// use it to ignore a delivery it has already handled.
	ID string `json:"-"`
	// Type names what happened, such as "user.created" (see the Event... constants).
	Type string `json:"type"`
	// Object is "event".
	Object string `json:"object"`
	// Data is the object the event is about, as sent; decode it with Decode or an accessor.
	Data json.RawMessage `json:"data"`
	// Timestamp is when the event happened, in Unix milliseconds.
	Timestamp int64 `json:"timestamp"`
	// InstanceID is the Clerk instance the event comes from, when the payload names it.
	InstanceID string `json:"instance_id,omitempty"`
	// Attributes describes the request that caused the event, when the payload includes it.
	Attributes *EventAttributes `json:"event_attributes,omitempty"`
}

// EventAttributes describes the circumstances of an event.
type EventAttributes struct {
	// HTTPRequest is the request that caused the event, when one did.
	HTTPRequest *HTTPRequestAttributes `json:"http_request,omitempty"`
}

// HTTPRequestAttributes identifies the client whose request caused an event.
type HTTPRequestAttributes struct {
	// ClientIP is the address the request came from.
	ClientIP string `json:"client_ip"`
	// UserAgent is the request's User-Agent header.
	UserAgent string `json:"user_agent"`
}

// Email is the data of an email.created event: a message Clerk generated for a user. When
// DeliveredByClerk is false, the application is expected to send it itself.
type Email struct {
	// Object is "email".
	Object string `json:"object"`
	ID     string `json:"id"`
	// Slug names the template the message was made from, such as "verification_code".
	Slug *string `json:"slug"`
	// FromEmailName is the local part of the sender's address.
	FromEmailName  string `json:"from_email_name"`
	ToEmailAddress string `json:"to_email_address"`
	// EmailAddressID is the ID of the recipient's email address object, when it has one.
	EmailAddressID *string `json:"email_address_id"`
	UserID         *string `json:"user_id"`
	Subject        string  `json:"subject"`
	// Body is the HTML body; BodyPlain is the plain-text one, when the template has it.
	Body      string  `json:"body"`
	BodyPlain *string `json:"body_plain"`
	// Status is the delivery state, such as "queued".
	Status string `json:"status"`
	// Data holds the values the message's template was rendered with.
	Data             json.RawMessage `json:"data"`
	DeliveredByClerk bool            `json:"delivered_by_clerk"`
}

// SMSMessage is the data of an sms.created event: a text message Clerk generated for a user.
// When DeliveredByClerk is false, the application is expected to send it itself.
type SMSMessage struct {
	// Object is "sms_message".
	Object string `json:"object"`
	ID     string `json:"id"`
	// Slug names the template the message was made from, such as "verification_code".
	Slug            *string `json:"slug"`
	FromPhoneNumber string  `json:"from_phone_number"`
	ToPhoneNumber   string  `json:"to_phone_number"`
	// PhoneNumberID is the ID of the recipient's phone number object, when it has one.
	PhoneNumberID *string `json:"phone_number_id"`
	UserID        *string `json:"user_id"`
	// Message is the text to send.
	Message string `json:"message"`
	// Status is the delivery state, such as "queued".
	Status string `json:"status"`
	// Data holds the values the message's template was rendered with.
	Data             json.RawMessage `json:"data"`
	DeliveredByClerk bool            `json:"delivered_by_clerk"`
}

// dataKind is the kind of object an event's data holds, read from the data itself.
type dataKind int

const (
	kindUnknown dataKind = iota
	kindUser
	kindSession
	kindDeleted
	kindEmail
	kindSMS
)

var kindNames = map[dataKind]string{
	kindUnknown: "an unknown object",
	kindUser:    "a user",
	kindSession: "a session",
	kindDeleted: "a deleted object",
	kindEmail:   "an email",
	kindSMS:     "an SMS message",
}

// kind tells what the event's data holds from the data's own "object" and "deleted" fields
// rather than from the event type. That way a deletion is recognised whatever the type (every
// *.deleted event of a user, organization or domain carries the same small object), and an
// event type added later that carries a known object still decodes.
func (e *Event) kind() dataKind {
	var head struct {
		Object  string `json:"object"`
		Deleted bool   `json:"deleted"`
	}
	if json.Unmarshal(e.Data, &head) != nil {
		return kindUnknown
	}
	if head.Deleted {
		return kindDeleted
	}
	switch head.Object {
	case "user":
		return kindUser
	case "session":
		return kindSession
	case "email":
		return kindEmail
	case "sms_message":
		return kindSMS
	}
	return kindUnknown
}

// Decode decodes Data into the type its object calls for: *clerk.User (user.created,
// user.updated), *clerk.Session (session.*), *clerk.DeletedObject (user.deleted and other
// deletions), *Email (email.created) or *SMSMessage (sms.created). Data of any other kind is
// returned as json.RawMessage with no error, so new event types never break a receiver.
// Use a type switch on the result.
func (e *Event) Decode() (any, error) {
	var (
		v   any
		err error
	)
	switch e.kind() {
	case kindUser:
		v, err = e.User()
	case kindSession:
		v, err = e.Session()
	case kindDeleted:
		v, err = e.DeletedObject()
	case kindEmail:
		v, err = e.Email()
	case kindSMS:
		v, err = e.SMSMessage()
	default:
		return e.Data, nil
	}
	if err != nil {
		// A typed nil pointer in the interface would match a type switch case: return a
		// plain nil instead.
		return nil, err
	}
	return v, nil
}

// User decodes the user of a user.created or user.updated event. For other events it returns
// an error matching ErrUnexpectedData.
func (e *Event) User() (*clerk.User, error) {
	return decodeAs[clerk.User](e, kindUser)
}

// Session decodes the session of a session.* event. For other events it returns an error
// matching ErrUnexpectedData.
func (e *Event) Session() (*clerk.Session, error) {
	return decodeAs[clerk.Session](e, kindSession)
}

// DeletedObject decodes the deleted object of user.deleted and the other deletion events
// whose data says "deleted": true. For other events it returns an error matching
// ErrUnexpectedData.
func (e *Event) DeletedObject() (*clerk.DeletedObject, error) {
	return decodeAs[clerk.DeletedObject](e, kindDeleted)
}

// Email decodes the message of an email.created event. For other events it returns an error
// matching ErrUnexpectedData.
func (e *Event) Email() (*Email, error) {
	return decodeAs[Email](e, kindEmail)
}

// SMSMessage decodes the message of an sms.created event. For other events it returns an
// error matching ErrUnexpectedData.
func (e *Event) SMSMessage() (*SMSMessage, error) {
	return decodeAs[SMSMessage](e, kindSMS)
}

// decodeAs decodes the event's data into a new T after checking that the data is of kind want.
func decodeAs[T any](e *Event, want dataKind) (*T, error) {
	if got := e.kind(); got != want {
		return nil, fmt.Errorf("%w: event %s carries %s, not %s", ErrUnexpectedData,
			truncate(e.Type), kindNames[got], kindNames[want])
	}
	out := new(T)
	if err := json.Unmarshal(e.Data, out); err != nil {
		return nil, fmt.Errorf("%w: data of event %s: %w", ErrMalformedPayload,
			truncate(e.Type), err)
	}
	return out, nil
}

// parseEvent decodes a verified body. It needs a JSON object with a type and some data; every
// other field is optional and unknown fields are ignored.
func parseEvent(body []byte) (*Event, error) {
	var e Event
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedPayload, err)
	}
	if e.Type == "" {
		return nil, fmt.Errorf("%w: no event type", ErrMalformedPayload)
	}
	if len(e.Data) == 0 || bytes.Equal(e.Data, []byte("null")) {
		return nil, fmt.Errorf("%w: event %s has no data", ErrMalformedPayload, truncate(e.Type))
	}
	return &e, nil
}
