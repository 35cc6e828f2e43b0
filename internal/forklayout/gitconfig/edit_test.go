package gitconfig

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/forklayout"
)

// gitConfigFile runs git config on the file at p.
func gitConfigFile(t *testing.T, p string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"config", "--file", p}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.Output()
	if e, ok := err.(*exec.ExitError); ok {
		return string(out), e.ExitCode()
	} else if err != nil {
		t.Fatalf("git config %v: %v", args, err)
	}
	return string(out), 0
}

// Write edits a config as git config would, and keeps every line it does
// not set: the variables git reads back are git's own edit's, and the
// comments are still there.
func TestWriteKeepsOtherLinesAsGitDoes(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	for _, eol := range []string{"\n", "\r\n"} {
		original := strings.ReplaceAll(`# kept: a comment of the user's
[core]
	bare = false ; kept too
[remote "origin"]
	url = https://github.com/awesome-org/tool.git
	fetch = +refs/heads/*:refs/remotes/origin/*
	# about origin
[branch "main"]
	remote = origin
	merge = refs/heads/main
[alias]
	lg = log \
	  --oneline
[remote "origin"]
	pushurl = git@example.com:me/tool.git
[gofork]
	module = old stale line
`, "\n", eol)
		l := forklayout.Layout{
			UpstreamRemote: "upstream", UpstreamURL: "https://github.com/awesome-org/tool.git",
			ForkRemote: "origin", ForkURL: "https://github.com/awesome-you/tool.git",
			DefaultBranch: "main",
			Modules: []forklayout.Module{
				{Dir: ".", Upstream: "github.com/awesome-org/tool", Fork: "github.com/awesome-you/tool"},
				{Dir: "api", Upstream: "github.com/awesome-org/tool/api", Fork: "github.com/awesome-you/tool/api"},
			},
		}
		dir := t.TempDir()
		ours, theirs := filepath.Join(dir, "ours"), filepath.Join(dir, "git's")
		for _, p := range []string{ours, theirs} {
			if err := os.WriteFile(p, []byte(original), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := Write(ours, l); err != nil {
			t.Fatal(err)
		}

		// The same edit, made by git.
		for _, r := range [][2]string{{l.UpstreamRemote, l.UpstreamURL}, {l.ForkRemote, l.ForkURL}} {
			gitConfigFile(t, theirs, "--replace-all", "remote."+r[0]+".url", r[1])
			if _, code := gitConfigFile(t, theirs, "--get", "remote."+r[0]+".fetch"); code != 0 {
				gitConfigFile(t, theirs, "--add", "remote."+r[0]+".fetch", "+refs/heads/*:refs/remotes/"+r[0]+"/*")
			}
		}
		for _, s := range l.Settings() {
			key := s.Section + "." + s.Key
			if s.Subsection != "" {
				key = s.Section + "." + s.Subsection + "." + s.Key
			}
			if _, code := gitConfigFile(t, theirs, "--get-all", key); s.Default && code == 0 {
				continue
			}
			gitConfigFile(t, theirs, "--unset-all", key)
			for _, v := range s.Values {
				gitConfigFile(t, theirs, "--add", key, v)
			}
		}
		// Git reads the variables alike; where each sits beside the others
		// does not matter, the order of one variable's values does.
		byVariable := func(list string) string {
			lines := strings.SplitAfter(list, "\n")
			slices.SortStableFunc(lines, func(a, b string) int {
				ka, _, _ := strings.Cut(a, "=")
				kb, _, _ := strings.Cut(b, "=")
				return strings.Compare(ka, kb)
			})
			return strings.Join(lines, "")
		}
		got, _ := gitConfigFile(t, ours, "--list")
		want, _ := gitConfigFile(t, theirs, "--list")
		if got, want = byVariable(got), byVariable(want); got != want {
			t.Errorf("eol %q: git reads back\n%s\nwant what git's own edit gives\n%s", eol, got, want)
		}
		data, _ := os.ReadFile(ours)
		for _, kept := range []string{"# kept: a comment of the user's" + eol, "bare = false ; kept too" + eol, "\t# about origin" + eol, "\tlg = log \\" + eol + "\t  --oneline" + eol} {
			if !strings.Contains(string(data), kept) {
				t.Errorf("eol %q: %q is gone:\n%s", eol, kept, data)
			}
		}
		if eol == "\r\n" && strings.Count(string(data), "\n") != strings.Count(string(data), "\r\n") {
			t.Errorf("a CRLF file gained bare LF lines:\n%q", data)
		}
		// A second Write changes nothing.
		if err := Write(ours, l); err != nil {
			t.Fatal(err)
		}
		if again, _ := os.ReadFile(ours); string(again) != string(data) {
			t.Errorf("eol %q: a second Write changed the file:\n%s\n---\n%s", eol, data, again)
		}
	}
}
