package forkuse

import (
	"os"
	"path/filepath"
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

func TestWorkFilePathHonoursGOWORK(t *testing.T) {
	root := t.TempDir()
	module := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(module, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.work"), []byte("go 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if path, off, err := workFilePath(module, getenv); path != filepath.Join(root, "go.work") || off || err != nil {
		t.Errorf("workFilePath found %q, off %v, err %v; want the go.work two levels up", path, off, err)
	}
	env["GOWORK"] = "off"
	if path, off, _ := workFilePath(module, getenv); path != "" || !off {
		t.Errorf("with GOWORK=off: %q, off %v; want none, off", path, off)
	}
	env["GOWORK"] = "rel/go.work"
	if _, _, err := workFilePath(module, getenv); err == nil {
		t.Error("a relative GOWORK was accepted; the go command refuses it")
	}
}
