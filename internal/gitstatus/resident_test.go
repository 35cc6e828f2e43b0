package gitstatus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
	"github.com/gofork/gofork/internal/sysfs"
)

// watched reports whether this build watches work trees (Linux, not the
// portable emulation); the tests of the fallback run everywhere.
func watched(t *testing.T) bool {
	t.Helper()
	w, err := newWatcher()
	if err != nil {
		return false
	}
	w.close()
	return true
}

func residentStats(t *testing.T, res *Resident, dir string) ResidentStats {
	t.Helper()
	st, ok := res.Stats(dir)
	if !ok {
		t.Fatalf("Resident keeps nothing of %s", dir)
	}
	return st
}

// TestRandomStatesThroughResident is TestRandomStatesMatchGit with one
// Resident per repository kept across every step, as the daemon keeps
// it: each answer against git status, and then a second Read with
// nothing changed, which must agree and, where watches are had, most
// often scan nothing.
func TestRandomStatesThroughResident(t *testing.T) {
	gittest.Isolate(t)
	defer func(old int) { minSplitEntries = old }(minSplitEntries)
	minSplitEntries = 1
	withRacyMargin(t, 30*time.Millisecond)
	var again, skipped int
	residents := map[int]*Resident{}
	defer func() {
		for _, res := range residents {
			res.Close()
		}
	}()
	randomStates(t, 4, 60, func(n int, w *randomWorld, context string) {
		res := residents[n]
		if res == nil {
			res = NewResident()
			residents[n] = res
		}
		opts := Options{Workers: 1, CacheDir: w.cacheDir, Resident: res}
		if n%2 == 1 {
			opts.Workers = 3
		}
		first := assertMatchesGitWith(t, w.dir, opts, context)
		second := assertMatchesGitWith(t, w.dir, opts, "(nothing changed since) "+context)
		if gitFields(first) != gitFields(second) {
			t.Fatalf("a second Read with nothing changed says %+v, the first %+v %s", gitFields(second), gitFields(first), context)
		}
		again++
		if residentStats(t, res, first.Workdir).Scanned == 0 {
			skipped++
		}
	})
	t.Logf("%d of %d Reads after no change scanned no directory", skipped, again)
	// Nested repositories and symlinked directories, which the steps
	// make often, are scanned every time: between 73 and 227 of 240 in
	// a dozen runs. Without the memory it is none.
	if watched(t) && skipped < again/6 {
		t.Errorf("only %d of %d Reads after no change scanned no directory: the memory is not exercised", skipped, again)
	}
}

// residentRepo is a repository of a few directories, read once through
// a new Resident.
func residentRepo(t *testing.T) (dir string, res *Resident, opts Options) {
	t.Helper()
	gittest.Isolate(t)
	dir = newRepo(t)
	writeFile(t, dir, "src/lib/deep/x.go", "package deep\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "deep")
	res = NewResident()
	t.Cleanup(res.Close)
	opts = Options{Resident: res}
	assertMatchesGitWith(t, dir, opts)
	if !res.Cold(dir) {
		t.Fatal("after a first Read: not Cold, want no watches set yet")
	}
	assertMatchesGitWith(t, dir, opts) // sets the watches
	if res.Cold(dir) {
		t.Fatal("Cold after a second Read")
	}
	return dir, res, opts
}

func TestResidentRescansOnlyWhatChanged(t *testing.T) {
	dir, res, opts := residentRepo(t)
	if !watched(t) {
		t.Skip("no watcher in this build")
	}
	st := residentStats(t, res, dir)
	// 5 in the work tree, and the git directory's.
	if !st.Watched || st.Watches < 5 || st.Remembered != 5 {
		t.Fatalf("after the first Read: %+v, want 5 directories watched and remembered", st)
	}
	assertMatchesGitWith(t, dir, opts)
	if st := residentStats(t, res, dir); st.Scanned != 0 {
		t.Fatalf("a Read after no change scanned %d directories, want 0", st.Scanned)
	}
	// One file written: only its directory is read again.
	changeOneFile(t, res, dir, opts, "src/lib/deep/x.go", 1, "watched")
	// An untracked directory's content is watched for its parent's count.
	if err := os.MkdirAll(filepath.Join(dir, "docs/new/empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := assertMatchesGitWith(t, dir, opts); got.Untracked != 0 {
		t.Fatalf("untracked = %d for empty directories, want 0", got.Untracked)
	}
	writeFile(t, dir, "docs/new/empty/file", "x")
	if got := assertMatchesGitWith(t, dir, opts); got.Untracked != 1 {
		t.Fatalf("untracked = %d after a file in an untracked directory, want 1", got.Untracked)
	}
	// A rule inherited below: everything is counted afresh.
	writeFile(t, dir, ".gitignore", "new/\n")
	if got := assertMatchesGitWith(t, dir, opts); got.Untracked != 1 {
		t.Fatalf("untracked = %d after ignoring docs/new, want 1 (.gitignore)", got.Untracked)
	}
	// Outside the work tree: info/exclude.
	writeFile(t, dir, ".git/info/exclude", ".gitignore\n")
	if got := assertMatchesGitWith(t, dir, opts); got.Untracked != 0 {
		t.Fatalf("untracked = %d after excluding .gitignore, want 0", got.Untracked)
	}
	// A new index: staged and unstaged counted against it.
	git(t, dir, "add", "src")
	if got := assertMatchesGitWith(t, dir, opts); got.Staged != 1 || got.Unstaged != 0 {
		t.Fatalf("staged, unstaged = %d, %d after git add, want 1, 0", got.Staged, got.Unstaged)
	}
	// A directory removed and made again holds other files.
	if err := os.RemoveAll(filepath.Join(dir, "src/lib/deep")); err != nil {
		t.Fatal(err)
	}
	assertMatchesGitWith(t, dir, opts)
	writeFile(t, dir, "src/lib/deep/x.go", "package deep\n")
	assertMatchesGitWith(t, dir, opts)
}

// TestResidentVolatileDirectories: counts that hang on what no watch sees
// are computed on every Read.
func TestResidentVolatileDirectories(t *testing.T) {
	gittest.Isolate(t)
	if !watched(t) {
		t.Skip("no watcher in this build")
	}
	dir := newRepo(t)
	// A hard link elsewhere: written through it, the tracked file changes
	// with no event in its directory.
	outside := filepath.Join(t.TempDir(), "link")
	if err := os.Link(filepath.Join(dir, "docs/guide.txt"), outside); err != nil {
		t.Fatal(err)
	}
	res := NewResident()
	defer res.Close()
	opts := Options{Resident: res}
	assertMatchesGitWith(t, dir, opts)
	assertMatchesGitWith(t, dir, opts)
	if err := os.WriteFile(outside, []byte("changed through the other link\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := assertMatchesGitWith(t, dir, opts); got.Unstaged != 1 {
		t.Fatalf("unstaged = %d after writing through another hard link, want 1", got.Unstaged)
	}
	if st := residentStats(t, res, dir); st.Scanned != 1 {
		t.Fatalf("scanned %d directories, want 1: docs, whose file has another link, every time", st.Scanned)
	}
	// A repository being made in an untracked directory: what is in its
	// .git decides whether it is one.
	if err := os.MkdirAll(filepath.Join(dir, "nested/.git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "nested/a", "a")
	writeFile(t, dir, "nested/b", "b")
	opts.Workers = 1
	assertMatchesGitWith(t, dir, opts)
	// Nothing in nested/ itself changes: its .git is not read for events.
	git(t, filepath.Join(dir, "nested"), "init", "-q")
	assertMatchesGitWith(t, dir, opts)
}

// TestResidentWatchBudgetFallsBack: past its watch budget a work tree is
// scanned on every Read, never answered from what it can no longer watch.
func TestResidentWatchBudgetFallsBack(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	res := NewResident()
	defer res.Close()
	res.maxWatches = 2
	opts := Options{Resident: res}
	assertMatchesGitWith(t, dir, opts)
	assertMatchesGitWith(t, dir, opts)
	st := residentStats(t, res, dir)
	if st.Watched || st.Remembered != 0 {
		t.Fatalf("past the budget of 2 watches: %+v, want unwatched and nothing remembered", st)
	}
	if watched(t) && !strings.Contains(st.Unwatched, "watch budget of 2") {
		t.Errorf("unwatched because %q, want the budget named", st.Unwatched)
	}
	inUse := int(res.watches.Load())
	if inUse != 0 {
		t.Errorf("%d watches still counted after falling back", inUse)
	}
	changeOneFile(t, res, dir, opts, "src/lib/lib.go", 4, "unwatched")
}

// changeOneFile writes the tracked file name and checks that the next Read
// agrees with git, counts it, and scanned so many directories.
func changeOneFile(t *testing.T, res *Resident, dir string, opts Options, name string, scanned int, context string) {
	t.Helper()
	writeFile(t, dir, name, "changed: "+context+"\n")
	if got := assertMatchesGitWith(t, dir, opts, context); got.Unstaged != 1 {
		t.Fatalf("%s: unstaged = %d after %s changed, want 1", context, got.Unstaged, name)
	}
	if st := residentStats(t, res, dir); st.Scanned != scanned {
		t.Fatalf("%s: the Read after %s changed scanned %d directories, want %d", context, name, st.Scanned, scanned)
	}
}

// TestResidentQueueOverflow: when the kernel's event queue overflows,
// events are lost, so every count is computed afresh; the change whose
// event was lost must show.
func TestResidentQueueOverflow(t *testing.T) {
	dir, res, opts := residentRepo(t)
	if !watched(t) {
		t.Skip("no watcher in this build")
	}
	data, err := os.ReadFile("/proc/sys/fs/inotify/max_queued_events")
	if err != nil {
		t.Skip("cannot read fs.inotify.max_queued_events")
	}
	limit, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || limit > 1<<17 {
		t.Skipf("fs.inotify.max_queued_events = %q: too many events to make", data)
	}
	// Alternating files, or the kernel merges repeated events into one.
	a, b := filepath.Join(dir, "src/main.go"), filepath.Join(dir, "README.md")
	for i := range limit + 10 {
		when := time.Unix(int64(1e9+i), 0)
		for _, f := range []string{a, b} {
			if err := os.Chtimes(f, when, when); err != nil {
				t.Fatal(err)
			}
		}
	}
	// This change's event is past the end of the full queue: every
	// directory is read again.
	changeOneFile(t, res, dir, opts, "src/lib/deep/x.go", 5, "after a queue overflow")
}

// TestResidentDropsIdleAndExtraTrees: trees not asked about for
// ResidentIdle, and beyond ResidentMaxTrees, are dropped with their
// watches.
func TestResidentDropsIdleAndExtraTrees(t *testing.T) {
	gittest.Isolate(t)
	res := NewResident()
	defer res.Close()
	now := time.Now()
	res.now = func() time.Time { return now }
	var dirs []string
	for range ResidentMaxTrees + 1 {
		dir := newRepo(t)
		dirs = append(dirs, dir)
		if _, err := Read(t.Context(), dir, Options{Resident: res}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second)
	}
	if _, ok := res.Stats(dirs[0]); ok {
		t.Errorf("%d trees kept, want the first dropped past ResidentMaxTrees=%d", len(res.trees), ResidentMaxTrees)
	}
	now = now.Add(ResidentIdle + time.Minute)
	if _, err := Read(t.Context(), dirs[1], Options{Resident: res}); err != nil {
		t.Fatal(err)
	}
	if len(res.trees) != 1 {
		t.Errorf("%d trees kept after %v idle, want only the one just read", len(res.trees), ResidentIdle)
	}
	inUse := int(res.watches.Load())
	if want := residentStats(t, res, dirs[1]).Watches; inUse != want {
		t.Errorf("%d watches counted, want %d: the dropped trees' are released", inUse, want)
	}
}

// TestResidentIndexRemembered: the index is parsed again only when git
// replaces it.
func TestResidentIndexRemembered(t *testing.T) {
	dir, res, opts := residentRepo(t)
	tree := func() *residentTree {
		res.mu.Lock()
		defer res.mu.Unlock()
		for _, tr := range res.trees {
			return tr
		}
		return nil
	}
	first := tree().idx
	assertMatchesGitWith(t, dir, opts)
	if tree().idx != first {
		t.Fatal("the index was parsed again though its file did not change")
	}
	git(t, dir, "update-index", "--chmod=+x", "README.md")
	if got := assertMatchesGitWith(t, dir, opts); got.Staged != 1 {
		t.Fatalf("staged = %d after a mode change in the index, want 1", got.Staged)
	}
	if tree().idx == first {
		t.Fatal("a replaced index was not read again")
	}
}

// openFds counts this process's open file descriptors.
func openFds(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}

func TestResidentCloseReleasesEverything(t *testing.T) {
	gittest.Isolate(t)
	if sysfs.Portable {
		t.Skip("the portable emulation opens no inotify instance")
	}
	dir := newRepo(t)
	before := openFds(t)
	res := NewResident()
	assertMatchesGitWith(t, dir, Options{Resident: res})
	res.Close()
	if after := openFds(t); after != before {
		t.Fatalf("%d file descriptors open after Close, %d before", after, before)
	}
}

// TestResidentAnswerReused: after no change at all a Read answers without
// reading the repository or the work tree; any change to what the answer
// was read from, in the git directory or in a configuration file outside
// it, is seen.
func TestResidentAnswerReused(t *testing.T) {
	withRacyMargin(t, 30*time.Millisecond)
	dir, res, opts := residentRepo(t)
	if !watched(t) {
		t.Skip("no watcher in this build")
	}
	reused := func(why string) {
		t.Helper()
		time.Sleep(60 * time.Millisecond) // past the racy margin
		assertMatchesGitWith(t, dir, opts, why)
		assertMatchesGitWith(t, dir, opts, why)
		if !residentStats(t, res, dir).Reused {
			t.Fatalf("%s: a Read after no change did not reuse the answer", why)
		}
	}
	changed := func(why string, change func()) {
		t.Helper()
		reused("before " + why)
		change()
		assertMatchesGitWith(t, dir, opts, why)
		if residentStats(t, res, dir).Reused {
			t.Fatalf("%s: the answer was reused", why)
		}
	}
	changed("a commit", func() { git(t, dir, "commit", "-q", "--allow-empty", "-m", "more") })
	changed("a tag", func() { git(t, dir, "tag", "v1") })
	changed("a remote-tracking branch", func() {
		git(t, dir, "config", "branch.main.remote", "origin")
		git(t, dir, "config", "branch.main.merge", "refs/heads/main")
		git(t, dir, "update-ref", "refs/remotes/origin/main", "HEAD~")
	})
	changed("a stash", func() {
		writeFile(t, dir, "README.md", "stashed\n")
		git(t, dir, "stash", "-q")
	})
	changed("the global configuration", func() {
		global := os.Getenv("GIT_CONFIG_GLOBAL")
		appendLine(filepath.Dir(global), filepath.Base(global), "[status]\n\tshowUntrackedFiles = no")
	})
	changed("an untracked file", func() { writeFile(t, dir, "src/new", "x") })
	changed("the untracked file shown again", func() { git(t, dir, "config", "--global", "--unset", "status.showUntrackedFiles") })
	// From a tracked subdirectory too.
	sub := Options{Resident: res}
	if _, err := Read(t.Context(), filepath.Join(dir, "src"), sub); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	for range 2 {
		if _, err := Read(t.Context(), filepath.Join(dir, "src"), sub); err != nil {
			t.Fatal(err)
		}
	}
	if !residentStats(t, res, dir).Reused {
		t.Error("a Read from a tracked subdirectory after no change did not reuse the answer")
	}
}

// The directory asked about is found again at every request: through a
// symbolic link retargeted since the last answer, and at a path whose
// parent was renamed away and a new repository made in its place, the
// Resident answers for the work tree that is there now, as git does.
func TestResidentFollowsThePathAskedAbout(t *testing.T) {
	gittest.Isolate(t)
	withRacyMargin(t, 30*time.Millisecond)
	res := NewResident()
	defer res.Close()
	opts := Options{Workers: 1, Resident: res}
	base := t.TempDir()
	repoAt := func(dir string, untracked int) {
		t.Helper()
		git(t, "", "init", "-q", dir)
		writeFile(t, dir, "tracked.txt", "x")
		git(t, dir, "add", "tracked.txt")
		git(t, dir, "commit", "-q", "-m", "first")
		for i := range untracked {
			writeFile(t, dir, "new"+strconv.Itoa(i)+".txt", "x")
		}
	}
	readTwice := func(dir string, context string) {
		t.Helper()
		for range 2 {
			assertMatchesGitWith(t, dir, opts, context)
		}
	}

	repoAt(filepath.Join(base, "p1"), 1)
	repoAt(filepath.Join(base, "p2"), 2)
	link := filepath.Join(base, "cur")
	if err := os.Symlink("p1", link); err != nil {
		t.Fatal(err)
	}
	readTwice(link, "through the link to p1")
	os.Remove(link)
	if err := os.Symlink("p2", link); err != nil {
		t.Fatal(err)
	}
	readTwice(link, "after ln -sfn p2 cur")

	par := filepath.Join(base, "par")
	repoAt(filepath.Join(par, "r"), 1)
	readTwice(filepath.Join(par, "r"), "par/r")
	if err := os.Rename(par, par+".old"); err != nil {
		t.Fatal(err)
	}
	repoAt(filepath.Join(par, "r"), 3)
	readTwice(filepath.Join(par, "r"), "after mv par par.old; git init par/r")
}

// A watch follows a directory when it is renamed, not its path: what was
// remembered under a directory renamed, moved away, deleted or recreated
// must go, or the next answers count the old directory's files (etcd's
// api renamed and stashed: untracked 1 where git says 2). Each step is
// read twice, the second from memory.
func TestResidentDirectoryRenames(t *testing.T) {
	gittest.Isolate(t)
	if !watched(t) {
		t.Skip("no inotify in this build")
	}
	withRacyMargin(t, 30*time.Millisecond)
	res := NewResident()
	defer res.Close()
	opts := Options{Workers: 1, Resident: res}
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	for _, f := range []string{"api/http/types/a.go", "api/http/types/deep/b.go", "api/http/c.go", "api/other/d.go", "top.go"} {
		writeFile(t, dir, f, f+"\n")
	}
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "first")
	step := func(what string, do func()) {
		t.Helper()
		if do != nil {
			do()
		}
		for range 2 {
			assertMatchesGitWith(t, dir, opts, what)
		}
	}
	reset := func() {
		for _, junk := range []string{"api.mv16", "api/http.old", "api/other.old", "api/other"} {
			os.RemoveAll(filepath.Join(dir, junk))
		}
		git(t, dir, "checkout", "-q", "--", ".")
		git(t, dir, "clean", "-q", "-fd")
	}
	mv := func(from, to string) func() {
		return func() {
			if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
				t.Fatal(err)
			}
		}
	}
	step("first", nil)
	step("warm", nil) // watches are set from the second Read
	step("rename, then recreate with other files", func() {
		mv("api/http", "api/http.old")()
		writeFile(t, dir, "api/http/types/deep/new.go", "x\n")
		writeFile(t, dir, "api/http/c.go", "api/http/c.go\n")
	})
	step("back to HEAD", reset)
	step("mv types types.mv1", mv("api/http/types", "api/http/types.mv1"))
	step("git stash -u", func() { git(t, dir, "stash", "-q", "-u") })
	step("mv api api.mv16", mv("api", "api.mv16"))
	step("git stash pop", func() { git(t, dir, "stash", "pop", "-q") })
	step("back to HEAD", reset)
	step("swap two directories", func() {
		mv("api/http", "api/tmp")()
		mv("api/other", "api/http")()
		mv("api/tmp", "api/other")()
	})
	step("a directory replaced by a file", func() {
		os.RemoveAll(filepath.Join(dir, "api/other"))
		writeFile(t, dir, "api/other", "now a file\n")
	})
	step("back to HEAD", reset)
	step("rename, then recreate, deeper", func() {
		mv("api/other", "api/other.old")()
		mv("api/http/types", "api/other")()
		writeFile(t, dir, "api/http/types/deep/b.go", "api/http/types/deep/b.go\n")
	})
}

// TestRandomDaemonOnRealClone is TestRandomStatesThroughResident on a copy
// of a real clone named by $GITSTATUS_REAL_CLONE (skipped without it): the
// steps happen in the clone's own directories, each answer of the Resident
// is compared with git status, and $GITSTATUS_REAL_STEPS (default 500)
// steps give twice as many answers. For a run by hand, not CI: it copies
// the clone and takes minutes on a big one.
func TestRandomDaemonOnRealClone(t *testing.T) {
	clone := os.Getenv("GITSTATUS_REAL_CLONE")
	if clone == "" {
		t.Skip("set GITSTATUS_REAL_CLONE to a clone to copy and drive")
	}
	steps := 500
	if n, err := strconv.Atoi(os.Getenv("GITSTATUS_REAL_STEPS")); err == nil {
		steps = n
	}
	gittest.Isolate(t)
	withRacyMargin(t, 30*time.Millisecond)
	dir := filepath.Join(t.TempDir(), "clone")
	git(t, "", "clone", "-q", "--no-hardlinks", clone, dir)
	dirs := []string{""}
	for _, d := range strings.Split(git(t, dir, "ls-tree", "-d", "-r", "--name-only", "HEAD"), "\n") {
		if d != "" && len(dirs) < 200 {
			dirs = append(dirs, d)
		}
	}
	s := *seed
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	res := NewResident()
	defer res.Close()
	w := &randomWorld{t: t, dir: dir, dirs: dirs, rng: rand.New(rand.NewPCG(s, 0)), cacheDir: t.TempDir()}
	opts := Options{Workers: 2, CacheDir: w.cacheDir, Resident: res}
	answers := 0
	for step := range steps {
		w.act()
		for range 2 {
			assertMatchesGitWith(t, dir, opts, fmt.Sprintf("(replay with -seed=%d, step %d; last steps:\n%s)", s, step, strings.Join(w.log[max(0, len(w.log)-20):], "\n")))
			answers++
		}
	}
	t.Logf("%d answers through the Resident on a copy of %s, every one as git status says (seed %d)", answers, clone, s)
}
