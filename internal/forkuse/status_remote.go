package forkuse

import (
	"context"
	"net/http"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gofork/gofork/internal/modversion"
	"github.com/gofork/gofork/internal/remote"
)

// Forward is what the forge says of a replace gofork use --fork wrote: the
// version its branch (or tag, or commit) names now, and the first release
// of upstream that contains the replacement's commit, after which the
// replace can give way to a plain require.
type Forward struct {
	Latest   string `json:"latest,omitempty"`   // what gofork update would write
	Moved    bool   `json:"moved"`              // Latest differs from the replace's version
	Released string `json:"released,omitempty"` // e.g. v1.3.0; "" when no release has it yet
	Error    string `json:"error,omitempty"`    // why the forge could not say
}

// forward asks forgeURL ("" for $GOFORK_FORGE, else the default) about the
// replace rr of a module.
func forward(ctx context.Context, rr *ReplaceReport, forgeURL string, getenv func(string) string) *Forward {
	fw := &Forward{}
	opts := UseOptions{Module: rr.Module, Fork: rr.Path, Forge: forgeURL, Getenv: getenv}
	f, err := openFork(ctx, opts)
	if err != nil {
		fw.Error = err.Error()
		return fw
	}
	if rev, err := f.revision(rr.Module, rr.Rev); err != nil {
		fw.Error = err.Error()
	} else {
		fw.Latest, fw.Moved = rev.Version, rev.Version != rr.Version
	}
	commit, err := f.commitOf(rr.Version)
	if err != nil {
		if fw.Error == "" {
			fw.Error = err.Error()
		}
		return fw
	}
	if fw.Released, err = releaseWith(ctx, rr.Module, commit, forgeURL, getenv, http.DefaultClient); err != nil && fw.Error == "" {
		fw.Error = err.Error()
	}
	return fw
}

// commitOf is the fork commit a replace's version names: the commit of a
// pseudo-version, else the tag.
func (f *fork) commitOf(version string) (plumbing.Hash, error) {
	rev := version
	if short, err := module.PseudoVersionRev(version); err == nil {
		rev = short
	}
	r, err := modversion.ResolveVersion(f.repo, f.root, f.path, rev)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return plumbing.NewHash(r.Commit), nil
}

// releaseWith is the lowest release of upstream (a semver tag of its major
// version, sub-module tags by their prefix) whose commit has commit in its
// history: merged as it is, not squashed or rebased, which give new
// commits. A vanity upstream (go.uber.org/zap) is found as use finds one,
// through its go-import page, asked with client.
func releaseWith(ctx context.Context, upstream string, commit plumbing.Hash, forgeURL string, getenv func(string) string, client *http.Client) (string, error) {
	forge, err := remote.ForgeFromEnv(forgeURL, "", "", getenv)
	if err != nil {
		return "", err
	}
	url, root, err := upstreamRepository(ctx, forge, upstream, client)
	if err != nil {
		return "", err
	}
	repo, err := readRepository(ctx, url)
	if err != nil {
		return "", err
	}
	// Tags of a module in a sub-directory start with the directory; a
	// major version suffix is no directory.
	withoutMajor, major, _ := module.SplitPathVersion(upstream)
	prefixPath := strings.TrimPrefix(strings.TrimPrefix(withoutMajor, root), "/")
	if prefixPath != "" {
		prefixPath += "/"
	}
	refs, err := repo.Tags()
	if err != nil {
		return "", err
	}
	var best string
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		v, ok := strings.CutPrefix(ref.Name().Short(), prefixPath)
		if !ok || !semver.IsValid(v) || semver.Prerelease(v) != "" || !module.MatchPathMajor(v, major) || best != "" && semver.Compare(v, best) >= 0 {
			return nil
		}
		tagged, err := peelCommit(repo, ref.Hash())
		if err != nil {
			return nil
		}
		if tagged.Hash == commit {
			best = v
			return nil
		}
		if c, err := repo.CommitObject(commit); err == nil {
			if ok, err := c.IsAncestor(tagged); err == nil && ok {
				best = v
			}
		}
		return nil
	})
	return best, err
}

// upstreamRepository is the git URL of the repository holding the module
// upstream and the module path of its root: on the forge for a path of
// github.com or the forge's host, else through the go-import page.
func upstreamRepository(ctx context.Context, forge remote.Forge, upstream string, client *http.Client) (url, root string, err error) {
	host, _, _ := strings.Cut(upstream, "/")
	if host == "github.com" || host == forge.Host() {
		return repoURL(forge, upstream)
	}
	up, err := remote.Resolve(ctx, upstream, forge, client)
	if err != nil {
		return "", "", err
	}
	root, _, _ = module.SplitPathVersion(up.Module)
	return up.URL, root, nil
}

func peelCommit(repo *git.Repository, h plumbing.Hash) (*object.Commit, error) {
	if tag, err := repo.TagObject(h); err == nil {
		return tag.Commit()
	}
	return repo.CommitObject(h)
}
