package clerk

// PhoneNumber is a phone number that identifies a user or serves as a second factor, with
// the state of its verification.
type PhoneNumber struct {
	ID     string `json:"id,omitempty"`
	Object string `json:"object"`
	// PhoneNumber is the number in E.164 form, such as "+15555550100".
	PhoneNumber string `json:"phone_number"`
	// ReservedForSecondFactor is true when the number may only be used as a second factor.
	ReservedForSecondFactor bool `json:"reserved_for_second_factor,omitempty"`
	// DefaultSecondFactor is true when this number is the user's default second factor.
	DefaultSecondFactor bool `json:"default_second_factor,omitempty"`
	// Reserved is true while the number is held for a sign-up in progress.
	Reserved bool `json:"reserved"`
	// Verification is how the number was proven, or nil when the API sent none.
	Verification *Verification `json:"verification"`
	// LinkedTo lists the external accounts that supplied or use this number. An encoder
	// must set it to an empty, non-nil slice when there are none: the API never sends null.
	LinkedTo []IdentificationLink `json:"linked_to"`
	// BackupCodes holds newly generated backup codes, only in the response that made them.
	BackupCodes []string `json:"backup_codes,omitempty"`
	CreatedAt   int64    `json:"created_at"`
	UpdatedAt   int64    `json:"updated_at"`
}
