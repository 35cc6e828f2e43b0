//go:build unix

package main

import (
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/prompt"
	"github.com/gofork/gofork/shell"
)

// Each completion script offers exactly the flags the parser has, and
// exactly the --shell values ParseShell takes: adding a flag without its
// completion fails here.
func TestCompletionScriptsMatchFlags(t *testing.T) {
	want := promptFlagNames()
	var shells []string
	for _, s := range prompt.Shells {
		shells = append(shells, string(s))
	}
	slices.Sort(shells)
	for name, pattern := range map[string]*regexp.Regexp{
		"completion.bash": regexp.MustCompile(`(?:^|\s|')(--?[A-Za-z][-a-z]*)`),
		"completion.zsh":  regexp.MustCompile(`'(--?[A-Za-z][-a-z]*)[=\[]`),
		"completion.fish": regexp.MustCompile(`\s-(?:l (\S+)|s (\S))\s`),
	} {
		data, err := shell.Scripts.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		script := string(data)
		if name == "completion.bash" {
			// The flags are the word list of the compgen for "-*".
			m := regexp.MustCompile(`compgen -W '(-[^']*)'`).FindStringSubmatch(script)
			if m == nil {
				t.Fatalf("%s: no compgen word list of flags", name)
			}
			script = m[1]
		}
		var got []string
		for _, m := range pattern.FindAllStringSubmatch(script, -1) {
			switch {
			case name != "completion.fish":
				got = append(got, m[1])
			case m[1] != "":
				got = append(got, "--"+m[1])
			default:
				got = append(got, "-"+m[2])
			}
		}
		slices.Sort(got)
		got = slices.Compact(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s offers flags %v, the parser has %v", name, got, want)
		}
		if values := sortedShellValues(string(data)); !slices.Equal(values, shells) {
			t.Errorf("%s offers --shell values %v, ParseShell takes %v", name, values, shells)
		}
	}
}

// sortedShellValues finds the word list offered for --shell: the one that
// holds "tmux".
func sortedShellValues(script string) []string {
	m := regexp.MustCompile(`[('"]((?:[a-z]+ )+tmux(?: [a-z]+)*)[)'"]`).FindStringSubmatch(script)
	if m == nil {
		return nil
	}
	values := strings.Fields(m[1])
	slices.Sort(values)
	return values
}

// TestCompletionInShells presses Tab in each real shell, in tmux, after
// "gitprompt --shell ", and reads the offered values off the screen.
func TestCompletionInShells(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		skipUnlessCI(t, "tmux")
	}
	for _, sc := range []struct {
		name  string
		argv  []string
		setup string
		tabs  int
	}{
		{"bash", []string{"bash", "--norc", "--noprofile", "-i"}, `source <(gitprompt completion bash)`, 2},
		{"zsh", []string{"zsh", "-f", "-i"}, `autoload -U compinit && compinit -u -D && source <(gitprompt completion zsh)`, 1},
		{"fish", []string{"fish", "--no-config", "-i"}, `function fish_title; end; gitprompt completion fish | source`, 1},
	} {
		t.Run(sc.name, func(t *testing.T) {
			if _, err := exec.LookPath(sc.argv[0]); err != nil {
				skipUnlessCI(t, sc.argv[0])
			}
			term := startTmux(t, t.TempDir(), sc.argv)
			term.run(sc.setup + "; clear")
			term.tmux("send-keys", "-t", "t", "-l", "gitprompt --shell ")
			for range sc.tabs {
				time.Sleep(200 * time.Millisecond)
				term.tmux("send-keys", "-t", "t", "Tab")
			}
			var screen string
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				screen = term.capture()
				if strings.Count(screen, "tmux") >= 1 && strings.Contains(screen, "none") && strings.Contains(screen, "fish") {
					return
				}
			}
			t.Fatalf("Tab after --shell did not offer bash zsh fish tmux none; screen:\n%s", screen)
		})
	}
}
