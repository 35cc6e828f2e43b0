package demo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/importcheck"
	"github.com/gofork/gofork/internal/palette"
)

// checkImports plants the mistake forks invite, an import rewritten to the
// fork's path, in a clone of upstream, then has check catch it and fix undo it.
func checkImports(s *session) error {
	dir := filepath.Join(s.dir, "check-tool")
	url := s.forge.URL() + "/" + forge.UpstreamOwner + "/" + forge.RepoName + ".git"
	s.say("An editor's auto-import or a search-and-replace rewrites an import to the")
	s.say("fork's path. That builds for you and breaks everyone else. In a clone of upstream:")
	s.command("git", "clone", url, dir)
	if _, err := git.PlainCloneContext(s.ctx, dir, false, &git.CloneOptions{URL: url}); err != nil {
		return fmt.Errorf("clone %q: %w", url, err)
	}
	forkModule, err := forklayout.ForkModulePath(forge.UpstreamModule, forge.ForkOwner)
	if err != nil {
		return err
	}
	const file = "kv/statemachine.go"
	upstream, fork := forge.UpstreamModule+"/raft", forkModule+"/raft"
	path := filepath.Join(dir, filepath.FromSlash(file))
	s.command("sed", "-i", "s#"+upstream+"#"+fork+"#", path)
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, bytes.Replace(src, []byte(upstream), []byte(fork), 1), 0o644); err != nil {
		return err
	}

	opts := importcheck.Options{Dir: dir, Forks: []string{forkModule}}
	forkFlag := "--fork=" + forkModule
	s.say("check is the CI gate: it reports the import, exit status 1.")
	s.command("gofork", "check", forkFlag, dir)
	if err := s.check(opts, 1); err != nil {
		return err
	}
	s.say("fix puts upstream's path back, changing only the bytes of the path;")
	s.say("--dry-run shows the diff first:")
	s.command("gofork", "fix", "--dry-run", forkFlag, dir)
	var out bytes.Buffer
	if _, err := importcheck.Fix(opts, true, &out); err != nil {
		return err
	}
	s.sayLines(&out)
	s.command("gofork", "fix", forkFlag, dir)
	if _, err := importcheck.Fix(opts, false, &out); err != nil {
		return err
	}
	s.sayLines(&out)
	s.say("The tree is clean again: no output, exit status 0.")
	s.command("gofork", "check", forkFlag, dir)
	return s.check(opts, 0)
}

// check runs check over opts.Dir, prints its findings and makes sure there
// are as many as the demo expects.
func (s *session) check(opts importcheck.Options, want int) error {
	findings, err := importcheck.Check(opts)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := importcheck.Write(&out, importcheck.FormatText, findings, palette.Palette{}); err != nil {
		return err
	}
	if len(findings) != want {
		return fmt.Errorf("check found %d problems, want %d:\n%s", len(findings), want, strings.TrimSpace(out.String()))
	}
	s.sayLines(&out)
	return nil
}
