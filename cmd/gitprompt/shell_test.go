//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
)

// hostileBranches and hostileDirs are names that must show as text and never
// run: most would create a file named pwned if a shell evaluated them. Branch
// names cannot hold spaces or backslashes, hence ${IFS}.
var hostileBranches = []string{
	"$(touch${IFS}pwned)",
	"`touch${IFS}pwned`",
	"${HOME}",
	"%F{red}x",
	"bang!x", // zsh's prompt_bang would show the history number
}

var hostileDirs = []string{
	"$(touch pwned)",
	"`touch pwned`",
	"100%F{red}x",
	"esc\x1b[2Jred",
	`back\w\$(id)'"`,
	"wow!",
}

// shellCase is one shell started interactively in tmux with the user's own
// prompt set up first, then gitprompt's init script loaded.
type shellCase struct {
	name  string
	argv  []string
	setup string // typed at the shell's prompt before anything else
	// userPrompt is what the user's prompt shows after a failed command
	// (fail, else failCommand) with cwd named dir: it must be untouched by
	// gitprompt outside a repository and still see the exit status.
	userPrompt string
	fail       string
}

// fishPipestatusSetup is a fish prompt of the user's that shows $status
// and $pipestatus, with gitprompt loaded after it.
const fishPipestatusSetup = `function fish_title; end; ` +
	`function fish_prompt; printf 'user[%s,%s]> ' $status "$pipestatus"; end; ` +
	`gitprompt init fish | source`

// failCommand leaves $? at 1 without ending a shell that runs with errexit:
// the failure stands first in an && list.
const failCommand = "[ -f nope ] && echo y"

var shellCases = []shellCase{
	{
		name: "bash",
		argv: []string{"bash", "--norc", "--noprofile", "-i"},
		setup: `PS1='user[$?,$pc]> '; PROMPT_COMMAND='pc=$?'; ` +
			`eval "$(gitprompt init bash)"`,
		userPrompt: "user[1,1]> ",
	},
	{
		name: "bash-prompt-command-array",
		argv: []string{"bash", "--norc", "--noprofile", "-i"},
		// The user's PROMPT_COMMAND sets PS1 anew each time, as prompt
		// frameworks do; gitprompt must run after all of it.
		setup: `PROMPT_COMMAND=('pc=$?' 'PS1="user[$pc]> "'); ` +
			`eval "$(gitprompt init bash)"`,
		userPrompt: "user[1]> ",
	},
	{
		name: "zsh",
		argv: []string{"zsh", "-f", "-i"},
		setup: `setopt prompt_subst; precmd() { pc=$?; PROMPT='user[%?,$pc]> ' }; ` +
			`eval "$(gitprompt init zsh)"`,
		userPrompt: "user[1,1]> ",
	},
	{
		name: "zsh-no-prompt-subst",
		argv: []string{"zsh", "-f", "-i"},
		setup: `unsetopt prompt_subst; PROMPT='user[%?]> '; ` +
			`eval "$(gitprompt init zsh)"`,
		userPrompt: "user[1]> ",
	},
	{
		// errexit, nounset and pipefail must not close the shell or break
		// the hook; PROMPT_COMMAND still sees $?.
		name: "bash-set-euo-pipefail",
		argv: []string{"bash", "--norc", "--noprofile", "-i"},
		setup: `set -euo pipefail; PS1='user[$?,$pc]> '; PROMPT_COMMAND='pc=$?'; ` +
			`eval "$(gitprompt init bash)"`,
		userPrompt: "user[1,1]> ",
	},
	{
		// gitprompt's hook alone in PROMPT_COMMAND: its status is the
		// whole command's.
		name: "bash-set-e-only-hook",
		argv: []string{"bash", "--norc", "--noprofile", "-i"},
		setup: `set -e; PS1='user[$?]> '; ` +
			`eval "$(gitprompt init bash)"`,
		userPrompt: "user[1]> ",
	},
	{
		name: "zsh-errexit-nounset-bang-subst",
		argv: []string{"zsh", "-f", "-i"},
		setup: `setopt errexit nounset prompt_bang prompt_subst; precmd() { pc=$?; PROMPT='user[%?,$pc]> ' }; ` +
			`eval "$(gitprompt init zsh)"`,
		userPrompt: "user[1,1]> ",
	},
	{
		name: "zsh-errexit-nounset-bang-no-subst",
		argv: []string{"zsh", "-f", "-i"},
		setup: `setopt errexit nounset prompt_bang; unsetopt prompt_subst; PROMPT='user[%?]> '; ` +
			`eval "$(gitprompt init zsh)"`,
		userPrompt: "user[1]> ",
	},
	{
		name: "fish",
		argv: []string{"fish", "--no-config", "-i"},
		// fish's own window title prints the working directory raw, so
		// the directory named with an escape sequence would clear the
		// screen through it; that is fish's, not gitprompt's, to fix.
		setup: `function fish_title; end; ` +
			`function fish_prompt; printf 'user[%s]> ' $status; end; ` +
			`gitprompt init fish | source`,
		userPrompt: "user[1]> ",
	},
	{
		// fish's counterpart of pipefail is $pipestatus, which its own
		// default prompt shows: the user's prompt sees it as it was, and
		// a negated pipeline's status too.
		name:       "fish-pipestatus",
		argv:       []string{"fish", "--no-config", "-i"},
		setup:      fishPipestatusSetup,
		fail:       "false | true | false",
		userPrompt: "user[1,1 0 1]> ",
	},
	{
		name:       "fish-negated",
		argv:       []string{"fish", "--no-config", "-i"},
		setup:      fishPipestatusSetup,
		fail:       "not true | false",
		userPrompt: "user[0,0 1]> ",
	},
}

// TestShells runs bash, zsh and fish interactively in tmux with the init
// script loaded and reads the prompt off the screen, as a user sees it:
// inside and outside repositories, in a subdirectory, with the user's prompt
// and its view of $? kept, and with hostile branch and directory names shown
// as text without ever running (no file named pwned appears).
func TestShells(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		skipUnlessCI(t, "tmux")
	}
	gittest.Isolate(t)
	t.Setenv("GITPROMPT_TIMEOUT", testTimeout)
	work := t.TempDir()
	layOutShellWorld(t, work)
	end := "$ "
	if os.Geteuid() == 0 {
		end = "# "
	}
	for _, sc := range shellCases {
		t.Run(sc.name, func(t *testing.T) {
			if _, err := exec.LookPath(sc.argv[0]); err != nil {
				skipUnlessCI(t, sc.argv[0])
			}
			fail := failCommand
			if sc.fail != "" {
				fail = sc.fail
			}
			term := startTmux(t, work, sc.argv)
			term.run(sc.setup)
			term.expectPrompt("cd plain; clear; "+fail, sc.userPrompt)
			term.expectPrompt("cd ../repo; clear; "+fail, "[repo](main ∅)"+end)
			if screen := term.capture("-e"); !strings.Contains(screen, "\x1b[32m") {
				t.Errorf("clean repo prompt is not green:\n%q", screen)
			}
			term.expectPrompt("cd sub; clear", "[repo/sub](main ∅)"+end)
			term.expectPrompt("echo x > f; clear", "[repo/sub](main ∅ ?1)"+end)
			term.expectPrompt("rm f; cd ../../plain; clear; "+fail, sc.userPrompt)
			for i, b := range hostileBranches {
				term.expectPrompt("cd ../branch"+strconv.Itoa(i)+"; clear", "[branch"+strconv.Itoa(i)+"]("+b+" ∅)"+end)
			}
			for i, d := range hostileDirs {
				shown := strings.ReplaceAll(d, "\x1b", `\x1b`)
				term.expectPrompt("cd ../dir"+strconv.Itoa(i)+"*; clear", "[dir"+strconv.Itoa(i)+shown+"](main ∅)"+end)
			}
			term.expectPrompt("cd ../plain; clear; "+fail, sc.userPrompt)
			assertNotPwned(t, work)
		})
	}
}

// layOutShellWorld makes plain/ (no repository), repo/ (one commit, with
// sub/), branchN/ (unborn on each hostile branch) and dirN<name>/ (a
// repository in each hostile directory name).
func layOutShellWorld(t *testing.T, work string) {
	for _, d := range []string{"plain", "repo/sub"} {
		if err := os.MkdirAll(filepath.Join(work, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	repo := filepath.Join(work, "repo")
	gittest.Git(t, repo, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(repo, "sub", "a.txt"), "a\n")
	gittest.Git(t, repo, "add", ".")
	gittest.Git(t, repo, "commit", "-q", "-m", "first")
	for i, b := range hostileBranches {
		gittest.Git(t, work, "init", "-q", "-b", b, "branch"+strconv.Itoa(i))
	}
	for i, d := range hostileDirs {
		gittest.Git(t, work, "init", "-q", "-b", "main", "dir"+strconv.Itoa(i)+d)
	}
}

// Every name in the world above is tried in a directory of its own, so a
// file named pwned in any of them means a shell ran a name.
func assertNotPwned(t *testing.T, work string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(work, "*", "pwned"))
	if top, _ := filepath.Glob(filepath.Join(work, "pwned")); len(top) > 0 {
		matches = append(matches, top...)
	}
	if len(matches) > 0 {
		t.Errorf("a hostile name was executed: %v", matches)
	}
}

type tmuxTerm struct {
	t      *testing.T
	socket string
}

func startTmux(t *testing.T, dir string, argv []string) *tmuxTerm {
	term := &tmuxTerm{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	args := append([]string{"new-session", "-d", "-s", "t", "-x", "150", "-y", "20", "-c", dir, "--"}, argv...)
	term.tmux(args...)
	pid, err := strconv.Atoi(strings.TrimSpace(term.tmux("display-message", "-p", "-t", "t", "#{pane_pid}")))
	if err != nil {
		t.Fatalf("tmux pane pid: %v", err)
	}
	t.Cleanup(func() {
		exec.Command("tmux", "-S", term.socket, "kill-server").Run()
		// The shell saves its history (into HOME, a test directory) and
		// a prompt may still be writing gitprompt's cache after tmux has
		// returned: wait for the shell to be gone before the directories
		// are removed.
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if syscall.Kill(pid, 0) != nil {
				return
			}
		}
		t.Errorf("shell %d still running 10s after tmux kill-server", pid)
	})
	return term
}

func (term *tmuxTerm) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// run types line and Enter into the shell.
func (term *tmuxTerm) run(line string) {
	term.t.Helper()
	term.tmux("send-keys", "-t", "t", "-l", line)
	term.tmux("send-keys", "-t", "t", "Enter")
}

func (term *tmuxTerm) capture(flags ...string) string {
	term.t.Helper()
	return term.tmux(append([]string{"capture-pane", "-p", "-t", "t"}, flags...)...)
}

// expectPrompt runs line, which ends by clearing the screen, and waits for
// the screen's first line to be want (tmux drops the trailing space).
func (term *tmuxTerm) expectPrompt(line, want string) {
	term.t.Helper()
	term.run(line)
	deadline := time.Now().Add(20 * time.Second)
	var screen string
	for time.Now().Before(deadline) {
		screen = term.capture()
		first, _, _ := strings.Cut(screen, "\n")
		if first == strings.TrimRight(want, " ") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	term.t.Fatalf("after %q the prompt is not %q; screen:\n%s", line, want, screen)
}
