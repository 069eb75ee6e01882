package clerk

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// goroutineStacks returns the stack of every goroutine, keyed by goroutine ID.
func goroutineStacks() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	stacks := map[string]string{}
	for _, block := range bytes.Split(buf, []byte("\n\n")) {
		// Each block starts with "goroutine 42 [chan receive]:".
		fields := strings.Fields(string(block))
		if len(fields) > 1 && fields[0] == "goroutine" {
			stacks[fields[1]] = string(block)
		}
	}
	return stacks
}

// newGoroutines returns the stacks of goroutines that are not in before, waiting up to
// settle for them to end: connections closed by the test take a moment to wind down.
func newGoroutines(before map[string]string, settle time.Duration) []string {
	deadline := time.Now().Add(settle)
	for {
		var extra []string
		for id, stack := range goroutineStacks() {
			if _, ok := before[id]; !ok {
				extra = append(extra, stack)
			}
		}
		if len(extra) == 0 || time.Now().After(deadline) {
			return extra
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkNoLeak records the goroutines that exist now and returns a function that fails t if,
// once it runs, goroutines started since are still alive. Tests that use it must not be
// parallel (other tests' goroutines would count), and must have closed their servers first.
func checkNoLeak(t *testing.T) func() {
	t.Helper()
	before := goroutineStacks()
	return func() {
		t.Helper()
		if extra := newGoroutines(before, 5*time.Second); len(extra) > 0 {
			t.Errorf("got %d goroutines left behind, want 0:\n%s", len(extra),
				strings.Join(extra, "\n\n"))
		}
	}
}

// TestLeakCheckerFindsLeaks makes sure the checker can fail: a goroutine left blocked is
// reported, and it is no longer once it ends.
func TestLeakCheckerFindsLeaks(t *testing.T) {
	before := goroutineStacks()
	stop := make(chan struct{})
	go func() { <-stop }()
	extra := newGoroutines(before, 50*time.Millisecond)
	if len(extra) != 1 || !strings.Contains(extra[0], "TestLeakCheckerFindsLeaks") {
		t.Errorf("got %d new goroutines %q, want the one blocked in this test", len(extra), extra)
	}
	close(stop)
	if extra := newGoroutines(before, 5*time.Second); len(extra) != 0 {
		t.Errorf("got %d goroutines after the leak ended, want 0: %q", len(extra), extra)
	}
}
