// Package gittest runs the real git binary in tests, isolated from the
// user's and the system's git configuration.
package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Config is the global git configuration tests run with: a fixed identity,
// main as the default branch, file:// allowed for submodules.
const Config = `[user]
	name = Gofork Test
	email = test@gofork.example
[init]
	defaultBranch = main
[protocol "file"]
	allow = always
[advice]
	detachedHead = false
`

// Isolate makes every git started by this test (and by code under test) see
// only a fresh global config holding Config. It returns the config's path.
func Isolate(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	home := t.TempDir()
	cfg := filepath.Join(home, ".gitconfig")
	if err := os.WriteFile(cfg, []byte(Config), 0o644); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, ".config"),
		"GIT_CONFIG_GLOBAL":   cfg,
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_ATTR_NOSYSTEM":   "1",
		"GIT_AUTHOR_NAME":     "Gofork Test",
		"GIT_AUTHOR_EMAIL":    "test@gofork.example",
		"GIT_COMMITTER_NAME":  "Gofork Test",
		"GIT_COMMITTER_EMAIL": "test@gofork.example",
		"GIT_TERMINAL_PROMPT": "0",
	} {
		t.Setenv(k, v)
	}
	return cfg
}

// Git runs git with args in dir and returns its trimmed standard output,
// failing the test with git's stderr when it exits non-zero.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// WriteFile writes content to the file at p, making its directories.
func WriteFile(t testing.TB, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
