package demo

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/gittest"
)

// TestCloneFork runs the clone step alone and checks the command it prints
// did what it says: a clone whose pushes go to the fork.
func TestCloneFork(t *testing.T) {
	s, out := runStepAlone(t, cloneFork)
	dir, f := s.dir, s.forge
	for _, want := range []string{
		`(?m)^  \$ gofork clone --forge file:///\S+/forge --fork-owner awesome-you awesome-org/tool /\S+/tool$`,
		`(?m)^    origin     file:///\S+/awesome-you/tool.git \(git push\)$`,
		`(?m)^  origin$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("the clone step lacks a line matching %s:\n%s", want, out.String())
		}
	}
	clone := filepath.Join(dir, forge.RepoName)
	if got := gittest.Git(t, clone, "config", "remote.pushDefault"); got != "origin" {
		t.Errorf("remote.pushDefault = %q, want origin", got)
	}
	if got := gittest.Git(t, clone, "remote", "get-url", "upstream"); got != f.URL()+"/awesome-org/tool.git" {
		t.Errorf("upstream = %q", got)
	}
}
