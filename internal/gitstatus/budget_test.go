package gitstatus

import (
	"context"
	"fmt"
	"github.com/gofork/gofork/internal/gitindex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
)

func TestExpiredDeadlineReturnsCheapFields(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	writeFile(t, dir, "README.md", "edited\n")
	ctx, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	st, err := Read(ctx, dir, Options{})
	if err != nil {
		t.Fatalf("Read with an expired deadline: %v, want a partial status", err)
	}
	if st.Complete || st.Unstaged != -1 || st.Untracked != -1 || st.Conflicted != -1 {
		t.Fatalf("Read with an expired deadline = %+v, want complete=false and unscanned counts -1", st)
	}
	if st.Branch != "main" || st.Commit != git(t, dir, "rev-parse", "HEAD") {
		t.Fatalf("Read with an expired deadline lost the cheap fields: %+v", st)
	}
}

// TestCountRevisionsMatchesRevList compares countDivergence with `git
// rev-list --left-right --count` on a history with merges where every commit
// has the same timestamp, the case where a date-ordered walk that stops
// early miscounts.
func TestCountRevisionsMatchesRevList(t *testing.T) {
	gittest.Isolate(t)
	t.Setenv("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
	t.Setenv("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
	dir := newRepo(t)
	commit := func(name string) {
		writeFile(t, dir, name, name)
		git(t, dir, "add", name)
		git(t, dir, "commit", "-q", "-m", name)
	}
	for i := range 3 {
		commit("base" + strconv.Itoa(i))
	}
	git(t, dir, "checkout", "-q", "-b", "side")
	for i := range 4 {
		commit("side" + strconv.Itoa(i))
	}
	git(t, dir, "checkout", "-q", "main")
	for i := range 2 {
		commit("main" + strconv.Itoa(i))
	}
	git(t, dir, "merge", "-q", "--no-edit", "side~2")
	commit("after-merge")
	git(t, dir, "checkout", "-q", "side")
	git(t, dir, "merge", "-q", "--no-edit", "main~1")
	commit("side-after-merge")
	for _, pair := range [][2]string{
		{"refs/heads/main", "refs/heads/side"},
		{"refs/heads/side", "refs/heads/main"},
		{"HEAD", "refs/heads/main~0"},
	} {
		a, b := pair[0], pair[1]
		if strings.HasSuffix(b, "~0") {
			b = git(t, dir, "rev-parse", "main~3")
		}
		ahead, behind, err := countRevisions(t.Context(), filepath.Join(dir, "src"), a, b)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Fields(git(t, dir, "rev-list", "--left-right", "--count", revForGit(a)+"..."+revForGit(b)))
		if strconv.Itoa(ahead) != want[0] || strconv.Itoa(behind) != want[1] {
			t.Errorf("countRevisions(%s, %s) = %d, %d; git rev-list says %s, %s", a, b, ahead, behind, want[0], want[1])
		}
	}
	if _, _, err := countRevisions(t.Context(), dir, "refs/remotes/upstream/main", "HEAD"); err == nil ||
		!strings.Contains(err.Error(), `"refs/remotes/upstream/main"`) {
		t.Fatalf("countRevisions with a missing ref: err = %v, want it to name the ref", err)
	}
}

func revForGit(rev string) string { return strings.TrimPrefix(rev, "refs/heads/") }

// FuzzParseIndex feeds mutated real index files (versions 2, 3 and 4, with
// a TREE extension) to the parser, which must return an error, never panic.
func FuzzParseIndex(f *testing.F) {
	gittest.Isolate(f)
	dir := f.TempDir()
	gittest.Git(f, dir, "init", "-q")
	for i, name := range []string{"a", "b/c", "b/d/e", "f"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strconv.Itoa(i)), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	gittest.Git(f, dir, "add", ".")
	gittest.Git(f, dir, "commit", "-q", "-m", "seed")
	gittest.Git(f, dir, "add", "-N", ".")
	for _, version := range []string{"2", "3", "4"} {
		gittest.Git(f, dir, "update-index", "--index-version", version)
		data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = gitindex.Parse(data)
	})
}

// TestCountRevisionsRandomHistories grows random histories of branches and
// merges whose commits all share one timestamp, then checks every pair of
// branches against `git rev-list --left-right --count`.
func TestCountRevisionsRandomHistories(t *testing.T) {
	gittest.Isolate(t)
	t.Setenv("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
	t.Setenv("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
	s := *seed
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	rng := rand.New(rand.NewPCG(s, 99))
	dir := newRepo(t)
	branches := []string{"main", "b1", "b2", "b3"}
	for _, b := range branches[1:] {
		git(t, dir, "branch", b)
	}
	for i := range 30 {
		b := branches[rng.IntN(len(branches))]
		git(t, dir, "checkout", "-q", b)
		if other := branches[rng.IntN(len(branches))]; rng.IntN(3) == 0 && other != b {
			runGit(dir, "merge", "-q", "--no-edit", "--no-ff", other)
			runGit(dir, "merge", "--abort")
			continue
		}
		name := fmt.Sprintf("%s-%d", b, i)
		writeFile(t, dir, name, name)
		git(t, dir, "add", name)
		git(t, dir, "commit", "-q", "-m", name)
	}
	for _, a := range branches {
		for _, b := range branches {
			ahead, behind, err := countRevisions(t.Context(), dir, "refs/heads/"+a, "refs/heads/"+b)
			if err != nil {
				t.Fatal(err)
			}
			want := git(t, dir, "rev-list", "--left-right", "--count", a+"..."+b)
			if got := fmt.Sprintf("%d\t%d", ahead, behind); got != want {
				t.Errorf("countRevisions(%s, %s) = %q, git rev-list = %q (replay with -seed=%d)", a, b, got, want, s)
			}
		}
	}
}

// TestCompareRefs checks Read counts HEAD's lag behind the first compare ref
// that exists, as git rev-list does, and -1 when none exists.
func TestCompareRefs(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	base := git(t, dir, "rev-parse", "HEAD")
	for i := range 3 {
		writeFile(t, dir, "up"+strconv.Itoa(i), "x")
		git(t, dir, "add", ".")
		git(t, dir, "commit", "-q", "-m", "upstream "+strconv.Itoa(i))
	}
	git(t, dir, "update-ref", "refs/remotes/upstream/main", "HEAD")
	git(t, dir, "reset", "-q", "--hard", base)
	want, err := strconv.Atoi(git(t, dir, "rev-list", "--count", "HEAD..refs/remotes/upstream/main"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		refs []string
		want int
	}{
		{nil, -1},
		{[]string{"refs/remotes/upstream/HEAD"}, -1},
		{[]string{"refs/remotes/upstream/HEAD", "refs/remotes/upstream/main"}, want},
	} {
		st, err := Read(t.Context(), dir, Options{CompareRefs: func(map[string][]string) []string { return tt.refs }})
		if err != nil {
			t.Fatal(err)
		}
		if st.CompareBehind != tt.want {
			t.Errorf("CompareRefs %q: CompareBehind = %d, want %d", tt.refs, st.CompareBehind, tt.want)
		}
	}
}

// A huge tracked file whose stat data no longer matches must be hashed,
// but never past the budget: hashing reads in chunks and looks at the
// deadline between them, so Read comes back in time with the counts
// unknown instead of taking as long as the file.
func TestHashingKeepsTheBudget(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	big := filepath.Join(dir, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil { // sparse: instant to make, ~2 s to hash
		t.Fatal(err)
	}
	f.Close()
	// An index entry with no stat data: only the content can tell.
	blob := git(t, dir, "hash-object", "-w", "README.md")
	git(t, dir, "update-index", "--add", "--cacheinfo", "100644,"+blob+",big.bin")
	const budget = 50 * time.Millisecond
	ctx, cancel := context.WithTimeout(t.Context(), budget)
	defer cancel()
	start := time.Now()
	st, err := Read(ctx, dir, Options{Workers: 1})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if st.Complete || st.Unstaged != -1 {
		t.Errorf("Read = %+v, want the counts unknown", st)
	}
	// The margin is for a loaded machine; a chunk takes about 1 ms.
	if took > budget+500*time.Millisecond {
		t.Errorf("Read took %v with a %v budget", took, budget)
	}
	t.Logf("Read returned %v after its %v budget", took-budget, budget)
}
