package gitstatus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/gofork/gofork/internal/gitindex"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/gofork/gofork/internal/sysfs"

	"github.com/gofork/gofork/internal/rawfile"
)

// Options tunes Read.
type Options struct {
	// Workers bounds the goroutines scanning the work tree; 0 means
	// GOMAXPROCS.
	Workers int
	// CompareRefs, given the repository's configuration (every value of
	// each variable, keyed by canonical name: "remote.up.url"), names the
	// refs to measure how far HEAD lags behind (a fork's upstream default
	// branch); the first that exists is used and its count goes to
	// Status.CompareBehind. Counting here reuses the repository Read has
	// already opened.
	CompareRefs func(config map[string][]string) []string
	// Settings, when set, is the git config section whose variables tune
	// Read for its caller (gitprompt's is "gitprompt"), set per
	// repository, globally or through includeIf: enable=false gives a
	// Status with Disabled set and nothing else read; showDirty=false
	// skips the counts, as does an index of more than maxIndexEntries
	// entries (0: no limit); Status.Skipped then says why.
	Settings string
	// CacheDir, when set, is where Read keeps the names in each tracked
	// directory of the work tree between runs (one file per work tree,
	// never inside the repository), so that a directory whose stat data is
	// unchanged need not be read again; see listings.go for why that is
	// safe. Empty: every directory is read.
	CacheDir string
	// Resident, when set, keeps the work tree's index and counts in this
	// process between calls, watched for changes (see Resident).
	Resident *Resident
}

// Read computes the Status of the work tree containing dir, with the counts
// of git status described in the package documentation. It never writes to
// the repository: no index refresh, no lock files, no hooks.
//
// When ctx is done before the work tree is scanned, Read returns at once with
// the cheap fields (branch, commit, upstream, state, stash and ahead/behind
// when already known), the other counts set to -1 and Complete false; that is
// not an error. Errors are reserved for what makes the status unknowable: not
// a work tree, an unreadable HEAD or index.
func Read(ctx context.Context, dir string, opts Options) (*Status, error) {
	// git works in the physical directory (its getcwd): through a
	// symbolic link, the repository is the one the link leads into, and a
	// link retargeted since the last Read leads elsewhere.
	dir = sysfs.Physical(dir)
	if st, ok, err := opts.Resident.reread(ctx, dir, opts); ok {
		return st, err
	}
	r, err := openRepo(dir)
	if err != nil {
		return nil, err
	}
	kept := false
	defer func() {
		if !kept {
			r.close()
		}
	}()
	st := &Status{
		Workdir: r.workdir, Gitdir: r.gitdir,
		Ahead: -1, Behind: -1, PushAhead: -1, PushBehind: -1,
		Staged: -1, Unstaged: -1, Untracked: -1, Conflicted: -1,
		CompareBehind: -1,
	}
	if format, _ := r.config.value("extensions", "", "objectFormat"); strings.EqualFold(format, "sha256") {
		return r.sha256Status(st, opts.Settings)
	}
	var res *residentTree
	if opts.Resident != nil {
		// Before HEAD and the refs are read: their watches must be set
		// first, or a change in between would go unseen.
		res = opts.Resident.tree(r)
		defer res.unlock()
		res.begin(r, opts.CacheDir)
	}
	branch, head, err := r.readHead()
	if err != nil {
		return nil, err
	}
	st.Branch, st.Detached = branch, branch == ""
	st.Unborn = head.IsZero()
	if !st.Unborn {
		st.Commit = head.String()
	}
	if opts.Settings != "" && !r.config.boolean(opts.Settings, "", "enable", true) {
		st.Disabled = true
		return st, nil
	}
	st.State, st.Step, st.Total = r.operationState()
	st.Stash = r.stashCount(2 * hashLen)

	var idx *gitindex.Index
	var indexMtimeSec uint32
	if res != nil {
		idx, indexMtimeSec, err = res.index(r)
	} else {
		var release func()
		idx, indexMtimeSec, release, err = r.readIndex()
		if err == nil {
			defer release()
		}
	}
	if err != nil {
		return nil, err
	}
	if st.Skipped = r.skipCounts(opts.Settings, len(idx.Entries)); st.Skipped != "" {
		if err := r.compareCommits(ctx, st, head, opts.CompareRefs); err != nil {
			return nil, err
		}
		st.Tag = r.tagAt(head, nil)
		return st, nil
	}
	w, err := r.newWorkCount(ctx, idx, indexMtimeSec, head, opts)
	if err != nil {
		return nil, err
	}
	// The commits HEAD is compared with and HEAD's tags are read while the
	// work tree is scanned.
	err = w.count(st, res, func(mem memory) error {
		if err := r.compareCommits(ctx, st, head, opts.CompareRefs); err != nil {
			return err
		}
		st.Tag = r.tagAt(head, mem)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if res != nil {
		kept = res.keepRepository(r, w, st)
	}
	return st, nil
}

// workCount is what counting a work tree needs from its repository, read
// once: a resident tree keeps it for the next Read while nothing in the
// git directory changes.
type workCount struct {
	ctx           context.Context
	r             *repo
	idx           *gitindex.Index
	indexMtimeSec uint32
	head          plumbing.Hash
	opts          Options
	untracked     untrackedMode
	rules         *ignoreStack
	convert       *converter
}

func (r *repo) newWorkCount(ctx context.Context, idx *gitindex.Index, indexMtimeSec uint32, head plumbing.Hash, opts Options) (*workCount, error) {
	untracked, err := parseUntrackedMode(r.config.value("status", "", "showUntrackedFiles"))
	if err != nil {
		return nil, err
	}
	return &workCount{
		ctx: ctx, r: r, idx: idx, indexMtimeSec: indexMtimeSec, head: head, opts: opts,
		untracked: untracked, rules: r.topLevelRules(), convert: newConverter(r),
	}, nil
}

// count sets st's staged, unstaged, untracked and conflicted counts,
// Complete and Unknown, with res (nil without Resident) or the listing
// cache as the memory; alongside runs with the same memory while the work
// tree is scanned (nil: nothing).
func (w *workCount) count(st *Status, res *residentTree, alongside func(memory) error) error {
	ctx, r, idx, opts := w.ctx, w.r, w.idx, w.opts
	var listings *listingCache
	var mem memory = listings
	switch {
	case res != nil:
		mem = res
	case opts.CacheDir != "" && !within(opts.CacheDir, r.workdir):
		// A cache inside the work tree being read (a repository made of
		// the home directory, whose ~/.cache holds it) would show up as
		// untracked on the next prompt: do without it there.
		listings = openListingCache(opts.CacheDir, r.workdir, time.Now())
		defer listings.close()
		mem = listings
	}
	// HEAD's tree is compared with the index while the work tree is
	// scanned, or just before it when the index is small.
	type treeResult struct {
		staged int
		err    error
	}
	staged := make(chan treeResult, 1)
	compareHead := func() {
		if alongside != nil {
			if err := alongside(mem); err != nil {
				staged <- treeResult{0, err}
				return
			}
		}
		var n int
		var err error
		if res != nil {
			n, err = res.stagedCount(ctx, r, w.head)
		} else {
			n, err = newStagedCounter(idx).count(ctx, r.objects, w.head, idx.Tree, mem)
		}
		staged <- treeResult{n, err}
	}
	workers := opts.Workers
	if workers == 0 && len(idx.Entries) < smallIndex {
		workers = 1
	}
	if workers == 1 {
		compareHead()
	} else {
		go compareHead()
	}
	scan := newWorktreeScan(ctx, r.workdir, idx, r.objects, r.config, w.indexMtimeSec, workers)
	scan.mem = mem
	scan.remembering = res != nil && res.watch != nil
	scan.untrackedMode = w.untracked
	scan.convert = w.convert
	scan.fold = r.foldFlags()
	scanErr := scan.run(w.rules)
	tree := <-staged
	// Listings read before the deadline are worth keeping: with them the
	// next prompt may finish in time.
	keep := scanErr == nil || ctx.Err() != nil && errors.Is(scanErr, ctx.Err())
	switch {
	case res != nil:
		res.finish(scanErr == nil, keep)
	case listings != nil && keep:
		listings.save(scanErr == nil)
		if testHookListings != nil {
			testHookListings(listings)
		}
	}
	st.Complete = true
	switch {
	case scanErr == nil:
		st.Unstaged = int(scan.unstaged.Load())
		st.Untracked = int(scan.untracked.Load())
		st.Conflicted = int(scan.conflicted.Load())
		var unknown []string
		if scan.unknownUnstaged != "" {
			st.Unstaged = -1
			unknown = append(unknown, "unstaged count: "+scan.unknownUnstaged)
		}
		if scan.unknownUntracked != "" {
			st.Untracked = -1
			unknown = append(unknown, "untracked count: "+scan.unknownUntracked)
		}
		if unknown != nil {
			st.Unknown, st.Complete = strings.Join(unknown, "; "), false
		}
	case ctx.Err() != nil:
		st.Complete = false
	default:
		return scanErr
	}
	switch {
	case tree.err == nil:
		st.Staged = tree.staged
	case ctx.Err() != nil:
		st.Complete = false
	default:
		return tree.err
	}
	if st.Ahead < 0 || st.PushAhead < 0 {
		st.Complete = false
	}
	return nil
}

// sha256Status is what Read can say of a repository with SHA-256 object
// ids, whose index, trees and packs it does not decode: the branch, the
// upstream's name, the operation in progress and the stash, each read
// without parsing an object id; the counts stay -1 and Unknown says why.
func (r *repo) sha256Status(st *Status, settings string) (*Status, error) {
	head, err := r.headContent()
	if err != nil {
		return nil, err
	}
	if target, ok := strings.CutPrefix(head, "ref: "); ok {
		st.Branch = strings.TrimPrefix(target, "refs/heads/")
		st.Unborn = !r.refs.exists(target)
	} else {
		st.Detached, st.Commit = true, head
	}
	if settings != "" && !r.config.boolean(settings, "", "enable", true) {
		st.Disabled = true
		return st, nil
	}
	if st.Branch != "" {
		remote, _ := r.config.value("branch", st.Branch, "remote")
		merge, _ := r.config.value("branch", st.Branch, "merge")
		if ref := r.trackingRef(remote, merge); remote != "" && merge != "" && ref != "" {
			st.Upstream, st.UpstreamGone = shortRef(ref), !r.refs.exists(ref)
		}
	}
	st.State, st.Step, st.Total = r.operationState()
	st.Stash = r.stashCount(64)
	st.Unknown = "SHA-256 repository (extensions.objectFormat=sha256): gitprompt reads SHA-1 object ids only, so it shows the branch without the counts"
	return st, nil
}

// skipCounts says why the counts are not to be computed, "" when they are:
// the caller's showDirty=false, or an index larger than its
// maxIndexEntries.
func (r *repo) skipCounts(section string, entries int) string {
	if section == "" {
		return ""
	}
	if !r.config.boolean(section, "", "showDirty", true) {
		return section + ".showDirty=false"
	}
	if v, ok := r.config.value(section, "", "maxIndexEntries"); ok {
		if limit, ok := parseConfigInt(v); ok && limit > 0 && int64(entries) > limit {
			return fmt.Sprintf("%d index entries, more than %s.maxIndexEntries=%s", entries, section, v)
		}
	}
	return ""
}

// testHookListings, set by tests, sees the listing cache of each complete
// scan: which directories came from the file.
var testHookListings func(*listingCache)

// smallIndex is the index size below which Read runs in one goroutine: in
// a small repository, starting threads for parallel work costs more than the
// work (measured with hyperfine on the sample project: 0.2 to 0.9 ms of
// a 10 ms run).
const smallIndex = 1000

// readIndex loads the index (see rawfile.Load) and parses it; release must
// run after the last use of the index (entry paths point into it). Git
// replaces the index by renaming a new file over it, so a mapped index never
// changes under us. It also returns the second of the index's modification
// time, the racy-git reference. A missing index is an empty one, as in a new
// repository.
func (r *repo) readIndex() (idx *gitindex.Index, mtimeSec uint32, release func(), err error) {
	f, err := r.openIndex()
	if err != nil {
		return nil, 0, nil, err
	}
	defer f.close()
	return r.loadIndex(f)
}

// indexFile is the index file opened, fd -1 when there is none.
type indexFile struct {
	name string
	fd   int
	stat sysfs.Stat_t
}

func (f indexFile) close() {
	if f.fd >= 0 {
		sysfs.Close(f.fd)
	}
}

// identity is what changes when git replaces the index: the zero dirStat
// when there is none.
func (f indexFile) identity() dirStat {
	if f.fd < 0 {
		return dirStat{}
	}
	return dirStatOf(&f.stat)
}

// indexName is the index file: $GIT_INDEX_FILE when set.
func (r *repo) indexName() string {
	if env := os.Getenv("GIT_INDEX_FILE"); env != "" {
		return absFrom(r.dir, env)
	}
	return filepath.Join(r.gitdir, "index")
}

// openIndex opens the index.
func (r *repo) openIndex() (indexFile, error) {
	f := indexFile{name: r.indexName(), fd: -1}
	fd, err := sysfs.Open(f.name, sysfs.O_RDONLY|sysfs.O_CLOEXEC, 0)
	if errors.Is(err, sysfs.ENOENT) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read index %q: %w", f.name, err)
	}
	if err := sysfs.Fstat(fd, &f.stat); err != nil {
		sysfs.Close(fd)
		return f, fmt.Errorf("read index %q: %w", f.name, err)
	}
	f.fd = fd
	return f, nil
}

// loadIndex reads and parses the opened index, as readIndex describes.
func (r *repo) loadIndex(f indexFile) (idx *gitindex.Index, mtimeSec uint32, release func(), err error) {
	if f.fd < 0 {
		return &gitindex.Index{Version: 2}, 0, func() {}, nil
	}
	name := f.name
	data, release, err := rawfile.Load(f.fd, f.stat.Size, false)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("read index %q: %w", name, err)
	}
	idx, err = gitindex.Parse(data)
	if err == nil && idx.Link != nil {
		var releaseShared func()
		if releaseShared, err = r.mergeSharedIndex(idx); err == nil {
			releaseSplit := release
			release = func() { releaseShared(); releaseSplit() }
		}
	}
	if err == nil && idx.Sparse {
		err = expandSparse(idx, r.objects)
	}
	if err != nil {
		release()
		if errors.Is(err, gitindex.ErrCorrupt) {
			return nil, 0, nil, fmt.Errorf("%w (in %q); move it away and run `git reset` to rebuild it", err, name)
		}
		return nil, 0, nil, fmt.Errorf("%w (in %q)", err, name)
	}
	// With a split index, racy-clean entries are judged by the split
	// index's time, as git does: the file it wrote last.
	return idx, uint32(f.stat.Mtim.Sec), release, nil
}

// mergeSharedIndex reads the shared index a split index is based on (in
// the git directory, as git writes it) and merges it in.
func (r *repo) mergeSharedIndex(idx *gitindex.Index) (release func(), err error) {
	name := filepath.Join(r.gitdir, idx.Link.SharedName())
	fd, err := sysfs.Open(name, sysfs.O_RDONLY|sysfs.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("read the shared index %q of a split index: %w", name, err)
	}
	defer sysfs.Close(fd)
	var st sysfs.Stat_t
	if err := sysfs.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("read shared index %q: %w", name, err)
	}
	data, release, err := rawfile.Load(fd, st.Size, false)
	if err != nil {
		return nil, fmt.Errorf("read shared index %q: %w", name, err)
	}
	shared, err := gitindex.Parse(data)
	if err == nil && shared.Link != nil {
		err = fmt.Errorf("%w: shared index %q is itself split", gitindex.ErrCorrupt, name)
	}
	if err == nil {
		err = idx.MergeShared(shared.Entries)
	}
	if err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// topLevelRules is the exclusion rules that apply everywhere, lowest
// precedence at the bottom of the stack: core.excludesFile, then
// .git/info/exclude.
func (r *repo) topLevelRules() *ignoreStack {
	var rules *ignoreStack
	rules = rules.push(readIgnoreFile(r.configPath("excludesFile", "ignore"), ""))
	return rules.push(readIgnoreFile(filepath.Join(r.commondir, "info", "exclude"), ""))
}

// compareCommits fills the fields that compare HEAD with other commits:
// upstream, push remote and the first of compareRefs. An object that cannot
// be read is an error, as it is when counting staged changes; running out of
// time is not (the counts stay -1).
func (r *repo) compareCommits(ctx context.Context, st *Status, head plumbing.Hash, compareRefs func(map[string][]string) []string) error {
	if err := r.fillTracking(ctx, st, head); err != nil {
		return err
	}
	if compareRefs == nil {
		return nil
	}
	var err error
	st.CompareBehind, err = r.behindFirst(ctx, head, compareRefs(r.config))
	return err
}

// fillTracking sets the upstream and push-remote fields of a branch.
func (r *repo) fillTracking(ctx context.Context, st *Status, head plumbing.Hash) error {
	st.Ahead, st.Behind, st.PushAhead, st.PushBehind = 0, 0, 0, 0
	if st.Branch == "" {
		return nil
	}
	var err error
	remote, _ := r.config.value("branch", st.Branch, "remote")
	merge, _ := r.config.value("branch", st.Branch, "merge")
	if remote != "" && merge != "" {
		if ref := r.trackingRef(remote, merge); ref != "" {
			st.Upstream = shortRef(ref)
			if _, err := r.resolve(ref); err != nil {
				st.UpstreamGone = true // git status says [gone]
			}
			if st.Ahead, st.Behind, err = r.divergenceWithRef(ctx, head, ref); err != nil {
				return err
			}
		}
	}
	push, ok := r.config.value("branch", st.Branch, "pushRemote")
	if !ok {
		push, ok = r.config.value("remote", "", "pushDefault")
	}
	if !ok || push == "" || push == "." {
		return nil
	}
	if ref := r.trackingRef(push, "refs/heads/"+st.Branch); ref != "" {
		st.PushRemote = shortRef(ref)
		st.PushAhead, st.PushBehind, err = r.divergenceWithRef(ctx, head, ref)
	}
	return err
}

// divergenceWithRef counts commits between head and ref; a ref that does not
// exist ("gone" upstream) gives 0, 0 like git, which then prints no counts.
// -1, -1 means the time budget ran out; an error, that a commit could not be
// read.
func (r *repo) divergenceWithRef(ctx context.Context, head plumbing.Hash, ref string) (int, int, error) {
	other, err := r.resolve(ref)
	if err != nil || head.IsZero() {
		return 0, 0, nil
	}
	return countOrUnknown(ctx, r.objects, head, other)
}

// countOrUnknown is countDivergence with a deadline that passed reported
// as unknown counts (-1, -1), not as an error.
func countOrUnknown(ctx context.Context, db *objectDB, a, b plumbing.Hash) (int, int, error) {
	ahead, behind, err := countDivergence(ctx, db, a, b)
	switch {
	case err == nil:
		return ahead, behind, nil
	case ctx.Err() != nil:
		return -1, -1, nil
	}
	return 0, 0, err
}

// behindFirst counts the commits of the first existing ref in refs that
// head lacks; -1 when none exists, head is unborn or the budget ran out.
func (r *repo) behindFirst(ctx context.Context, head plumbing.Hash, refs []string) (int, error) {
	if head.IsZero() {
		return -1, nil
	}
	for _, ref := range refs {
		other, err := r.resolve(ref)
		if err != nil {
			continue
		}
		_, behind, err := countOrUnknown(ctx, r.objects, head, other)
		return behind, err
	}
	return -1, nil
}

// operationState reports the operation in progress and, for rebases and am,
// its step and total, as git's own prompt script does.
func (r *repo) operationState() (state string, step, total int) {
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(r.gitdir, name))
		return err == nil
	}
	number := func(name string) int {
		data, _ := rawfile.ReadFile(filepath.Join(r.gitdir, name))
		n, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		return n
	}
	switch {
	case exists("rebase-merge"):
		state = "rebase-m"
		if exists("rebase-merge/interactive") {
			state = "rebase-i"
		}
		return state, number("rebase-merge/msgnum"), number("rebase-merge/end")
	case exists("rebase-apply"):
		switch {
		case exists("rebase-apply/rebasing"):
			state = "rebase"
		case exists("rebase-apply/applying"):
			state = "am"
		default:
			state = "am/rebase"
		}
		return state, number("rebase-apply/next"), number("rebase-apply/last")
	case exists("MERGE_HEAD"):
		return "merge", 0, 0
	case exists("CHERRY_PICK_HEAD"):
		return "cherry-pick", 0, 0
	case exists("REVERT_HEAD"):
		return "revert", 0, 0
	case exists("BISECT_LOG"):
		return "bisect", 0, 0
	}
	return "", 0, 0
}

// stashCount is the number of entries in refs/stash's reflog, as `git status
// --show-stash` counts them: the lines git's reflog reader accepts, with
// object ids of hexLen digits (40 for SHA-1, 64 for SHA-256).
func (r *repo) stashCount(hexLen int) int {
	if r.refs.reftable {
		n, _ := reftableLogCount(filepath.Join(r.refs.commondir, "reftable"), "refs/stash")
		return n
	}
	data, err := rawfile.ReadFile(filepath.Join(r.refs.commondir, "logs", "refs", "stash"))
	if err != nil {
		return 0
	}
	n := 0
	for line := range bytes.Lines(data) {
		if validReflogLine(line, hexLen) {
			n++
		}
	}
	return n
}

// validReflogLine is the test of git's show_one_reflog_ent: "old SP new SP
// name <email> SP time SP tz TAB msg LF", with a non-zero time and a
// four-digit signed zone; git skips other lines.
func validReflogLine(line []byte, hexLen int) bool {
	if len(line) == 0 || line[len(line)-1] != '\n' {
		return false
	}
	for range 2 {
		if len(line) < hexLen+1 || !isHexObjectID(string(line[:hexLen])) || line[hexLen] != ' ' {
			return false
		}
		line = line[hexLen+1:]
	}
	if nul := bytes.IndexByte(line, 0); nul >= 0 {
		line = line[:nul] // git reads the rest as a C string
	}
	gt := bytes.IndexByte(line, '>')
	if gt < 0 || gt+1 >= len(line) || line[gt+1] != ' ' {
		return false
	}
	// strtoumax: blanks, an optional sign, digits.
	rest := bytes.TrimLeft(line[gt+2:], " \t\n\v\f\r")
	if len(rest) > 0 && (rest[0] == '+' || rest[0] == '-') {
		rest = rest[1:]
	}
	digits := 0
	nonZero := false
	for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
		nonZero = nonZero || rest[digits] != '0'
		digits++
	}
	if !nonZero {
		return false // no number, or the time 0
	}
	zone := rest[digits:]
	if len(zone) < 6 || zone[0] != ' ' || zone[1] != '+' && zone[1] != '-' {
		return false
	}
	for _, c := range zone[2:6] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// looseRefs calls visit with the name below dir (slash-separated, after
// prefix) and the target of each loose ref file under dir. Directories are
// listed as the scan lists the work tree, through listings (which may be
// nil) under the key "\x00" + dir's path from the common directory, a key
// no work-tree path can take: most repositories' refs/tags never changes,
// and reading it was the dearest system call of a prompt on a small one.
func looseRefs(mem memory, dir, key, prefix string, visit func(name string, id plumbing.Hash)) {
	names, err := listDir(mem, dir, key)
	if err != nil {
		return
	}
	for _, n := range names {
		path := filepath.Join(dir, n.Name)
		switch n.Type {
		case os.ModeDir:
			looseRefs(mem, path, key+"/"+n.Name, prefix+n.Name+"/", visit)
		case 0, os.ModeSymlink:
			data, err := rawfile.ReadFile(path)
			if id := strings.TrimSpace(string(data)); err == nil && plumbing.IsHash(id) {
				visit(prefix+n.Name, plumbing.NewHash(id))
			}
		}
	}
}

// tagsListingKey is refs/tags' key in the listing cache (see looseRefs).
const tagsListingKey = "\x00refs/tags"

// tagAt returns the alphabetically first tag pointing at commit (annotated
// tags peeled), or "", with listings (which may be nil) standing in for
// reading refs/tags while it is unchanged. It reads refs/tags and the parsed
// packed-refs rather than iterating every ref: packed-refs already records
// what annotated tags point at ("^" lines), so big repositories with
// hundreds of tags need no object reads, and branches are never looked at.
func (r *repo) tagAt(commit plumbing.Hash, mem memory) string {
	if commit.IsZero() {
		return ""
	}
	type tag struct {
		id     plumbing.Hash
		peeled bool // id is already what the tag points at
	}
	tags := map[string]tag{}
	for name, p := range r.refs.packedRefs() {
		short, ok := strings.CutPrefix(name, "refs/tags/")
		switch {
		case !ok:
		case !p.peeled.IsZero():
			tags[short] = tag{p.peeled, true}
		default:
			// fully-peeled: a tag without a "^" line is not annotated
			tags[short] = tag{p.hash, p.fullyPeeled}
		}
	}
	looseRefs(mem, filepath.Join(r.refs.commondir, "refs", "tags"), tagsListingKey, "", func(name string, id plumbing.Hash) {
		tags[name] = tag{id, false}
	})
	var names []string
	for name, t := range tags {
		target := t.id
		if !t.peeled {
			target = peel(r.objects, t.id)
		}
		if target == commit {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	return names[0]
}

// within reports whether path is dir or lies below it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}
