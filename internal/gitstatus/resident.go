package gitstatus

import (
	"context"
	"errors"
	"fmt"
	"github.com/gofork/gofork/internal/gitindex"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/dirlist"
	"github.com/gofork/gofork/internal/rawfile"
	"github.com/gofork/gofork/internal/sysfs"
)

// Resident keeps what Read learns of work trees in a long-running process
// (gitprompt daemon), so that a Read after no change reads nothing but a
// few stat data and one after a change rescans little more than the
// directories that changed. Give it to Read in Options.Resident, with the
// same Options each time.
//
// For each work tree it keeps:
//   - the parsed index, read again only when the index file's stat data
//     change (git replaces the index by renaming a new file over it);
//   - the staged count, while neither the index nor HEAD moves;
//   - the repository side of the Status (the repository opened, HEAD,
//     upstream and push counts, stash, tag) while no event comes from the
//     watches on the git directory (itself, the common directory, info,
//     logs/refs, every directory of refs, the reftable stack) and the files
//     read outside it keep their stat data (repoSide);
//   - from its second Read on, every tracked directory's listing and
//     counts, with an inotify watch on it and on the untracked directories
//     read for it (Linux; see Cold for why not from the first Read). A
//     listing is used while its watch sees no name come or go, a
//     directory's counts while its watches see no event at all, a
//     subtree's total while none below does. Every event queued before
//     Read starts is taken in first, so an answer is what git status would
//     say when Read was called.
//
// Counts are not remembered, and so are computed afresh each time, for a
// directory whose counts hang on what no watch sees: a submodule's HEAD,
// a file with other hard links, a tracked directory behind a symlink, a
// repository inside an untracked directory, a file only a filter could
// convert. A change to a .gitignore or .gitattributes, to the
// configuration, core.excludesFile, info/exclude or the attributes files
// outside the work tree, a new index, or a queue overflow forgets every
// directory's counts. Where watches cannot be had (a network or FUSE
// file system, no inotify, more directories than the watch budget, the
// kernel's fs.inotify.max_user_watches reached), the work tree is scanned
// on every Read, as without Resident but with its index remembered:
// never stale counts. Not seen, as by inotify itself: writes through a
// shared memory mapping, a write through a hard link made elsewhere after
// its directory was read, a mount made over a watched directory.
//
// Bounds: at most ResidentMaxTrees work trees (the least recently asked
// is dropped), each dropped after ResidentIdle without a Read, and
// ResidentMaxWatches watches in all (no more than half the kernel's
// per-user limit). A remembered directory costs about 150 bytes and its
// listing about 40 bytes a name; a watch about 1 KiB of kernel memory.
//
// A Resident is safe for concurrent use; Reads of the same work tree run
// one at a time.
type Resident struct {
	mu    sync.Mutex
	trees map[string]*residentTree
	// answered maps a directory Read was asked about to the key of the
	// tree that keeps its repository side.
	answered map[string]string
	// watches is how many are in use, across trees.
	watches atomic.Int64
	// maxWatches is the watch budget; tests lower it.
	maxWatches int
	now        func() time.Time
}

const (
	// ResidentMaxTrees is how many work trees a Resident keeps.
	ResidentMaxTrees = 8
	// ResidentIdle is how long a work tree not asked about is kept.
	ResidentIdle = 30 * time.Minute
	// ResidentMaxWatches bounds a Resident's inotify watches.
	ResidentMaxWatches = 65536
)

// NewResident returns an empty Resident.
func NewResident() *Resident {
	return &Resident{trees: map[string]*residentTree{}, answered: map[string]string{}, maxWatches: watchBudget(), now: time.Now}
}

// watchBudget is ResidentMaxWatches, or half the kernel's per-user limit
// when that is lower: editors and other tools need watches too.
func watchBudget() int {
	data, err := os.ReadFile("/proc/sys/fs/inotify/max_user_watches")
	if err != nil {
		return ResidentMaxWatches
	}
	limit, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || limit <= 0 {
		return ResidentMaxWatches
	}
	return min(ResidentMaxWatches, limit/2)
}

// Close drops every work tree and its watches.
func (r *Resident) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for key, t := range r.trees {
		t.mu.Lock()
		t.drop()
		t.mu.Unlock()
		delete(r.trees, key)
	}
}

// Cold reports whether the work tree at workdir has been read but is not
// watched yet, and watching it has not been tried: a Read of it now would
// set its watches, which is worth doing when nobody waits (the daemon,
// after it has answered).
func (r *Resident) Cold(workdir string) bool {
	t := r.find(workdir)
	if t == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.watch == nil && t.unwatched == ""
}

func (r *Resident) find(workdir string) *residentTree {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range r.trees {
		if t.workdir == workdir {
			return t
		}
	}
	return nil
}

// ResidentStats is what a Resident holds of one work tree, for tests and
// diagnostics.
type ResidentStats struct {
	// Watched is false when the work tree is scanned on every Read;
	// Unwatched then says why.
	Watched   bool
	Unwatched string
	Watches   int
	// Remembered is how many directories' counts are known; Scanned how
	// many directories the last Read scanned; Reused, whether it answered
	// as the Read before it without reading the repository at all.
	Remembered int
	Scanned    int
	Reused     bool
}

// Stats reports on the work tree at workdir, false when none is kept.
func (r *Resident) Stats(workdir string) (ResidentStats, bool) {
	found := r.find(workdir)
	if found == nil {
		return ResidentStats{}, false
	}
	found.mu.Lock()
	defer found.mu.Unlock()
	known := 0
	for _, n := range found.nodes {
		if n.ownKnown {
			known++
		}
	}
	return ResidentStats{
		Watched: found.watch != nil, Unwatched: found.unwatched, Watches: len(found.watched),
		Remembered: known, Scanned: found.scanned, Reused: found.reused,
	}, true
}

// residentTree is what a Resident keeps of one work tree.
type residentTree struct {
	res     *Resident
	key     string
	workdir string
	// top is the identity of the directory at workdir when the tree was
	// made: a watch follows a directory, not its path, so a work tree
	// whose parent was renamed away (and another made at the same path)
	// is found by its top no longer being this one.
	top  fileID
	used time.Time
	// mu is held for a whole Read; scanMu, inside it, for the calls of
	// the scan's goroutines; watchMu, inside that, to close the watcher.
	mu      sync.Mutex
	scanMu  sync.Mutex
	watchMu sync.RWMutex

	watch     *watcher // nil when unwatched
	unwatched string   // why watch is nil, once tried
	watched   map[int32]watchedDir
	nodes     map[string]*dirNode
	// listings are the names in each watched tracked directory, while its
	// watch has seen no name come or go; they outlive the counts, which a
	// new index or rule forgets.
	listings map[string]residentListing
	// gen counts Reads, to find the watches the last full scan did not
	// need.
	gen int
	// settings fingerprints what the counts hang on outside the work tree.
	settings uint64

	reads       int // Reads so far
	idx         *gitindex.Index
	idxIdentity dirStat
	idxMtimeSec uint32
	idxRelease  func()
	counter     *stagedCounter
	staged      struct {
		head  plumbing.Hash
		n     int
		known bool
	}
	head headTree

	// side is what the last full Read read outside the work tree, while
	// nothing there changed (see keepRepository); gitWatched, that the
	// git directory's watches are set.
	side       *repoSide
	gitWatched bool
	// gitSteady: the git directory's watches were in place when the Read
	// under way began, so whatever it read there before (the
	// configuration) was watched; gitLost, that one of them was dropped,
	// or a directory made or removed there, since they were set.
	gitSteady, gitLost bool
	reused             bool

	// For the Read under way: the listing cache file, opened when a
	// directory must be listed, and how many directories were scanned
	// and taken as known.
	cacheDir  string
	diskOnce  sync.Once
	disk      *listingCache
	knownHits int
	scanned   int
}

// residentListing is a watched directory's names and its watch.
type residentListing struct {
	names []dirlist.Entry
	wd    int32
}

// watchedDir is a watch's directory: the tracked directory whose counts
// it guards (itself, or the one an untracked directory was read for),
// and the Read that last needed it.
type watchedDir struct {
	owner string
	gen   int
	// own: this is owner's own watch, whose name events change its
	// listing.
	own bool
}

// dirNode is a tracked directory's remembered counts.
type dirNode struct {
	task     dirTask // parentfd -1
	own      dirCounts
	subdirs  []dirTask
	total    dirCounts
	ownKnown bool
	// totalKnown: total is the subtree's, every directory below known.
	totalKnown bool
}

// tree returns the work tree's state, locked, evicting trees left idle.
func (r *Resident) tree(rp *repo) *residentTree {
	key := rp.workdir + "\x00" + rp.gitdir
	top := fileIDOf(rp.workdir)
	now := r.now()
	r.mu.Lock()
	t := r.trees[key]
	if t != nil && t.top != top {
		r.evict(key, t) // another directory at the same path
		t = nil
	}
	for k, other := range r.trees {
		if other != t && now.Sub(other.used) > ResidentIdle {
			r.evict(k, other)
		}
	}
	if t == nil {
		if len(r.trees) >= ResidentMaxTrees {
			oldest := ""
			for k, other := range r.trees {
				if oldest == "" || other.used.Before(r.trees[oldest].used) {
					oldest = k
				}
			}
			r.evict(oldest, r.trees[oldest])
		}
		t = &residentTree{res: r, key: key, workdir: rp.workdir, top: top, watched: map[int32]watchedDir{}, nodes: map[string]*dirNode{}, listings: map[string]residentListing{}}
		r.trees[key] = t
	}
	t.used = now
	r.mu.Unlock()
	t.mu.Lock()
	return t
}

// fileID identifies a directory: device and inode; zero when it cannot be
// stated.
type fileID struct{ dev, ino uint64 }

func fileIDOf(path string) fileID {
	var st sysfs.Stat_t
	if sysfs.Stat(path, &st) != nil {
		return fileID{}
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}
}

// evict drops a tree; r.mu is held. A Read still using it finishes with
// its state and leaves nothing behind.
func (r *Resident) evict(key string, t *residentTree) {
	delete(r.trees, key)
	for dir, k := range r.answered {
		if k == key {
			delete(r.answered, dir)
		}
	}
	t.mu.Lock()
	t.drop()
	t.mu.Unlock()
}

// drop releases everything the tree holds.
func (t *residentTree) drop() {
	t.stopWatching("dropped") // the repository side too
	t.unwatched = ""
	if t.idxRelease != nil {
		t.idxRelease()
	}
	t.idx, t.idxRelease, t.counter = nil, nil, nil
	t.idxIdentity = dirStat{}
}

func (t *residentTree) unlock() { t.mu.Unlock() }

// index returns the parsed index, read again only when its file was
// replaced; a new index forgets the directories' counts, whose index
// ranges it moved.
func (t *residentTree) index(r *repo) (*gitindex.Index, uint32, error) {
	f, err := r.openIndex()
	if err != nil {
		return nil, 0, err
	}
	defer f.close()
	if t.idx != nil && f.identity() == t.idxIdentity {
		return t.idx, t.idxMtimeSec, nil
	}
	idx, mtimeSec, release, err := r.loadIndex(f)
	if err != nil {
		return nil, 0, err
	}
	if t.idxRelease != nil {
		t.idxRelease()
	}
	t.idx, t.idxIdentity, t.idxMtimeSec, t.idxRelease = idx, f.identity(), mtimeSec, release
	t.counter = nil
	t.staged.known = false
	t.forget()
	return idx, mtimeSec, nil
}

// stagedCount is stagedCounter.count, remembered while the index and HEAD
// stay; replace refs make HEAD's tree another, so then it is not.
func (t *residentTree) stagedCount(ctx context.Context, r *repo, head plumbing.Hash) (int, error) {
	replaced := len(r.objects.replaced()) > 0
	if t.staged.known && t.staged.head == head && !replaced {
		return t.staged.n, nil
	}
	if t.counter == nil {
		t.counter = newStagedCounter(t.idx)
	}
	n, err := t.counter.count(ctx, r.objects, head, t.idx.Tree, t)
	if err == nil && !replaced {
		t.staged.head, t.staged.n, t.staged.known = head, n, true
	}
	return n, err
}

// startRead readies the tree's per-Read state.
func (t *residentTree) startRead(cacheDir string) {
	t.gen++
	t.cacheDir = cacheDir
	t.diskOnce = sync.Once{}
	t.disk, t.knownHits, t.scanned, t.reused = nil, 0, 0, false
}

// takeEvents takes in the queued events.
func (t *residentTree) takeEvents() {
	if t.watch != nil {
		if err := t.watch.drain(t.event); err != nil {
			t.stopWatching(err.Error())
		}
	}
}

// begin readies the tree for a full Read: takes in the queued events,
// forgets every count when what they hang on outside the work tree
// changed, and sets the git directory's watches.
func (t *residentTree) begin(r *repo, cacheDir string) {
	t.startRead(cacheDir)
	if settings := scanSettings(r); settings != t.settings {
		t.settings = settings
		t.forget()
	}
	// The first Read of a tree sets no watch: adding them made it twice as
	// slow as a Read without Resident (a 13k-file tree: 40 ms, not 22),
	// and a first answer must not be slower. Warm, or the next Read, sets
	// them.
	t.reads++
	if t.watch == nil && t.unwatched == "" && t.reads > 1 {
		w, err := newWatcher()
		if err != nil {
			t.unwatched = err.Error()
			return
		}
		t.watch = w
	}
	t.takeEvents()
	// The git directory's watches are set again only when one was lost
	// or a directory came or went there: each costs four system calls.
	t.gitSteady = t.gitWatched && !t.gitLost
	if t.watch != nil && !t.gitSteady {
		t.gitLost = false
		t.gitWatched = t.watchGitDirs(r)
	}
}

// gitOwner owns the watches of the git directory: their events say what
// was read there is out of date, not the work tree's counts.
const gitOwner = "\x00git"

// watchGitDirs watches the directories of the git directory whose files
// an answer reads: HEAD, the index, the operation in progress and
// packed-refs in the git and common directories, every directory of
// refs, the stash's reflog (logs/refs) and the reftable stack. One that
// does not exist yet is seen being made by its parent's watch.
func (t *residentTree) watchGitDirs(r *repo) bool {
	dirs := []string{
		r.gitdir, r.commondir, filepath.Join(r.commondir, "info"), filepath.Join(r.commondir, "reftable"),
		filepath.Join(r.commondir, "logs"), filepath.Join(r.commondir, "logs", "refs"),
	}
	trees := []string{filepath.Join(r.commondir, "refs")}
	if r.gitdir != r.commondir {
		trees = append(trees, filepath.Join(r.gitdir, "refs"))
	}
	ok := true
	var watchTree func(path string)
	watch := func(path string, below bool) {
		fd, err := openDirAt(sysfs.AT_FDCWD, path)
		if err != nil {
			if !errors.Is(err, sysfs.ENOENT) && !errors.Is(err, sysfs.ENOTDIR) {
				ok = false
			}
			return
		}
		defer closeFd(fd)
		if !t.addWatch(fd, gitOwner, false) {
			ok = false
			return
		}
		if !below {
			return
		}
		names, err := dirlist.Read(fd, nil)
		if err != nil {
			ok = false
			return
		}
		for _, n := range names {
			if n.Type == os.ModeDir {
				watchTree(filepath.Join(path, n.Name))
			}
		}
	}
	watchTree = func(path string) { watch(path, true) }
	for _, d := range dirs {
		watch(d, false)
	}
	for _, d := range trees {
		watchTree(d)
	}
	return ok && t.watch != nil
}

// event takes in one inotify event.
func (t *residentTree) event(wd int32, kind eventKind, name string, isDir bool) {
	if kind == eventOverflow {
		t.dropSide()
		t.forget()
		clear(t.listings)
		return
	}
	w, ok := t.watched[wd]
	if !ok {
		return // a watch already dropped
	}
	if w.owner == gitOwner {
		t.dropSide()
		switch {
		case kind == eventGone:
			t.watch.remove(wd)
			t.unwatch(wd)
			t.gitLost = true
		case kind == eventNames && isDir:
			t.gitLost = true // a directory to watch, perhaps
		}
		return
	}
	if w.own && kind != eventContent {
		delete(t.listings, w.owner)
	}
	// A watch follows a directory renamed or moved, not its path: below a
	// path whose directory came, went or was renamed, what is remembered
	// is another directory's.
	switch {
	case w.own && kind == eventNames && isDir:
		t.dropBelow(w.owner + name + "/")
	case w.own && kind == eventGone:
		t.dropBelow(w.owner)
	}
	if name == ".gitignore" || name == ".gitattributes" || name == ".gitmodules" {
		t.forget() // rules every directory below inherits
		return
	}
	if name == ".git" || kind == eventGone {
		// Which repository a directory is in may have changed.
		t.dropSide()
	}
	t.invalidate(w.owner)
	if kind == eventGone {
		// Removed, or moved elsewhere where the watch would follow it.
		t.watch.remove(wd)
		t.unwatch(wd)
	}
}

// dropBelow forgets the directory rel and everything below it: counts,
// listings and the watches that guard them.
func (t *residentTree) dropBelow(rel string) {
	if t.nodes[rel] == nil {
		if _, listed := t.listings[rel]; !listed {
			return // nothing remembered there: a new directory
		}
	}
	for k := range t.nodes {
		if strings.HasPrefix(k, rel) {
			delete(t.nodes, k)
		}
	}
	for k := range t.listings {
		if strings.HasPrefix(k, rel) {
			delete(t.listings, k)
		}
	}
	for wd, w := range t.watched {
		if w.owner != gitOwner && strings.HasPrefix(w.owner, rel) {
			t.watch.remove(wd)
			t.unwatch(wd)
		}
	}
}

func (t *residentTree) unwatch(wd int32) {
	delete(t.watched, wd)
	t.res.watches.Add(-1)
}

// invalidate forgets the counts of the directory rel and the totals above.
func (t *residentTree) invalidate(rel string) {
	if n := t.nodes[rel]; n != nil {
		n.ownKnown = false
	}
	t.invalidateTotals(rel)
}

// parentDir is the directory above rel ("a/b/" → "a/", "a/" → "").
func parentDir(rel string) string {
	return rel[:strings.LastIndexByte(rel[:len(rel)-1], '/')+1]
}

// forget drops every directory's counts; the watches stay.
func (t *residentTree) forget() { clear(t.nodes) }

// stopWatching turns the tree to a scan on every Read, saying why.
func (t *residentTree) stopWatching(why string) {
	if t.watch != nil {
		t.watchMu.Lock()
		t.watch.close()
		t.watch = nil
		t.watchMu.Unlock()
		t.res.watches.Add(-int64(len(t.watched)))
	}
	t.unwatched = why
	t.gitWatched = false
	clear(t.watched)
	clear(t.listings)
	t.forget()
	t.dropSide()
}

// addWatch watches the directory open as dirfd for owner's counts; own
// says it is owner itself.
func (t *residentTree) addWatch(dirfd int, owner string, own bool) bool {
	_, ok := t.watchDir(dirfd, owner, own)
	return ok
}

// watchDir is addWatch, returning the watch.
func (t *residentTree) watchDir(dirfd int, owner string, own bool) (int32, bool) {
	// The system call runs outside scanMu, or the scan's goroutines would
	// queue behind each other's; watchMu keeps the instance open meanwhile.
	t.watchMu.RLock()
	w := t.watch
	var wd int32
	var err error
	if w != nil {
		wd, err = w.add(dirfd)
	}
	t.watchMu.RUnlock()
	t.scanMu.Lock()
	defer t.scanMu.Unlock()
	if w == nil || t.watch != w {
		return 0, false
	}
	if t.res.watches.Load() >= int64(t.res.maxWatches) {
		t.stopWatching(fmt.Sprintf("more directories than the watch budget of %d", t.res.maxWatches))
		return 0, false
	}
	if err != nil {
		t.stopWatching(fmt.Sprintf("watch %q: %v", filepath.Join(t.workdir, owner), err))
		return 0, false
	}
	old, seen := t.watched[wd]
	if seen && old.gen == t.gen && old.owner != owner {
		// One directory under two paths (a bind mount): an event would
		// reach only one of them.
		t.stopWatching(fmt.Sprintf("%q and %q are one directory", filepath.Join(t.workdir, old.owner), filepath.Join(t.workdir, owner)))
		return 0, false
	}
	if seen && old.own && (old.owner != owner || !own) {
		delete(t.listings, old.owner) // no longer seen through its own watch
	}
	t.watched[wd] = watchedDir{owner: owner, gen: t.gen, own: own}
	if !seen {
		t.res.watches.Add(1)
	}
	return wd, true
}

// ruleFiles are the exclude and attributes files outside the work tree
// that apply to all of it (what topLevelRules and readAttrFiles read).
func (r *repo) ruleFiles() []string {
	files := []string{
		r.configPath("excludesFile", "ignore"),
		filepath.Join(r.commondir, "info", "exclude"),
		filepath.Join(r.commondir, "info", "attributes"),
		r.configPath("attributesFile", "attributes"),
	}
	if !envBool("GIT_ATTR_NOSYSTEM") {
		files = append(files, "/etc/gitattributes")
	}
	return files
}

// scanSettings fingerprints what a directory's counts hang on outside the
// work tree: the configuration and the exclude and attributes files that
// apply everywhere.
func scanSettings(r *repo) uint64 {
	h := fnv.New64a()
	keys := make([]string, 0, len(r.config))
	for k := range r.config {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		h.Write([]byte(k))
		for _, v := range r.config[k] {
			h.Write([]byte{0})
			h.Write([]byte(v))
		}
		h.Write([]byte{1})
	}
	for _, f := range r.ruleFiles() {
		data, err := rawfile.ReadFile(f)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			data = []byte("\x00unreadable: " + err.Error())
		}
		h.Write([]byte(f))
		h.Write([]byte{0})
		h.Write(data)
		h.Write([]byte{1})
	}
	return h.Sum64()
}

// eventKind is what an event says of a watched directory.
type eventKind int

const (
	eventContent  eventKind = iota // a file in it was written or had its mode changed
	eventNames                     // a name was added, removed or renamed
	eventGone                      // the directory itself was removed or moved
	eventOverflow                  // the queue overflowed: events were lost
)

var (
	errNoEvents   = errors.New("the file system does not report changes made elsewhere")
	errWatchLimit = errors.New("out of inotify watches")
)
