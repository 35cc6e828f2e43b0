package importcheck

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofork/gofork/internal/gitindex"
	"github.com/gofork/gofork/internal/sysfs"
)

// workTree is the git work tree holding the checked directory.
type workTree struct {
	top    string // its top, symbolic links resolved
	gitdir string // its git directory (a linked worktree's own)
	below  string // the checked directory below top, slash-separated; "" for top
}

// findWorkTree finds the work tree holding dir as git does: the first .git
// upward from dir, symbolic links resolved, a directory or a "gitdir: PATH"
// file (a linked worktree, a submodule). ok is false outside one.
func findWorkTree(dir string) (wt workTree, ok bool) {
	abs := sysfs.Physical(dir)
	for top := abs; ; {
		dotgit := filepath.Join(top, ".git")
		if info, err := os.Stat(dotgit); err == nil {
			wt.top, wt.gitdir = top, dotgit
			if !info.IsDir() {
				data, err := os.ReadFile(dotgit)
				gitdir, found := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir: ")
				if err != nil || !found {
					return wt, false
				}
				if !filepath.IsAbs(gitdir) {
					gitdir = filepath.Join(top, gitdir)
				}
				wt.gitdir = gitdir
			}
			rel, err := filepath.Rel(top, abs)
			if err != nil {
				return wt, false
			}
			if rel != "." {
				wt.below = filepath.ToSlash(rel)
			}
			return wt, true
		}
		parent := filepath.Dir(top)
		if parent == top {
			return wt, false
		}
		top = parent
	}
}

// fromIndex lists what check reads from the index of wt: the tracked files
// below the checked directory dir (its display prefix), with the rules the
// lister applies to directories (see list), and the set of tracked paths
// for committed. ok is false when the index cannot say (none, unreadable,
// or sparse: directories outside the sparse checkout are single entries),
// and the directories are listed instead.
//
// A tracked file that is gone from the work tree is not checked, as git
// grep does not; an untracked one is not read at all (see
// Options.Untracked).
func fromIndex(dir string, wt workTree, includeVendor, includeTestdata bool) (t *tree, tr *tracked, ok bool) {
	idx, err := gitindex.ReadFile(wt.gitdir)
	if err != nil || idx.Sparse {
		return nil, nil, false
	}
	t = &tree{}
	tr = &tracked{root: wt.top, entries: idx.Entries}
	prefix := ""
	if wt.below != "" {
		prefix = wt.below + "/"
	}
	clean := filepath.Clean(dir)
	var last string
	for i := range idx.Entries {
		e := &idx.Entries[i]
		if e.Path == last || e.SkipWorktree || !strings.HasPrefix(e.Path, prefix) {
			continue // another stage of a conflicted path, or not checked out here
		}
		last = e.Path
		var typ fs.FileMode
		switch e.Mode() & gitindex.ModeTypeMask {
		case gitindex.ModeRegular:
		case gitindex.ModeSymlink:
			typ = fs.ModeSymlink
		default:
			continue // a submodule is another repository
		}
		rel := e.Path[len(prefix):]
		dirPart, name := "", rel
		if i := strings.LastIndexByte(rel, '/'); i >= 0 {
			dirPart, name = rel[:i], rel[i+1:]
		}
		if skippedDir(dirPart, includeVendor, includeTestdata) {
			continue
		}
		p := joinName(clean, filepath.FromSlash(rel))
		switch {
		case name == "go.mod":
			if m := readModFile(p); !errors.Is(m.readErr, fs.ErrNotExist) {
				t.modFiles = append(t.modFiles, m)
			}
		case name == "go.work" && !inVendor(dir, p):
			if _, err := os.Lstat(p); err == nil {
				t.workFile = append(t.workFile, p)
			}
		case strings.HasSuffix(name, ".go") && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_"):
			t.goFiles = append(t.goFiles, fileToScan{path: p, typ: typ, mayBeGone: true})
		}
	}
	return t, tr, true
}

// skippedDir reports whether a slash-separated directory path below the
// checked directory has an element the lister would not descend into.
func skippedDir(dir string, includeVendor, includeTestdata bool) bool {
	for dir != "" {
		elem, rest, _ := strings.Cut(dir, "/")
		if skipDirName(elem, includeVendor, includeTestdata) {
			return true
		}
		dir = rest
	}
	return false
}

// skipDirName is the lister's rule for one directory name: like the go
// command, it skips names starting with "." or "_", and vendor/ and
// testdata/ unless asked for.
func skipDirName(name string, includeVendor, includeTestdata bool) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		name == "vendor" && !includeVendor || name == "testdata" && !includeTestdata
}
