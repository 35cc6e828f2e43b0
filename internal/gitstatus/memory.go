package gitstatus

import (
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/dirlist"
)

// memory is what Read remembers of a work tree from one call to the next,
// asked by the scan, the tag lookup and the staged count. Two stores hold
// it: listingCache, a file for one-shot processes (directory listings by
// their stat data, HEAD's tree), and residentTree, in a long-running
// process (a directory's counts for as long as its watch has seen no
// change, HEAD's tree, and the file beneath for listings). Each can be
// tested alone, and the scan does not know which it asks. A nil
// *listingCache is a memory that remembers nothing.
type memory interface {
	// list appends the names in the tracked directory rel, open as dirfd,
	// to names; what the store should keep goes to seen, one per
	// goroutine, handed over with collect. rel is "" or ends in '/'; a key
	// starting with NUL names a directory of the git directory (see
	// looseRefs).
	list(dirfd int, rel string, names []dirlist.Entry, seen *seenListings) ([]dirlist.Entry, error)
	collect(seen seenListings)
	// watchUntracked is told, before it is read, of an untracked
	// directory read for the counts of the tracked directory owner; false
	// when a change there could go unseen, so that owner's counts must not
	// be remembered.
	watchUntracked(dirfd int, owner string) bool
	// known returns the counts remembered for the tracked directory rel
	// while nothing they depend on has changed: the whole subtree's, or
	// the directory's own with the subdirectories still to scan.
	known(rel string) (dirResult, bool)
	// remember keeps what the scan of t found in the directory itself.
	remember(t dirTask, r dirResult)
	// treeOf is the tree of commit, when remembered.
	treeOf(commit plumbing.Hash) (plumbing.Hash, bool)
	rememberTree(commit, tree plumbing.Hash)
	// hashedAs is the blob id of the tracked file at path, remembered from
	// when it last had the stat data stat; rememberHash remembers it. The
	// stat data go by value: a pointer through the interface would move
	// every lstat's buffer to the heap.
	hashedAs(path string, stat dirStat) ([hashLen]byte, bool)
	rememberHash(path string, stat dirStat, sum [hashLen]byte)
}

// dirCounts is what a directory adds to the status.
type dirCounts struct{ unstaged, untracked, conflicted int64 }

func (c *dirCounts) add(o dirCounts) {
	c.unstaged += o.unstaged
	c.untracked += o.untracked
	c.conflicted += o.conflicted
}

// dirResult is a directory's remembered counts and, when they are its
// own, the tracked subdirectories whose counts are not included.
type dirResult struct {
	dirCounts
	subdirs []dirTask
}

// dirScan is what the scan of one tracked directory learns besides its
// counts: whether they hang on something no watch sees (a submodule's
// HEAD, a file with other hard links, a filter's output), so that they
// must not be remembered.
type dirScan struct {
	rel      string
	volatile bool
}

// The listing cache remembers listings and HEAD's tree only.
func (c *listingCache) watchUntracked(int, string) bool { return false }
func (c *listingCache) known(string) (dirResult, bool)  { return dirResult{}, false }
func (c *listingCache) remember(dirTask, dirResult)     {}
