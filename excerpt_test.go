package clerk

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestExcerptBounded checks the excerpt of bodies that are not Clerk's JSON: never longer
// than the bound (plus the ellipsis), always valid UTF-8, whatever bytes came back.
func TestExcerptBounded(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"short binary":         strings.Repeat("\xc60", maxErrorExcerpt/2),
		"all invalid":          strings.Repeat("\xff", maxErrorExcerpt),
		"long binary":          strings.Repeat("\xc60", 4*maxErrorExcerpt),
		"multibyte at the cut": strings.Repeat("a", maxErrorExcerpt-1) + "é and more",
		"long text":            strings.Repeat("<p>proxy</p>", 200),
	}
	for name, body := range cases {
		got := excerpt([]byte(body))
		if len(got) > maxErrorExcerpt+len("...") {
			t.Errorf("%s: got an excerpt of %d bytes, want at most %d", name, len(got),
				maxErrorExcerpt+3)
		}
		if !utf8.ValidString(got) {
			t.Errorf("%s: got an excerpt that is not valid UTF-8: %q", name, got)
		}
		if got == "" {
			t.Errorf("%s: got an empty excerpt", name)
		}
	}
	if got := excerpt([]byte("  Bad Gateway\n")); got != "Bad Gateway" {
		t.Errorf("got %q, want %q", got, "Bad Gateway")
	}
}
