// Package forge builds a local git forge from the sample project, so tests
// and `gofork demo` exercise clone, fetch and push against real git
// repositories without any network.
//
// Create lays out two bare repositories under a root directory, named the way
// a forge names them:
//
//	<root>/awesome-org/tool.git   upstream: a few commits on main, tag v1.2.0
//	<root>/awesome-you/tool.git   the fork: the same history plus one commit
//	                              on branch feature that adds (*kv.Store).Keys
//
// Commits carry fixed authors and dates, so every forge has the same hashes.
// The root can be used as a file:// forge directly, or served over smart HTTP
// by Serve, which runs the real `git http-backend`.
package forge

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/gofork/gofork/internal/sample"
)

// The names the forge is built with.
const (
	UpstreamOwner  = "awesome-org"
	ForkOwner      = "awesome-you"
	RepoName       = "tool"
	UpstreamModule = "github.com/awesome-org/tool"
	Tag            = "v1.2.0"
	DefaultBranch  = "main"
	FeatureBranch  = "feature"
)

// Forge is a forge laid out on disk by Create.
type Forge struct {
	Root string // absolute path of the forge root

	// Hashes of what Create made, for tests that want to name commits.
	UpstreamHead plumbing.Hash // tip of main in both repositories
	FeatureHead  plumbing.Hash // tip of the fork's feature branch
}

// URL returns the forge root as a file:// URL, usable wherever gofork takes
// --forge.
func (f *Forge) URL() string { return fileURL(f.Root) }

// RepoDir returns the path of the bare repository owner/repo.
func (f *Forge) RepoDir(owner, repo string) string {
	return filepath.Join(f.Root, owner, repo+".git")
}

func fileURL(dir string) string {
	return "file://" + filepath.ToSlash(dir)
}

// upstreamHistory splits the sample into commits, each adding the listed
// top-level entries; the last commit adds whatever is left. Each commit
// builds on its own because the packages arrive in dependency order.
var upstreamHistory = []struct {
	message string
	adds    []string
}{
	{"Start tool: configuration and utilities", []string{"go.mod", "README.md", "util", "config"}},
	{"raft: leader election and log replication", []string{"raft"}},
	{"Add the kv store, its network layer, driver and toold", nil},
}

const featureMessage = "kv: list the keys of a store in sorted order"

// epoch is the author date of the first commit; each later commit is a day on.
var epoch = time.Date(2026, time.January, 5, 10, 0, 0, 0, time.UTC)

// Create builds the forge under root, which must not exist or be an empty
// directory: the forge never writes over anything.
func Create(root string) (*Forge, error) {
	return create(root, sample.Upstream(), sample.ForkFeature())
}

func create(root string, upstream, feature fs.FS) (f *Forge, err error) {
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("create forge: %w", err)
	}
	if err := requireEmptyDir(root); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			// Only the two owner directories are ours to remove; root may be
			// a directory the caller made.
			os.RemoveAll(filepath.Join(root, UpstreamOwner))
			os.RemoveAll(filepath.Join(root, ForkOwner))
		}
	}()

	work, err := git.InitWithOptions(memory.NewStorage(), memfs.New(), git.InitOptions{
		DefaultBranch: plumbing.NewBranchReferenceName(DefaultBranch),
	})
	if err != nil {
		return nil, fmt.Errorf("create forge: init history: %w", err)
	}
	f = &Forge{Root: root}
	when := epoch
	for i, c := range upstreamHistory {
		last := i == len(upstreamHistory)-1
		include := func(name string) bool {
			top, _, _ := strings.Cut(name, "/")
			for _, earlier := range upstreamHistory[:i+1] {
				if slices.Contains(earlier.adds, top) {
					return true
				}
			}
			return last
		}
		if f.UpstreamHead, err = commitFiles(work, upstream, include, c.message, when); err != nil {
			return nil, err
		}
		when = when.Add(24 * time.Hour)
	}
	sig := signature(when)
	if _, err := work.CreateTag(Tag, f.UpstreamHead, &git.CreateTagOptions{Tagger: &sig, Message: "tool " + Tag}); err != nil {
		return nil, fmt.Errorf("create forge: tag %s: %w", Tag, err)
	}
	if err := writeBare(work, f.RepoDir(UpstreamOwner, RepoName)); err != nil {
		return nil, err
	}

	wt, err := work.Worktree()
	if err != nil {
		return nil, fmt.Errorf("create forge: %w", err)
	}
	if err := wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(FeatureBranch), Create: true}); err != nil {
		return nil, fmt.Errorf("create forge: branch %s: %w", FeatureBranch, err)
	}
	when = when.Add(24 * time.Hour)
	everything := func(string) bool { return true }
	if f.FeatureHead, err = commitFiles(work, feature, everything, featureMessage, when); err != nil {
		return nil, err
	}
	if err := writeBare(work, f.RepoDir(ForkOwner, RepoName)); err != nil {
		return nil, err
	}
	return f, nil
}

// requireEmptyDir succeeds when dir does not exist or is an empty directory.
func requireEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create forge in %q: %w", dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("create forge in %q: directory is not empty; choose a new or empty directory", dir)
	}
	return nil
}

func signature(when time.Time) object.Signature {
	return object.Signature{Name: "Awesome Maintainer", Email: "maintainer@awesome-org.example", When: when}
}

// commitFiles copies the files of src accepted by include into the work tree
// and commits them all.
func commitFiles(repo *git.Repository, src fs.FS, include func(name string) bool, message string, when time.Time) (plumbing.Hash, error) {
	wt, err := repo.Worktree()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("create forge: %w", err)
	}
	err = fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !include(name) {
			return err
		}
		return copyFile(wt.Filesystem, src, name)
	})
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("create forge: copy sample files: %w", err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("create forge: stage files: %w", err)
	}
	sig := signature(when)
	hash, err := wt.Commit(message, &git.CommitOptions{Author: &sig, Committer: &sig})
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("create forge: commit %q: %w", message, err)
	}
	return hash, nil
}

func copyFile(dst billy.Filesystem, src fs.FS, name string) error {
	in, err := src.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := dst.MkdirAll(path.Dir(name), 0o755); err != nil {
		return err
	}
	out, err := dst.Create(name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeBare writes every object and the branches and tags of src into a new
// bare repository at dir, with main as its default branch and pushes over
// HTTP allowed.
func writeBare(src *git.Repository, dir string) error {
	dst, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		Bare:        true,
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(DefaultBranch)},
	})
	if err != nil {
		return fmt.Errorf("create forge: init %q: %w", dir, err)
	}
	objects, err := src.Storer.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		return fmt.Errorf("create forge: %w", err)
	}
	err = objects.ForEach(func(o plumbing.EncodedObject) error {
		_, err := dst.Storer.SetEncodedObject(o)
		return err
	})
	if err != nil {
		return fmt.Errorf("create forge: write objects to %q: %w", dir, err)
	}
	refs, err := src.References()
	if err != nil {
		return fmt.Errorf("create forge: %w", err)
	}
	err = refs.ForEach(func(r *plumbing.Reference) error {
		if !r.Name().IsBranch() && !r.Name().IsTag() {
			return nil
		}
		return dst.Storer.SetReference(r)
	})
	if err != nil {
		return fmt.Errorf("create forge: write refs to %q: %w", dir, err)
	}
	cfg, err := dst.Config()
	if err != nil {
		return fmt.Errorf("create forge: %w", err)
	}
	// git http-backend refuses anonymous pushes unless the repository allows
	// them; the forge serves loopback only.
	cfg.Raw.Section("http").SetOption("receivepack", "true")
	if err := dst.SetConfig(cfg); err != nil {
		return fmt.Errorf("create forge: configure %q: %w", dir, err)
	}
	return nil
}
