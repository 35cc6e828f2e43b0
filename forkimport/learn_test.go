package forkimport

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Like gofork check, the analyzer knows a fork from the remotes of the
// clone it runs in: there the fork's own path is a stray import.
func TestLearnsForksFromGitRemotes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module github.com/awesome-org/tool\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"remote", "add", "upstream", "https://github.com/awesome-org/tool.git"},
		{"remote", "add", "origin", "https://github.com/awesome-you/tool.git"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	sub := filepath.Join(dir, "kv")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	rules, err := learn(sub, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _, ok := rules.Upstream("github.com/awesome-you/tool/raft"); !ok || got != "github.com/awesome-org/tool/raft" {
		t.Errorf("Upstream(fork path) = %q, %v; want upstream's path", got, ok)
	}
	if got, _, ok := rules.Upstream("github.com/awesome-org/tool/raft"); ok {
		t.Errorf("Upstream(upstream's own path) = %q, want none", got)
	}
}
