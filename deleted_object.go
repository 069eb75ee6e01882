package clerk

// DeletedObject is what the API returns after deleting an object: which object it was and
// that it is gone.
type DeletedObject struct {
	// Object names the kind of object deleted, such as "user".
	Object     string `json:"object"`
	ID         string `json:"id,omitempty"`
	Slug       string `json:"slug,omitempty"`
	Deleted    bool   `json:"deleted"`
	ExternalID string `json:"external_id,omitempty"`
}
