package auth

// SetWaitHook makes every lookup of v that starts waiting for a fetch under way call hook
// first. It must be called before v is used.
func SetWaitHook(v *Verifier, hook func()) {
	v.keys.(*keyCache).waitHook = hook
}
