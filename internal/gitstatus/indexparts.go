package gitstatus

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/gitindex"
)

// expandSparse replaces each sparse-directory entry of a sparse index (a
// directory outside the sparse checkout, recorded as its tree) with the
// files of that tree, skip-worktree like git's own expansion for status,
// so the counts are those of the full index.
func expandSparse(idx *gitindex.Index, db *objectDB) error {
	var out []gitindex.Entry
	for i := range idx.Entries {
		e := idx.Entries[i]
		if !e.SkipWorktree || e.Mode()&gitindex.ModeTypeMask != gitindex.ModeDir || !strings.HasSuffix(e.Path, "/") {
			out = append(out, e)
			continue
		}
		var err error
		if out, err = appendTreeFiles(out, db, plumbing.Hash(e.Hash()), e.Path); err != nil {
			return fmt.Errorf("read index: expand sparse directory %q: %w", e.Path, err)
		}
	}
	idx.Entries, idx.Sparse = out, false
	return nil
}

// appendTreeFiles appends the files below tree h as index entries named
// prefix+path, in index order (which tree order gives).
func appendTreeFiles(out []gitindex.Entry, db *objectDB, h plumbing.Hash, prefix string) ([]gitindex.Entry, error) {
	entries, err := readTree(db, h)
	if err != nil {
		return nil, err
	}
	for _, te := range entries {
		if te.mode&gitindex.ModeTypeMask == gitindex.ModeDir {
			if out, err = appendTreeFiles(out, db, te.hash, prefix+te.name+"/"); err != nil {
				return nil, err
			}
			continue
		}
		e := gitindex.NewEntry(prefix+te.name, te.mode, te.hash)
		e.SkipWorktree = true
		out = append(out, e)
	}
	return out, nil
}
