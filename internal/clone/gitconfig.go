package clone

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	format "github.com/go-git/go-git/v5/plumbing/format/config"

	"github.com/gofork/gofork/internal/atomicfile"
)

// layout is the triangular workflow written into a clone's .git/config.
type layout struct {
	upstreamName, upstreamURL string
	forkName, forkURL         string
	defaultBranch             string
	upstreamModule            string // "" when unknown: gofork.upstream is left alone
	forkModule                string
}

// writeLayout sets the remotes, remote.pushDefault, the default branch's
// upstream and gofork.* in the repository at dir, keeping every other line
// of its config. The file is replaced atomically with its mode kept, so an
// interrupted repair never leaves half a config.
func writeLayout(dir string, l layout) error {
	path := filepath.Join(dir, ".git", "config")
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("configure %q: %w", dir, err)
	}
	cfg := format.New()
	if err := format.NewDecoder(bytes.NewReader(data)).Decode(cfg); err != nil {
		return fmt.Errorf("configure %q: read %s: %w", dir, path, err)
	}

	remotes := cfg.Section("remote")
	upstream := setRemote(remotes, l.upstreamName, l.upstreamURL)
	// gh asks which remote is the base repository for pull requests and
	// remembers the answer here; giving it spares the question.
	upstream.SetOption("gh-resolved", "base")
	setRemote(remotes, l.forkName, l.forkURL).RemoveOption("gh-resolved")
	remotes.SetOption("pushDefault", l.forkName)

	branch := cfg.Section("branch").Subsection(l.defaultBranch)
	branch.SetOption("remote", l.upstreamName)
	branch.SetOption("merge", "refs/heads/"+l.defaultBranch)

	gofork := cfg.Section("gofork")
	if l.upstreamModule != "" {
		gofork.SetOption("upstream", l.upstreamModule)
		gofork.SetOption("fork", l.forkModule)
	}

	var out bytes.Buffer
	if err := format.NewEncoder(&out).Encode(cfg); err != nil {
		return fmt.Errorf("configure %q: %w", dir, err)
	}
	if err := atomicfile.Replace(path, out.Bytes()); err != nil {
		return fmt.Errorf("configure %q: %w", dir, err)
	}
	return nil
}

// setRemote points remote name at url, giving it git's default refspec
// unless it already has one of its own.
func setRemote(remotes *format.Section, name, url string) *format.Subsection {
	r := remotes.Subsection(name)
	r.SetOption("url", url)
	if !r.HasOption("fetch") {
		r.SetOption("fetch", "+refs/heads/*:refs/remotes/"+name+"/*")
	}
	return r
}
