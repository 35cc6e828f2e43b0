package gitstatus

import (
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/dirlist"
)

// residentTree is the memory (memory.go) of a resident work tree: what the
// scan asks it, and what it keeps for the next Read.

func (t *residentTree) list(dirfd int, rel string, names []dirlist.Entry, seen *seenListings) ([]dirlist.Entry, error) {
	if strings.HasPrefix(rel, "\x00") {
		return dirlist.Read(dirfd, names) // refs/tags: a look is cheaper than a cache file
	}
	t.scanMu.Lock()
	t.scanned++
	listing, ok := t.listings[rel]
	if ok {
		// Its watch must still be the directory's own; it is still
		// needed, so a full scan's sweep must keep it.
		if w, watched := t.watched[listing.wd]; watched && w.owner == rel && w.own {
			w.gen = t.gen
			t.watched[listing.wd] = w
		} else {
			delete(t.listings, rel)
			ok = false
		}
	}
	t.scanMu.Unlock()
	if ok {
		return append(names, listing.names...), nil
	}
	wd, watched := t.watchDir(dirfd, rel, true)
	start := len(names)
	names, err := t.listingCache().list(dirfd, rel, names, seen)
	if err == nil && watched {
		// Copied: the names may point into the cache file, unmapped
		// after the Read.
		listing := make([]dirlist.Entry, len(names)-start)
		for i, n := range names[start:] {
			listing[i] = dirlist.Entry{Name: strings.Clone(n.Name), Type: n.Type}
		}
		t.scanMu.Lock()
		if t.watch != nil {
			t.listings[rel] = residentListing{names: listing, wd: wd}
		}
		t.scanMu.Unlock()
	}
	return names, err
}

// listingCache is the listing cache file for this Read, opened at the
// first directory to list: after no change there is none.
func (t *residentTree) listingCache() *listingCache {
	t.diskOnce.Do(func() {
		if t.cacheDir != "" && !within(t.cacheDir, t.workdir) {
			t.disk = openListingCache(t.cacheDir, t.workdir, t.res.now())
		}
	})
	return t.disk
}

func (t *residentTree) collect(seen seenListings) {
	if len(seen.kept) > 0 || len(seen.fresh) > 0 {
		t.listingCache().collect(seen)
	}
}

func (t *residentTree) hashedAs(path string, stat dirStat) ([hashLen]byte, bool) {
	return t.listingCache().hashedAs(path, stat)
}

func (t *residentTree) rememberHash(path string, stat dirStat, sum [hashLen]byte) {
	t.listingCache().rememberHash(path, stat, sum)
}

func (t *residentTree) watchUntracked(dirfd int, owner string) bool {
	return t.addWatch(dirfd, owner, false)
}

func (t *residentTree) known(rel string) (dirResult, bool) {
	t.scanMu.Lock()
	defer t.scanMu.Unlock()
	n := t.nodes[rel]
	if n == nil || !n.ownKnown || t.watch == nil {
		return dirResult{}, false
	}
	t.knownHits++
	if n.totalKnown {
		return dirResult{dirCounts: n.total}, true
	}
	return dirResult{dirCounts: n.own, subdirs: n.subdirs}, true
}

func (t *residentTree) remember(task dirTask, r dirResult) {
	t.scanMu.Lock()
	defer t.scanMu.Unlock()
	if t.watch == nil {
		return
	}
	task.parentfd = -1
	n := t.nodes[task.rel]
	if n == nil {
		n = &dirNode{}
		t.nodes[task.rel] = n
	} else {
		// Subdirectories gone since are forgotten with all below them.
		for _, old := range n.subdirs {
			if !slices.ContainsFunc(r.subdirs, func(s dirTask) bool { return s.rel == old.rel }) {
				t.forgetBelow(old.rel)
			}
		}
	}
	n.task, n.own, n.subdirs = task, r.dirCounts, r.subdirs
	n.ownKnown = true
	t.invalidateTotals(task.rel)
}

// invalidateTotals marks the totals of rel and the directories above it
// unknown.
func (t *residentTree) invalidateTotals(rel string) {
	if n := t.nodes[rel]; n != nil {
		n.totalKnown = false
	}
	for rel != "" {
		rel = parentDir(rel)
		if n := t.nodes[rel]; n != nil {
			n.totalKnown = false
		}
	}
}

func (t *residentTree) forgetBelow(rel string) {
	n := t.nodes[rel]
	if n == nil {
		return
	}
	delete(t.nodes, rel)
	for _, s := range n.subdirs {
		t.forgetBelow(s.rel)
	}
}

func (t *residentTree) treeOf(commit plumbing.Hash) (plumbing.Hash, bool) {
	t.scanMu.Lock()
	defer t.scanMu.Unlock()
	if commit.IsZero() || t.head.commit != commit {
		return plumbing.ZeroHash, false
	}
	return t.head.tree, true
}

func (t *residentTree) rememberTree(commit, tree plumbing.Hash) {
	t.scanMu.Lock()
	t.head = headTree{commit, tree}
	t.scanMu.Unlock()
}

// finish ends a Read: the subtrees' totals are added up, the listing
// cache file saved when a directory was read, and after a full scan the
// watches it no longer needed dropped. complete says the scan ran to
// its end; saveListings, that what it read may be kept.
func (t *residentTree) finish(complete, saveListings bool) {
	if complete {
		t.settle("")
	}
	if complete && t.knownHits == 0 && t.watch != nil {
		for wd, w := range t.watched {
			// The git directory's are set again only when needed.
			if w.gen != t.gen && w.owner != gitOwner {
				t.watch.remove(wd)
				t.unwatch(wd)
				if w.own {
					delete(t.listings, w.owner)
				}
			}
		}
	}
	if t.disk != nil {
		if saveListings {
			// Directories taken as known were not listed: a partial scan,
			// as far as the file is concerned, which keeps their listings.
			t.disk.rememberTree(t.head.commit, t.head.tree)
			t.disk.save(complete && t.knownHits == 0)
		}
		t.disk.close()
		t.disk = nil
	}
}

// settle computes the total of rel's subtree where every directory in it
// is known, and reports whether it could.
func (t *residentTree) settle(rel string) bool {
	n := t.nodes[rel]
	if n == nil || !n.ownKnown {
		return false
	}
	if n.totalKnown {
		return true
	}
	total, ok := n.own, true
	for _, s := range n.subdirs {
		if !t.settle(s.rel) {
			ok = false
			continue
		}
		total.add(t.nodes[s.rel].total)
	}
	if ok {
		n.total, n.totalKnown = total, true
	}
	return ok
}
