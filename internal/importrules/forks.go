package importrules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofork/gofork/internal/forklayout"
)

// Fork says that importing path Fork (or below it) is wrong: the canonical
// path is Upstream, with the same rest. Basis says what showed it, for
// people and --format json.
type Fork struct {
	Fork, Upstream string
	Basis          string
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

// upstreamOf returns the canonical path for path when it is a fork path,
// and the fork it is in.
func (fs forks) upstreamOf(path string) (string, Fork, bool) {
	for _, f := range fs {
		if forklayout.Within(path, f.Fork) {
			return f.Upstream + path[len(f.Fork):], f, true
		}
	}
	return "", Fork{}, false
}

// parseForkFlag reads --fork F or --fork F=U. For a bare F the upstream is
// the known module with the same host and repository name under another
// owner.
func parseForkFlag(flag string, known []string) (Fork, error) {
	if f, u, ok := strings.Cut(flag, "="); ok {
		if f == "" || u == "" {
			return Fork{}, fmt.Errorf("--fork %q: want FORK or FORK=UPSTREAM, both module paths", flag)
		}
		return Fork{Fork: f, Upstream: u, Basis: "--fork"}, nil
	}
	for _, k := range known {
		if u, ok := forklayout.SwapOwner(flag, k); ok {
			return Fork{Fork: flag, Upstream: u, Basis: "--fork"}, nil
		}
	}
	return Fork{}, fmt.Errorf("--fork %q: no module in the tree or its requirements has its host and repository name; say which upstream it stands for with --fork %s=UPSTREAM", flag, flag)
}
