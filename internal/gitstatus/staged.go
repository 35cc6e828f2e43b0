package gitstatus

import (
	"context"
	"fmt"
	"github.com/gofork/gofork/internal/gitindex"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// stagedCounter compares HEAD's tree with the index, like `git diff-index
// --cached HEAD` with intent-to-add entries invisible and unmerged paths left
// to the conflict count.
type stagedCounter struct {
	ctx     context.Context
	objects *objectDB
	entries []gitindex.Entry
	// visible[i] counts the entries before i that take part in the
	// comparison (stage 0, not intent-to-add), to count additions in a
	// range without walking it.
	visible []int
}

// newStagedCounter prepares the count for idx; count can then run for
// several commits and several Reads of the same index.
func newStagedCounter(idx *gitindex.Index) *stagedCounter {
	c := &stagedCounter{entries: idx.Entries}
	c.visible = make([]int, len(idx.Entries)+1)
	for i := range idx.Entries {
		c.visible[i+1] = c.visible[i]
		if e := &idx.Entries[i]; e.Stage == 0 && !e.IntentToAdd {
			c.visible[i+1]++
		}
	}
	return c
}

// count returns how many paths differ between the commit's tree and the
// index; head is zero for an unborn branch. The commit's tree is taken
// from mem when it remembers it.
func (c *stagedCounter) count(ctx context.Context, objects *objectDB, head plumbing.Hash, cache *gitindex.CacheTree, mem memory) (int, error) {
	c.ctx, c.objects = ctx, objects
	if head.IsZero() {
		return c.visible[len(c.entries)], nil
	}
	// With replace refs the tree remembered may be the unreplaced commit's.
	remembered := len(objects.replaced()) == 0
	var tree plumbing.Hash
	ok := false
	if remembered {
		tree, ok = mem.treeOf(head)
	}
	if !ok {
		commit, err := readCommit(objects, head)
		if err != nil {
			return 0, fmt.Errorf("compare HEAD with the index: %w", err)
		}
		tree = commit.tree
		if remembered {
			mem.rememberTree(head, tree)
		}
	}
	return c.compareTree(tree, "", 0, len(c.entries), cache)
}

// compareTree counts the differences between tree (at prefix, "" or ending
// in '/') and the index entries [lo, hi), which all lie under prefix.
func (c *stagedCounter) compareTree(tree plumbing.Hash, prefix string, lo, hi int, cache *gitindex.CacheTree) (int, error) {
	// A valid cache-tree node that names the same tree proves the range
	// equal to it: git invalidates the node whenever an entry below changes.
	if cache != nil && cache.EntryCount == hi-lo && plumbing.Hash(cache.Hash) == tree {
		return 0, nil
	}
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	entries, err := readTree(c.objects, tree)
	if err != nil {
		return 0, fmt.Errorf("compare HEAD with the index at %q: %w", prefix, err)
	}
	changed, matched := 0, 0
	for _, te := range entries {
		path := prefix + te.name
		if te.mode == gitindex.ModeDir {
			slo, shi := c.prefixRange(path+"/", lo, hi)
			n, err := c.compareTree(te.hash, path+"/", slo, shi, cache.Child(te.name))
			if err != nil {
				return 0, err
			}
			changed += n
			matched += c.visible[shi] - c.visible[slo]
			continue
		}
		i := c.find(path, lo, hi)
		switch {
		case i < 0:
			changed++ // deleted from the index
		case c.entries[i].Stage != 0:
			// unmerged: reported as a conflict only
		case c.entries[i].IntentToAdd:
			changed++ // intent-to-add entries are invisible: deleted
		default:
			matched++
			e := &c.entries[i]
			if e.Hash() != te.hash || e.Mode() != te.mode {
				changed++
			}
		}
	}
	return changed + (c.visible[hi] - c.visible[lo]) - matched, nil
}

// prefixRange narrows [lo, hi) to the entries whose path starts with prefix.
func (c *stagedCounter) prefixRange(prefix string, lo, hi int) (int, int) {
	start := lo + sort.Search(hi-lo, func(k int) bool { return c.entries[lo+k].Path >= prefix })
	end := start + sort.Search(hi-start, func(k int) bool { return !strings.HasPrefix(c.entries[start+k].Path, prefix) })
	return start, end
}

// find returns the first entry for path in [lo, hi), or -1.
func (c *stagedCounter) find(path string, lo, hi int) int {
	i := lo + sort.Search(hi-lo, func(k int) bool { return c.entries[lo+k].Path >= path })
	if i < hi && c.entries[i].Path == path {
		return i
	}
	return -1
}
