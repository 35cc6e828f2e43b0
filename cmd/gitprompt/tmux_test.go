//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
)

// TestTmuxStatusBar puts gitprompt in a real tmux status bar, as the README
// says to, and reads the bar as a terminal shows it: the inner tmux is
// attached from a pane of an outer one, whose screen (with -e, its colours)
// holds the inner status line, configured as the README says. A directory
// named with tmux's own syntax or a shell quote shows as text: no style, no
// format, no #(command) and no command after the quote run (with the path
// in the command, -C '#{pane_current_path}', the quote ends the shell's and
// the bar goes blank).
func TestTmuxStatusBar(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		skipUnlessCI(t, "tmux")
	}
	gittest.Isolate(t)
	t.Setenv("GITPROMPT_TIMEOUT", testTimeout)
	work := t.TempDir()
	repo := filepath.Join(work, "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, repo, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(repo, "a.txt"), "a\n")
	gittest.Git(t, repo, "add", ".")
	gittest.Git(t, repo, "commit", "-q", "-m", "first")
	const hostile = "x#[fg=blue]#(touch pwned)#{pane_pid}';touch pwned;'"
	gittest.Git(t, work, "init", "-q", "-b", "main", hostile)

	inner := &tmuxTerm{t: t, socket: filepath.Join(t.TempDir(), "inner.sock")}
	inner.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-c", repo, "--", "sh")
	t.Cleanup(func() { exec.Command("tmux", "-S", inner.socket, "kill-server").Run() })
	for _, opt := range [][]string{
		{"status-interval", "1"},
		{"status-style", "default"},
		{"status-left", ""},
		{"status-right-length", "100"},
		{"status-right", "#(gitprompt -C /proc/#{pane_pid}/cwd --shell tmux)"},
	} {
		inner.tmux("set-option", "-g", opt[0], opt[1])
	}
	outer := startTmux(t, work, []string{"env", "-u", "TMUX", "tmux", "-S", inner.socket, "attach", "-t", "t"})

	bar := func(want *regexp.Regexp) {
		t.Helper()
		var screen string
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			screen = outer.capture("-e")
			lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
			if want.MatchString(lines[len(lines)-1]) {
				return
			}
		}
		t.Fatalf("status bar never matched %q; screen:\n%q", want, screen)
	}
	// A clean repository: the segment in green, as the prompt shows it.
	bar(regexp.MustCompile(`\[repo\]\x1b\[32m\(main ∅\)`))

	writeFile(t, filepath.Join(repo, "new.txt"), "n\n")
	bar(regexp.MustCompile(`\[repo\]\x1b\[31m\(main ∅ \?1\)`))

	inner.tmux("send-keys", "-t", "t", "-l", "cd ../'"+strings.ReplaceAll(hostile, "'", `'\''`)+"'")
	inner.tmux("send-keys", "-t", "t", "Enter")
	bar(regexp.MustCompile(regexp.QuoteMeta("["+hostile+"]") + `\x1b\[32m\(main ∅\)`))

	cwd, _ := os.Getwd()
	for _, dir := range []string{work, repo, filepath.Join(work, hostile), os.Getenv("HOME"), cwd} {
		if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
			t.Errorf("tmux ran the #(command) in a directory name: %s/pwned", dir)
		}
	}
}
