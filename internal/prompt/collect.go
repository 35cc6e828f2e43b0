package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/gitstatus"
	"github.com/gofork/gofork/internal/rawfile"
)

// Collect reads the segment for the work tree dir is in. A nil Segment
// means there is nothing to show: outside a work tree, in a repository that
// turns gitprompt off (gitprompt.enable=false), or one whose status cannot
// be known. gitprompt.showDirty=false and gitprompt.maxIndexEntries leave
// out the counts (see gitstatus.Options.Settings). Otherwise the Segment is worth showing even with an
// error (an unreadable go.mod, or the reason for a count gitstatus could
// not know: Status.Unknown); when ctx's deadline passes first, the counts
// not computed are -1 and Complete is false. What is kept between prompts
// is up to mem.
func Collect(ctx context.Context, dir string, mem Memory) (*Segment, error) {
	st, err := gitstatus.Read(ctx, dir, gitstatus.Options{
		CompareRefs: forkCompareRefs, Settings: "gitprompt",
		CacheDir: mem.CacheDir, Resident: mem.Resident,
	})
	if err != nil {
		return nil, err
	}
	if st.Disabled {
		return nil, nil // git config gitprompt.enable false
	}
	seg := &Segment{
		Status:     *st,
		Dir:        dirLabel(st.Workdir, dir),
		ForkBehind: st.CompareBehind,
	}
	seg.LocalReplace, err = hasOutsideReplace(st.Workdir)
	if st.Unknown != "" {
		err = errors.Join(err, errors.New(st.Unknown))
	}
	return seg, err
}

// Memory is what Collect keeps between prompts: directory listings in
// CacheDir ("" for none), and, in a long-running process, the work trees
// in Resident (nil for none); see gitstatus.Options.
type Memory struct {
	CacheDir string
	Resident *gitstatus.Resident
}

// forkCompareRefs are where the fork's layout says upstream's default
// branch is; none in a plain clone, which has no fork to fall behind with.
func forkCompareRefs(config map[string][]string) []string {
	l := forklayout.Read(config)
	if !l.Triangular() {
		return nil
	}
	return l.UpstreamRefs()
}

// replaceDirectives is the lines of a go.mod that hold "=>", each as a
// one-line replace directive; one that is not (an arrow in a comment) makes
// it fail to parse.
func replaceDirectives(gomod []byte) []byte {
	var out []byte
	for line := range bytes.Lines(gomod) {
		if !bytes.Contains(line, []byte("=>")) {
			continue
		}
		line = bytes.TrimSpace(line)
		if !bytes.HasPrefix(line, []byte("replace")) {
			out = append(out, "replace "...)
		}
		out = append(append(out, line...), '\n')
	}
	return out
}

// dirLabel is the work tree's name, then the path from its top to dir.
func dirLabel(workdir, dir string) string {
	name := filepath.Base(workdir)
	abs, err := filepath.Abs(dir)
	if err != nil {
		return name
	}
	rel, err := filepath.Rel(workdir, abs)
	if err != nil || !filepath.IsLocal(rel) {
		// dir reaches the work tree through a symbolic link.
		real, evalErr := filepath.EvalSymlinks(abs)
		if evalErr != nil {
			return name
		}
		if rel, err = filepath.Rel(workdir, real); err != nil || !filepath.IsLocal(rel) {
			return name
		}
	}
	if rel == "." {
		return name
	}
	return name + "/" + filepath.ToSlash(rel)
}

// hasOutsideReplace reports whether the go.mod at the top of the work tree
// replaces a module with a directory outside the work tree: a line that
// breaks every other checkout. A sibling module of the same repository
// (=> ./api) breaks none. Most go.mod files have no "=>" at all, so only
// those that do are parsed, and then only their lines with "=>"
// (replaceDirectives): a container engine's 15 KB go.mod took 0.58 ms to
// parse whole, at every prompt.
func hasOutsideReplace(workdir string) (bool, error) {
	path := filepath.Join(workdir, "go.mod")
	data, err := rawfile.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read go.mod for replace directives: %w", err)
	}
	if !bytes.Contains(data, []byte("=>")) {
		return false, nil
	}
	f, err := modfile.Parse(path, replaceDirectives(data), nil)
	if err != nil {
		// Not replace lines after all (an arrow in a comment): the whole
		// file decides, as it did.
		if f, err = modfile.Parse(path, data, nil); err != nil {
			return false, fmt.Errorf("parse go.mod for replace directives: %w", err)
		}
	}
	for _, r := range f.Replace {
		if !modfile.IsDirectoryPath(r.New.Path) {
			continue
		}
		target := filepath.FromSlash(r.New.Path)
		if !filepath.IsAbs(target) {
			target = filepath.Join(workdir, target)
		}
		if rel, err := filepath.Rel(workdir, target); err != nil || rel != "." && !filepath.IsLocal(rel) {
			return true, nil
		}
	}
	return false, nil
}
