package prompt

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gitstatus"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/prompt/golden")

const goldenDir = "../../testdata/prompt/golden"

const head = "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b"

// clean is a work tree at the top of tool, on main, in sync with origin/main.
func clean() Segment {
	return Segment{
		Status: gitstatus.Status{
			Workdir: "/src/tool", Gitdir: "/src/tool/.git",
			Branch: "main", Commit: head, Upstream: "origin/main", Complete: true,
		},
		Dir:        "tool",
		ForkBehind: -1,
	}
}

// states covers every colour, indicator, operation and kind of HEAD, plus
// hostile names, in the order the golden files list them.
var states = []struct {
	name string
	edit func(*Segment)
}{
	{"clean", func(s *Segment) {}},
	{"subdir", func(s *Segment) { s.Dir = "tool/raft" }},
	{"no-upstream", func(s *Segment) { s.Upstream = "" }},
	{"staged", func(s *Segment) { s.Staged = 2 }},
	{"unstaged", func(s *Segment) { s.Unstaged = 1 }},
	{"untracked", func(s *Segment) { s.Untracked = 3 }},
	{"all-changes", func(s *Segment) { s.Staged, s.Unstaged, s.Untracked = 2, 1, 3 }},
	{"ahead", func(s *Segment) { s.Ahead = 1 }},
	{"behind", func(s *Segment) { s.Behind = 2 }},
	{"diverged", func(s *Segment) { s.Ahead, s.Behind = 1, 2 }},
	{"ahead-and-dirty", func(s *Segment) { s.Ahead, s.Unstaged = 1, 1 }},
	{"stash", func(s *Segment) { s.Stash = 2 }},
	{"detached-tag", func(s *Segment) { s.Branch, s.Detached, s.Upstream, s.Tag = "", true, "", "v1.2.0" }},
	{"detached-hash", func(s *Segment) { s.Branch, s.Detached, s.Upstream = "", true, "" }},
	{"unborn", func(s *Segment) { s.Commit, s.Unborn, s.Upstream, s.Untracked = "", true, "", 1 }},
	{"rebase", func(s *Segment) {
		s.Branch, s.Detached, s.Upstream = "", true, ""
		s.State, s.Step, s.Total, s.Conflicted = "rebase-m", 2, 5, 1
	}},
	{"rebase-clean", func(s *Segment) { s.State, s.Step, s.Total = "rebase-i", 3, 5 }},
	{"am", func(s *Segment) { s.State, s.Step, s.Total = "am", 1, 2 }},
	{"merging", func(s *Segment) { s.State, s.Conflicted, s.Staged = "merge", 1, 1 }},
	{"cherry-picking", func(s *Segment) { s.State = "cherry-pick" }},
	{"reverting", func(s *Segment) { s.State, s.Unstaged = "revert", 1 }},
	{"bisecting", func(s *Segment) { s.State, s.Branch, s.Detached, s.Upstream = "bisect", "", true, "" }},
	{"incomplete", func(s *Segment) {
		s.Complete = false
		s.Staged, s.Unstaged, s.Untracked, s.Conflicted = -1, -1, -1, -1
	}},
	{"incomplete-ahead", func(s *Segment) {
		s.Complete, s.Ahead = false, 2
		s.Staged, s.Unstaged, s.Untracked, s.Conflicted = -1, -1, -1, -1
	}},
	{"upstream-gone", func(s *Segment) { s.UpstreamGone = true }},
	{"counts-skipped", func(s *Segment) {
		s.Complete, s.Skipped, s.Ahead = false, "gitprompt.showDirty=false", 1
		s.Staged, s.Unstaged, s.Untracked, s.Conflicted = -1, -1, -1, -1
	}},
	{"fork-behind", func(s *Segment) { s.ForkBehind = 3 }},
	{"fork-in-sync", func(s *Segment) { s.ForkBehind = 0 }},
	{"local-replace", func(s *Segment) { s.LocalReplace = true }},
	{"fork-everything", func(s *Segment) { s.ForkBehind, s.LocalReplace, s.Ahead, s.Staged = 3, true, 1, 1 }},
	{"hostile-command", func(s *Segment) { s.Branch = "$(touch pwned)" }},
	{"hostile-backticks", func(s *Segment) { s.Branch = "`touch pwned`" }},
	{"hostile-variable", func(s *Segment) { s.Branch = "${HOME}" }},
	{"hostile-zsh-percent", func(s *Segment) { s.Branch = "%F{red}x" }},
	{"hostile-backslash", func(s *Segment) { s.Branch = `\w\$\[x` }},
	{"hostile-dir", func(s *Segment) { s.Dir = "$(touch pwned)`id`%n\x1b[2J\u202e/sub" }},
	{"hostile-bytes", func(s *Segment) { s.Branch = "a\x01b\x02c\x07\x7f\xffd\u0085" }},
	{"hostile-tmux", func(s *Segment) { s.Dir = "x#[fg=blue]#(touch pwned)#{pane_pid}##" }},
}

// TestRenderGolden renders every state for every shell, with colour (and
// without it for "none"), against testdata/prompt/golden/<shell>.txt. Each
// line is `state: "segment"`, quoted so control bytes are visible.
func TestRenderGolden(t *testing.T) {
	for _, shell := range Shells {
		t.Run(string(shell), func(t *testing.T) {
			var got strings.Builder
			for _, st := range states {
				seg := clean()
				st.edit(&seg)
				out := Render(&seg, Options{Shell: shell, Color: shell != None})
				fmt.Fprintf(&got, "%s: %s\n", st.name, strconv.Quote(out))
			}
			golden := filepath.Join(goldenDir, string(shell)+".txt")
			if *update {
				if err := os.MkdirAll(goldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got.String() != string(want) {
				t.Errorf("rendering differs from %s (go test -update rewrites it after review):\n%s", golden, lineDiff(string(want), got.String()))
			}
		})
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "-%s\n+%s\n", wl, gl)
		}
	}
	return b.String()
}

func TestColor(t *testing.T) {
	tests := []struct {
		state string
		want  string
	}{
		{"clean", green}, {"no-upstream", green}, {"subdir", green},
		{"staged", red}, {"unstaged", red}, {"untracked", red}, {"ahead-and-dirty", red}, {"rebase", red},
		{"ahead", yellow}, {"diverged", yellow}, {"incomplete-ahead", yellow},
		{"behind", ochre}, {"detached-tag", ochre}, {"detached-hash", ochre}, {"rebase-clean", ochre},
		{"bisecting", ochre}, {"cherry-picking", ochre}, {"incomplete", ochre},
		{"stash", green}, {"fork-behind", green},
	}
	for _, tt := range tests {
		seg := stateNamed(t, tt.state)
		if got := Color(&seg); got != tt.want {
			t.Errorf("Color(%s) = %q, want %q", tt.state, got, tt.want)
		}
	}
}

func stateNamed(t *testing.T, name string) Segment {
	t.Helper()
	for _, st := range states {
		if st.name == name {
			seg := clean()
			st.edit(&seg)
			return seg
		}
	}
	t.Fatalf("no state %q", name)
	return Segment{}
}

func TestRenderFormat(t *testing.T) {
	seg := stateNamed(t, "fork-everything")
	tests := []struct {
		format, want string
	}{
		{"{branch}", "main"},
		{"{dir} {branch}{ahead}{fork}{staged}{unstaged}", "tool main↑1⑂↓3+1"},
		{"<{replace}>{stash}", "<⚠replace>"},
		{"{color}{branch}{reset} 100%", "%{\x1b[31m%}main%{\x1b[0m%} 100%%"},
		{"no placeholders", "no placeholders"},
	}
	for _, tt := range tests {
		format, err := ParseFormat(tt.format)
		if err != nil {
			t.Errorf("ParseFormat(%q): %v", tt.format, err)
			continue
		}
		if got := Render(&seg, Options{Shell: Zsh, Color: true, Format: format}); got != tt.want {
			t.Errorf("Render(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
}

func TestParseFormatErrors(t *testing.T) {
	tests := []struct{ format, want string }{
		{"{brnach}", `unknown placeholder {brnach}: use one of {dir} {branch}`},
		{"[{dir", `"{dir" is not closed`},
		{"{}", "unknown placeholder {}"},
	}
	for _, tt := range tests {
		_, err := ParseFormat(tt.format)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseFormat(%q) error = %v, want it to contain %q", tt.format, err, tt.want)
		}
	}
}

func TestParseShell(t *testing.T) {
	for _, name := range []string{"bash", "zsh", "fish", "tmux", "none"} {
		if s, err := ParseShell(name); err != nil || string(s) != name {
			t.Errorf("ParseShell(%q) = %q, %v", name, s, err)
		}
	}
	if _, err := ParseShell("csh"); err == nil || !strings.Contains(err.Error(), `unknown shell "csh"`) {
		t.Errorf("ParseShell(csh) error = %v", err)
	}
}
