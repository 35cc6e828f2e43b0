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
	term, work, shell, end := startShellWorld(t, []string{"bash", "--norc", "--noprofile", "-i"})
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

// startShellWorld starts argv in tmux in a fresh layOutShellWorld, skipping
// when tmux or the shell is missing. It returns the terminal, the world's
// directory, the shell's pid and the end of gitprompt's prompt ("$ ", or
// "# " for root).
func startShellWorld(t *testing.T, argv []string) (term *tmuxTerm, work string, shell int, end string) {
	t.Helper()
	for _, tool := range []string{"tmux", argv[0]} {
		if _, err := exec.LookPath(tool); err != nil {
			skipUnlessCI(t, tool)
		}
	}
	gittest.Isolate(t)
	t.Setenv("GITPROMPT_TIMEOUT", testTimeout)
	work = t.TempDir()
	layOutShellWorld(t, work)
	end = "$ "
	if os.Geteuid() == 0 {
		end = "# "
	}
	term = startTmux(t, work, argv)
	shell, err := strconv.Atoi(strings.TrimSpace(term.tmux("display-message", "-p", "-t", "t", "#{pane_pid}")))
	if err != nil {
		t.Fatal(err)
	}
	return term, work, shell, end
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
		if len(args) >= 2 && filepath.Base(args[0]) == "gitprompt" && args[1] == "daemon" {
			pid, _ := strconv.Atoi(filepath.Base(dir))
			pids = append(pids, pid)
		}
	}
	slices.Sort(pids)
	return pids
}

// exited says whether process pid is gone or a zombie, its descriptors
// closed: fish reaps a disowned child only after a later command.
func exited(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(rest, "Z")
}

// TestAsynchronousPrompts: zsh's and fish's prompts never wait for
// gitprompt. With every answer slowed down (the test hook) the prompt
// appears at once with the last segment for the directory, dimmed and
// uncoloured, typing goes on, and the answer repaints the prompt under what
// was typed. Each asks its daemon (zsh through pipes, fish through a spool
// directory), which is replaced when killed. Nothing is left once the shell
// has exited.
func TestAsynchronousPrompts(t *testing.T) {
	for _, sc := range []struct {
		argv  []string
		setup string
	}{
		{[]string{"zsh", "-f", "-i"}, `PROMPT='user> '; eval "$(gitprompt init zsh)"`},
		{[]string{"fish", "--no-config"}, `function fish_title; end; function fish_prompt; printf 'user> '; end; gitprompt init fish | source`},
	} {
		t.Run(sc.argv[0], func(t *testing.T) {
			// fish keeps its spool in the user's runtime directory.
			runtime := t.TempDir()
			t.Setenv("XDG_RUNTIME_DIR", runtime)
			term, work, shell, end := startShellWorld(t, sc.argv)
			term.run(sc.setup)
			term.expectPrompt("cd repo; clear", "[repo](main ∅)"+end)
			first := waitForDaemons(t, shell, 1)[0]

			// The daemon started before the delay was set answers at
			// once; it is killed while a command runs, so the next
			// prompt finds it dead (zsh when its pipe breaks, fish in
			// /proc) and starts one that answers slowly, without waiting
			// for it (the one-shot gitprompt, also slowed, would hold
			// the prompt back).
			term.expectPrompt("export GITPROMPT_TEST_DELAY=4s; clear", "[repo](main ∅)"+end)
			term.run("sleep 3; echo x > f; clear")
			sent := time.Now()
			if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			for !exited(first) {
				if time.Since(sent) > 2*time.Second {
					t.Fatalf("daemon %d killed but still running after 2 s", first)
				}
				time.Sleep(10 * time.Millisecond)
			}
			stale := "[repo](main ∅)" + end
			term.waitFirstLine(stale, 5*time.Second)
			if waited := time.Since(sent); waited > 5*time.Second {
				t.Errorf("the stale prompt came %v after the command was sent, which ran 3 s", waited)
			}
			if screen := term.capture("-e"); !strings.Contains(screen, "\x1b[2m") || strings.Contains(strings.SplitN(screen, "\n", 2)[0], "\x1b[32m") {
				t.Errorf("the stale prompt is not dimmed, or still coloured:\n%q", screen)
			}
			term.tmux("send-keys", "-t", "t", "-l", "echo typed")
			term.waitFirstLine(stale+"echo typed", 2*time.Second)
			term.waitFirstLine("[repo](main ∅ ?1)"+end+"echo typed", 20*time.Second)
			if waited := time.Since(sent); waited < 6*time.Second {
				t.Errorf("the fresh prompt came %v after the 3 s command, before the 4 s delay: the test does not see the stale one", waited)
			}
			second := waitForDaemons(t, shell, 1)[0]
			if second == first {
				t.Fatalf("daemon %d was killed but is still the shell's", first)
			}
			term.tmux("send-keys", "-t", "t", "C-u")
			answers := filepath.Join(work, "plain", "answers.txt")
			if sc.argv[0] == "fish" {
				term.run("echo $__gitprompt_spool > " + answers)
			}
			term.run("exit")
			for deadline := time.Now().Add(10 * time.Second); syscall.Kill(shell, 0) == nil || syscall.Kill(second, 0) == nil; time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("shell %d or its daemon %d still running 10 s after exit", shell, second)
				}
			}
			if sc.argv[0] == "fish" {
				dir, err := os.ReadFile(answers)
				if err != nil || len(strings.TrimSpace(string(dir))) == 0 {
					t.Fatalf("fish did not say where its answers go: %q %v", dir, err)
				}
				if !strings.HasPrefix(string(dir), runtime+"/gitprompt.") {
					t.Errorf("fish's spool %s is not in XDG_RUNTIME_DIR %s", dir, runtime)
				}
				if _, err := os.Stat(strings.TrimSpace(string(dir))); !os.IsNotExist(err) {
					t.Errorf("fish's answers directory %s outlived the shell: %v", dir, err)
				}
			}
		})
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

// TestDaemonShellsFollowGitVariables: the daemon cannot see the shell's
// later exports, so after a change to GIT_DIR or another variable choosing a
// repository bash, zsh and fish replace it, and the prompt follows the
// variables.
func TestDaemonShellsFollowGitVariables(t *testing.T) {
	for _, sc := range []struct {
		argv         []string
		setup, unset string
	}{
		{[]string{"bash", "--norc", "--noprofile", "-i"}, `PS1='user> '; eval "$(gitprompt init bash)"`, "unset"},
		{[]string{"zsh", "-f", "-i"}, `PROMPT='user> '; eval "$(gitprompt init zsh)"`, "unset"},
		{[]string{"fish", "--no-config"}, `function fish_title; end; function fish_prompt; printf 'user> '; end; gitprompt init fish | source`, "set -e"},
	} {
		t.Run(sc.argv[0], func(t *testing.T) {
			term, _, shell, end := startShellWorld(t, sc.argv)
			term.run(sc.setup)
			term.expectPrompt("cd repo; clear", "[repo](main ∅)"+end)
			first := waitForDaemons(t, shell, 1)[0]
			term.expectPrompt("export GIT_DIR=$PWD/.git; export GIT_WORK_TREE=$PWD; cd ../plain; clear", "[repo](main ∅)"+end)
			// A daemon with watches can take a while to exit (the kernel
			// tears its inotify marks down), and bash sees its coprocess
			// gone only once it has reaped it; until then bash answers
			// with the one-shot gitprompt, and a later prompt starts the
			// new daemon.
			var second []int
			for deadline := time.Now().Add(10 * time.Second); ; {
				term.expectPrompt("clear", "[repo](main ∅)"+end)
				if second = daemonsOf(shell); len(second) == 1 && second[0] != first {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("10 s after GIT_DIR changed the shell's daemons are %v (the first was %d)", second, first)
				}
				time.Sleep(50 * time.Millisecond)
			}
			term.expectPrompt(sc.unset+" GIT_DIR GIT_WORK_TREE; clear", "user> ")
			term.expectPrompt("cd ../repo; clear", "[repo](main ∅)"+end)
			// Colour, read by the daemon at its start, follows too.
			if screen := term.capture("-e"); !strings.Contains(screen, "\x1b[32m") {
				t.Fatalf("the clean prompt is not green:\n%q", screen)
			}
			term.expectPrompt("export NO_COLOR=1; clear", "[repo](main ∅)"+end)
			// The second prompt is the new daemon's in bash; in zsh and
			// fish, wait for the fresh answer to replace the dimmed stale
			// one.
			term.expectPrompt("clear", "[repo](main ∅)"+end)
			screen := term.capture("-e")
			for deadline := time.Now().Add(10 * time.Second); strings.Contains(screen, "\x1b[2m") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				screen = term.capture("-e")
			}
			if strings.Contains(screen, "\x1b[") {
				t.Errorf("after export NO_COLOR=1 the prompt is still styled:\n%q", screen)
			}
		})
	}
}

// TestFishWithoutDaemon: a daemon that dies before its first answer (here
// a gitprompt whose daemon cannot start) leaves fish on the one-shot
// gitprompt in the background for the rest of the session, its prompts
// still right and still asynchronous.
func TestFishWithoutDaemon(t *testing.T) {
	real, err := exec.LookPath("gitprompt")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	wrapper := "#!/bin/sh\n[ \"$1\" = daemon ] && exit 1\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "gitprompt"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	term, work, shell, end := startShellWorld(t, []string{"fish", "--no-config"})
	term.run(`function fish_title; end; function fish_prompt; printf 'user> '; end; gitprompt init fish | source`)
	term.expectPrompt("cd repo; clear", "[repo](main ∅)"+end)
	term.expectPrompt("echo x > f; clear", "[repo](main ∅ ?1)"+end)
	state := filepath.Join(work, "plain", "daemon.txt")
	term.expectPrompt("echo $__gitprompt_daemon_pid > "+state+"; clear", "[repo](main ∅ ?1)"+end)
	if got, err := os.ReadFile(state); err != nil || strings.TrimSpace(string(got)) != "none" {
		t.Errorf("after a daemon that never answered, fish's daemon is %q (%v), want none", got, err)
	}
	if found := daemonsOf(shell); len(found) > 0 {
		t.Errorf("daemons %v run", found)
	}
}

// TestStoppedDaemonNeverBlocks: a daemon stopped (kill -STOP) never holds
// up typing. bash gives up on it after one late answer and kills it
// (SIGKILL: a stopped process keeps a SIGTERM pending), zsh after three
// requests left unanswered for 2 s, long before its pipe could fill; the next prompts
// run without waiting and a new daemon answers.
func TestStoppedDaemonNeverBlocks(t *testing.T) {
	for _, sc := range []struct {
		argv  []string
		setup string
	}{
		// A budget of 500 ms: bash then waits 2.5 s for an answer.
		{[]string{"bash", "--norc", "--noprofile", "-i"}, `export GITPROMPT_TIMEOUT=500ms; eval "$(gitprompt init bash)"`},
		{[]string{"zsh", "-f", "-i"}, `export GITPROMPT_TIMEOUT=500ms; eval "$(gitprompt init zsh)"`},
	} {
		t.Run(sc.argv[0], func(t *testing.T) {
			term, work, shell, end := startShellWorld(t, sc.argv)
			term.run(sc.setup)
			term.expectPrompt("cd repo; clear", "[repo](main ∅)"+end)
			stopped := waitForDaemons(t, shell, 1)[0]
			if err := syscall.Kill(stopped, syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { syscall.Kill(stopped, syscall.SIGKILL) })
			ran := func(n int) time.Duration {
				t.Helper()
				mark := filepath.Join(work, "plain", "typed-"+strconv.Itoa(n))
				start := time.Now()
				term.run("echo typed > " + mark)
				for {
					if _, err := os.Stat(mark); err == nil {
						return time.Since(start)
					}
					if time.Since(start) > 30*time.Second {
						t.Fatalf("command %d did not run within 30 s behind a stopped daemon", n)
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
			// The prompt after the first command is where bash waits out
			// the answer, once (its budget and 2 s).
			ran(1)
			ran(2)
			var later time.Duration
			for n := 3; n <= 7; n++ {
				later += ran(n)
			}
			if later > 5*time.Second {
				t.Errorf("five commands behind a stopped daemon took %v: each prompt waited for it", later)
			}
			// zsh gives up on it at a prompt 2 s after the requests it
			// left unanswered: go on giving prompts.
			for deadline := time.Now().Add(10 * time.Second); !exited(stopped); time.Sleep(200 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("the stopped daemon %d was never killed", stopped)
				}
				term.run(":")
			}
			term.expectPrompt("echo x > f; clear", "[repo](main ∅ ?1)"+end)
			if now := waitForDaemons(t, shell, 1)[0]; now == stopped {
				t.Fatalf("daemon %d was stopped and is still the shell's", stopped)
			}
		})
	}
}
