package gitstatus

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
)

var seed = flag.Uint64("seed", 0, "seed of TestRandomStatesMatchGit (0: from the clock)")

// TestRandomStatesMatchGit drives a few repositories through random edits,
// index operations, ignore rules, attributes and commits, and compares Read with `git
// status` after every step: 4 repositories × 50 steps = 200 states. The
// failing seed and the steps taken are printed so that a failure replays
// with -seed. Half of the repositories are scanned by 3 workers over
// directories split down to single entries, the path big trees take.
// Every Read keeps a listing cache, with a margin short enough that most
// directories come from it, so each step also checks that a changed
// directory is never taken from the cache.
func TestRandomStatesMatchGit(t *testing.T) {
	gittest.Isolate(t)
	defer func(old int) { minSplitEntries = old }(minSplitEntries)
	minSplitEntries = 1
	// Several ticks of the coarse clock that stamps file times (4 ms at
	// the usual 250 Hz).
	withRacyMargin(t, 30*time.Millisecond)
	var fromCache, listed int
	testHookListings = func(c *listingCache) {
		fromCache += cachedRecords(c)
		listed += storedListings(c)
	}
	defer func() { testHookListings = nil }()
	randomStates(t, 4, 50, func(n int, w *randomWorld, context string) {
		opts := Options{Workers: 1, CacheDir: w.cacheDir}
		if n%2 == 1 {
			opts.Workers = 3
		}
		assertMatchesGitWith(t, w.dir, opts, context)
	})
	t.Logf("%d of %d stored directory listings came from the cache", fromCache, listed)
	if fromCache < listed/4 {
		t.Errorf("only %d of %d stored directory listings came from the cache: the test no longer exercises it", fromCache, listed)
	}
}

// randomStates drives repos repositories through steps random steps each
// and calls check after every step with a context that replays it.
func randomStates(t *testing.T, repos, steps int, check func(n int, w *randomWorld, context string)) {
	s := *seed
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	for n := range repos {
		rng := rand.New(rand.NewPCG(s, uint64(n)))
		dir := t.TempDir()
		git(t, dir, "init", "-q")
		w := &randomWorld{t: t, dir: dir, dirs: randomDirs, rng: rng, cacheDir: t.TempDir()}
		for step := range steps {
			for range 1 + rng.IntN(3) {
				w.act()
			}
			check(n, w, fmt.Sprintf("(replay with -seed=%d; repository %d, step %d; steps:\n%s)", s, n, step, strings.Join(w.log, "\n")))
		}
	}
}

type randomWorld struct {
	t        *testing.T
	dir      string
	dirs     []string // where steps happen: randomDirs, or a real tree's ("" is the top)
	cacheDir string
	rng      *rand.Rand
	log      []string
}

var (
	randomDirs     = []string{"", "a", "a/b", "a/b/c", "d", "d/e", "tmp", "keep", "x"}
	randomNames    = []string{"f1", "f2", "x1.log", "keep.log", "y.txt", "tmp", "b", "c"}
	randomContents = []string{"a\n", "b\n", "ab\n", "hello\n", "", "a\r\n", "ab\r\n", "a\r\nb\n", "$Id$\n", "\x00\r\n"}
	randomAttrs    = []string{"*.txt text", "* text=auto", "y* -text", "f1 eol=crlf", "b binary", "*.log ident", "c crlf", "f2 eol=lf", "[attr]dos text eol=crlf", "x* dos"}
	randomIgnores  = []string{"*.log", "tmp/", "!keep.log", "b/", "/c", "**/x*", "d/**/y*", "!d/e/", "a/*", "f?", "[xy]*", "keep/"}
)

func (w *randomWorld) pick(list []string) string { return list[w.rng.IntN(len(list))] }

func (w *randomWorld) randomPath() string {
	return filepath.ToSlash(filepath.Join(w.pick(w.dirs), w.pick(randomNames)))
}

// files lists the regular files and symlinks of the work tree.
func (w *randomWorld) files() []string {
	var out []string
	_ = filepath.Walk(w.dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		if fi.IsDir() && fi.Name() == ".git" {
			return filepath.SkipDir
		}
		if !fi.IsDir() {
			rel, _ := filepath.Rel(w.dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func (w *randomWorld) tracked() []string {
	out := gitQuiet(w.dir, "ls-files")
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

func (w *randomWorld) existing() string {
	if files := w.files(); len(files) > 0 {
		return w.pick(files)
	}
	return w.randomPath()
}

// act performs one random operation; operations that git refuses (adding
// an ignored file, committing nothing) are fine and just leave the state.
func (w *randomWorld) act() {
	path := w.randomPath()
	abs := func(p string) string { return filepath.Join(w.dir, filepath.FromSlash(p)) }
	var desc string
	switch op := w.rng.IntN(23); op {
	case 0, 1, 2:
		content := w.pick(randomContents)
		desc = fmt.Sprintf("write %s %q", path, content)
		_ = os.RemoveAll(abs(path))
		_ = os.MkdirAll(filepath.Dir(abs(path)), 0o755)
		_ = os.WriteFile(abs(path), []byte(content), 0o644)
	case 3, 4:
		path = w.existing()
		content := w.pick(randomContents)
		desc = fmt.Sprintf("rewrite %s %q", path, content)
		_ = os.WriteFile(abs(path), []byte(content), 0o644)
	case 5:
		path = w.existing()
		desc = "remove " + path
		_ = os.Remove(abs(path))
	case 6:
		path = w.existing()
		mode := os.FileMode(0o644)
		if w.rng.IntN(2) == 0 {
			mode = 0o755
		}
		desc = fmt.Sprintf("chmod %o %s", mode, path)
		_ = os.Chmod(abs(path), mode)
	case 7, 8, 9:
		if w.rng.IntN(3) == 0 {
			desc = "git add -A"
			gitQuiet(w.dir, "add", "-A")
		} else {
			path = w.existing()
			desc = "git add " + path
			gitQuiet(w.dir, "add", "--", path)
		}
	case 10:
		desc = "git commit"
		gitQuiet(w.dir, "commit", "-q", "-m", "step")
	case 11:
		if tracked := w.tracked(); len(tracked) > 0 {
			path = w.pick(tracked)
		}
		desc = "git rm --cached " + path
		gitQuiet(w.dir, "rm", "-q", "--cached", "--", path)
	case 12:
		dir := w.pick(w.dirs)
		pattern := w.pick(randomIgnores)
		desc = fmt.Sprintf("ignore %q in %s/.gitignore", pattern, dir)
		appendLine(abs(dir), ".gitignore", pattern)
	case 13:
		target := w.pick([]string{"f1", "../a", "nowhere", "b"})
		desc = fmt.Sprintf("symlink %s -> %s", path, target)
		_ = os.RemoveAll(abs(path))
		_ = os.MkdirAll(filepath.Dir(abs(path)), 0o755)
		_ = os.Symlink(target, abs(path))
	case 14:
		path = w.existing()
		desc = "replace by directory " + path
		_ = os.Remove(abs(path))
		_ = os.MkdirAll(abs(path), 0o755)
		if w.rng.IntN(2) == 0 {
			_ = os.WriteFile(filepath.Join(abs(path), "inner"), []byte("x"), 0o644)
		}
	case 15:
		path = w.existing()
		desc = "git add -N " + path
		gitQuiet(w.dir, "add", "-N", "--", path)
	case 16:
		if tracked := w.tracked(); len(tracked) > 0 {
			path = w.pick(tracked)
		}
		flag := w.pick([]string{"--skip-worktree", "--no-skip-worktree", "--assume-unchanged", "--no-assume-unchanged"})
		desc = fmt.Sprintf("git update-index %s %s", flag, path)
		gitQuiet(w.dir, "update-index", flag, "--", path)
	case 17:
		if w.rng.IntN(3) == 0 {
			// Split the index (or join it again): later steps then write
			// into the split index on top of the shared one.
			flag := w.pick([]string{"--split-index", "--no-split-index"})
			desc = "git update-index " + flag
			gitQuiet(w.dir, "update-index", flag)
			break
		}
		version := w.pick([]string{"2", "3", "4"})
		desc = "git update-index --index-version " + version
		gitQuiet(w.dir, "update-index", "--index-version", version)
	case 18:
		dir := w.pick(w.dirs)
		desc = "touch files in " + dir
		old := time.Now().Add(-time.Duration(w.rng.IntN(100)) * time.Second)
		entries, _ := os.ReadDir(abs(dir))
		for _, e := range entries {
			_ = os.Chtimes(filepath.Join(abs(dir), e.Name()), old, old)
		}
	case 20:
		if w.rng.IntN(3) == 0 {
			value := w.pick([]string{"true", "input", "false"})
			desc = "git config core.autocrlf " + value
			gitQuiet(w.dir, "config", "core.autocrlf", value)
			break
		}
		dir := w.pick(w.dirs)
		rule := w.pick(randomAttrs)
		desc = fmt.Sprintf("attribute %q in %s/.gitattributes", rule, dir)
		appendLine(abs(dir), ".gitattributes", rule)
	case 21, 22:
		desc = w.moveDirectory(abs)
	case 19:
		switch w.rng.IntN(4) {
		case 0:
			desc = "mkdir empty " + path
			_ = os.MkdirAll(abs(path), 0o755)
		case 1:
			desc = "nested repository " + path
			_ = os.RemoveAll(abs(path))
			gitQuiet(w.dir, "init", "-q", path)
		case 2:
			desc = "git stash"
			gitQuiet(w.dir, "stash", "-q")
		default:
			desc = "git checkout --detach"
			gitQuiet(w.dir, "checkout", "-q", "--detach")
		}
	}
	w.log = append(w.log, desc)
}

// moveDirectory renames directories as a user does, which the daemon's
// watches follow (a watch is not a path): a rename within the tree, out of
// it and back, a swap of two, a rename with a new directory made in its
// place, git stash -u and its pop.
func (w *randomWorld) moveDirectory(abs func(string) string) string {
	from, to := w.pick(w.dirs[1:]), w.pick(w.dirs[1:])
	outside := filepath.Join(filepath.Dir(w.dir), filepath.Base(w.dir)+".away")
	switch w.rng.IntN(6) {
	case 0:
		_ = os.Rename(abs(from), abs(to+".mv"))
		return fmt.Sprintf("mv %s %s.mv", from, to)
	case 1:
		if _, err := os.Stat(outside); err == nil {
			_ = os.Rename(outside, abs(to))
			return "mv (away) " + to
		}
		_ = os.Rename(abs(from), outside)
		return fmt.Sprintf("mv %s (away)", from)
	case 2:
		_ = os.Rename(abs(from), abs("swap.tmp"))
		_ = os.Rename(abs(to), abs(from))
		_ = os.Rename(abs("swap.tmp"), abs(to))
		return fmt.Sprintf("swap %s %s", from, to)
	case 3:
		_ = os.Rename(abs(from), abs(from+".old"))
		_ = os.MkdirAll(abs(from), 0o755)
		_ = os.WriteFile(filepath.Join(abs(from), w.pick(randomNames)), []byte(w.pick(randomContents)), 0o644)
		return fmt.Sprintf("mv %s %s.old; recreate %s", from, from, from)
	case 4:
		gitQuiet(w.dir, "stash", "-q", "-u")
		return "git stash -u"
	default:
		gitQuiet(w.dir, "stash", "pop", "-q")
		return "git stash pop"
	}
}

// appendLine adds a line to the file name in dir, making both as needed;
// a failure is part of the game, as for the other steps.
func appendLine(dir, name, line string) {
	_ = os.MkdirAll(dir, 0o755)
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		fmt.Fprintln(f, line)
		f.Close()
	}
}

// gitQuiet runs git for a random step, whose failure is part of the game.
func gitQuiet(dir string, args ...string) string {
	out, _ := gitCommand(dir, args...).Output()
	return strings.TrimSpace(string(out))
}
