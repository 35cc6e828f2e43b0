package gitstatus

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
)

// conflictingBranches makes branches main and other that both change
// README.md, other by two commits.
func conflictingBranches(t *testing.T) string {
	dir := newRepo(t)
	git(t, dir, "checkout", "-q", "-b", "other")
	writeFile(t, dir, "README.md", "other\n")
	git(t, dir, "commit", "-q", "-am", "other 1")
	writeFile(t, dir, "other.txt", "other\n")
	git(t, dir, "add", "other.txt")
	git(t, dir, "commit", "-q", "-m", "other 2")
	git(t, dir, "checkout", "-q", "main")
	writeFile(t, dir, "README.md", "main\n")
	git(t, dir, "commit", "-q", "-am", "main")
	return dir
}

func TestOperationStates(t *testing.T) {
	gittest.Isolate(t)
	t.Setenv("GIT_SEQUENCE_EDITOR", "true")
	t.Setenv("GIT_EDITOR", "true")
	cases := []struct {
		name        string
		start       func(t *testing.T, dir string)
		state       string
		step, total int
	}{
		// Since git 2.26 every merge-backend rebase runs through the
		// sequencer, which marks it interactive; "rebase-m" is older gits'.
		{"rebase", func(t *testing.T, dir string) { runGit(dir, "rebase", "other") }, "rebase-i", 1, 1},
		{"interactive rebase", func(t *testing.T, dir string) { runGit(dir, "rebase", "-i", "other") }, "rebase-i", 1, 1},
		{"apply rebase", func(t *testing.T, dir string) { runGit(dir, "rebase", "--apply", "other") }, "rebase", 1, 1},
		{"am", func(t *testing.T, dir string) {
			patches := t.TempDir()
			git(t, dir, "format-patch", "-q", "-o", patches, "main..other")
			runGit(dir, "am", filepath.Join(patches, "0001-other-1.patch"), filepath.Join(patches, "0002-other-2.patch"))
		}, "am", 1, 2},
		{"cherry-pick", func(t *testing.T, dir string) { runGit(dir, "cherry-pick", "other~1") }, "cherry-pick", 0, 0},
		{"revert", func(t *testing.T, dir string) {
			writeFile(t, dir, "README.md", "main again\n")
			git(t, dir, "commit", "-q", "-am", "main again")
			runGit(dir, "revert", "--no-edit", "HEAD~1")
		}, "revert", 0, 0},
		{"bisect", func(t *testing.T, dir string) { git(t, dir, "bisect", "start") }, "bisect", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := conflictingBranches(t)
			tc.start(t, dir)
			st := assertMatchesGit(t, dir)
			if st.State != tc.state || st.Step != tc.step || st.Total != tc.total {
				t.Fatalf("state = %q %d/%d, want %q %d/%d", st.State, st.Step, st.Total, tc.state, tc.step, tc.total)
			}
		})
	}
}

// TestTriangularPushRemote follows a fork workflow: upstream is origin,
// pushes go to the fork through remote.pushDefault.
func TestTriangularPushRemote(t *testing.T) {
	gittest.Isolate(t)
	upstream := newRepo(t)
	fork := filepath.Join(t.TempDir(), "fork.git")
	git(t, upstream, "clone", "-q", "--bare", upstream, fork)
	clone := filepath.Join(t.TempDir(), "clone")
	git(t, upstream, "clone", "-q", upstream, clone)
	git(t, clone, "remote", "add", "fork", fork)
	git(t, clone, "config", "remote.pushDefault", "fork")
	git(t, clone, "fetch", "-q", "fork")
	writeFile(t, clone, "mine.txt", "x")
	git(t, clone, "add", "mine.txt")
	git(t, clone, "commit", "-q", "-m", "mine")
	git(t, clone, "push", "-q", "fork", "main")
	writeFile(t, clone, "mine2.txt", "x")
	git(t, clone, "add", "mine2.txt")
	git(t, clone, "commit", "-q", "-m", "mine 2")

	st := assertMatchesGit(t, clone)
	if st.Upstream != "origin/main" || st.Ahead != 2 || st.PushRemote != "fork/main" || st.PushAhead != 1 || st.PushBehind != 0 {
		t.Fatalf("Read = upstream %q +%d, push %q +%d -%d; want origin/main +2, fork/main +1 -0",
			st.Upstream, st.Ahead, st.PushRemote, st.PushAhead, st.PushBehind)
	}
}

// TestTagAtHead reads tags from packed-refs (annotated ones peeled by their
// "^" lines) and from loose refs, nested ones too, which win over packed
// ones; with the listing cache too, which must notice every change to
// refs/tags.
func TestTagAtHead(t *testing.T) {
	gittest.Isolate(t)
	// The cache keeps listings of refs/tags older than the margin, so
	// some steps read it from the cache.
	withRacyMargin(t, 30*time.Millisecond)
	dir, cacheDir := newRepo(t), t.TempDir()
	tagAt := func() string {
		t.Helper()
		st := assertMatchesGit(t, dir)
		cached := assertMatchesGitWith(t, dir, Options{CacheDir: cacheDir}, "with the listing cache")
		if cached.Tag != st.Tag {
			t.Fatalf("tag = %q with the listing cache, %q without", cached.Tag, st.Tag)
		}
		time.Sleep(40 * time.Millisecond)
		return st.Tag
	}
	git(t, dir, "tag", "-a", "-m", "old", "old")
	writeFile(t, dir, "next.txt", "x")
	git(t, dir, "add", "next.txt")
	git(t, dir, "commit", "-q", "-m", "next")
	git(t, dir, "tag", "-a", "-m", "v1", "v1.0.0")
	git(t, dir, "tag", "release")
	git(t, dir, "pack-refs", "--all")
	if tag := tagAt(); tag != "release" {
		t.Fatalf("tag = %q, want release (packed, first by name)", tag)
	}
	git(t, dir, "tag", "-a", "-m", "loose", "a-loose")
	git(t, dir, "tag", "-f", "release", "HEAD~1") // loose ref overrides the packed one
	if tag := tagAt(); tag != "a-loose" {
		t.Fatalf("tag = %q, want a-loose (loose annotated tag)", tag)
	}
	git(t, dir, "tag", "-d", "a-loose", "v1.0.0")
	if tag := tagAt(); tag != "" {
		t.Fatalf("tag = %q, want none: release was moved away from HEAD", tag)
	}
	git(t, dir, "tag", "rel/2.0") // a loose ref in a subdirectory of refs/tags
	if tag := tagAt(); tag != "rel/2.0" {
		t.Fatalf("tag = %q, want rel/2.0 (loose, nested)", tag)
	}
	git(t, dir, "tag", "rel/1.0")
	git(t, dir, "tag", "-d", "rel/2.0")
	if tag := tagAt(); tag != "rel/1.0" {
		t.Fatalf("tag = %q, want rel/1.0 (a change in the nested directory)", tag)
	}
}

// TestReplaceRefsMatchGit: git reads a replaced object in place of the
// original (git replace, --graft), which moves ahead/behind and what HEAD's
// tree is; GIT_NO_REPLACE_OBJECTS and core.useReplaceRefs=false turn that
// off.
func TestReplaceRefsMatchGit(t *testing.T) {
	gittest.Isolate(t)
	// The listing cache remembers HEAD's tree: it must not outlive a
	// replacement.
	opts := Options{CacheDir: t.TempDir()}
	dir := newRepo(t)
	base := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))
	writeFile(t, dir, "b.txt", "b\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "b")
	git(t, dir, "branch", "-q", "up")
	writeFile(t, dir, "c.txt", "c\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "c")
	git(t, dir, "config", "branch.main.remote", ".")
	git(t, dir, "config", "branch.main.merge", "refs/heads/up")
	git(t, dir, "branch", "-q", "-m", "main")
	if st := assertMatchesGitWith(t, dir, opts); st.Ahead != 1 || st.Behind != 0 || st.Staged != 0 {
		t.Fatalf("before git replace: %+v", st)
	}
	// HEAD's parent becomes base, skipping up's commit; the graft's tree
	// is HEAD's, so nothing is staged.
	git(t, dir, "replace", "--graft", "HEAD", base)
	if st := assertMatchesGitWith(t, dir, opts); st.Ahead != 1 || st.Behind != 1 || st.Staged != 0 {
		t.Fatalf("grafted: %+v", st)
	}
	// HEAD read as base: its tree lacks b.txt and c.txt, which the index
	// has. The replacement is packed this time.
	git(t, dir, "replace", "-d", strings.TrimSpace(git(t, dir, "rev-parse", "HEAD")))
	git(t, dir, "replace", "HEAD", base)
	git(t, dir, "pack-refs", "--all")
	if st := assertMatchesGitWith(t, dir, opts); st.Staged != 2 {
		t.Fatalf("HEAD replaced by its grandparent: %+v", st)
	}
	git(t, dir, "config", "core.useReplaceRefs", "false")
	if st := assertMatchesGitWith(t, dir, opts); st.Staged != 0 || st.Ahead != 1 || st.Behind != 0 {
		t.Fatalf("core.useReplaceRefs=false: %+v", st)
	}
	git(t, dir, "config", "--unset", "core.useReplaceRefs")
	t.Setenv("GIT_NO_REPLACE_OBJECTS", "1")
	if st := assertMatchesGitWith(t, dir, opts); st.Staged != 0 || st.Ahead != 1 {
		t.Fatalf("GIT_NO_REPLACE_OBJECTS: %+v", st)
	}
}

// TestStashReflogAsGitCounts: git counts the stash reflog lines its reader
// accepts and skips the rest (a damaged line, a zero time, a last line
// without its newline).
func TestStashReflogAsGitCounts(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	for _, content := range []string{"one\n", "two\n", "three\n"} {
		writeFile(t, dir, "README.md", content)
		git(t, dir, "stash", "-q")
	}
	log := filepath.Join(dir, ".git", "logs", "refs", "stash")
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	zero := regexp.MustCompile(`> \d+ `).ReplaceAllString(lines[1], "> 0 ")
	damaged := "garbage that is no reflog line\n"
	noZone := regexp.MustCompile(`> (\d+) [-+]\d{4}`).ReplaceAllString(lines[0], "> $1 0000")
	unterminated := strings.TrimSuffix(lines[2], "\n")
	edited := lines[0] + damaged + zero + noZone + lines[1] + unterminated
	if err := os.WriteFile(log, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if st := assertMatchesGit(t, dir); st.Stash != 2 {
		t.Fatalf("stash = %d, want the 2 lines git accepts", st.Stash)
	}
}
