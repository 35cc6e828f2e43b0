package gitstatus

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

// TestConfigMatchesGit parses files written in every corner of git's
// configuration syntax and compares each variable with what `git config
// --list` prints for the same file.
func TestConfigMatchesGit(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "included", "[core]\n\texcludesFile = from-include\n[gofork \"x\"]\nkey = in include\n")
	writeFile(t, dir, "config", `toplevel = before any section
# a comment
; another
[core]
	fileMode = false
	bare
	empty =
	excludesFile = ~/my ignores  ; trailing comment
[Branch "Main"]
	remote = origin
	merge = refs/heads/main
[remote "origin"]
	url = "https://example.com/a b.git"
	fetch = +refs/heads/*:refs/remotes/origin/*
	fetch = +refs/tags/*:refs/tags/*
[remote "we\"ird\\name"] pushurl = x
[Section.Sub]
	Key = old style
[quote]
	mixed = a" # not a comment "b
	escapes = tab\there\nnewline \\ \"q\"
	continued = first \
second
	spaces = "  kept  "  
	inner = a   b
[include]
	path = included
[core]
	excludesFile = after-include
`)
	got := gitConfig{}
	if err := got.readFile(filepath.Join(dir, "config"), nil, nil); err != nil {
		t.Fatal(err)
	}
	out := git(t, dir, "config", "--file", "config", "--includes", "--list", "-z")
	want := gitConfig{}
	for _, rec := range strings.Split(strings.TrimSuffix(out, "\x00"), "\x00") {
		name, value, ok := strings.Cut(rec, "\n")
		if !ok {
			value = "true" // a bare name is a boolean true
		}
		want[name] = append(want[name], value)
	}
	for name, values := range want {
		if !slices.Equal(got[name], values) {
			t.Errorf("%s = %q, git says %q", name, got[name], values)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s = %q, git has no such variable", name, got[name])
		}
	}
	if !got.boolean("core", "", "bare", false) || got.boolean("core", "", "empty", true) || got.boolean("core", "", "fileMode", true) {
		t.Errorf("booleans: bare=%v empty=%v fileMode=%v, want true false false",
			got.boolean("core", "", "bare", false), got.boolean("core", "", "empty", true), got.boolean("core", "", "fileMode", true))
	}
	if v, _ := got.value("core", "", "excludesFile"); v != "after-include" {
		t.Errorf("core.excludesFile = %q, want the last value %q", v, "after-include")
	}
	if v, _ := got.value("BRANCH", "Main", "REMOTE"); v != "origin" {
		t.Errorf("branch.Main.remote looked up case-insensitively = %q, want origin", v)
	}
}

// TestConfigErrorsNameTheLine checks that what git refuses is refused too,
// with the file and line in the message.
func TestConfigErrorsNameTheLine(t *testing.T) {
	for _, text := range []string{
		"[core]\n\tbad escape = \\q\n",
		"[core\n",
		"[core]\n\tunterminated = \"abc\n",
		"[remote \"x]\n",
	} {
		dir := t.TempDir()
		name := filepath.Join(dir, "config")
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := gitCommand(dir, "config", "--file", "config", "--list").Output(); err == nil {
			t.Fatalf("git accepts %q; the case is wrong", text)
		}
		err := gitConfig{}.readFile(name, nil, nil)
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "line") {
			t.Errorf("readFile(%q) = %v, want an error naming the file and line", text, err)
		}
	}
}

// A self-including file, or two including each other, is one clear error
// naming the loop, not the same prefix once per level.
func TestConfigIncludeLoopIsAnError(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "config", "[include]\n\tpath = config\n")
	writeFile(t, dir, "a", "[include]\n\tpath = b\n")
	writeFile(t, dir, "b", "[include]\n\tpath = a\n")
	for _, name := range []string{"config", "a"} {
		err := (gitConfig{}).readFile(filepath.Join(dir, name), nil, nil)
		if err == nil || !strings.Contains(err.Error(), "include.path loops") || strings.Count(err.Error(), "read git config") != 1 {
			t.Errorf("readFile of %s = %v, want one include.path loop error", name, err)
		}
	}
}

// includeIf conditions decide as git does: each case's included file sets
// x.v, and git config --get says whether git included it.
func TestIncludeIfMatchesGit(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	git(t, dir, "switch", "-q", "-c", "feature/x")
	git(t, dir, "remote", "add", "origin", "https://example.com/team/repo.git")
	inc := filepath.Join(t.TempDir(), "inc")
	writeFile(t, filepath.Dir(inc), "inc", "[x]\n\tv = yes\n")
	gitdir := filepath.Join(dir, ".git")
	included := 0
	for _, cond := range []string{
		"gitdir:" + gitdir, "gitdir:" + gitdir + "/", "gitdir:" + filepath.Base(dir) + "/", "gitdir:/elsewhere/",
		"gitdir/i:" + strings.ToUpper(gitdir), "gitdir:" + strings.ToUpper(gitdir),
		"onbranch:feature/x", "onbranch:feature/", "onbranch:main",
		"hasconfig:remote.*.url:https://example.com/**", "hasconfig:remote.*.url:https://other.org/**",
	} {
		t.Run(cond, func(t *testing.T) {
			git(t, dir, "config", "includeIf."+cond+".path", inc)
			defer git(t, dir, "config", "--unset-all", "includeIf."+cond+".path")
			_, gitErr := gitCommand(dir, "config", "--get", "x.v").Output()
			cfg, _, err := loadConfig(gitdir, gitdir)
			if err != nil {
				t.Fatal(err)
			}
			_, got := cfg.value("x", "", "v")
			if want := gitErr == nil; got != want {
				t.Errorf("includeIf %q: included %v, git says %v", cond, got, want)
			}
			if got {
				included++
			}
		})
	}
	if included < 6 {
		t.Errorf("only %d conditions held: the cases no longer test inclusion", included)
	}
}
