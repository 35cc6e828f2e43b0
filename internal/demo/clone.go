package demo

import (
	"bytes"
	"path/filepath"

	"github.com/go-git/go-git/v5"

	"github.com/gofork/gofork/internal/clone"
	"github.com/gofork/gofork/internal/forge"
)

// cloneFork clones upstream with the fork as the push remote.
func cloneFork(s *session) error {
	dir := filepath.Join(s.dir, forge.RepoName)
	upstream := forge.UpstreamOwner + "/" + forge.RepoName
	s.say("Clone upstream and make your fork the push remote; the import path stays")
	s.say("%s, so nothing in the code changes:", forge.UpstreamModule)
	s.command("gofork", "clone", "--forge", s.forge.URL(), "--fork-owner", forge.ForkOwner, upstream, dir)
	var out bytes.Buffer
	err := clone.Run(s.ctx, clone.Options{
		Upstream:  upstream,
		Dir:       dir,
		Forge:     s.forge.URL(),
		ForkOwner: forge.ForkOwner,
		Stdout:    &out,
		Stderr:    &out,
		Getenv:    func(string) string { return "" },
	})
	s.sayLines(&out)
	if err != nil {
		return err
	}
	s.say("In %s, git pull brings upstream and git push goes to your fork:", dir)
	s.command("git", "-C", dir, "config", "remote.pushDefault")
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return err
	}
	cfg, err := repo.Config()
	if err != nil {
		return err
	}
	s.say("%s", cfg.Raw.Section("remote").Option("pushDefault"))
	s.say("Your fork's branches are fetched too: git switch %s", forge.FeatureBranch)
	return nil
}
