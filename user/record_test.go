package user_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkcompat/clerk"
	"github.com/clerkcompat/clerk/clerktest"
	"github.com/clerkcompat/clerk/internal/fixture"
	"github.com/clerkcompat/clerk/user"
)

// samID is the second user of the fixtures that act on several users.
const samID = "user_2gYm1Rk7PzQ4Vt8XnLc3WbHd5Ja"

// recordedPassword is the password of the recorded user, as the fixtures send it.
const recordedPassword = "correct-horse-battery-staple"

// recordPlan records the exchanges under testdata again from a live server (see TestRecord).
// Jane and Sam are created as the fixtures show them and stand for their fixture IDs; the
// exchanges then run in an order where each finds the state it needs, and Jane is deleted
// last.
var recordPlan = &fixture.Plan{
	Order: []string{
		"create", "create_unprocessable", "update_conflict",
		"get", "get_not_found", "list", "list_unprocessable", "list_all_filters", "count",
		"all_cursor_page1", "all_cursor_page2", "all_cursor_page3",
		"all_offset_page1", "all_offset_page2", "all_offset_page3",
		"update", "update_metadata", "replace_metadata",
		"verify_password", "verify_password_incorrect", "remove_password", "remove_password_nil",
		"set_profile_image", "delete_profile_image",
		"delete_backup_codes", "delete_totp", "disable_mfa",
		"ban", "unban", "ban_many", "unban_many", "lock", "unlock",
		"replace_email_address", "replace_phone_number",
		"delete",
	},
	Skip: map[string]string{
		"get_empty_not_found": "a bare 404 with no body, as a proxy answers: no server " +
			"gives it on demand",
		"ban_payment_required": "402 comes only from an instance whose plan lacks bans",
		"list_oauth_access_tokens": "needs an OAuth account, which only a sign-in through " +
			"the provider creates",
		"delete_passkey":     "needs a passkey, which only a browser registers",
		"delete_web3_wallet": "needs a wallet that signed in, which only a browser does",
		"verify_totp": "the recorded code is valid only in the 30 seconds it was made " +
			"for",
	},
	Reset: resetRecordedUsers,
	Setup: setUpRecordedUsers,
	Before: map[string]func(context.Context, *fixture.Session) error{
		// remove_password took the password away; the second removal needs one again.
		"remove_password_nil": func(ctx context.Context, s *fixture.Session) error {
			return setJanePassword(ctx, s)
		},
	},
}

// recordedEmails are the addresses of every user a recording creates, by which Reset finds
// them.
var recordedEmails = []string{"jane.doe@example.com", "sam.okafor@example.com",
	"priya.raman@example.com", "jane@doe.dev"}

// resetRecordedUsers deletes the users a recording creates, if they exist.
func resetRecordedUsers(ctx context.Context, s *fixture.Session) error {
	users := user.NewClient(s.Config())
	found, err := users.List(ctx, &user.ListParams{EmailAddresses: recordedEmails})
	if err != nil {
		return err
	}
	for _, u := range found {
		if _, err := users.Delete(ctx, u.ID); err != nil {
			return err
		}
	}
	return nil
}

// setUpRecordedUsers creates Jane and Sam with the details the fixtures show.
func setUpRecordedUsers(ctx context.Context, s *fixture.Session) error {
	users := user.NewClient(s.Config())
	jane, err := users.Create(ctx, &user.CreateParams{
		ExternalID:      clerk.String("crm-10442"),
		FirstName:       clerk.String("Jane"),
		LastName:        clerk.String("Doe"),
		Locale:          clerk.String("en-US"),
		Username:        clerk.String("janedoe"),
		EmailAddresses:  []string{"jane.doe@example.com"},
		PhoneNumbers:    []string{"+15555550123"},
		Password:        clerk.String(recordedPassword),
		TOTPSecret:      clerk.String("JBSWY3DPEHPK3PXP"),
		BackupCodes:     []string{"a1b2c3d4", "e5f6g7h8"},
		PublicMetadata:  raw(`{"plan":"pro","onboarding":{"completed":true,"step":4}}`),
		PrivateMetadata: raw(`{"stripe_customer_id":"cus_Q8fLk2mZr7TxYp"}`),
		UnsafeMetadata:  raw(`{"theme":"dark"}`),
	})
	if err != nil {
		return err
	}
	s.Alias(janeID, jane.ID)
	sam, err := users.Create(ctx, &user.CreateParams{
		FirstName:      clerk.String("Sam"),
		LastName:       clerk.String("Okafor"),
		EmailAddresses: []string{"sam.okafor@example.com"},
	})
	if err != nil {
		return err
	}
	s.Alias(samID, sam.ID)
	return nil
}

func setJanePassword(ctx context.Context, s *fixture.Session) error {
	users := user.NewClient(s.Config())
	found, err := users.List(ctx, &user.ListParams{EmailAddresses: []string{"jane.doe@example.com"}})
	if err != nil || len(found) == 0 {
		return err
	}
	_, err = users.Update(ctx, found[0].ID, &user.UpdateParams{
		Password: clerk.String(recordedPassword)})
	return err
}

// TestRecord records the exchanges under testdata again from the server of CLERK_API_URL,
// with the key in CLERK_SECRET_KEY, when the tests run with -record:
//
//	CLERK_SECRET_KEY=sk_test_... CLERK_API_URL=... go test ./user -run TestRecord -args -record
//
// It creates and deletes users on that instance, and writes only exchanges whose answer has
// the recorded status; each one it could not record is reported as an error. Review the
// changes with git diff: tests that check values of the old answers may need the new ones.
func TestRecord(t *testing.T) {
	if !fixture.Recording() {
		t.Skip("records only with -record: go test ./user -run TestRecord -args -record")
	}
	rep, err := recordPlan.Record(context.Background(), "testdata", fixture.LiveConfig(t))
	require.NoError(t, err)
	t.Logf("recorded again: %s", strings.Join(rep.Written, ", "))
	for _, p := range rep.Problems {
		t.Error(p)
	}
}

// TestRecordPlan runs the recording plan against clerktest, on a copy of testdata, so that
// the plan's order and setup are known to work before anyone records from a real instance,
// and so that every exchange in testdata is either recorded or skipped for a reason.
func TestRecordPlan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600))
	}
	// The instance also holds other people, older than the recording's users, as a real one
	// does: the list pages show them, and their data must not reach the files.
	srv := clerktest.NewServer()
	defer srv.Close()
	_, err = srv.SeedJSON(strings.NewReader(`[
		{"first_name": "Maria", "last_name": "Gonzalez", "username": "mgonzalez",
		 "email_address": ["maria.gonzalez@gmail.com"], "phone_number": ["+34600111222"],
		 "private_metadata": {"ssn": "123-45-6789"}, "created_at": 1600000000000},
		{"first_name": "Ivan", "email_address": ["ivan.p@mail.ru"], "created_at": 1600000001000},
		{"first_name": "Chen", "email_address": ["chen.wei@qq.com"], "created_at": 1600000002000}
	]`))
	require.NoError(t, err)

	rep, err := recordPlan.Record(context.Background(), dir, srv.Config())
	require.NoError(t, err)
	// clerktest answers a taken external ID with 422 where the recorded API answered 409, and
	// the made-up cursor of list_all_filters names no user there.
	notRecorded := []string{"update_conflict", "list_all_filters"}
	var problems []string
	for _, p := range rep.Problems {
		name, _, _ := strings.Cut(p, ":")
		problems = append(problems, name)
	}
	assert.Equal(t, notRecorded, problems, "got problems %q", rep.Problems)
	for _, name := range recordPlan.Order {
		if !slices.Contains(notRecorded, name) {
			assert.Contains(t, rep.Written, name)
		}
	}

	// Every recorded exchange keeps its request, so the tests built on it still check what
	// the SDK sends, and names the users by their fixture IDs.
	for _, name := range rep.Written {
		var before, after fixture.Exchange
		readExchange(t, filepath.Join("testdata", name+".json"), &before)
		readExchange(t, filepath.Join(dir, name+".json"), &after)
		assert.Equal(t, before.Request, after.Request, "%s: the request changed", name)
		assert.Equal(t, before.Response.Status, after.Response.Status, name)
		for _, private := range []string{srv.Key(), "Maria", "Gonzalez", "mgonzalez", "gmail",
			"34600111222", "123-45-6789", "Ivan", "mail.ru", "Chen", "qq.com"} {
			assert.NotContains(t, string(after.Response.Body), private, name)
		}
	}

	var got fixture.Exchange
	readExchange(t, filepath.Join(dir, "get.json"), &got)
	var jane clerk.User
	require.NoError(t, json.Unmarshal(got.Response.Body, &jane))
	assert.Equal(t, janeID, jane.ID)
	require.NotEmpty(t, jane.EmailAddresses)
	assert.Equal(t, "jane.doe@example.com", jane.EmailAddresses[0].EmailAddress)

	// The walk's second page was asked for after the recorded ID of the first page's last
	// user, which the recording sent as that user's live ID.
	readExchange(t, filepath.Join(dir, "all_cursor_page3.json"), &got)
	var page []clerk.User
	require.NoError(t, json.Unmarshal(got.Response.Body, &page))
	assert.NotEmpty(t, page, "got an empty third page")
}

func readExchange(t *testing.T, path string, ex *fixture.Exchange) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, ex), path)
}
