package gitstatus

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
	"github.com/gofork/gofork/internal/sysfs"
)

// gitStatusArgs is the git invocation whose counts Read must reproduce;
// --no-optional-locks keeps git from refreshing the index, which would
// change what the next comparison sees. The untracked files shown are what
// the repository's config says (status.showUntrackedFiles), as for a user.
var gitStatusArgs = []string{
	"--no-optional-locks", "status", "--porcelain=v2", "--branch", "--show-stash",
	"--no-renames", "--ignore-submodules=dirty",
}

// gitStatus runs the real git status in dir and reduces its output to the
// fields of Status that git reports.
func gitStatus(t testing.TB, dir string) Status {
	t.Helper()
	cmd := exec.Command("git", gitStatusArgs...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git status in %s: %v", dir, err)
	}
	return parsePorcelainV2(t, string(out))
}

func parsePorcelainV2(t testing.TB, out string) Status {
	t.Helper()
	st := Status{Complete: true}
	sawAB := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		switch fields[0] {
		case "#":
			switch fields[1] {
			case "branch.oid":
				if fields[2] == "(initial)" {
					st.Unborn = true
				} else {
					st.Commit = fields[2]
				}
			case "branch.head":
				if fields[2] == "(detached)" {
					st.Detached = true
				} else {
					st.Branch = fields[2]
				}
			case "branch.upstream":
				st.Upstream = fields[2]
			case "branch.ab":
				sawAB = true
				st.Ahead, _ = strconv.Atoi(strings.TrimPrefix(fields[2], "+"))
				st.Behind, _ = strconv.Atoi(strings.TrimPrefix(fields[3], "-"))
			case "stash":
				st.Stash, _ = strconv.Atoi(fields[2])
			}
		case "1", "2":
			xy := fields[1]
			if xy[0] != '.' {
				st.Staged++
			}
			if xy[1] != '.' {
				st.Unstaged++
			}
		case "u":
			st.Conflicted++
		case "?":
			st.Untracked++
		case "!":
		default:
			t.Fatalf("unexpected porcelain v2 line %q", line)
		}
	}
	// An upstream whose remote-tracking branch is gone has no ahead/behind.
	st.UpstreamGone = st.Upstream != "" && !sawAB
	return st
}

// gitFields keeps the fields of a Read result that git status reports.
func gitFields(st *Status) Status {
	return Status{
		Branch: st.Branch, Detached: st.Detached, Commit: st.Commit, Unborn: st.Unborn,
		Upstream: st.Upstream, UpstreamGone: st.UpstreamGone, Ahead: st.Ahead, Behind: st.Behind,
		Staged: st.Staged, Unstaged: st.Unstaged, Untracked: st.Untracked,
		Conflicted: st.Conflicted, Stash: st.Stash, Complete: st.Complete,
	}
}

// assertMatchesGit reads dir's status both ways and fails on any difference;
// it also checks that Read left the git directory untouched.
func assertMatchesGit(t testing.TB, dir string, context ...any) *Status {
	t.Helper()
	return assertMatchesGitWith(t, dir, Options{}, context...)
}

func assertMatchesGitWith(t testing.TB, dir string, opts Options, context ...any) *Status {
	t.Helper()
	before := snapshotGitDir(t, dir)
	got, err := Read(t.Context(), dir, opts)
	if err != nil {
		t.Fatalf("Read(%s): %v %v", dir, err, context)
	}
	if after := snapshotGitDir(t, dir); after != before {
		t.Fatalf("Read wrote into the git directory %v:\nbefore:\n%s\nafter:\n%s", context, before, after)
	}
	want := gitStatus(t, dir)
	if g := gitFields(got); g != want {
		porcelain, _ := gitCommand(dir, gitStatusArgs...).Output()
		// -t -v: S for skip-worktree, lower case for assume-unchanged
		index, _ := gitCommand(dir, "ls-files", "--stage", "-t", "-v").Output()
		t.Fatalf("Read disagrees with git status %v\n got: %+v\nwant: %+v\ngit status:\n%s\nindex:\n%s", context, g, want, porcelain, index)
	}
	return got
}

// snapshotGitDir lists every file under the repository's git directories
// with its size, mode and modification time, plus the index's content.
func snapshotGitDir(t testing.TB, dir string) string {
	t.Helper()
	_, gitdir, commondir, err := discover(sysfs.Physical(dir))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, root := range []string{gitdir, commondir} {
		err := filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			b.WriteString(path + " " + fi.Mode().String() + " " + strconv.FormatInt(fi.Size(), 10) + " " + fi.ModTime().String() + "\n")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	index, _ := os.ReadFile(filepath.Join(gitdir, "index"))
	b.Write(index)
	return b.String()
}

// newRepo creates an isolated repository with a few committed files.
func newRepo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	writeFile(t, dir, "README.md", "hello\n")
	writeFile(t, dir, "src/main.go", "package main\n")
	writeFile(t, dir, "src/lib/lib.go", "package lib\n")
	writeFile(t, dir, "docs/guide.txt", "guide\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "initial")
	return dir
}

func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return gittest.Git(t, dir, args...)
}

func writeFile(t testing.TB, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A symbolic link inside a work tree that leads out of it: git works in
// the physical directory, which is in no repository.
func TestReadThroughLinkOutOfRepository(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	outside := t.TempDir()
	link := filepath.Join(dir, "out")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	if st, err := Read(t.Context(), link, Options{}); !errors.Is(err, errNotRepo) {
		t.Errorf("Read through a link out of the work tree: %+v, %v; want no repository, as git -C says", st, err)
	}
}

// Inside the git directory git has no work tree, and status refuses to
// run: so does Read.
func TestReadInsideGitDirectory(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	for _, inside := range []string{".git", ".git/refs/heads"} {
		p := filepath.Join(dir, inside)
		if st, err := Read(t.Context(), p, Options{}); !errors.Is(err, errNotRepo) {
			t.Errorf("Read(%s): %+v, %v; want no work tree", inside, st, err)
		}
		if err := gitCommand(p, gitStatusArgs...).Run(); err == nil {
			t.Errorf("git status in %s works: the test's premise is gone", inside)
		}
	}
}

// A repository another user owns is refused, as git does (dubious
// ownership), unless safe.directory in the user's configuration names it
// or is "*". Run as root, which can give a repository away.
func TestSafeDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to give a repository to another user")
	}
	gittest.Isolate(t)
	t.Setenv("SUDO_UID", "")
	dir := newRepo(t)
	if out, err := exec.Command("chown", "-R", "65534:65534", dir).CombinedOutput(); err != nil {
		t.Skipf("chown: %v %s", err, out)
	}
	if _, err := Read(t.Context(), dir, Options{}); !errors.Is(err, errNotRepo) || !strings.Contains(err.Error(), "safe.directory") {
		t.Errorf("Read of another user's repository: %v; want dubious ownership", err)
	}
	if err := gitCommand(dir, gitStatusArgs...).Run(); err == nil {
		t.Error("git status accepts another user's repository: the test's premise is gone")
	}
	for _, safe := range []string{dir, "*"} {
		global := filepath.Join(t.TempDir(), "gitconfig")
		if err := os.WriteFile(global, []byte("[safe]\n\tdirectory = "+safe+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Setenv("GIT_CONFIG_GLOBAL", global)
		assertMatchesGit(t, dir, "safe.directory", safe)
	}
}

// submodule.<name>.ignore all (in the config, else .gitmodules, else
// diff.ignoreSubmodules) leaves a submodule's new commit out, as git status
// does; without it, the commit counts.
func TestSubmoduleIgnoreAll(t *testing.T) {
	gittest.Isolate(t)
	inner := newRepo(t)
	dir := newRepo(t)
	git(t, dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", inner, "sub")
	git(t, dir, "commit", "-q", "-m", "submodule")
	writeFile(t, filepath.Join(dir, "sub"), "moved.txt", "x")
	git(t, filepath.Join(dir, "sub"), "add", ".")
	git(t, filepath.Join(dir, "sub"), "commit", "-q", "-m", "moved on")
	unstaged := func() int {
		t.Helper()
		st, err := Read(t.Context(), dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return st.Unstaged
	}
	gitSays := func() int {
		t.Helper()
		out, err := gitCommand(dir, "--no-optional-locks", "status", "--porcelain=v2").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(out), " sub\n")
	}
	if got, want := unstaged(), gitSays(); got != 1 || want != 1 {
		t.Fatalf("a submodule at a new commit: Read counts %d, git %d; want 1", got, want)
	}
	git(t, dir, "config", "submodule.sub.ignore", "all")
	if got, want := unstaged(), gitSays(); got != 0 || want != 0 {
		t.Errorf("submodule.sub.ignore all in the config: Read counts %d, git %d; want 0", got, want)
	}
	git(t, dir, "config", "--unset", "submodule.sub.ignore")
	git(t, dir, "config", "diff.ignoreSubmodules", "all")
	if got, want := unstaged(), gitSays(); got != 0 || want != 0 {
		t.Errorf("diff.ignoreSubmodules all: Read counts %d, git %d; want 0", got, want)
	}
	git(t, dir, "config", "--unset", "diff.ignoreSubmodules")
	git(t, dir, "config", "-f", ".gitmodules", "submodule.sub.ignore", "all")
	git(t, dir, "commit", "-q", "-m", "ignore it", "--", ".gitmodules")
	if got, want := unstaged(), gitSays(); got != 0 || want != 0 {
		t.Errorf("submodule.sub.ignore all in .gitmodules: Read counts %d, git %d; want 0", got, want)
	}
}

func TestReadOutsideRepository(t *testing.T) {
	gittest.Isolate(t)
	_, err := Read(context.Background(), t.TempDir(), Options{})
	if err == nil || !strings.Contains(err.Error(), "not inside a git work tree") {
		t.Fatalf("Read outside a repository: err = %v, want a 'not inside a git work tree' error", err)
	}
}

func gitCommand(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	return cmd
}
