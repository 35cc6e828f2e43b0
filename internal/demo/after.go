package demo

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/forksync"
	"github.com/gofork/gofork/internal/forkuse"
	"github.com/gofork/gofork/internal/importcheck"
	"github.com/gofork/gofork/internal/palette"
	"github.com/gofork/gofork/internal/remote"
)

// syncFork has upstream move on, then brings the fork's main up to it.
func syncFork(s *session) error {
	if err := s.pushCommit(forge.UpstreamOwner, forge.DefaultBranch, "NEWS", "upstream moved on\n", "news"); err != nil {
		return err
	}
	dir := filepath.Join(s.dir, forge.RepoName)
	s.say("Upstream has moved on since you cloned. Bring your fork's %s up to it,", forge.DefaultBranch)
	s.say("fast-forwarding yours when that loses nothing:")
	s.command("cd", dir)
	s.command("gofork", "sync")
	res, err := forksync.Sync(s.ctx, forksync.Options{Dir: dir})
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := res.WriteText(&out); err != nil {
		return err
	}
	s.sayLines(&out)
	s.say("A fork with commits upstream lacks is refused, listing them; --force pushes over them.")
	return nil
}

// followBranch uses the fork's feature branch, which then gets a commit
// that update follows.
func followBranch(s *session) error {
	dir := filepath.Join(s.dir, "consumer")
	use := forkuse.UseOptions{
		Dir: dir, Module: forge.UpstreamModule, Fork: forge.ForkOwner, Rev: forge.FeatureBranch,
		Forge: s.forge.URL(), NoDownload: true, Getenv: s.getenv,
	}
	var out bytes.Buffer
	use.Stdout, use.Stderr = &out, &out
	s.say("Use the feature branch again; the replace records the branch it follows:")
	s.command("cd", dir)
	s.command("gofork", "use", forge.UpstreamModule, "--fork", forge.ForkOwner, "--rev", forge.FeatureBranch, "--forge", s.forge.URL(), "--no-download")
	if err := forkuse.Use(s.ctx, use); err != nil {
		return err
	}
	s.sayLines(&out)
	if err := s.pushCommit(forge.ForkOwner, forge.FeatureBranch, "kv/more.go", "package kv\n\n// More is new on the branch.\nconst More = true\n", "kv: more"); err != nil {
		return err
	}
	s.say("The branch gets a commit. update moves the replace to it, as use would write it:")
	s.command("gofork", "update", "--forge", s.forge.URL(), "--no-download")
	err := forkuse.Update(s.ctx, forkuse.UpdateOptions{Dir: dir, NoDownload: true, Forge: s.forge.URL(), Getenv: s.getenv, Stdout: &out, Stderr: &out})
	s.sayLines(&out)
	if err != nil {
		return err
	}
	s.command("gofork", "drop", forge.UpstreamModule)
	err = forkuse.Drop(forkuse.DropOptions{Dir: dir, Module: forge.UpstreamModule, Getenv: s.getenv, Stdout: &out})
	s.sayLines(&out)
	return err
}

// gateRelease runs the release gate in the clone: the step before git tag.
func gateRelease(s *session) error {
	dir := filepath.Join(s.dir, forge.RepoName)
	s.say("Before tagging a release: go install pkg@version refuses a module whose go.mod")
	s.say("has a replace or exclude, and modules that require it ignore them. The gate:")
	s.command("cd", dir)
	s.command("gofork", "check", "--release")
	findings, err := importcheck.Check(importcheck.Options{Dir: dir, Release: true})
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := importcheck.Write(&out, importcheck.FormatText, findings, palette.Palette{}); err != nil {
		return err
	}
	if len(findings) == 0 {
		fmt.Fprintln(&out, "(nothing: ready for git tag)")
	}
	s.sayLines(&out)
	return nil
}

// pushCommit commits a file to branch of the forge's owner/tool with git,
// as a collaborator on the forge would.
func (s *session) pushCommit(owner, branch, file, content, message string) error {
	work, err := os.MkdirTemp(s.dir, ".push-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	gitIn := func(args ...string) error {
		cmd := exec.CommandContext(s.ctx, "git", append([]string{"-c", "user.name=Demo", "-c", "user.email=demo@gofork.example"}, args...)...)
		cmd.Dir = work
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v: %s", args[0], err, out)
		}
		return nil
	}
	if err := gitIn("clone", "-q", "-b", branch, s.forge.URL()+"/"+owner+"/"+forge.RepoName+".git", "."); err != nil {
		return err
	}
	path := filepath.Join(work, filepath.FromSlash(file))
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		return err
	}
	for _, args := range [][]string{{"add", file}, {"commit", "-q", "-m", message}, {"push", "-q", "origin", branch}} {
		if err := gitIn(args...); err != nil {
			return err
		}
	}
	return nil
}

// getenv is the environment the demo's commands see: the user's, with the
// demo's forge as $GOFORK_FORGE, as the printed commands assume.
func (s *session) getenv(name string) string {
	if name == remote.EnvForge {
		return s.forge.URL()
	}
	return os.Getenv(name)
}
