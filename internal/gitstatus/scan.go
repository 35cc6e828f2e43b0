package gitstatus

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"github.com/gofork/gofork/internal/gitindex"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/hash"
	"github.com/gofork/gofork/internal/dirlist"
	"github.com/gofork/gofork/internal/sysfs"
)

// worktreeScan compares the index with the work tree (unstaged and
// conflicted counts) and finds untracked paths, reading each directory once.
type worktreeScan struct {
	ctx      context.Context
	root     string
	entries  []gitindex.Entry
	fileMode bool // core.fileMode: the executable bit counts
	symlinks bool // core.symlinks: a symbolic link is checked out as one
	// presentSkipped: in a sparse checkout a skip-worktree file found in
	// the work tree is compared as any other, as git (2.37 and later)
	// clears the bit of files present unless
	// sparse.expectFilesOutsideOfPatterns says they belong there.
	presentSkipped bool
	// ignoredSubmodules are the paths of the submodules whose changes
	// git status leaves out (ignore = all), read at the first gitlink.
	ignoredSubmodules func() map[string]bool
	statCheck         gitindex.StatCheck // core.trustCtime, core.checkStat
	// indexMtimeSec is the index file's modification time: entries not
	// older than it are "racily clean" and must be compared by content.
	indexMtimeSec uint32
	workers       int
	objects       *objectDB // for skip-worktree .gitignore files
	// mem supplies unchanged directories' names, and their counts when
	// it remembers them.
	mem memory
	// remembering is set when mem keeps counts: the scan then hands it
	// each directory's subdirectories too.
	remembering bool
	// untrackedMode is status.showUntrackedFiles: what untracked paths
	// count, as git status shows them.
	untrackedMode untrackedMode
	// convert says what git applies to a file's content before comparing
	// it with the index.
	convert *converter

	unstaged, untracked, conflicted atomic.Int64
	errOnce                         sync.Once
	err                             error
	// fold is wmCasefold under core.ignoreCase: names match whatever
	// their case, as on the case-insensitive file systems that set it.
	fold wmFlags

	// unknownUnstaged and unknownUntracked, when set, say why that count
	// cannot be known.
	unknownMu                         sync.Mutex
	unknownUnstaged, unknownUntracked string
}

// dirTask is a tracked directory to scan: rel is "" or ends in '/', [lo, hi)
// its index entries, rules the exclusion rules of its parent and excluded
// whether it lies in an ignored directory; attrs are the gitattributes
// files of the directories above it. When parentfd is not -1 the
// parent directory is still open and the directory is opened as name
// relative to it: resolving the whole path again was a tenth of a scan.
type dirTask struct {
	rel      string
	lo, hi   int
	rules    *ignoreStack
	attrs    *attrStack
	excluded bool
	parentfd int
	name     string
}

func newWorktreeScan(ctx context.Context, root string, idx *gitindex.Index, objects *objectDB, cfg gitConfig, indexMtimeSec uint32, workers int) *worktreeScan {
	checkStat, _ := cfg.value("core", "", "checkStat")
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return &worktreeScan{
		ctx: ctx, root: root, entries: idx.Entries, objects: objects,
		fileMode: cfg.boolean("core", "", "fileMode", true),
		symlinks: cfg.boolean("core", "", "symlinks", true),
		presentSkipped: cfg.boolean("core", "", "sparseCheckout", false) &&
			!cfg.boolean("sparse", "", "expectFilesOutsideOfPatterns", false),
		statCheck: gitindex.StatCheck{
			IgnoreCtime: !cfg.boolean("core", "", "trustCtime", true),
			Minimal:     strings.EqualFold(checkStat, "minimal"),
		},
		indexMtimeSec: indexMtimeSec, workers: workers,
		ignoredSubmodules: sync.OnceValue(func() map[string]bool { return submodulesIgnored(root, cfg) }),
	}
}

// submodulesIgnored are the paths of the submodules git status ignores
// altogether: submodule.<name>.ignore all in the repository's config, else
// in .gitmodules, else diff.ignoreSubmodules all. (Other values would have
// status look inside the submodule, which the prompt does not: it counts a
// submodule changed only when its checked-out commit is another.)
func submodulesIgnored(root string, cfg gitConfig) map[string]bool {
	modules := gitConfig{}
	if modules.readFile(filepath.Join(root, ".gitmodules"), &includeConditions{}, nil) != nil {
		return nil
	}
	fallback, _ := cfg.value("diff", "", "ignoreSubmodules")
	ignored := map[string]bool{}
	for key, paths := range modules {
		name, ok := strings.CutPrefix(key, "submodule.")
		if name, ok = strings.CutSuffix(name, ".path"); !ok || len(paths) == 0 {
			continue
		}
		ignore, set := cfg.value("submodule", name, "ignore")
		if !set {
			if ignore, set = modules.value("submodule", name, "ignore"); !set {
				ignore = fallback
			}
		}
		if ignore == "all" {
			ignored[paths[len(paths)-1]] = true
		}
	}
	return ignored
}

func (s *worktreeScan) fail(err error) {
	s.errOnce.Do(func() { s.err = err })
}

func (s *worktreeScan) markUnknown(count *string, why string) {
	s.unknownMu.Lock()
	defer s.unknownMu.Unlock()
	if *count == "" {
		*count = why
	}
}

// Below this many index entries a directory is not worth splitting further
// (a variable so that tests can split tiny trees).
var minSplitEntries = 256

// maxExpansions bounds the directories read before the workers start.
const maxExpansions = 64

// run scans the whole work tree with the given top-level exclusion rules.
// The largest directories are expanded one level at a time until there are
// a few tasks per worker; then each worker takes the next task, largest
// first, and scans it depth-first on its own. Profiles showed that a
// goroutine per directory spends more in scheduler hand-offs (futex,
// nanosleep) than it gains.
func (s *worktreeScan) run(rules *ignoreStack) error {
	tasks := []dirTask{{rel: "", lo: 0, hi: len(s.entries), rules: rules, parentfd: -1}}
	// Until there are a few tasks per worker, and none holds more than a
	// worker's share: a real tree is lopsided (most of a container
	// engine's files are under vendor/github.com), and one task that big
	// leaves the other workers idle. Expanding is done in one goroutine,
	// so it stops after maxExpansions directories.
	share := len(s.entries) / (2 * s.workers)
	for expanded := 0; s.workers > 1 && len(tasks) > 0 && expanded < maxExpansions; expanded++ {
		largest := 0
		for i := range tasks {
			if tasks[i].hi-tasks[i].lo > tasks[largest].hi-tasks[largest].lo {
				largest = i
			}
		}
		t := tasks[largest]
		if t.hi-t.lo < minSplitEntries || len(tasks) >= 4*s.workers && t.hi-t.lo <= share {
			break
		}
		tasks = append(tasks[:largest], tasks[largest+1:]...)
		var sc scratch
		s.scanDir(t, &sc, func(sub dirTask) {
			sub.parentfd = -1 // closed by the time the task runs
			tasks = append(tasks, sub)
		})
		s.mem.collect(sc.seen)
	}
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].hi-tasks[i].lo > tasks[j].hi-tasks[j].lo })
	var next atomic.Int64
	work := func() {
		var sc scratch
		var depthFirst func(dirTask)
		depthFirst = func(t dirTask) { s.scanDir(t, &sc, depthFirst) }
		for i := next.Add(1) - 1; int(i) < len(tasks); i = next.Add(1) - 1 {
			depthFirst(tasks[i])
		}
		s.mem.collect(sc.seen)
	}
	if s.workers == 1 {
		work() // a goroutine would only add a thread's start-up
	} else {
		var wg sync.WaitGroup
		for range min(s.workers, len(tasks)) {
			wg.Go(work)
		}
		wg.Wait()
	}
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.err
}

// child is one name in a directory: what the index and the work tree hold.
type child struct {
	name string
	// lo, hi is the index range: one entry for a file, several stages for
	// an unmerged path, or everything under name/ for a tracked directory.
	lo, hi  int
	tracked bool
	isDir   bool // tracked as a directory
	onDisk  bool
	dtype   os.FileMode // type bits from readdir
	// caseTwin marks an untracked name that core.ignoreCase makes one
	// with a tracked name in another case: not untracked.
	caseTwin bool
	// diskName, when set, is the name the tracked child is listed under,
	// in another case (core.ignoreCase on a case-insensitive file system).
	diskName string
}

// onDiskName is the name to open or lstat the child by.
func (c *child) onDiskName() string {
	if c.diskName != "" {
		return c.diskName
	}
	return c.name
}

// scratch holds the directory listings of one goroutine's scan, used as
// stacks: each scanDir appends its names and children and drops them when
// it returns, after the subdirectories it scanned in between. Fresh slices
// per directory were most of the scan's allocation, and in a one-shot
// process every newly touched heap page costs a page fault.
type scratch struct {
	names    []dirlist.Entry
	children []child
	seen     seenListings // for the listing cache
}

// scanDir handles one directory and hands its tracked subdirectories to
// subdir. Inside an ignored directory (t.excluded) git reports nothing
// untracked.
func (s *worktreeScan) scanDir(t dirTask, sc *scratch, subdir func(dirTask)) {
	rel, lo, hi, rules, excluded := t.rel, t.lo, t.hi, t.rules, t.excluded
	if s.ctx.Err() != nil {
		return
	}
	if known, ok := s.mem.known(rel); ok {
		s.add(known.dirCounts)
		for _, sub := range known.subdirs {
			subdir(sub)
		}
		return
	}
	var dirfd int
	var err error
	if t.parentfd >= 0 {
		dirfd, err = openDirAt(t.parentfd, t.name)
	} else {
		dirfd, err = openDirAt(sysfs.AT_FDCWD, filepath.Join(s.root, rel))
	}
	if err != nil {
		if errors.Is(err, sysfs.ENOENT) || errors.Is(err, sysfs.ENOTDIR) {
			s.add(s.countMissing(lo, hi, false, nil))
			return
		}
		s.fail(fmt.Errorf("scan work tree: open %q: %w", filepath.Join(s.root, rel), err))
		return
	}
	defer closeFd(dirfd)
	namesBase, childrenBase := len(sc.names), len(sc.children)
	defer func() { sc.names, sc.children = sc.names[:namesBase], sc.children[:childrenBase] }()
	sc.names, err = s.mem.list(dirfd, rel, sc.names, &sc.seen)
	if err != nil {
		s.fail(fmt.Errorf("scan work tree: read directory %q: %w", filepath.Join(s.root, rel), err))
		return
	}
	names := sc.names[namesBase:]
	var children []child
	sc.children, children = s.merge(rel, lo, hi, names, sc.children)
	d := dirScan{rel: rel}
	if s.fold != 0 {
		s.matchCase(dirfd, rel, children, &d)
	}
	if !excluded {
		rules = rules.push(s.ignoreFileOf(dirfd, rel, children))
	}
	attrs := t.attrs.push(s.attributesFileOf(dirfd, rel, children))
	var own dirCounts
	var subdirs []dirTask
	for i := range children {
		if i%512 == 511 && s.ctx.Err() != nil {
			return // out of time inside a huge directory
		}
		c := &children[i]
		switch {
		case c.tracked && c.isDir:
			path := rel + c.name
			if c.onDisk && c.dtype == os.ModeDir {
				sub := dirTask{
					rel: path + "/", lo: c.lo, hi: c.hi, rules: rules, attrs: attrs,
					excluded: excluded || isExcluded(rules, path, c.name, true, s.fold),
					parentfd: dirfd, name: c.onDiskName(),
				}
				if s.remembering {
					kept := sub
					kept.parentfd = -1
					subdirs = append(subdirs, kept)
				}
				subdir(sub)
				continue
			}
			// Gone, or a file or symlink now: everything below is deleted
			// (git does not follow a symlinked leading directory).
			own.add(s.countMissing(c.lo, c.hi, c.onDisk && c.dtype == os.ModeSymlink, &d))
			if c.onDisk && !excluded {
				own.untracked += s.countUntracked(path, c.name, c.dtype, rules, &d)
			}
		case c.tracked:
			e := &s.entries[c.lo]
			switch {
			case e.Stage != 0:
				own.conflicted++
			case e.SkipWorktree && !(s.presentSkipped && c.onDisk) || e.AssumeUnchanged:
			case !c.onDisk:
				own.unstaged++
			case e.IntentToAdd:
				own.unstaged++
			default:
				changed, err := s.entryChanged(dirfd, c.onDiskName(), e, attrs, &d)
				if err != nil {
					s.fail(err)
					return
				}
				if changed {
					own.unstaged++
				}
			}
		case c.caseTwin:
		case !excluded && c.name != ".git":
			own.untracked += s.countUntracked(rel+c.name, c.name, c.dtype, rules, &d)
		}
	}
	s.add(own)
	if s.remembering && !d.volatile && s.ctx.Err() == nil {
		s.mem.remember(t, dirResult{own, subdirs})
	}
}

func (s *worktreeScan) add(c dirCounts) {
	s.unstaged.Add(c.unstaged)
	s.untracked.Add(c.untracked)
	s.conflicted.Add(c.conflicted)
}

// ignoreFileOf reads the .gitignore of the tracked directory rel, open as
// dirfd. As in git, one that cannot be opened but is marked skip-worktree
// in the index (left out by a sparse checkout) is read from the index.
func (s *worktreeScan) ignoreFileOf(dirfd int, rel string, children []child) ignoreList {
	base := strings.TrimSuffix(rel, "/")
	return perDirectoryFile(s, children, ".gitignore",
		func() (ignoreList, bool) { return readTreeIgnoreFile(dirfd, base) },
		func(e *gitindex.Entry) bool { return e.SkipWorktree },
		func(data []byte) ignoreList { return parseIgnoreFile(data, base) })
}

// attributesFileOf reads the .gitattributes of the tracked directory rel,
// open as dirfd. As in git, one that cannot be opened is read from the
// index, and only the top one may define macros.
func (s *worktreeScan) attributesFileOf(dirfd int, rel string, children []child) attrList {
	base := strings.TrimSuffix(rel, "/")
	return perDirectoryFile(s, children, ".gitattributes",
		func() (attrList, bool) { return readTreeAttrFile(dirfd, base) },
		func(*gitindex.Entry) bool { return true },
		func(data []byte) attrList { return parseAttributes(data, base, base == "", true) })
}

// perDirectoryFile reads a directory's rule file, name among its children:
// from the work tree with readTree (opened false when it cannot be
// opened), else, for a stage-0 entry fromIndex accepts, its blob.
func perDirectoryFile[L any](s *worktreeScan, children []child, name string, readTree func() (L, bool), fromIndex func(*gitindex.Entry) bool, parse func([]byte) L) L {
	var none L
	c := childNamed(children, name)
	if c == nil {
		return none
	}
	if c.onDisk {
		if list, opened := readTree(); opened {
			return list
		}
	}
	if !c.tracked || c.isDir {
		return none
	}
	if e := &s.entries[c.lo]; e.Stage == 0 && fromIndex(e) {
		if data, err := s.objects.read(plumbing.BlobObject, e.Hash()); err == nil {
			return parse(data)
		}
	}
	return none
}

// matchCase applies core.ignoreCase to a directory's children, as git
// does. A tracked name that is not listed but that lstat finds (a
// case-insensitive file system finds any case) is the listed name that
// differs only in case and is the same file: the tracked child is read
// under that name. Otherwise an untracked file whose name differs from a
// tracked file's only in case is not untracked (git finds it in the index
// ignoring case); an untracked directory whose name so matches a tracked
// directory git enters, matching the names inside ignoring case, which the
// scan does not do: its untracked count is left unknown.
func (s *worktreeScan) matchCase(dirfd int, rel string, children []child, d *dirScan) {
	twins := map[string]*child{} // the tracked children by lower-case name
	for i := range children {
		if children[i].tracked {
			twins[strings.ToLower(children[i].name)] = &children[i]
		}
	}
	for i := range children {
		c := &children[i]
		if c.tracked || !c.onDisk {
			continue
		}
		twin, ok := twins[strings.ToLower(c.name)]
		switch {
		case !ok:
		case !twin.onDisk && sameFile(dirfd, twin.name, c.name):
			twin.onDisk, twin.dtype, twin.diskName = true, c.dtype, c.name
			c.caseTwin = true
		case c.dtype != os.ModeDir:
			c.caseTwin = !twin.isDir
		case twin.isDir:
			c.caseTwin = true
			d.volatile = true
			s.markUnknown(&s.unknownUntracked, fmt.Sprintf("directory %q is %q in the index, and core.ignoreCase is set on a file system that tells them apart", rel+c.name, rel+twin.name))
		}
	}
}

// sameFile reports whether the tracked name, looked up as a
// case-insensitive file system would, is the listed file.
func sameFile(dirfd int, tracked, listed string) bool {
	var a, b sysfs.Stat_t
	return lstatOtherCase(dirfd, tracked, &a) == nil && lstatAt(dirfd, listed, &b) == nil && a.Dev == b.Dev && a.Ino == b.Ino
}

// lstatOtherCase is the lstat matchCase looks a tracked name up with: on
// a case-insensitive file system it finds the file under any case. Tests,
// on Linux, stand in such a file system's lookup.
var lstatOtherCase = lstatAt

// childNamed finds name among a directory's children, sorted by name.
func childNamed(children []child, name string) *child {
	i := sort.Search(len(children), func(i int) bool { return children[i].name >= name })
	if i == len(children) || children[i].name != name {
		return nil
	}
	return &children[i]
}

// merge pairs the index entries [lo, hi) under rel with the names on disk,
// appending to buf; children is the part of the returned buf that lists
// the directory.
func (s *worktreeScan) merge(rel string, lo, hi int, names []dirlist.Entry, buf []child) (_ []child, children []child) {
	base := len(buf)
	for i := lo; i < hi; {
		rest := s.entries[i].Path[len(rel):]
		if slash := strings.IndexByte(rest, '/'); slash >= 0 {
			prefix := s.entries[i].Path[:len(rel)+slash+1]
			end := i + sort.Search(hi-i, func(k int) bool { return !strings.HasPrefix(s.entries[i+k].Path, prefix) })
			buf = append(buf, child{name: rest[:slash], lo: i, hi: end, tracked: true, isDir: true})
			i = end
			continue
		}
		end := i + 1
		for end < hi && s.entries[end].Path == s.entries[i].Path {
			end++ // further stages of an unmerged path
		}
		buf = append(buf, child{name: rest, lo: i, hi: end, tracked: true})
		i = end
	}
	// A file and a directory can sort apart ("a.c" < "a/b"), so sort by name.
	tracked := buf[base:]
	slices.SortFunc(tracked, func(a, b child) int { return strings.Compare(a.name, b.name) })
	// Appending may move buf; tracked keeps reading the old array.
	mid := len(buf)
	j := 0
	for _, n := range names {
		for j < len(tracked) && tracked[j].name < n.Name {
			buf = append(buf, tracked[j])
			j++
		}
		if j < len(tracked) && tracked[j].name == n.Name {
			c := tracked[j]
			c.onDisk, c.dtype = true, n.Type
			buf = append(buf, c)
			j++
			continue
		}
		buf = append(buf, child{name: n.Name, onDisk: true, dtype: n.Type})
	}
	buf = append(buf, tracked[j:]...)
	return buf, buf[mid:]
}

// countMissing counts the entries [lo, hi) as gone from the work tree.
// Below a symlink git still lstats each path and leaves out, with an error
// message, those it cannot lstat for another reason than absence (a symlink
// loop), so underSymlink does the same.
func (s *worktreeScan) countMissing(lo, hi int, underSymlink bool, d *dirScan) dirCounts {
	var c dirCounts
	if underSymlink {
		d.volatile = true // the answer lies where the symlink points
	}
	for i := lo; i < hi; i++ {
		e := &s.entries[i]
		switch {
		case e.Stage != 0:
			if i == lo || s.entries[i-1].Path != e.Path {
				c.conflicted++
			}
		case e.SkipWorktree || e.AssumeUnchanged:
		case underSymlink && !lstatCountsDeleted(filepath.Join(s.root, e.Path)):
		default:
			c.unstaged++
		}
	}
	return c
}

// untrackedMode is status.showUntrackedFiles.
type untrackedMode int

const (
	untrackedNormal untrackedMode = iota // an untracked directory is one entry
	untrackedNo                          // none
	untrackedAll                         // every file, into untracked directories
)

// parseUntrackedMode reads status.showUntrackedFiles as git does: exactly
// no, normal or all, and, as git 2.42 and later also take, a boolean (true
// for normal, false for no). Anything else makes git status fail, and
// Read with it.
func parseUntrackedMode(v string, set bool) (untrackedMode, error) {
	if !set {
		return untrackedNormal, nil
	}
	switch v {
	case "normal":
		return untrackedNormal, nil
	case "no":
		return untrackedNo, nil
	case "all":
		return untrackedAll, nil
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return untrackedNormal, nil
	case "false", "off", "0":
		return untrackedNo, nil
	}
	return 0, fmt.Errorf("status.showUntrackedFiles %q: want no, normal or all (git status refuses it too)", v)
}

// countUntracked is how many entries the untracked path (name) adds to
// git status: with mode all every file below it, else one when it shows up
// at all (untrackedCounts). d is the tracked directory counting it.
func (s *worktreeScan) countUntracked(path, name string, dtype os.FileMode, rules *ignoreStack, d *dirScan) int64 {
	switch s.untrackedMode {
	case untrackedNo:
		return 0
	case untrackedAll:
		return s.countAllUntracked(path, name, dtype, rules, d)
	}
	if s.untrackedCounts(path, name, dtype, rules, d) {
		return 1
	}
	return 0
}

// countAllUntracked counts what `git status --untracked-files=all` lists
// for the untracked path: each file and symlink not ignored, and a nested
// repository as one entry.
func (s *worktreeScan) countAllUntracked(path, name string, dtype os.FileMode, rules *ignoreStack, d *dirScan) int64 {
	switch dtype {
	case 0, os.ModeSymlink:
		if isExcluded(rules, path, name, false, s.fold) {
			return 0
		}
		return 1
	case os.ModeDir:
		if isExcluded(rules, path, name, true, s.fold) {
			return 0
		}
		dir := filepath.Join(s.root, path)
		if _, _, ok := gitDirOf(dir); ok {
			d.volatile = true // what is in its .git decides, unwatched
			return 1
		}
		names, rules, ok := s.untrackedDir(dir, path+"/", rules, d)
		if !ok || s.ctx.Err() != nil {
			return 0 // out of time: the scan reports the counts unknown
		}
		var n int64
		for _, c := range names {
			if c.Name != ".git" {
				n += s.countAllUntracked(path+"/"+c.Name, c.Name, c.Type, rules, d)
			}
		}
		return n
	}
	return 0
}

// untrackedCounts reports whether the untracked path (name) shows
// up in `git status --untracked-files=normal`: a file or symlink that is not
// ignored, or a directory that is not ignored and is a nested repository or
// holds something that would show up.
func (s *worktreeScan) untrackedCounts(path, name string, dtype os.FileMode, rules *ignoreStack, d *dirScan) bool {
	switch dtype {
	case 0, os.ModeSymlink:
		return !isExcluded(rules, path, name, false, s.fold)
	case os.ModeDir:
		if isExcluded(rules, path, name, true, s.fold) {
			return false
		}
		dir := filepath.Join(s.root, path)
		if _, _, ok := gitDirOf(dir); ok {
			d.volatile = true
			return true
		}
		return s.hasUntracked(dir, path+"/", rules, d)
	}
	return false // sockets, fifos, devices: git skips them
}

// hasUntracked reports whether the untracked directory abs (rel) holds
// anything that git would report.
func (s *worktreeScan) hasUntracked(abs, rel string, rules *ignoreStack, d *dirScan) bool {
	names, rules, ok := s.untrackedDir(abs, rel, rules, d)
	if !ok {
		return false
	}
	for _, n := range names {
		if n.Name != ".git" && s.untrackedCounts(rel+n.Name, n.Name, n.Type, rules, d) {
			return true
		}
	}
	return false
}

// untrackedDir reads the untracked directory abs (rel) and the rules that
// apply inside it (its own .gitignore pushed); ok is false when it cannot be
// read, which git shows as nothing too. It is watched for d before it is
// read.
func (s *worktreeScan) untrackedDir(abs, rel string, rules *ignoreStack, d *dirScan) (names []dirlist.Entry, inside *ignoreStack, ok bool) {
	dirfd, err := sysfs.Open(abs, sysfs.O_RDONLY|sysfs.O_DIRECTORY|sysfs.O_CLOEXEC, 0)
	if err != nil {
		d.volatile = true // it may become readable unseen
		return nil, rules, false
	}
	defer sysfs.Close(dirfd)
	if !s.mem.watchUntracked(dirfd, d.rel) {
		d.volatile = true
	}
	if names, err = dirlist.Read(dirfd, nil); err != nil {
		d.volatile = true
		return nil, rules, false
	}
	if dirlist.Contains(names, ".git") {
		// A repository in the making: whether it counts as one hangs on
		// what is inside its .git.
		d.volatile = true
	}
	if dirlist.Contains(names, ".gitignore") {
		list, _ := readTreeIgnoreFile(dirfd, strings.TrimSuffix(rel, "/"))
		rules = rules.push(list)
	}
	return names, rules, true
}

// entryChanged reports whether the tracked file, name in the directory
// dirfd, differs from its index entry, with git's rules: type and
// executable-bit changes count; when the stat data still matches and the
// entry is not racily clean, the file is unchanged; otherwise its content
// decides, converted as git converts it on the way in (attrs are the
// gitattributes files of its directory). Content that only a filter
// program could convert leaves the count unknown. d learns whether the
// answer hangs on more than the directory's own events.
func (s *worktreeScan) entryChanged(dirfd int, name string, e *gitindex.Entry, attrs *attrStack, d *dirScan) (bool, error) {
	var st sysfs.Stat_t
	if err := lstatAt(dirfd, name, &st); err != nil {
		// Like git: gone is deleted; any other failure (no search
		// permission) leaves the entry out, where git prints an error.
		d.volatile = true
		return errors.Is(err, sysfs.ENOENT) || errors.Is(err, sysfs.ENOTDIR), nil
	}
	fileType := uint32(st.Mode) & sysfs.S_IFMT
	if fileType == sysfs.S_IFREG && st.Nlink > 1 {
		// Written through another link, elsewhere, it changes with no
		// event in this directory.
		d.volatile = true
	}
	switch e.Mode() & gitindex.ModeTypeMask {
	case gitindex.ModeGitlink:
		if s.ignoredSubmodules()[e.Path] {
			return false, nil
		}
		if fileType != sysfs.S_IFDIR {
			return true, nil
		}
		d.volatile = true // the submodule's HEAD is not watched
		return gitlinkChanged(filepath.Join(s.root, e.Path), e.Hash()), nil
	case gitindex.ModeSymlink:
		// Without core.symlinks git checks a link out as a file holding
		// its target, and compares that file's content.
		if fileType != sysfs.S_IFLNK && (s.symlinks || fileType != sysfs.S_IFREG) {
			return true, nil
		}
	default:
		if fileType != sysfs.S_IFREG {
			return true, nil
		}
		if s.fileMode && (e.Mode()^uint32(st.Mode))&0o100 != 0 {
			return true, nil
		}
	}
	if size := e.Size(); uint32(st.Size) != size && size != 0 {
		return true, nil
	}
	if statMatches(e, &st, s.statCheck) && e.MtimeSec() < s.indexMtimeSec {
		return false, nil
	}
	sum, known, err := s.hashForCompare(dirfd, name, e, &st, attrs)
	if !known {
		d.volatile = true // Status.Unknown must be said again
		return false, nil
	}
	if err != nil {
		if s.ctx.Err() != nil {
			return false, s.ctx.Err() // out of time: the counts are unknown
		}
		return false, fmt.Errorf("scan work tree: read %q: %w", e.Path, err)
	}
	return sum != e.Hash(), nil
}

// hashForCompare is the blob id git computes for the file to compare it
// with e: the content of a regular file converted as its attributes say.
// known is false when the conversion is beyond a prompt, which is then
// marked unknown.
func (s *worktreeScan) hashForCompare(dirfd int, name string, e *gitindex.Entry, st *sysfs.Stat_t, attrs *attrStack) (sum [hashLen]byte, known bool, err error) {
	fileType, size := uint32(st.Mode)&sysfs.S_IFMT, st.Size
	var conv conversion
	if fileType == sysfs.S_IFREG {
		conv = s.convert.conversionOf(e.Path, attrs)
	}
	if conv.none() {
		// The id of the content as it is: remembered with the file's stat
		// data, it need not be computed again while they hold (the files
		// git would refresh in the index, which a prompt leaves as it is).
		stat := dirStatOf(st)
		if sum, ok := s.mem.hashedAs(e.Path, stat); ok {
			return sum, true, nil
		}
		sum, err = hashWorktreeFile(s.ctx, dirfd, name, fileType, size)
		if err == nil {
			s.mem.rememberHash(e.Path, stat, sum)
		}
		return sum, true, err
	}
	if conv.unknown == "" {
		err = errTooBigToConvert
		if size <= maxConverted {
			sum, err = hashConverted(s.ctx, dirfd, name, size, conv, readIndexBlob(s.objects, e))
		}
		if errors.Is(err, errTooBigToConvert) {
			conv.unknown = fmt.Sprintf("%q is %v, which its attributes convert", e.Path, err)
		}
	}
	if conv.unknown != "" {
		s.markUnknown(&s.unknownUnstaged, conv.unknown)
		return sum, false, nil
	}
	return sum, true, err
}

// lstatCountsDeleted reports whether git counts the tracked path below a
// symlink as deleted: lstat finds it (through the symlink) or fails because
// it is absent.
func lstatCountsDeleted(path string) bool {
	var st sysfs.Stat_t
	err := sysfs.Lstat(path, &st)
	return err == nil || errors.Is(err, sysfs.ENOENT) || errors.Is(err, sysfs.ENOTDIR)
}

func statMatches(e *gitindex.Entry, st *sysfs.Stat_t, c gitindex.StatCheck) bool {
	return e.StatMatches(gitindex.StatData{
		CtimeSec: uint32(st.Ctim.Sec), CtimeNsec: uint32(st.Ctim.Nsec), MtimeSec: uint32(st.Mtim.Sec), MtimeNsec: uint32(st.Mtim.Nsec),
		Ino: uint32(st.Ino), UID: st.Uid, GID: st.Gid, Size: uint32(st.Size),
	}, c)
}

// hashWorktreeFile computes the blob id git would store for a file or
// symlink.
func hashWorktreeFile(ctx context.Context, dirfd int, name string, fileType uint32, size int64) ([hashLen]byte, error) {
	h := hash.New(crypto.SHA1)
	if fileType == sysfs.S_IFLNK {
		buf := make([]byte, size+1)
		n, err := sysfs.Readlinkat(dirfd, name, buf)
		if err != nil {
			return [hashLen]byte{}, err
		}
		io.WriteString(h, "blob "+strconv.Itoa(n)+"\x00")
		h.Write(buf[:n])
		return [hashLen]byte(h.Sum(nil)), nil
	}
	fd, err := sysfs.Openat(dirfd, name, sysfs.O_RDONLY|sysfs.O_CLOEXEC|sysfs.O_NOFOLLOW|sysfs.O_NONBLOCK, 0)
	if err != nil {
		return [hashLen]byte{}, err
	}
	defer sysfs.Close(fd)
	// Streamed, so a big racily clean file costs no memory, and in chunks
	// with the deadline checked between them, so a gigabyte file cannot hold
	// the prompt past its budget. Should the file change size while being
	// read, the header's size no longer matches and neither does the id:
	// the file is reported changed, as it is.
	io.WriteString(h, "blob "+strconv.FormatInt(size, 10)+"\x00")
	buf := hashBuffers.Get().(*[]byte)
	defer hashBuffers.Put(buf)
	for {
		if err := ctx.Err(); err != nil {
			return [hashLen]byte{}, err
		}
		n, err := sysfs.Read(fd, *buf)
		if err == sysfs.EINTR {
			continue
		}
		if err != nil {
			return [hashLen]byte{}, err
		}
		if n == 0 {
			return [hashLen]byte(h.Sum(nil)), nil
		}
		h.Write((*buf)[:n])
	}
}

// hashChunk is how much of a file is hashed between two looks at the
// deadline: 1 MiB takes about a millisecond.
const hashChunk = 1 << 20

var hashBuffers = sync.Pool{New: func() any {
	b := make([]byte, hashChunk)
	return &b
}}

// gitlinkChanged reports whether the submodule checked out at dir has another
// HEAD commit than the index records. Like git, a directory that is not a
// repository (an uninitialised submodule) or has no commit is unchanged.
func gitlinkChanged(dir string, recorded [hashLen]byte) bool {
	gitdir, commondir, ok := gitDirOf(dir)
	if !ok {
		return false
	}
	sub := &repo{gitdir: gitdir, commondir: commondir, refs: &refStore{gitdir: gitdir, commondir: commondir}}
	_, head, err := sub.readHead()
	if err != nil || head.IsZero() {
		return false
	}
	return head != recorded
}
