//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
)

// TestBashAsksItsDaemon follows the daemon behind bash's prompt: the first
// prompt starts one as the shell's child, a killed one is replaced while the
// prompts stay right, and none is left once the shell has exited.
func TestBashAsksItsDaemon(t *testing.T) {
	for _, tool := range []string{"tmux", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipUnlessCI(t, tool)
		}
	}
	gittest.Isolate(t)
	t.Setenv("GITPROMPT_TIMEOUT", testTimeout)
	work := t.TempDir()
	layOutShellWorld(t, work)
	end := "$ "
	if os.Geteuid() == 0 {
		end = "# "
	}
	term := startTmux(t, work, []string{"bash", "--norc", "--noprofile", "-i"})
	shell, err := strconv.Atoi(strings.TrimSpace(term.tmux("display-message", "-p", "-t", "t", "#{pane_pid}")))
	if err != nil {
		t.Fatal(err)
	}
	term.run(`eval "$(gitprompt init bash)"`)
	term.expectPrompt("cd repo; clear", "[repo](main ∅)"+end)
	first := waitForDaemons(t, shell, 1)[0]

	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	term.expectPrompt("echo x > f; clear", "[repo](main ∅ ?1)"+end)
	term.expectPrompt("rm f; clear", "[repo](main ∅)"+end)
	second := waitForDaemons(t, shell, 1)[0]
	if second == first {
		t.Fatalf("daemon %d was killed but is still the shell's", first)
	}
	jobs := filepath.Join(work, "plain", "jobs.txt")
	term.expectPrompt("jobs > "+jobs+"; clear", "[repo](main ∅)"+end)
	if listed, err := os.ReadFile(jobs); err != nil || len(listed) > 0 {
		t.Errorf("jobs lists the daemon: %q %v", listed, err)
	}

	term.run("exit")
	for deadline := time.Now().Add(10 * time.Second); syscall.Kill(second, 0) == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("daemon %d still running 10 s after its shell exited", second)
		}
	}
}

// waitForDaemons waits for the shell to have n children running
// `gitprompt daemon` and returns their pids.
func waitForDaemons(t *testing.T, shell, n int) []int {
	t.Helper()
	var found []int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if found = daemonsOf(shell); len(found) == n {
			return found
		}
	}
	t.Fatalf("shell %d has daemons %v, want %d", shell, found, n)
	return nil
}

func daemonsOf(parent int) []int {
	var pids []int
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, dir := range procs {
		stat, err := os.ReadFile(filepath.Join(dir, "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces, so read after ")".
		_, rest, ok := strings.Cut(string(stat), ") ")
		if fields := strings.Fields(rest); !ok || len(fields) < 2 || fields[1] != strconv.Itoa(parent) || fields[0] == "Z" {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
		if len(args) == 2 && filepath.Base(args[0]) == "gitprompt" && args[1] == "daemon" {
			pid, _ := strconv.Atoi(filepath.Base(dir))
			pids = append(pids, pid)
		}
	}
	slices.Sort(pids)
	return pids
}

// TestZshPromptIsAsynchronous: zsh's prompt comes from its daemon and never
// waits for it. With the daemon slowed down the prompt appears at once with
// the last segment for the directory, dimmed, typing goes on, and the answer
// repaints the prompt under what was typed.
func TestZshPromptIsAsynchronous(t *testing.T) {
	for _, tool := range []string{"tmux", "zsh"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipUnlessCI(t, tool)
		}
	}
	gittest.Isolate(t)
	t.Setenv("GITPROMPT_TIMEOUT", testTimeout)
	work := t.TempDir()
	layOutShellWorld(t, work)
	end := "$ "
	if os.Geteuid() == 0 {
		end = "# "
	}
	term := startTmux(t, work, []string{"zsh", "-f", "-i"})
	shell, err := strconv.Atoi(strings.TrimSpace(term.tmux("display-message", "-p", "-t", "t", "#{pane_pid}")))
	if err != nil {
		t.Fatal(err)
	}
	term.run(`PROMPT='user> '; eval "$(gitprompt init zsh)"`)
	term.expectPrompt("cd repo; clear", "[repo](main ∅)"+end)
	first := waitForDaemons(t, shell, 1)[0]

	// A killed daemon is replaced; the next one answers slowly.
	term.run("export GITPROMPT_TEST_DAEMON_DELAY=4s")
	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitForDaemons(t, shell, 0)
	term.run("echo x > f; clear")
	stale := "[repo](main ∅)" + end
	sent := time.Now()
	term.waitFirstLine(stale, 2*time.Second)
	if screen := term.capture("-e"); !strings.Contains(screen, "\x1b[2m") || strings.Contains(strings.SplitN(screen, "\n", 2)[0], "\x1b[32m") {
		t.Errorf("the stale prompt is not dimmed, or still coloured:\n%q", screen)
	}
	term.tmux("send-keys", "-t", "t", "-l", "echo typed")
	term.waitFirstLine(stale+"echo typed", 2*time.Second)
	term.waitFirstLine("[repo](main ∅ ?1)"+end+"echo typed", 20*time.Second)
	if waited := time.Since(sent); waited < 3*time.Second {
		t.Errorf("the fresh prompt came after %v, before the daemon's 4 s delay: the test does not see the stale one", waited)
	}
	second := waitForDaemons(t, shell, 1)[0]
	if second == first {
		t.Fatalf("daemon %d was killed but is still the shell's", first)
	}
	term.tmux("send-keys", "-t", "t", "C-u")
	term.run("exit")
	for deadline := time.Now().Add(10 * time.Second); syscall.Kill(second, 0) == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("daemon %d still running 10 s after its shell exited", second)
		}
	}
}

// waitFirstLine waits up to limit for the screen's first line to be want
// (tmux drops the trailing space).
func (term *tmuxTerm) waitFirstLine(want string, limit time.Duration) {
	term.t.Helper()
	var screen string
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		screen = term.capture()
		if first, _, _ := strings.Cut(screen, "\n"); first == strings.TrimRight(want, " ") {
			return
		}
	}
	term.t.Fatalf("within %v the first line is not %q; screen:\n%s", limit, want, screen)
}
