package gitstatus

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/gofork/gofork/internal/dirlist"
	"github.com/gofork/gofork/internal/gittest"
	"github.com/gofork/gofork/internal/sysfs"
)

// withRacyMargin sets listingRacyMargin for one test.
func withRacyMargin(t testing.TB, margin time.Duration) {
	old := listingRacyMargin
	listingRacyMargin = margin
	t.Cleanup(func() { listingRacyMargin = old })
}

// listVia lists the directory rel of root through c, as a scan does.
func listVia(t testing.TB, c *listingCache, root, rel string) []dirlist.Entry {
	t.Helper()
	fd, err := sysfs.Open(filepath.Join(root, rel), sysfs.O_RDONLY|sysfs.O_DIRECTORY|sysfs.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sysfs.Close(fd)
	var seen seenListings
	names, err := c.list(fd, rel, nil, &seen)
	if err != nil {
		t.Fatal(err)
	}
	c.collect(seen)
	return names
}

func readDirOf(t *testing.T, dir string) []dirlist.Entry {
	t.Helper()
	fd, err := sysfs.Open(dir, sysfs.O_RDONLY|sysfs.O_DIRECTORY|sysfs.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sysfs.Close(fd)
	names, err := dirlist.Read(fd, nil)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func cachedRecords(c *listingCache) int { return len(c.seen.kept) }

func storedListings(c *listingCache) int { return len(c.seen.kept) + len(c.seen.fresh) }

func TestListingCacheRoundTrip(t *testing.T) {
	withRacyMargin(t, -time.Hour) // every directory is old enough
	root, cacheDir := t.TempDir(), t.TempDir()
	writeFile(t, root, "a/f", "x")
	writeFile(t, root, "a/b/g", "x")
	if err := os.Symlink("f", filepath.Join(root, "a", "link")); err != nil {
		t.Fatal(err)
	}
	if err := mkfifo(filepath.Join(root, "a", "fifo")); err != nil {
		t.Fatal(err)
	}
	rels := []string{"", "a/", "a/b/"}

	c := openListingCache(cacheDir, root, time.Now())
	for _, rel := range rels {
		listVia(t, c, root, rel)
	}
	c.save(true)
	c.close()

	c = openListingCache(cacheDir, root, time.Now())
	defer c.close()
	if c.count() != len(rels) {
		t.Fatalf("cache file holds %d directories, want %d", c.count(), len(rels))
	}
	for _, rel := range rels {
		got, want := listVia(t, c, root, rel), readDirOf(t, filepath.Join(root, rel))
		if !slices.Equal(got, want) {
			t.Errorf("cached listing of %q = %v, want %v", rel, got, want)
		}
	}
	if n := cachedRecords(c); n != len(rels) || storedListings(c) != n {
		t.Errorf("second scan took %d of %d listings from the cache, want all", n, storedListings(c))
	}
	info, err := os.Stat(c.file)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("cache file mode %v, want 0600: it names the user's files", perm)
	}
	c.save(true) // nothing changed: the file stays
	if again, err := os.Stat(c.file); err != nil || !again.ModTime().Equal(info.ModTime()) || !os.SameFile(info, again) {
		t.Errorf("saving an unchanged cache rewrote the file")
	}

	// A new directory is stored next to the listings copied from the file.
	writeFile(t, root, "a/c/h", "x")
	rels = append(rels, "a/c/")
	listVia(t, c, root, "a/c/")
	c.save(true)
	c.close()
	c = openListingCache(cacheDir, root, time.Now())
	defer c.close()
	for _, rel := range rels {
		got, want := listVia(t, c, root, rel), readDirOf(t, filepath.Join(root, rel))
		if !slices.Equal(got, want) {
			t.Errorf("after rewriting, cached listing of %q = %v, want %v", rel, got, want)
		}
	}
	if n := cachedRecords(c); n != len(rels)-1 { // making a/c changed a/
		t.Errorf("after rewriting, %d listings came from the cache, want %d", n, len(rels)-1)
	}
}

func TestListingCacheRereadsChangedDirectory(t *testing.T) {
	withRacyMargin(t, -time.Hour)
	root, cacheDir := t.TempDir(), t.TempDir()
	writeFile(t, root, "a/f", "x")
	c := openListingCache(cacheDir, root, time.Now())
	listVia(t, c, root, "a/")
	c.save(true)
	c.close()

	for _, change := range []func(){
		func() { writeFile(t, root, "a/new", "x") },
		func() { os.Remove(filepath.Join(root, "a", "f")) },
		func() { os.Rename(filepath.Join(root, "a", "new"), filepath.Join(root, "a", "renamed")) },
		func() {
			// A changed entry count would do; the ctime alone must.
			os.Remove(filepath.Join(root, "a", "renamed"))
			os.Mkdir(filepath.Join(root, "a", "renamed"), 0o755)
			old := time.Now().Add(-time.Hour)
			os.Chtimes(filepath.Join(root, "a"), old, old)
		},
	} {
		change()
		c := openListingCache(cacheDir, root, time.Now())
		got, want := listVia(t, c, root, "a/"), readDirOf(t, filepath.Join(root, "a"))
		if !slices.Equal(got, want) {
			t.Fatalf("listing after a change = %v, want %v", got, want)
		}
		if cachedRecords(c) != 0 {
			t.Fatalf("a changed directory was taken from the cache")
		}
		c.save(true)
		c.close()
	}
}

func TestListingCacheKeepsUnreachedDirectoriesAfterATimeout(t *testing.T) {
	withRacyMargin(t, -time.Hour)
	root, cacheDir := t.TempDir(), t.TempDir()
	writeFile(t, root, "a/f", "x")
	writeFile(t, root, "b/g", "x")
	c := openListingCache(cacheDir, root, time.Now())
	listVia(t, c, root, "a/")
	listVia(t, c, root, "b/")
	c.save(true)
	c.close()

	// The deadline passes after a/, changed, was read again.
	writeFile(t, root, "a/new", "x")
	c = openListingCache(cacheDir, root, time.Now())
	listVia(t, c, root, "a/")
	c.save(false)
	c.close()

	c = openListingCache(cacheDir, root, time.Now())
	defer c.close()
	for _, rel := range []string{"a/", "b/"} {
		got, want := listVia(t, c, root, rel), readDirOf(t, filepath.Join(root, rel))
		if !slices.Equal(got, want) {
			t.Errorf("listing of %q = %v, want %v", rel, got, want)
		}
	}
	if n := cachedRecords(c); n != 2 {
		t.Errorf("after a scan cut short, %d of 2 listings came from the cache, want both", n)
	}
}

func TestListingCacheSkipsRecentlyChangedDirectory(t *testing.T) {
	// The real margin: a directory changed just now may change again
	// within the same clock tick, keeping its ctime.
	root, cacheDir := t.TempDir(), t.TempDir()
	writeFile(t, root, "a/f", "x")
	c := openListingCache(cacheDir, root, time.Now())
	listVia(t, c, root, "a/")
	if storedListings(c) != 0 {
		t.Fatalf("a directory changed %v ago was stored", listingRacyMargin)
	}
	c.save(true)
	c.close()
	if _, err := os.Stat(c.file); err == nil {
		t.Errorf("a cache file was written with nothing to store")
	}
}

// writeListingCache stores listings for root as if a scan had read them.
func writeListingCache(t *testing.T, cacheDir, root string, listings map[string][]dirlist.Entry) *listingCache {
	t.Helper()
	c := openListingCache(cacheDir, root, time.Now())
	for rel, names := range listings {
		var st sysfs.Stat_t
		if err := sysfs.Lstat(filepath.Join(root, rel), &st); err != nil {
			t.Fatal(err)
		}
		c.collect(seenListings{fresh: []seenListing{{rel: rel, stat: dirStatOf(&st), names: names, record: -1}}})
	}
	c.save(true)
	c.close()
	return c
}

func TestReadTrustsCachedListingOnlyWhileDirectoryIsUnchanged(t *testing.T) {
	dir, cacheDir := newRepo(t), t.TempDir()
	src := filepath.Join(dir, "src")
	// A listing with a name that is not there: a scan that believes the
	// cache counts it as untracked, which shows the cache is used.
	listing := append(readDirOf(t, src), dirlist.Entry{Name: "ghost"})
	slices.SortFunc(listing, func(a, b dirlist.Entry) int { return strings.Compare(a.Name, b.Name) })
	writeListingCache(t, cacheDir, dir, map[string][]dirlist.Entry{"src/": listing})

	st, err := Read(t.Context(), dir, Options{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if st.Untracked != 1 {
		t.Fatalf("with a cached listing of src/ holding a ghost, untracked = %d, want 1", st.Untracked)
	}
	// Any change to the directory's entries makes the listing stale.
	writeFile(t, dir, "src/tmp", "x")
	os.Remove(filepath.Join(src, "tmp"))
	assertMatchesGitWith(t, dir, Options{CacheDir: cacheDir})
}

// TestListingCacheRemembersHeadTree shows the file standing in for HEAD's
// commit: with the commit object gone, Read still compares HEAD's tree with
// the index through the tree the file remembers, while a Read without the
// cache has to give up. A new commit replaces the pair.
func TestListingCacheRemembersHeadTree(t *testing.T) {
	dir, cacheDir := newRepo(t), t.TempDir()
	writeFile(t, dir, "README.md", "staged\n")
	git(t, dir, "add", "README.md")
	assertMatchesGitWith(t, dir, Options{CacheDir: cacheDir}) // writes the cache
	head, tree := plumbing.NewHash(git(t, dir, "rev-parse", "HEAD")), plumbing.NewHash(git(t, dir, "rev-parse", "HEAD^{tree}"))
	c := openListingCache(cacheDir, dir, time.Now())
	got, ok := c.treeOf(head)
	c.close()
	if !ok || got != tree {
		t.Fatalf("cache file: tree of HEAD = %v, %v; want %v", got, ok, tree)
	}

	commitFile := looseObjectPath(t, dir, "HEAD")
	commit, err := os.ReadFile(commitFile)
	if err != nil {
		t.Fatal(err)
	}
	replaceLooseObject(t, commitFile, nil)
	if st, err := Read(t.Context(), dir, Options{}); err == nil {
		t.Fatalf("Read without the cache and without HEAD's commit = %+v, want an error", st)
	}
	st, err := Read(t.Context(), dir, Options{CacheDir: cacheDir})
	if err != nil || st.Staged != 1 {
		t.Fatalf("Read with the cache = %+v, %v; want 1 staged from the remembered tree", st, err)
	}

	replaceLooseObject(t, commitFile, commit)
	git(t, dir, "commit", "-q", "-m", "README staged")
	assertMatchesGitWith(t, dir, Options{CacheDir: cacheDir}, "after a new commit")
	head, tree = plumbing.NewHash(git(t, dir, "rev-parse", "HEAD")), plumbing.NewHash(git(t, dir, "rev-parse", "HEAD^{tree}"))
	c = openListingCache(cacheDir, dir, time.Now())
	defer c.close()
	if got, ok := c.treeOf(head); !ok || got != tree {
		t.Fatalf("cache file after a commit: tree of HEAD = %v, %v; want %v", got, ok, tree)
	}
}

// TestReadListsTagsThroughTheCache: a cached listing of refs/tags that
// leaves out a tag hides it while the directory is unchanged, which shows
// the cache is used, and a new tag makes the listing stale.
func TestReadListsTagsThroughTheCache(t *testing.T) {
	dir, cacheDir := newRepo(t), t.TempDir()
	git(t, dir, "tag", "v1")
	var st sysfs.Stat_t
	if err := sysfs.Lstat(filepath.Join(dir, ".git", "refs", "tags"), &st); err != nil {
		t.Fatal(err)
	}
	c := openListingCache(cacheDir, dir, time.Now())
	c.collect(seenListings{fresh: []seenListing{{rel: tagsListingKey, stat: dirStatOf(&st), record: -1}}})
	c.save(true)
	c.close()
	if got, err := Read(t.Context(), dir, Options{CacheDir: cacheDir}); err != nil || got.Tag != "" {
		t.Fatalf("Read with refs/tags cached as empty = tag %q, %v; want none", got.Tag, err)
	}
	git(t, dir, "tag", "v2")
	if got, err := Read(t.Context(), dir, Options{CacheDir: cacheDir}); err != nil || got.Tag != "v1" {
		t.Fatalf("Read after a new tag = tag %q, %v; want v1", got.Tag, err)
	}
}

func TestListingCacheIgnoresDamagedFile(t *testing.T) {
	withRacyMargin(t, -time.Hour)
	dir, cacheDir := newRepo(t), t.TempDir()
	writeFile(t, dir, "src/untracked.go", "x")
	assertMatchesGitWith(t, dir, Options{CacheDir: cacheDir}) // writes the cache
	file := openListingCache(cacheDir, dir, time.Now()).file
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	flipped := slices.Clone(good)
	flipped[len(flipped)-2] ^= 1
	otherTree := slices.Clone(good)
	copy(otherTree[listingHeaderSize+1:], "~")
	binary.LittleEndian.PutUint32(otherTree[8:], crc32.ChecksumIEEE(otherTree[12:]))
	for name, data := range map[string][]byte{
		"truncated":     good[:len(good)/2],
		"flipped bit":   flipped,
		"other version": append([]byte{'g', 'p', 'l', 's', listingVersion + 1}, good[5:]...),
		"other tree":    otherTree,
		"empty":         nil,
		"header only":   good[:listingHeaderSize],
	} {
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c := openListingCache(cacheDir, dir, time.Now())
		if c.count() != 0 {
			t.Errorf("%s cache file: %d records accepted", name, c.count())
		}
		c.close()
		assertMatchesGitWith(t, dir, Options{CacheDir: cacheDir}, name)
	}

	// A sound file that others may write is not trusted either.
	if err := os.WriteFile(file, good, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, 0o666); err != nil {
		t.Fatal(err)
	}
	c := openListingCache(cacheDir, dir, time.Now())
	defer c.close()
	if c.count() != 0 {
		t.Errorf("a world-writable cache file was accepted")
	}
}

// FuzzListingCache feeds arbitrary cache files, their checksum made
// right, to the reader: it must reject or read them without panicking.
func FuzzListingCache(f *testing.F) {
	root := f.TempDir()
	for _, name := range []string{"a/f", "a/b/g", "c"} {
		writeFile(f, root, name, "x")
	}
	cacheDir := f.TempDir()
	withRacyMargin(f, -time.Hour)
	c := openListingCache(cacheDir, root, time.Now())
	for _, rel := range []string{"", "a/", "a/b/"} {
		listVia(f, c, root, rel)
	}
	c.save(true)
	seed, err := os.ReadFile(c.file)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) >= 12 {
			binary.LittleEndian.PutUint32(data[8:], crc32.ChecksumIEEE(data[12:]))
		}
		if err := os.WriteFile(c.file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c := openListingCache(cacheDir, root, time.Now())
		defer c.close()
		for i := range c.count() {
			c.search(c.path(i))
			c.appendNames(i, nil)
		}
	})
}

func TestSavingPrunesForgottenCacheFiles(t *testing.T) {
	withRacyMargin(t, -time.Hour)
	root, cacheDir := t.TempDir(), t.TempDir()
	old := time.Now().Add(-listingCacheMaxAge - time.Hour)
	for name, mtime := range map[string]time.Time{
		"0123456789abcdef": old,                            // a work tree not seen for long
		"fedcba9876543210": time.Now(),                     // one in use
		".tmp-123":         time.Now().Add(-2 * time.Hour), // an interrupted write
		".tmp-456":         time.Now(),                     // a write under way
	} {
		path := filepath.Join(cacheDir, name)
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	c := openListingCache(cacheDir, root, time.Now())
	listVia(t, c, root, "")
	c.save(true)
	c.close()
	var left []string
	entries, _ := os.ReadDir(cacheDir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{".tmp-456", filepath.Base(c.file), "fedcba9876543210"}
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("cache directory after saving holds %v, want %v", left, want)
	}
}

// TestListingChecksumIsCRC32 compares both of listingChecksum's ways with
// the standard library's CRC-32 (IEEE), on sizes around where they meet.
func TestListingChecksumIsCRC32(t *testing.T) {
	data := make([]byte, 3<<12)
	for i := range data {
		data[i] = byte(i*7 + i>>8)
	}
	for _, n := range []int{0, 1, 12, 1000, 4<<10 - 1, 4 << 10, 4<<10 + 1, len(data)} {
		if got, want := listingChecksum(data[:n]), crc32.ChecksumIEEE(data[:n]); got != want {
			t.Errorf("listingChecksum of %d bytes = %#x, want %#x", n, got, want)
		}
	}
}

// On Windows a directory's "ctime" is its creation time, which entries
// added later never move: the later mtime says when it changed, so a
// listing read while it was still changing is not stored.
func TestDirStatChangedIsTheLaterTime(t *testing.T) {
	created, modified := time.Unix(1000, 5), time.Unix(2000, 7)
	st := dirStat{ctimeSec: created.Unix(), ctimeNsec: 5, mtimeSec: modified.Unix(), mtimeNsec: 7}
	if got := st.changed(); !got.Equal(modified) {
		t.Errorf("changed() = %v, want the mtime %v", got, modified)
	}
	st.ctimeSec = 3000
	if got := st.changed(); !got.Equal(time.Unix(3000, 5)) {
		t.Errorf("changed() = %v, want the later ctime", got)
	}
}

// TestListingCacheRemembersHashedFiles: files whose stat data no longer
// match the index (touched, or checked out in the index's second) are
// hashed once and then known by their stat data, until they change.
func TestListingCacheRemembersHashedFiles(t *testing.T) {
	gittest.Isolate(t)
	withRacyMargin(t, 30*time.Millisecond)
	dir := newRepo(t)
	old := time.Now().Add(-time.Hour)
	touched := []string{"README.md", "src/main.go"}
	for _, f := range touched {
		if err := os.Chtimes(filepath.Join(dir, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	// The others racily clean whatever the clock did between the
	// checkout and the index: the index dated to the newer of them.
	var newest time.Time
	others := 0
	for _, f := range strings.Fields(gittest.Git(t, dir, "ls-files")) {
		if slices.Contains(touched, f) {
			continue
		}
		others++
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
	}
	if others != 2 {
		t.Fatalf("the repository has %d files besides %v, want 2", others, touched)
	}
	if err := os.Chtimes(filepath.Join(dir, ".git", "index"), newest, newest); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond) // past the margin
	var used, computed int
	testHookListings = func(c *listingCache) { used, computed = len(c.usedHashed), len(c.freshHashed) }
	defer func() { testHookListings = nil }()
	opts := Options{CacheDir: t.TempDir()}
	assertMatchesGitWith(t, dir, opts)
	// The two touched, and the two racily clean.
	if used != 0 || computed != 4 {
		t.Fatalf("first Read: %d ids taken from the cache and %d computed, want 0 and 4", used, computed)
	}
	assertMatchesGitWith(t, dir, opts)
	if used != 4 || computed != 0 {
		t.Fatalf("second Read: %d ids taken from the cache and %d computed, want 4 and 0", used, computed)
	}
	// Same size, same mtime: the ctime still tells.
	writeFile(t, dir, "README.md", "HELLO\n")
	if err := os.Chtimes(filepath.Join(dir, "README.md"), old, old); err != nil {
		t.Fatal(err)
	}
	if got := assertMatchesGitWith(t, dir, opts); got.Unstaged != 1 {
		t.Fatalf("unstaged = %d after a same-size rewrite, want 1", got.Unstaged)
	}
	if used != 3 {
		t.Fatalf("%d ids taken from the cache after README.md changed, want the 3 others", used)
	}
	// Just written: its id is not kept until the file is older than the
	// margin.
	assertMatchesGitWith(t, dir, opts)
	if used != 3 || computed != 0 {
		t.Fatalf("right after README.md changed: %d ids from the cache, %d kept, want 3 and 0", used, computed)
	}
	time.Sleep(60 * time.Millisecond)
	assertMatchesGitWith(t, dir, opts)
	if computed != 1 {
		t.Fatalf("%d ids kept once README.md was old enough, want 1", computed)
	}
}
