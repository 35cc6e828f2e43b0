package importcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"

	"github.com/gofork/gofork/internal/remote"
)

// fork says that importing path Fork (or below it) is wrong: the canonical
// path is Upstream, with the same rest.
type fork struct {
	Fork, Upstream string
	from           string // where check learnt it, for error messages
}

// forks is every fork check knows of, longest fork path first so the most
// specific one wins.
type forks []fork

func (fs *forks) add(f fork) {
	if f.Fork == "" || f.Upstream == "" || within(f.Upstream, f.Fork) || within(f.Fork, f.Upstream) {
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
	slices.SortFunc(fs, func(a, b fork) int { return len(b.Fork) - len(a.Fork) })
}

// upstreamOf returns the canonical path for path when it is a fork path.
func (fs forks) upstreamOf(path string) (string, bool) {
	for _, f := range fs {
		if within(path, f.Fork) {
			return f.Upstream + path[len(f.Fork):], true
		}
	}
	return "", false
}

// within reports whether path is prefix or a path below it.
func within(path, prefix string) bool {
	return strings.HasPrefix(path, prefix) && (len(path) == len(prefix) || path[len(prefix)] == '/')
}

// parseForkFlag reads --fork F or --fork F=U. For a bare F the upstream is
// the known module with the same host and repository name under another
// owner.
func parseForkFlag(flag string, known []string) (fork, error) {
	if f, u, ok := strings.Cut(flag, "="); ok {
		if f == "" || u == "" {
			return fork{}, fmt.Errorf("--fork %q: want FORK or FORK=UPSTREAM, both module paths", flag)
		}
		return fork{Fork: f, Upstream: u, from: "--fork"}, nil
	}
	for _, k := range known {
		if u, ok := swapOwner(flag, k); ok {
			return fork{Fork: flag, Upstream: u, from: "--fork"}, nil
		}
	}
	return fork{}, fmt.Errorf("--fork %q: no module in the tree or its requirements has its host and repository name; say which upstream it stands for with --fork %s=UPSTREAM", flag, flag)
}

// swapOwner returns path with its owner element replaced by module's, when
// both are host/owner/repo… paths with the same host and repository name
// and different owners.
func swapOwner(path, module string) (string, bool) {
	p := strings.SplitN(path, "/", 4)
	m := strings.SplitN(module, "/", 4)
	if len(p) < 3 || len(m) < 3 || p[0] != m[0] || p[2] != m[2] || p[1] == m[1] || !strings.Contains(p[0], ".") {
		return "", false
	}
	p[1] = m[1]
	return strings.Join(p, "/"), true
}

// gitForks learns forks from the git repository holding dir: gofork's own
// configuration (gofork.upstream, gofork.fork, written by `gofork clone`)
// and the remotes. The upstream remote is the one gh marked as base, else
// the one named "upstream", else the one whose module path is a module in
// the tree; every other remote for a repository of the same name is a fork.
// A remote's module path is its repository root: the rest of a module path
// (subdirectory, major version suffix) carries over.
func gitForks(repo *git.Repository, fs *forks, modules []string) {
	cfg, err := repo.Config()
	if err != nil {
		return // a repository without a readable config has no forks to tell
	}
	if section := cfg.Raw.Section("gofork"); section != nil {
		fs.add(fork{Fork: section.Option("fork"), Upstream: section.Option("upstream"), from: "git config gofork.fork"})
	}
	roots := map[string]string{} // remote name → module path of its repository
	for name, r := range cfg.Remotes {
		if len(r.URLs) == 0 {
			continue
		}
		if p, err := remote.ModulePathFromURL(r.URLs[0]); err == nil {
			roots[name] = p
		}
	}
	upstream := upstreamRemote(cfg, roots, modules)
	up, ok := roots[upstream]
	if !ok {
		return
	}
	for name, root := range roots {
		if name == upstream || root == up || repoName(root) != repoName(up) {
			continue
		}
		fs.add(fork{Fork: root, Upstream: up, from: fmt.Sprintf("git remote %q", name)})
	}
}

func upstreamRemote(cfg *config.Config, roots map[string]string, modules []string) string {
	for name := range roots {
		if cfg.Raw.Section("remote").Subsection(name).Option("gh-resolved") == "base" {
			return name
		}
	}
	if _, ok := roots["upstream"]; ok {
		return "upstream"
	}
	names := make([]string, 0, len(roots))
	for name := range roots {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, m := range modules {
			if within(m, roots[name]) {
				return name
			}
		}
	}
	return ""
}

func repoName(root string) string {
	return root[strings.LastIndexByte(root, '/')+1:]
}
