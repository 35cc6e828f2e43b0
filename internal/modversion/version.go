// Package modversion names a commit of a module's repository as the go
// command does: a tag, or a pseudo-version from golang.org/x/mod/module,
// for a module at the repository's root or in a sub-directory with its own
// tag prefix, reading the repository through go-git.
package modversion

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// Revision is a commit of a module's repository and the version the go
// command gives it.
type Revision struct {
	Version string    // tag version (v1.2.0) or pseudo-version
	Commit  string    // full hash
	Time    time.Time // committer time, UTC
	// GoModPath is the module path the go.mod at the commit declares, "" when
	// the commit has no go.mod where the module path says to look; GoMod
	// is that go.mod and GoModDir its directory in the repository
	// (slash-separated, "" for the root).
	GoModPath string
	GoMod     []byte
	GoModDir  string
}

// ResolveVersion resolves rev (a branch, tag, full or abbreviated commit
// hash; "" for HEAD) in repo, the repository whose root is the module path
// repoRoot, and names the commit the way the go command does when asked for
// modPath@rev, modPath being repoRoot or a module below it: the highest
// valid semver tag on the commit if there is one, else a pseudo-version
// (golang.org/x/mod/module.PseudoVersion) based on the highest tag among its
// ancestors, with the commit time in UTC and a 12-digit hash. A module in a
// subdirectory of the repository (repoRoot/providers/prom) lives there, and
// its tags carry that directory as a prefix (providers/prom/v1.1.0), as
// cmd/go's codeDir. Tags must match the major version of modPath (/v2 →
// v2.x.y); v2+ tags count for an unversioned path only as +incompatible,
// and only for a commit with no go.mod. Retractions are not consulted. A /vN
// module may also sit in the vN/ directory of its own.
func ResolveVersion(repo *git.Repository, repoRoot, modPath, rev string) (*Revision, error) {
	_, pathMajor, ok := module.SplitPathVersion(modPath)
	if !ok {
		return nil, fmt.Errorf("module path %q is malformed", modPath)
	}
	codeDir, ok := strings.CutPrefix(modPath, repoRoot)
	if !ok || codeDir != "" && codeDir[0] != '/' {
		return nil, fmt.Errorf("module path %q is not in the repository of %s", modPath, repoRoot)
	}
	codeDir = strings.Trim(strings.TrimSuffix(codeDir, pathMajor), "/")
	tagPrefix := ""
	if codeDir != "" {
		tagPrefix = codeDir + "/"
	}
	commit, err := resolveCommit(repo, rev)
	if err != nil {
		return nil, err
	}
	tags, err := tagsByCommit(repo, tagPrefix)
	if err != nil {
		return nil, err
	}
	rootGoMod, hasRootGoMod, err := readFile(commit, path.Join(codeDir, "go.mod"))
	if err != nil {
		return nil, err
	}
	res := &Revision{Commit: commit.Hash.String(), Time: commit.Committer.When.UTC(), GoModPath: modfile.ModulePath(rootGoMod), GoModDir: codeDir}
	if hasRootGoMod {
		res.GoMod = rootGoMod
	}
	if pathMajor != "" && !strings.HasPrefix(pathMajor, ".") {
		// A /vN module may live in the vN/ directory instead (go's findDir).
		sub, hasSub, err := readFile(commit, path.Join(codeDir, pathMajor[1:], "go.mod"))
		if err != nil {
			return nil, err
		}
		if hasSub && isMajor(modfile.ModulePath(sub), pathMajor) {
			res.GoModPath, res.GoMod, res.GoModDir = modfile.ModulePath(sub), sub, path.Join(codeDir, pathMajor[1:])
		}
	}
	// canUseIncompatible mirrors cmd/go: a v2+ tag of an unversioned module
	// path is usable as +incompatible only where no go.mod claims otherwise.
	canUseIncompatible := func(v string) bool {
		if pathMajor != "" || hasRootGoMod {
			return false
		}
		_, hasMajorGoMod, err := readFile(commit, path.Join(codeDir, semver.Major(v), "go.mod"))
		return err == nil && !hasMajorGoMod
	}
	allowed := func(v string) bool {
		return v != "" && (module.MatchPathMajor(v, pathMajor) || canUseIncompatible(v))
	}
	finish := func(v string) *Revision {
		if !module.MatchPathMajor(v, pathMajor) {
			v += "+incompatible"
		}
		res.Version = v
		return res
	}

	var highest string
	for _, tag := range tags[commit.Hash] {
		if v, canonical := tagVersion(tag); canonical && allowed(v) && semver.Compare(v, highest) > 0 {
			highest = v
		}
	}
	if highest != "" {
		return finish(highest), nil
	}

	ancestors, err := ancestorSet(commit)
	if err != nil {
		return nil, err
	}
	var base string
	for hash, names := range tags {
		if !ancestors[hash] {
			continue
		}
		for _, tag := range names {
			if v, _ := tagVersion(tag); allowed(v) && semver.Compare(v, base) > 0 {
				base = v
			}
		}
	}
	short := res.Commit[:12]
	return finish(module.PseudoVersion(module.PathMajorPrefix(pathMajor), base, res.Time, short)), nil
}

// tagVersion is cmd/go's tagToVersion, the tag's directory prefix cut off:
// the canonical semver of tag, and whether tag is spelled canonically.
// Pseudo-version-looking and incomplete (v1.2) tags give "".
func tagVersion(tag string) (v string, canonical bool) {
	if module.IsPseudoVersion(tag) {
		return "", false
	}
	v = semver.Canonical(tag)
	if v == "" || !strings.HasPrefix(tag, v) {
		return "", false
	}
	return v, v == tag
}

// isMajor reports whether the versions allowed for mpath agree with
// pathMajor, as cmd/go's isMajor does.
func isMajor(mpath, pathMajor string) bool {
	if mpath == "" {
		return false
	}
	_, mpathMajor, ok := module.SplitPathVersion(mpath)
	if !ok {
		return false
	}
	if pathMajor == "" {
		return mpathMajor == "" || mpathMajor == "/v0" || mpathMajor == "/v1"
	}
	return mpathMajor == pathMajor || module.PathMajorPrefix(mpathMajor) == module.PathMajorPrefix(pathMajor)
}

// resolveCommit finds rev as a local branch, tag, remote-tracking branch of
// origin, full or abbreviated hash, or HEAD when rev is "" or "HEAD".
func resolveCommit(repo *git.Repository, rev string) (*object.Commit, error) {
	if rev == "" || rev == "HEAD" {
		head, err := repo.Head()
		if err != nil {
			return nil, fmt.Errorf("resolve the default branch: %w", err)
		}
		return repo.CommitObject(head.Hash())
	}
	for _, name := range []plumbing.ReferenceName{
		plumbing.NewBranchReferenceName(rev),
		plumbing.NewTagReferenceName(rev),
		plumbing.NewRemoteReferenceName("origin", rev),
	} {
		ref, err := repo.Reference(name, true)
		if err != nil {
			continue
		}
		return peelToCommit(repo, ref.Hash())
	}
	if len(rev) >= 4 && len(rev) <= 40 && isHex(rev) {
		if commit, err := commitByPrefix(repo, strings.ToLower(rev)); commit != nil || err != nil {
			return commit, err
		}
	}
	return nil, fmt.Errorf("revision %q: no such branch, tag or commit; list them with git ls-remote", rev)
}

func isHex(s string) bool {
	return strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

func commitByPrefix(repo *git.Repository, prefix string) (*object.Commit, error) {
	if len(prefix) == 40 {
		commit, err := repo.CommitObject(plumbing.NewHash(prefix))
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, nil
		}
		return commit, err
	}
	iter, err := repo.CommitObjects()
	if err != nil {
		return nil, err
	}
	var found *object.Commit
	err = iter.ForEach(func(c *object.Commit) error {
		if !strings.HasPrefix(c.Hash.String(), prefix) {
			return nil
		}
		if found != nil {
			return fmt.Errorf("revision %q is ambiguous: it abbreviates %s and %s; give more digits", prefix, found.Hash, c.Hash)
		}
		found = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

// peelToCommit follows annotated tags down to the commit they name.
func peelToCommit(repo *git.Repository, hash plumbing.Hash) (*object.Commit, error) {
	for {
		tag, err := repo.TagObject(hash)
		if err != nil {
			break
		}
		hash = tag.Target
	}
	commit, err := repo.CommitObject(hash)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", hash, err)
	}
	return commit, nil
}

// tagsByCommit maps each tagged commit to the names of its tags that start
// with prefix, the prefix cut off: a sub-module's versions.
func tagsByCommit(repo *git.Repository, prefix string) (map[plumbing.Hash][]string, error) {
	refs, err := repo.Tags()
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	tags := map[plumbing.Hash][]string{}
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		name, ok := strings.CutPrefix(ref.Name().Short(), prefix)
		if !ok || strings.Contains(name, "/") {
			return nil
		}
		commit, err := peelToCommit(repo, ref.Hash())
		if err != nil {
			return nil // a tag of a tree or blob names no version
		}
		tags[commit.Hash] = append(tags[commit.Hash], name)
		return nil
	})
	return tags, err
}

// ancestorSet is commit and everything reachable from it, what
// `git for-each-ref --merged` tests tags against.
func ancestorSet(commit *object.Commit) (map[plumbing.Hash]bool, error) {
	seen := map[plumbing.Hash]bool{}
	iter := object.NewCommitPreorderIter(commit, nil, nil)
	err := iter.ForEach(func(c *object.Commit) error {
		seen[c.Hash] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk history of %s: %w", commit.Hash, err)
	}
	return seen, nil
}

// readFile returns the contents of name in commit's tree and whether it
// exists.
func readFile(commit *object.Commit, name string) ([]byte, bool, error) {
	f, err := commit.File(name)
	if errors.Is(err, object.ErrFileNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s at %s: %w", name, commit.Hash, err)
	}
	text, err := f.Contents()
	if err != nil {
		return nil, false, fmt.Errorf("read %s at %s: %w", name, commit.Hash, err)
	}
	return []byte(text), true, nil
}
