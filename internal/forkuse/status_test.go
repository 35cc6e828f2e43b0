package forkuse

import (
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

func TestIsForkPath(t *testing.T) {
	for _, tt := range []struct {
		upstream, replacement string
		want                  bool
	}{
		{"github.com/awesome-org/tool", "github.com/awesome-you/tool", true},
		{"github.com/awesome-org/tool/v2", "github.com/awesome-you/tool/v2", true},
		{"github.com/awesome-org/tool/v2", "github.com/awesome-you/tool", false},
		{"github.com/awesome-org/tool", "github.com/awesome-org/tool", false},
		{"github.com/awesome-org/tool", "gitlab.com/awesome-you/tool", false},
		{"github.com/awesome-org/tool", "github.com/awesome-you/other", false},
		{"go.uber.org/zap", "github.com/you/zap", false},
	} {
		if got := isForkPath(tt.upstream, tt.replacement); got != tt.want {
			t.Errorf("isForkPath(%q, %q) = %v; want %v", tt.upstream, tt.replacement, got, tt.want)
		}
	}
}

// TestCheckoutForkFromOriginURL covers checkouts not made by gofork clone:
// the fork is recognised from the origin remote's URL.
func TestCheckoutForkFromOriginURL(t *testing.T) {
	gittest.Isolate(t)
	for _, tt := range []struct{ origin, upstream, want string }{
		{"git@github.com:awesome-you/tool.git", "github.com/awesome-org/tool/v2", "github.com/awesome-you/tool/v2"},
		{"https://github.com/awesome-you/tool", "github.com/awesome-org/tool", "github.com/awesome-you/tool"},
		{"https://github.com/awesome-org/tool.git", "github.com/awesome-org/tool", ""},
		{"https://github.com/awesome-you/other.git", "github.com/awesome-org/tool", ""},
	} {
		dir := t.TempDir()
		gittest.Git(t, dir, "init", "-q")
		gittest.Git(t, dir, "remote", "add", "origin", tt.origin)
		if got := checkoutFork(dir, tt.upstream); got != tt.want {
			t.Errorf("checkoutFork(origin %s, %s) = %q; want %q", tt.origin, tt.upstream, got, tt.want)
		}
	}
	if got := checkoutFork(t.TempDir(), "github.com/awesome-org/tool"); got != "" {
		t.Errorf("checkoutFork of a directory outside git = %q; want \"\"", got)
	}
}
