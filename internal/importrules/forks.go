package importrules

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/config"

	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/forklayout/gitconfig"
	"github.com/gofork/gofork/internal/remote"
)

// Fork says that importing path Fork (or below it) is wrong: the canonical
// path is Upstream, with the same rest.
type Fork struct {
	Fork, Upstream string
}

// forks is every fork check knows of, longest fork path first so the most
// specific one wins.
type forks []Fork

func (fs *forks) add(f Fork) {
	if f.Fork == "" || f.Upstream == "" || forklayout.Within(f.Upstream, f.Fork) || forklayout.Within(f.Fork, f.Upstream) {
		return
	}
	for _, known := range *fs {
		if known.Fork == f.Fork {
			return
		}
	}
	*fs = append(*fs, f)
}

func (fs forks) sort() {
	slices.SortFunc(fs, func(a, b Fork) int { return len(b.Fork) - len(a.Fork) })
}

// upstreamOf returns the canonical path for path when it is a fork path.
func (fs forks) upstreamOf(path string) (string, bool) {
	for _, f := range fs {
		if forklayout.Within(path, f.Fork) {
			return f.Upstream + path[len(f.Fork):], true
		}
	}
	return "", false
}

// parseForkFlag reads --fork F or --fork F=U. For a bare F the upstream is
// the known module with the same host and repository name under another
// owner.
func parseForkFlag(flag string, known []string) (Fork, error) {
	if f, u, ok := strings.Cut(flag, "="); ok {
		if f == "" || u == "" {
			return Fork{}, fmt.Errorf("--fork %q: want FORK or FORK=UPSTREAM, both module paths", flag)
		}
		return Fork{Fork: f, Upstream: u}, nil
	}
	for _, k := range known {
		if u, ok := forklayout.SwapOwner(flag, k); ok {
			return Fork{Fork: flag, Upstream: u}, nil
		}
	}
	return Fork{}, fmt.Errorf("--fork %q: no module in the tree or its requirements has its host and repository name; say which upstream it stands for with --fork %s=UPSTREAM", flag, flag)
}

// gitForks learns forks from the config of the git repository holding the
// tree (forklayout.Read): the module paths `gofork clone` recorded for every
// module, and the remotes: every remote for a repository with the name of
// upstream's is a fork, once the upstream remote is known to hold a module of
// the tree (so that a clone of the fork itself, whose one remote is the fork,
// never makes upstream's own path look like a fork). A remote's module path
// is its repository root: the rest of a module path (subdirectory, major
// version suffix) carries over.
func gitForks(cfg *config.Config, fs *forks, modules []string) {
	l := forklayout.Read(gitconfig.Flatten(cfg.Raw))
	for _, m := range l.Modules {
		fs.add(Fork{Fork: m.Fork, Upstream: m.Upstream})
	}
	up, err := remote.ModulePathFromURL(l.UpstreamURL)
	if err != nil || !slices.ContainsFunc(modules, func(m string) bool { return forklayout.Within(m, up) }) {
		return
	}
	names := make([]string, 0, len(cfg.Remotes))
	for name := range cfg.Remotes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		r := cfg.Remotes[name]
		if name == l.UpstreamRemote || len(r.URLs) == 0 {
			continue
		}
		root, err := remote.ModulePathFromURL(r.URLs[0])
		if err != nil || root == up || path.Base(root) != path.Base(up) {
			continue
		}
		fs.add(Fork{Fork: root, Upstream: up})
	}
}
