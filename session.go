package clerk

import "encoding/json"

// Session is a user's signed-in session on one client (browser or device). Timestamps are
// Unix milliseconds.
type Session struct {
	Object   string `json:"object"`
	ID       string `json:"id"`
	UserID   string `json:"user_id"`
	ClientID string `json:"client_id"`
	// Actor holds the claims of the user acting on behalf of UserID (impersonation), a JSON
	// object, or is empty.
	Actor json.RawMessage `json:"actor,omitempty"`
	// Status is one of the SessionStatus values.
	Status                   string           `json:"status"`
	LastActiveOrganizationID *string          `json:"last_active_organization_id,omitempty"`
	LastActiveAt             int64            `json:"last_active_at"`
	LatestActivity           *SessionActivity `json:"latest_activity,omitempty"`
	// ExpireAt is when the session ends at the latest.
	ExpireAt int64 `json:"expire_at"`
	// AbandonAt is when the session ends if the client stops refreshing it.
	AbandonAt int64 `json:"abandon_at"`
	UpdatedAt int64 `json:"updated_at"`
	CreatedAt int64 `json:"created_at"`
	// Tasks lists what the user must still do before a pending session becomes active.
	Tasks []SessionTask `json:"tasks,omitempty"`
}

// Known values of Session.Status.
const (
	SessionStatusActive    = "active"
	SessionStatusPending   = "pending"
	SessionStatusRevoked   = "revoked"
	SessionStatusEnded     = "ended"
	SessionStatusExpired   = "expired"
	SessionStatusRemoved   = "removed"
	SessionStatusAbandoned = "abandoned"
	SessionStatusReplaced  = "replaced"
)

// SessionActivity describes the device and place of a session's latest request.
type SessionActivity struct {
	Object         string `json:"object"`
	ID             string `json:"id"`
	DeviceType     string `json:"device_type,omitempty"`
	IsMobile       bool   `json:"is_mobile"`
	BrowserName    string `json:"browser_name,omitempty"`
	BrowserVersion string `json:"browser_version,omitempty"`
	IPAddress      string `json:"ip_address,omitempty"`
	City           string `json:"city,omitempty"`
	Country        string `json:"country,omitempty"`
}

// SessionTask is a step a user must complete before a pending session becomes active.
type SessionTask struct {
	// Key names the task, such as "choose-organization".
	Key string `json:"key"`
}
