package clerk

// Web3Wallet is a blockchain wallet address that identifies a user, proven by signing a
// message.
type Web3Wallet struct {
	ID     string `json:"id,omitempty"`
	Object string `json:"object"`
	// Web3Wallet is the wallet address, such as "0x0123...".
	Web3Wallet string `json:"web3_wallet"`
	// Verification is how the wallet was proven, or nil when the API sent none.
	Verification *Verification `json:"verification"`
	CreatedAt    int64         `json:"created_at"`
	UpdatedAt    int64         `json:"updated_at"`
}
