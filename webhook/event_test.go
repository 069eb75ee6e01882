package webhook_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/webhook"
)

// Data objects in the shapes Clerk delivers them.
const (
	userData = `{"id":"user_29w83sxmDNGwOuEthce5gg56FcC","object":"user","first_name":"Ada",` +
		`"last_name":null,"email_addresses":[{"id":"idn_1","object":"email_address",` +
		`"email_address":"ada@example.com","verification":null,"linked_to":[]}],` +
		`"public_metadata":{},"created_at":1654012591514,"updated_at":1654012591835,` +
		`"a_field_added_later":true}`
	deletedUserData = `{"deleted":true,"id":"user_29wBMCtzATuFJut8jO2VNTVekS4","object":"user"}`
	sessionData     = `{"abandon_at":1657287834190,"client_id":"client_2B3E2u5vKbnSPW4rj1z3AP13Sx",` +
		`"created_at":1654695834190,"expire_at":1655300634190,"id":"sess_2B3E3ZaXUakIPKG6X6dMCEsxpbs",` +
		`"last_active_at":1654695834190,"object":"session","status":"ended",` +
		`"updated_at":1654695859876,"user_id":"user_2B3E3C8dVZTcl8AHD0cfyV0zGiq"}`
	emailData = `{"object":"email","id":"ema_1","slug":"verification_code",` +
		`"from_email_name":"notifications","to_email_address":"ada@example.com",` +
		`"email_address_id":"idn_1","user_id":null,"subject":"123456 is your code",` +
		`"body":"<p>123456</p>","body_plain":"123456","status":"queued",` +
		`"data":{"otp_code":"123456"},"delivered_by_clerk":false}`
	smsData = `{"object":"sms_message","id":"sms_1","slug":"verification_code",` +
		`"from_phone_number":"+15555550100","to_phone_number":"+15555550101",` +
		`"phone_number_id":"idn_2","message":"123456 is your code","status":"queued",` +
		`"data":null,"delivered_by_clerk":true}`
	organizationData = `{"object":"organization","id":"org_1","name":"Acme","slug":"acme"}`
	membershipData   = `{"object":"organization_membership","id":"orgmem_1","role":"org:admin"}`
)

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ   string
		data  string
		check func(t *testing.T, got any)
	}{
		{webhook.EventUserCreated, userData, func(t *testing.T, got any) {
			u, ok := got.(*clerk.User)
			if !ok {
				t.Fatalf("got %T, want *clerk.User", got)
			}
			if u.ID != "user_29w83sxmDNGwOuEthce5gg56FcC" {
				t.Errorf("ID: got %q, want user_29w83sxmDNGwOuEthce5gg56FcC", u.ID)
			}
			if u.FirstName == nil || *u.FirstName != "Ada" {
				t.Errorf("FirstName: got %v, want Ada", u.FirstName)
			}
			if len(u.EmailAddresses) != 1 ||
				u.EmailAddresses[0].EmailAddress != "ada@example.com" {
				t.Errorf("EmailAddresses: got %+v, want ada@example.com", u.EmailAddresses)
			}
		}},
		{webhook.EventUserUpdated, userData, func(t *testing.T, got any) {
			if _, ok := got.(*clerk.User); !ok {
				t.Fatalf("got %T, want *clerk.User", got)
			}
		}},
		{webhook.EventUserDeleted, deletedUserData, func(t *testing.T, got any) {
			d, ok := got.(*clerk.DeletedObject)
			if !ok {
				t.Fatalf("got %T, want *clerk.DeletedObject", got)
			}
			want := clerk.DeletedObject{Object: "user", ID: "user_29wBMCtzATuFJut8jO2VNTVekS4",
				Deleted: true}
			if *d != want {
				t.Errorf("got %+v, want %+v", *d, want)
			}
		}},
		{"organization.deleted", `{"deleted":true,"id":"org_1","object":"organization"}`,
			func(t *testing.T, got any) {
				d, ok := got.(*clerk.DeletedObject)
				if !ok || d.ID != "org_1" {
					t.Fatalf("got %#v, want *clerk.DeletedObject for org_1", got)
				}
			}},
		{webhook.EventSessionEnded, sessionData, func(t *testing.T, got any) {
			s, ok := got.(*clerk.Session)
			if !ok {
				t.Fatalf("got %T, want *clerk.Session", got)
			}
			if s.ID != "sess_2B3E3ZaXUakIPKG6X6dMCEsxpbs" || s.Status != "ended" ||
				s.UserID != "user_2B3E3C8dVZTcl8AHD0cfyV0zGiq" || s.ExpireAt != 1655300634190 {
				t.Errorf("got %+v, want the session of the payload", s)
			}
		}},
		{webhook.EventEmailCreated, emailData, func(t *testing.T, got any) {
			m, ok := got.(*webhook.Email)
			if !ok {
				t.Fatalf("got %T, want *webhook.Email", got)
			}
			if m.ToEmailAddress != "ada@example.com" || m.Subject != "123456 is your code" ||
				m.DeliveredByClerk || m.UserID != nil || m.BodyPlain == nil ||
				string(m.Data) != `{"otp_code":"123456"}` {
				t.Errorf("got %+v, want the email of the payload", m)
			}
		}},
		{webhook.EventSMSCreated, smsData, func(t *testing.T, got any) {
			m, ok := got.(*webhook.SMSMessage)
			if !ok {
				t.Fatalf("got %T, want *webhook.SMSMessage", got)
			}
			if m.ToPhoneNumber != "+15555550101" || m.Message != "123456 is your code" ||
				!m.DeliveredByClerk {
				t.Errorf("got %+v, want the message of the payload", m)
			}
		}},
		{"organization.created", organizationData, func(t *testing.T, got any) {
			raw, ok := got.(json.RawMessage)
			if !ok {
				t.Fatalf("got %T, want json.RawMessage", got)
			}
			if string(raw) != organizationData {
				t.Errorf("got %s, want %s", raw, organizationData)
			}
		}},
		{"organizationMembership.deleted", membershipData, func(t *testing.T, got any) {
			// This deletion carries the membership itself, not a deleted-object stub.
			if raw, ok := got.(json.RawMessage); !ok || string(raw) != membershipData {
				t.Errorf("got %#v, want the raw membership", got)
			}
		}},
		{"some.future_event", `[1,2,3]`, func(t *testing.T, got any) {
			if raw, ok := got.(json.RawMessage); !ok || string(raw) != `[1,2,3]` {
				t.Errorf("got %#v, want raw [1,2,3]", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			t.Parallel()
			e := &webhook.Event{Type: tt.typ, Object: "event", Data: json.RawMessage(tt.data)}
			got, err := e.Decode()
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			tt.check(t, got)
		})
	}
}

func TestAccessorsRejectOtherData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		call func(e *webhook.Event) (any, error)
	}{
		{"User on a deleted user", deletedUserData,
			func(e *webhook.Event) (any, error) { return e.User() }},
		{"User on a session", sessionData,
			func(e *webhook.Event) (any, error) { return e.User() }},
		{"Session on a user", userData,
			func(e *webhook.Event) (any, error) { return e.Session() }},
		{"DeletedObject on a live user", userData,
			func(e *webhook.Event) (any, error) { return e.DeletedObject() }},
		{"Email on an SMS", smsData,
			func(e *webhook.Event) (any, error) { return e.Email() }},
		{"SMSMessage on an email", emailData,
			func(e *webhook.Event) (any, error) { return e.SMSMessage() }},
		{"User on an organization", organizationData,
			func(e *webhook.Event) (any, error) { return e.User() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := &webhook.Event{Type: "x.y", Data: json.RawMessage(tt.data)}
			got, err := tt.call(e)
			if !errors.Is(err, webhook.ErrUnexpectedData) {
				t.Fatalf("got error %v, want ErrUnexpectedData", err)
			}
			if !reflect.ValueOf(got).IsNil() {
				t.Errorf("got %#v, want nil", got)
			}
		})
	}
}

func TestAccessorsMatchDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		call func(e *webhook.Event) (any, error)
	}{
		{"User", userData, func(e *webhook.Event) (any, error) { return e.User() }},
		{"Session", sessionData, func(e *webhook.Event) (any, error) { return e.Session() }},
		{"DeletedObject", deletedUserData,
			func(e *webhook.Event) (any, error) { return e.DeletedObject() }},
		{"Email", emailData, func(e *webhook.Event) (any, error) { return e.Email() }},
		{"SMSMessage", smsData, func(e *webhook.Event) (any, error) { return e.SMSMessage() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := &webhook.Event{Type: "x.y", Data: json.RawMessage(tt.data)}
			got, err := tt.call(e)
			if err != nil {
				t.Fatalf("accessor: got error %v, want nil", err)
			}
			decoded, err := e.Decode()
			if err != nil {
				t.Fatalf("Decode: got error %v, want nil", err)
			}
			if !reflect.DeepEqual(got, decoded) {
				t.Errorf("got %#v, want %#v", got, decoded)
			}
		})
	}
}

func TestDecodeMalformedData(t *testing.T) {
	t.Parallel()
	// The object says user, but a field has the wrong JSON type.
	e := &webhook.Event{Type: webhook.EventUserCreated,
		Data: json.RawMessage(`{"object":"user","id":42}`)}

	if _, err := e.User(); !errors.Is(err, webhook.ErrMalformedPayload) {
		t.Errorf("User: got error %v, want ErrMalformedPayload", err)
	}
	got, err := e.Decode()
	if !errors.Is(err, webhook.ErrMalformedPayload) {
		t.Errorf("Decode: got error %v, want ErrMalformedPayload", err)
	}
	// A typed nil (*clerk.User)(nil) would slip into a type switch's user case.
	if got != nil {
		t.Errorf("Decode: got %#v, want a nil interface", got)
	}
}

func TestVerifyFillsEvent(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, testSecret)
	body := []byte(userCreatedBody)
	ts := testNow.Unix()
	sig := signIndependently(t, testSecret, testID, ts, body)

	e, err := v.Verify(deliveryHeaders(testID, ts, sig), body)
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}

	if e.ID != testID || e.Type != "user.created" || e.Object != "event" ||
		e.Timestamp != 1654012591835 || e.InstanceID != "ins_123" {
		t.Errorf("got %+v, want the fields of the payload", e)
	}
	if e.Attributes == nil || e.Attributes.HTTPRequest == nil ||
		e.Attributes.HTTPRequest.ClientIP != "192.0.2.1" ||
		e.Attributes.HTTPRequest.UserAgent != "test" {
		t.Errorf("Attributes: got %+v, want client 192.0.2.1 with agent test", e.Attributes)
	}
	u, err := e.User()
	if err != nil {
		t.Fatalf("User: got error %v, want nil", err)
	}
	if u.ID != "user_29w83sxmDNGwOuEthce5gg56FcC" {
		t.Errorf("User.ID: got %q, want user_29w83sxmDNGwOuEthce5gg56FcC", u.ID)
	}
	// Data must not alias the caller's buffer, which may be reused after Verify returns.
	for i := range body {
		body[i] = ' '
	}
	if !bytes.Contains(e.Data, []byte("user_29w83sxmDNGwOuEthce5gg56FcC")) {
		t.Errorf("Data changed with the body buffer: got %s", e.Data)
	}
}

func TestVerifyMinimalEvent(t *testing.T) {
	t.Parallel()
	// Only type and data are needed; the other fields are optional.
	v := newTestVerifier(t, testSecret)
	body := []byte(`{"type":"session.revoked","data":` + sessionData + `}`)
	ts := testNow.Unix()
	sig := signIndependently(t, testSecret, testID, ts, body)

	e, err := v.Verify(deliveryHeaders(testID, ts, sig), body)
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if e.InstanceID != "" || e.Attributes != nil || e.Timestamp != 0 {
		t.Errorf("got %+v, want no optional fields", e)
	}
	if _, err := e.Session(); err != nil {
		t.Errorf("Session: got error %v, want nil", err)
	}
}
