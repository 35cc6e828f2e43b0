package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDaemonShellsFollowEveryVariable: the bash, zsh and fish scripts replace
// their daemon when a variable it read at its start changes. Their list
// must hold every variable the status engine, the prompt, the daemon and
// gitprompt itself read (colour included), but those each request carries
// (GITPROMPT_FORMAT, GITPROMPT_TIMEOUT) and the test hook.
func TestDaemonShellsFollowEveryVariable(t *testing.T) {
	reads := regexp.MustCompile(`(?:Getenv|LookupEnv|envBool|getenv)\("([A-Z_]+)"\)`)
	read := map[string]bool{}
	for _, dir := range []string{"../../internal/gitstatus", "../../internal/prompt", "../../internal/promptd", "../../internal/cli", "."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range reads.FindAllSubmatch(data, -1) {
				read[string(m[1])] = true
			}
			if strings.Contains(string(data), "os.UserHomeDir()") {
				read["HOME"] = true
			}
		}
	}
	if !read["GIT_DIR"] || !read["HOME"] {
		t.Fatalf("found %v: the search for variables read no longer finds them", read)
	}
	// TERM only matters when writing to a terminal; the daemon writes to
	// its shell's pipe.
	perRequest := []string{"GITPROMPT_FORMAT", "GITPROMPT_TIMEOUT", "GITPROMPT_TEST_DELAY", "TERM"}
	// bash and zsh: name=(…); fish: set -g name …, lines continued by \.
	list := regexp.MustCompile(`__gitprompt_daemon_vars=\(([^)]*)\)|set -g __gitprompt_daemon_vars ((?:[^\n]*\\\n)*[^\n]*)`)
	for _, script := range []string{"init.bash", "init.zsh", "init.fish"} {
		data, err := os.ReadFile(filepath.Join("../../shell", script))
		if err != nil {
			t.Fatal(err)
		}
		m := list.FindSubmatch(data)
		if m == nil {
			t.Fatalf("%s: no __gitprompt_daemon_vars list", script)
		}
		followed := strings.Fields(strings.ReplaceAll(string(m[1])+string(m[2]), "\\", " "))
		if len(followed) < 10 {
			t.Fatalf("%s: the list read is %q", script, followed)
		}
		for name := range read {
			if !slices.Contains(perRequest, name) && !slices.Contains(followed, name) {
				t.Errorf("%s does not replace its daemon when %s changes, which the daemon reads once", script, name)
			}
		}
	}
}
