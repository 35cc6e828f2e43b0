package gitstatus

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/sysfs"

	"github.com/gofork/gofork/internal/gittest"
)

// TestStatesMatchGit sets up each state of the exactness list in its own
// repository and compares Read with `git status`. Each case also names the
// counts it expects, so a case that stops exercising its state fails
// instead of comparing two zeros.
func TestStatesMatchGit(t *testing.T) {
	gittest.Isolate(t)
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the directory to read
		check func(st *Status) bool
	}{
		{"clean", nil, func(st *Status) bool { return st.Staged == 0 && st.Unstaged == 0 && st.Untracked == 0 }},
		{"modified file", func(t *testing.T, dir string) string {
			writeFile(t, dir, "src/main.go", "package main // edited\n")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 1 }},
		{"staged add, modify, delete and both", func(t *testing.T, dir string) string {
			writeFile(t, dir, "new.txt", "new\n")
			writeFile(t, dir, "README.md", "changed\n")
			git(t, dir, "add", "new.txt", "README.md")
			git(t, dir, "rm", "-q", "docs/guide.txt")
			writeFile(t, dir, "README.md", "changed again\n")
			return dir
		}, func(st *Status) bool { return st.Staged == 3 && st.Unstaged == 1 }},
		{"untracked files and directories", func(t *testing.T, dir string) string {
			writeFile(t, dir, "todo.txt", "x")
			writeFile(t, dir, "newdir/a/b/c.txt", "x")
			writeFile(t, dir, "src/extra.go", "package main\n")
			if err := os.MkdirAll(filepath.Join(dir, "emptydir/inner"), 0o755); err != nil {
				t.Fatal(err)
			}
			return dir
		}, func(st *Status) bool { return st.Untracked == 3 }},
		{"nested gitignore with negation", func(t *testing.T, dir string) string {
			writeFile(t, dir, ".gitignore", "*.log\n/build/\n")
			writeFile(t, dir, "src/.gitignore", "!keep.log\ntmp*\n")
			writeFile(t, dir, "a.log", "x")
			writeFile(t, dir, "src/keep.log", "x")
			writeFile(t, dir, "src/drop.log", "x")
			writeFile(t, dir, "src/tmpfile", "x")
			writeFile(t, dir, "src/lib/tmp/x.go", "x")
			writeFile(t, dir, "build/out.bin", "x")
			writeFile(t, dir, "onlyignored/x.log", "x")
			git(t, dir, "add", ".gitignore", "src/.gitignore")
			return dir
		}, func(st *Status) bool { return st.Untracked == 1 && st.Staged == 2 }},
		{"negation cannot re-include inside an ignored directory", func(t *testing.T, dir string) string {
			writeFile(t, dir, ".gitignore", "out/\n!out/keep.txt\nlogs/**\n!logs/**/\n!logs/**/*.txt\n")
			writeFile(t, dir, "out/keep.txt", "x")
			writeFile(t, dir, "logs/a/b/c.txt", "x")
			writeFile(t, dir, "logs/a/b/c.bin", "x")
			return dir
		}, func(st *Status) bool { return st.Untracked == 2 }},
		{"symlinked .gitignore is not followed", func(t *testing.T, dir string) string {
			writeFile(t, dir, "rules", "*.log\n")
			symlink(t, dir, "rules", ".gitignore")
			symlink(t, dir, "../rules", "src/.gitignore")
			writeFile(t, dir, "a.log", "x")
			writeFile(t, dir, "src/b.log", "x")
			return dir
		}, func(st *Status) bool { return st.Untracked == 5 }},
		{"info exclude, core.excludesFile and wildcards", func(t *testing.T, dir string) string {
			writeFile(t, dir, ".git/info/exclude", "secret*\n")
			writeFile(t, dir, "../global-ignore", "*.swp\n[Tt]emp/\ndocs/**/*.bak\n")
			git(t, dir, "config", "core.excludesFile", filepath.Join(dir, "..", "global-ignore"))
			writeFile(t, dir, "secret.key", "x")
			writeFile(t, dir, "src/.main.go.swp", "x")
			writeFile(t, dir, "Temp/x", "x")
			writeFile(t, dir, "temp/x", "x")
			writeFile(t, dir, "docs/a/b/old.bak", "x")
			writeFile(t, dir, "docs/a/b/new.txt", "x")
			return dir
		}, func(st *Status) bool { return st.Untracked == 1 }},
		{"XDG default excludes file", func(t *testing.T, dir string) string {
			writeFile(t, os.Getenv("XDG_CONFIG_HOME"), "git/ignore", "*.tmp\n")
			writeFile(t, dir, "x.tmp", "x")
			writeFile(t, dir, "x.txt", "x")
			return dir
		}, func(st *Status) bool { return st.Untracked == 1 }},
		{"ignored directory with tracked files inside", func(t *testing.T, dir string) string {
			writeFile(t, dir, "vendor/kept.go", "package vendor\n")
			git(t, dir, "add", "vendor/kept.go")
			git(t, dir, "commit", "-q", "-m", "vendor")
			writeFile(t, dir, ".gitignore", "vendor/\n")
			writeFile(t, dir, "vendor/new.go", "x")
			writeFile(t, dir, "vendor/kept.go", "package vendor // edited\n")
			return dir
		}, func(st *Status) bool { return st.Untracked == 1 && st.Unstaged == 1 }},
		{"executable bit with core.fileMode true", func(t *testing.T, dir string) string {
			chmod(t, dir, "src/main.go", 0o755)
			return dir
		}, func(st *Status) bool { return st.Unstaged == 1 }},
		{"executable bit with core.fileMode false", func(t *testing.T, dir string) string {
			git(t, dir, "config", "core.fileMode", "false")
			chmod(t, dir, "src/main.go", 0o755)
			return dir
		}, func(st *Status) bool { return st.Unstaged == 0 }},
		{"symlinks", func(t *testing.T, dir string) string {
			symlink(t, dir, "README.md", "link")
			symlink(t, dir, "src", "srclink")
			git(t, dir, "add", "link", "srclink")
			git(t, dir, "commit", "-q", "-m", "links")
			remove(t, dir, "link")
			symlink(t, dir, "docs/guide.txt", "link")
			symlink(t, dir, "nowhere", "dangling")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 1 && st.Untracked == 1 }},
		{"file replaced by directory, symlink and back", func(t *testing.T, dir string) string {
			remove(t, dir, "README.md")
			writeFile(t, dir, "README.md/inside.txt", "x")
			remove(t, dir, "docs/guide.txt")
			symlink(t, dir, "../README.md", "docs/guide.txt")
			// a tracked directory replaced by a symlink to a directory:
			// git does not follow it, its files are deleted
			if err := os.Rename(filepath.Join(dir, "src/lib"), filepath.Join(dir, "libmoved")); err != nil {
				t.Fatal(err)
			}
			symlink(t, dir, "../libmoved", "src/lib")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 3 && st.Untracked == 2 }},
		{"tracked directory replaced by a symlink loop", func(t *testing.T, dir string) string {
			// git cannot lstat src/lib/lib.go (ELOOP) and leaves it out
			remove(t, dir, "src/lib")
			symlink(t, dir, "lib", "src/lib")
			remove(t, dir, "docs")
			symlink(t, dir, "README.md", "docs")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 1 && st.Untracked == 2 }},
		{"file replaced by a symlink and restored", func(t *testing.T, dir string) string {
			remove(t, dir, "README.md")
			symlink(t, dir, "docs", "README.md")
			remove(t, dir, "README.md")
			writeFile(t, dir, "README.md", "hello\n")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 0 }},
		{"racily clean entry edited in the same second", func(t *testing.T, dir string) string {
			writeFile(t, dir, "racy.txt", "aaaa\n")
			git(t, dir, "add", "racy.txt")
			writeFile(t, dir, "racy.txt", "bbbb\n")
			// same size, and most likely the same second as the index
			return dir
		}, func(st *Status) bool { return st.Staged == 1 && st.Unstaged == 1 }},
		{"stat changed but content equal", func(t *testing.T, dir string) string {
			old := time.Now().Add(-time.Hour)
			if err := os.Chtimes(filepath.Join(dir, "src/main.go"), old, old); err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "docs/guide.txt", "guide\n")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 0 }},
		{"intent to add", func(t *testing.T, dir string) string {
			writeFile(t, dir, "later.txt", "x")
			writeFile(t, dir, "gone.txt", "x")
			git(t, dir, "add", "-N", "later.txt", "gone.txt")
			remove(t, dir, "gone.txt")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 2 && st.Staged == 0 }},
		{"skip-worktree and assume-unchanged", func(t *testing.T, dir string) string {
			git(t, dir, "update-index", "--skip-worktree", "src/main.go")
			git(t, dir, "update-index", "--assume-unchanged", "README.md", "docs/guide.txt")
			writeFile(t, dir, "src/main.go", "changed\n")
			writeFile(t, dir, "README.md", "changed\n")
			remove(t, dir, "docs/guide.txt")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 0 }},
		{"skip-worktree .gitignore left out of the work tree is read from the index", func(t *testing.T, dir string) string {
			writeFile(t, dir, "src/.gitignore", "*.tmp\n")
			git(t, dir, "add", "src/.gitignore")
			git(t, dir, "update-index", "--skip-worktree", "src/.gitignore")
			remove(t, dir, "src/.gitignore")
			writeFile(t, dir, "src/a.tmp", "x")
			writeFile(t, dir, "src/b.txt", "x")
			return dir
		}, func(st *Status) bool { return st.Untracked == 1 && st.Staged == 1 }},
		{"conflicted merge", func(t *testing.T, dir string) string {
			git(t, dir, "checkout", "-q", "-b", "other")
			writeFile(t, dir, "README.md", "other\n")
			writeFile(t, dir, "both.txt", "other\n")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "other")
			git(t, dir, "checkout", "-q", "main")
			writeFile(t, dir, "README.md", "main\n")
			writeFile(t, dir, "both.txt", "main\n")
			writeFile(t, dir, "src/main.go", "package main // main side\n")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "main")
			runGit(dir, "merge", "other") // fails with conflicts
			return dir
		}, func(st *Status) bool { return st.Conflicted == 2 && st.State == "merge" }},
		{"submodule moved to another commit", func(t *testing.T, dir string) string {
			sub := newRepo(t)
			git(t, dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "modules/sub")
			git(t, dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "modules/same")
			git(t, dir, "commit", "-q", "-m", "submodules")
			writeFile(t, dir, "modules/sub/new.txt", "x")
			git(t, filepath.Join(dir, "modules/sub"), "add", ".")
			git(t, filepath.Join(dir, "modules/sub"), "commit", "-q", "-m", "moved")
			writeFile(t, dir, "modules/same/dirty.txt", "x") // dirty only: ignored
			return dir
		}, func(st *Status) bool { return st.Unstaged == 1 }},
		{"uninitialised submodule", func(t *testing.T, dir string) string {
			sub := newRepo(t)
			git(t, dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "mod")
			git(t, dir, "commit", "-q", "-m", "submodule")
			clone := filepath.Join(t.TempDir(), "clone")
			git(t, dir, "clone", "-q", dir, clone)
			return clone
		}, func(st *Status) bool { return st.Unstaged == 0 && st.Untracked == 0 }},
		{"nested repository is one untracked directory", func(t *testing.T, dir string) string {
			git(t, dir, "init", "-q", "nested")
			writeFile(t, dir, "nested/file.txt", "x")
			return dir
		}, func(st *Status) bool { return st.Untracked == 1 }},
		{"unborn branch", func(t *testing.T, dir string) string {
			fresh := t.TempDir()
			git(t, fresh, "init", "-q")
			writeFile(t, fresh, "a.txt", "a")
			writeFile(t, fresh, "b.txt", "b")
			git(t, fresh, "add", "a.txt")
			return fresh
		}, func(st *Status) bool { return st.Unborn && st.Staged == 1 && st.Untracked == 1 }},
		{"a commit of the empty tree, which git never stores", func(t *testing.T, dir string) string {
			fresh := t.TempDir()
			git(t, fresh, "init", "-q")
			const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
			commit := strings.TrimSpace(git(t, fresh, "commit-tree", emptyTree, "-m", "empty"))
			git(t, fresh, "update-ref", "HEAD", commit)
			writeFile(t, fresh, "a.txt", "a")
			return fresh
		}, func(st *Status) bool { return !st.Unborn && st.Untracked == 1 }},
		{"clock skew: a parent newer than its child", func(t *testing.T, dir string) string {
			fresh := t.TempDir()
			git(t, fresh, "init", "-q")
			tree := strings.TrimSpace(git(t, fresh, "write-tree"))
			commit := func(at string, parents ...string) string {
				args := []string{"commit-tree", tree, "-m", at}
				for _, p := range parents {
					args = append(args, "-p", p)
				}
				t.Setenv("GIT_COMMITTER_DATE", "@"+at+" +0000")
				return strings.TrimSpace(git(t, fresh, args...))
			}
			older := commit("1000500")
			skewed := commit("1000100", older)
			head := commit("1000600", older, skewed)
			upstream := commit("1000550", skewed)
			git(t, fresh, "update-ref", "refs/heads/main", head)
			git(t, fresh, "symbolic-ref", "HEAD", "refs/heads/main")
			git(t, fresh, "update-ref", "refs/remotes/origin/main", upstream)
			git(t, fresh, "remote", "add", "origin", "/nonexistent")
			git(t, fresh, "config", "branch.main.remote", "origin")
			git(t, fresh, "config", "branch.main.merge", "refs/heads/main")
			return fresh
		}, func(st *Status) bool { return st.Ahead == 1 && st.Behind == 1 }},
		{"shallow clone, upstream force-pushed, then fetched at depth 1", func(t *testing.T, dir string) string {
			for i := range 4 {
				writeFile(t, dir, "history.txt", fmt.Sprint(i))
				git(t, dir, "add", "history.txt")
				git(t, dir, "commit", "-q", "-m", fmt.Sprint("history ", i))
			}
			clone := filepath.Join(t.TempDir(), "clone")
			git(t, "", "clone", "-q", "--depth", "2", "file://"+dir, clone)
			writeFile(t, clone, "mine.txt", "x")
			git(t, clone, "add", "mine.txt")
			git(t, clone, "commit", "-q", "-m", "mine")
			git(t, dir, "reset", "-q", "--hard", "HEAD~1")
			writeFile(t, dir, "history.txt", "rewritten")
			git(t, dir, "commit", "-q", "-am", "rewritten")
			git(t, clone, "fetch", "-q")
			assertMatchesGit(t, clone, "after the force-push")
			git(t, clone, "fetch", "-q", "--depth", "1")
			return clone
		}, func(st *Status) bool { return st.Ahead > 0 && st.Behind > 0 }},
		{"the directory asked about is a symbolic link into a sub-directory", func(t *testing.T, dir string) string {
			writeFile(t, dir, "src/new.txt", "x")
			link := filepath.Join(t.TempDir(), "into-src")
			if err := os.Symlink(filepath.Join(dir, "src"), link); err != nil {
				t.Fatal(err)
			}
			return link
		}, func(st *Status) bool { return st.Untracked == 1 }},
		{"configuration from the environment: GIT_CONFIG_COUNT", func(t *testing.T, dir string) string {
			writeFile(t, dir, "new.txt", "x")
			t.Setenv("GIT_CONFIG_COUNT", "1")
			t.Setenv("GIT_CONFIG_KEY_0", "status.showUntrackedFiles")
			t.Setenv("GIT_CONFIG_VALUE_0", "no")
			return dir
		}, func(st *Status) bool { return st.Untracked == 0 }},
		{"configuration from the environment: git -c", func(t *testing.T, dir string) string {
			writeFile(t, dir, "new.txt", "x")
			writeFile(t, dir, "new.log", "x")
			writeFile(t, dir, "it's.ignore", "*.log\n")
			t.Setenv("GIT_CONFIG_PARAMETERS", `'core.excludesfile'='`+filepath.Join(dir, "it'\\''s.ignore")+`'`)
			return dir
		}, func(st *Status) bool { return st.Untracked == 2 }},
		{"configuration from the environment: GIT_CONFIG_SYSTEM", func(t *testing.T, dir string) string {
			writeFile(t, dir, "new.txt", "x")
			system := filepath.Join(t.TempDir(), "system")
			writeFile(t, filepath.Dir(system), "system", "[status]\n\tshowUntrackedFiles = no\n")
			t.Setenv("GIT_CONFIG_NOSYSTEM", "")
			t.Setenv("GIT_CONFIG_SYSTEM", system)
			return dir
		}, func(st *Status) bool { return st.Untracked == 0 }},
		{"core.trustCtime false: an edit that keeps size and mtime is not seen, as by git", func(t *testing.T, dir string) string {
			git(t, dir, "config", "core.trustCtime", "false")
			git(t, dir, "config", "core.checkStat", "minimal")
			old := time.Now().Add(-100 * time.Second)
			writeFile(t, dir, "same.txt", "aaaa\n")
			os.Chtimes(filepath.Join(dir, "same.txt"), old, old)
			git(t, dir, "add", "same.txt")
			git(t, dir, "commit", "-q", "-m", "same")
			writeFile(t, dir, "same.txt", "bbbb\n")
			os.Chtimes(filepath.Join(dir, "same.txt"), old, old)
			return dir
		}, func(st *Status) bool { return st.Unstaged == 0 }},
		{"core.symlinks false: links checked out as files", func(t *testing.T, dir string) string {
			if err := os.Symlink("README.md", filepath.Join(dir, "link")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("src", filepath.Join(dir, "dirlink")); err != nil {
				t.Fatal(err)
			}
			git(t, dir, "add", "link", "dirlink")
			git(t, dir, "commit", "-q", "-m", "links")
			clone := filepath.Join(t.TempDir(), "clone")
			git(t, "", "-c", "core.symlinks=false", "clone", "-q", dir, clone)
			git(t, clone, "config", "core.symlinks", "false") // as clone writes it where links cannot be made
			writeFile(t, clone, "dirlink", "elsewhere")
			return clone
		}, func(st *Status) bool { return st.Unstaged == 1 }},
		{"sparse checkout (cone): a file outside the cone, present and changed", func(t *testing.T, dir string) string {
			writeFile(t, dir, "in/a.txt", "a\n")
			writeFile(t, dir, "out/b.txt", "b\n")
			writeFile(t, dir, "out/c.txt", "c\n")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "cone")
			git(t, dir, "sparse-checkout", "set", "--cone", "in")
			writeFile(t, dir, "out/b.txt", "changed\n")
			writeFile(t, dir, "out/c.txt", "c\n")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 1 }},
		{"detached HEAD with a tag", func(t *testing.T, dir string) string {
			git(t, dir, "tag", "-a", "-m", "v1", "v1.0.0")
			git(t, dir, "checkout", "-q", "--detach")
			return dir
		}, func(st *Status) bool { return st.Detached && st.Tag == "v1.0.0" }},
		{"linked worktree", func(t *testing.T, dir string) string {
			wt := filepath.Join(t.TempDir(), "wt")
			git(t, dir, "worktree", "add", "-q", "-b", "wtbranch", wt)
			writeFile(t, wt, "README.md", "edited in worktree\n")
			writeFile(t, wt, "wt-only.txt", "x")
			writeFile(t, dir, ".git/info/exclude", "wt-only.txt\n")
			return filepath.Join(wt, "src")
		}, func(st *Status) bool { return st.Branch == "wtbranch" && st.Unstaged == 1 && st.Untracked == 0 }},
		{"upstream ahead and behind through packed refs, stash", func(t *testing.T, dir string) string {
			clone := filepath.Join(t.TempDir(), "clone")
			git(t, dir, "clone", "-q", dir, clone)
			writeFile(t, dir, "upstream.txt", "x")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "upstream 1")
			writeFile(t, dir, "upstream2.txt", "x")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "upstream 2")
			git(t, clone, "fetch", "-q")
			writeFile(t, clone, "mine.txt", "x")
			git(t, clone, "add", ".")
			git(t, clone, "commit", "-q", "-m", "mine")
			git(t, clone, "pack-refs", "--all")
			writeFile(t, clone, "README.md", "stashed\n")
			git(t, clone, "stash", "-q")
			writeFile(t, clone, "README.md", "stashed again\n")
			git(t, clone, "stash", "-q")
			return clone
		}, func(st *Status) bool {
			return st.Upstream == "origin/main" && st.Ahead == 1 && st.Behind == 2 && st.Stash == 2
		}},
		{"objects packed by gc, read through a shared clone's alternates", func(t *testing.T, dir string) string {
			git(t, dir, "tag", "-a", "-m", "packed tag", "v0.9.0")
			git(t, dir, "gc", "-q")
			clone := filepath.Join(t.TempDir(), "shared")
			git(t, dir, "clone", "-q", "--shared", dir, clone)
			writeFile(t, clone, "mine.txt", "x")
			git(t, clone, "add", ".")
			git(t, clone, "commit", "-q", "-m", "mine, a loose commit on a packed parent")
			writeFile(t, clone, "src/lib/lib.go", "package lib // staged\n")
			git(t, clone, "add", ".")
			return clone
		}, func(st *Status) bool { return st.Upstream == "origin/main" && st.Ahead == 1 && st.Staged == 1 }},
		{"index version 4", func(t *testing.T, dir string) string {
			writeFile(t, dir, "src/lib/lib_test.go", "package lib\n")
			git(t, dir, "add", ".")
			git(t, dir, "update-index", "--index-version", "4")
			writeFile(t, dir, "src/lib/lib.go", "package lib // edited\n")
			return dir
		}, func(st *Status) bool { return st.Staged == 1 && st.Unstaged == 1 }},
		{"index version 3", func(t *testing.T, dir string) string {
			writeFile(t, dir, "x.txt", "x")
			git(t, dir, "add", "-N", "x.txt") // intent-to-add needs extended flags
			git(t, dir, "update-index", "--index-version", "3")
			return dir
		}, func(st *Status) bool { return st.Unstaged == 1 }},
		{"upstream gone", func(t *testing.T, dir string) string {
			git(t, dir, "branch", "-q", "-M", "main")
			git(t, dir, "config", "branch.main.remote", "origin")
			git(t, dir, "config", "branch.main.merge", "refs/heads/main")
			git(t, dir, "config", "remote.origin.url", "/nowhere")
			git(t, dir, "config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*")
			return dir
		}, func(st *Status) bool { return st.Upstream == "origin/main" && st.UpstreamGone }},
		// status.showUntrackedFiles: git status counts what the user's
		// own config says.
		{"showUntrackedFiles=no", func(t *testing.T, dir string) string {
			untrackedTree(t, dir)
			git(t, dir, "config", "status.showUntrackedFiles", "no")
			return dir
		}, func(st *Status) bool { return st.Untracked == 0 && st.Unstaged == 1 }},
		{"showUntrackedFiles=all", func(t *testing.T, dir string) string {
			untrackedTree(t, dir)
			git(t, dir, "config", "status.showUntrackedFiles", "all")
			return dir
		}, func(st *Status) bool { return st.Untracked == 7 }},
		{"showUntrackedFiles=normal", func(t *testing.T, dir string) string {
			untrackedTree(t, dir)
			git(t, dir, "config", "status.showUntrackedFiles", "normal")
			return dir
		}, func(st *Status) bool { return st.Untracked == 4 }},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			dir := newRepo(t)
			if tc.setup != nil {
				dir = tc.setup(t, dir)
			}
			st := assertMatchesGit(t, dir)
			if !tc.check(st) {
				t.Fatalf("the state was not what the case sets up: %+v", st)
			}
		})
	}
}

// untrackedTree adds untracked files, an untracked directory tree with an
// ignored file and a .gitignore of its own, a nested repository and a
// modified tracked file.
func untrackedTree(t *testing.T, dir string) {
	writeFile(t, dir, "todo.txt", "x")
	writeFile(t, dir, "src/extra.go", "package main\n")
	writeFile(t, dir, "newdir/a/b/c.txt", "x")
	writeFile(t, dir, "newdir/a/d.txt", "x")
	writeFile(t, dir, "newdir/.gitignore", "*.log\n")
	writeFile(t, dir, "newdir/a/skip.log", "x")
	writeFile(t, dir, "newdir/e.txt", "x")
	git(t, dir, "init", "-q", "nested")
	writeFile(t, dir, "nested/inside.txt", "x")
	writeFile(t, dir, "src/main.go", "package main // edited\n")
}

// A repository whose work tree holds the listing cache's directory (git
// init in the home directory) is read without the cache: it would show up
// as untracked on the next prompt, and git would count it too.
func TestNoCacheInsideTheWorkTree(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	cache := filepath.Join(dir, ".cache", "gitprompt")
	for range 2 {
		assertMatchesGitWith(t, dir, Options{CacheDir: cache})
	}
	if _, err := os.Stat(filepath.Join(dir, ".cache")); !os.IsNotExist(err) {
		t.Fatalf("the cache was made inside the work tree: %v", err)
	}
}

// The caller's settings: enable=false reads nothing more; showDirty=false
// and an index above maxIndexEntries skip the counts and keep the cheap
// parts (branch, ahead/behind); without Settings the variables change
// nothing, and Read agrees with git.
func TestSettings(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	writeFile(t, dir, "todo.txt", "x")
	opts := Options{Settings: "gitprompt"}
	for _, tt := range []struct {
		config, value string
		disabled      bool
		skipped       string
	}{
		{"gitprompt.enable", "false", true, ""},
		{"gitprompt.showDirty", "false", false, "gitprompt.showDirty=false"},
		{"gitprompt.maxIndexEntries", "3", false, "4 index entries, more than gitprompt.maxIndexEntries=3"},
		{"gitprompt.maxIndexEntries", "1k", false, ""},
		{"gitprompt.maxIndexEntries", "0", false, ""},
	} {
		git(t, dir, "config", tt.config, tt.value)
		st, err := Read(t.Context(), dir, opts)
		git(t, dir, "config", "--unset", tt.config)
		if err != nil {
			t.Fatalf("%s=%s: %v", tt.config, tt.value, err)
		}
		if st.Disabled != tt.disabled || st.Skipped != tt.skipped {
			t.Errorf("%s=%s: Disabled %v, Skipped %q; want %v, %q", tt.config, tt.value, st.Disabled, st.Skipped, tt.disabled, tt.skipped)
		}
		switch {
		case tt.skipped != "":
			if st.Untracked != -1 || st.Complete || st.Branch == "" || st.Ahead != 0 {
				t.Errorf("%s=%s: want the cheap parts and no counts: %+v", tt.config, tt.value, st)
			}
		case !tt.disabled:
			if st.Untracked != 1 || !st.Complete {
				t.Errorf("%s=%s: want the counts: %+v", tt.config, tt.value, st)
			}
		}
	}
	// Without Settings the variables mean nothing to Read.
	git(t, dir, "config", "gitprompt.enable", "false")
	assertMatchesGit(t, dir)
}

// A value git status refuses makes Read fail too, rather than count.
func TestBadShowUntrackedFiles(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	git(t, dir, "config", "status.showUntrackedFiles", "Normal")
	if _, err := Read(t.Context(), dir, Options{}); err == nil || !strings.Contains(err.Error(), `status.showUntrackedFiles "Normal"`) {
		t.Fatalf("Read with status.showUntrackedFiles=Normal: err = %v", err)
	}
	if err := gitCommand(dir, gitStatusArgs...).Run(); err == nil {
		t.Fatal("git status accepts status.showUntrackedFiles=Normal: the test's premise is gone")
	}
}

// A split index (core.splitIndex) is read with its shared index: entries
// the split index replaces, deletes and adds, and changes on top of them,
// counted as git counts them.
func TestSplitIndexMatchesGit(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	for i := range 200 {
		writeFile(t, dir, fmt.Sprintf("many/f%03d.txt", i), "x")
	}
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "many")
	git(t, dir, "update-index", "--split-index")
	assertMatchesGit(t, dir, "right after --split-index")
	// Changes recorded in the split index on top of the shared one.
	writeFile(t, dir, "README.md", "staged\n")
	writeFile(t, dir, "many/f150.txt", "staged")
	writeFile(t, dir, "added.txt", "new")
	writeFile(t, dir, "many/f999.txt", "new")
	git(t, dir, "add", "README.md", "many/f150.txt", "added.txt", "many/f999.txt")
	git(t, dir, "rm", "-q", "--cached", "many/f013.txt")
	git(t, dir, "rm", "-q", "docs/guide.txt")
	writeFile(t, dir, "src/main.go", "package main // unstaged\n")
	writeFile(t, dir, "untracked.txt", "x")
	st := assertMatchesGit(t, dir, "with replacements, deletions and additions")
	if st.Staged != 6 || st.Unstaged != 1 || st.Untracked != 2 {
		t.Fatalf("the state was not what the test sets up: %+v", st)
	}
	shared, _ := filepath.Glob(filepath.Join(dir, ".git", "sharedindex.*"))
	if len(shared) == 0 {
		t.Fatal("no shared index: the repository is not split")
	}
	// Without its shared index the status cannot be known: an error that
	// names it, never counts from half an index.
	for _, f := range shared {
		remove(t, filepath.Dir(f), filepath.Base(f))
	}
	if _, err := Read(t.Context(), dir, Options{}); err == nil || !strings.Contains(err.Error(), "shared index") {
		t.Fatalf("Read without the shared index: err = %v", err)
	}
}

// A sparse index (git sparse-checkout --sparse-index) keeps directories
// outside the cone as single tree entries; Read expands them as git does
// for status, and the counts agree with git's, inside the cone and out.
func TestSparseIndexMatchesGit(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	writeFile(t, dir, "out/deep/a.txt", "a")
	writeFile(t, dir, "out/b.txt", "b")
	writeFile(t, dir, "src/lib/more.go", "package lib\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "more")
	git(t, dir, "sparse-checkout", "set", "--cone", "--sparse-index", "src")
	if !slices.Contains(strings.Split(git(t, dir, "ls-files", "--sparse"), "\n"), "out/") {
		t.Fatal("the index has no sparse directory entry for out/")
	}
	assertMatchesGit(t, dir, "right after sparse-checkout")
	writeFile(t, dir, "src/main.go", "package main // unstaged\n")
	writeFile(t, dir, "src/lib/new.go", "package lib\n")
	git(t, dir, "add", "src/lib/new.go")
	writeFile(t, dir, "src/untracked.txt", "x")
	st := assertMatchesGit(t, dir, "with changes inside the cone")
	if st.Staged != 1 || st.Unstaged != 1 || st.Untracked != 1 {
		t.Fatalf("the state was not what the test sets up: %+v", st)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Fatalf("out/ is checked out: the test no longer covers a sparse directory (%v)", err)
	}
}

func TestSkipHashIndex(t *testing.T) {
	gittest.Isolate(t)
	dir := newRepo(t)
	writeFile(t, dir, "README.md", "edited\n")
	index := filepath.Join(dir, ".git", "index")
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	// index.skipHash (git 2.40) writes a zero trailing hash instead of the
	// checksum; git older than that refuses such an index, so compare with
	// the checksummed one.
	want := assertMatchesGit(t, dir)
	clear(data[len(data)-hashLen:])
	if err := os.WriteFile(index, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Read(t.Context(), dir, Options{})
	if err != nil {
		t.Fatalf("Read with index.skipHash: %v", err)
	}
	if gitFields(got) != gitFields(want) {
		t.Fatalf("Read with a skipHash index = %+v, want %+v", got, want)
	}
}

func chmod(t *testing.T, dir, name string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, dir, target, name string) {
	t.Helper()
	if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// runGit runs git where failure is the expected outcome (a conflicting
// merge) and ignores its exit status.
func runGit(dir string, args ...string) {
	cmd := gitCommand(dir, args...)
	_ = cmd.Run()
}

// The variables and settings that put the git directory, the work tree or
// the index somewhere else are followed as git follows them, compared with
// git status run with the same environment.
func TestRepositoryLocationsMatchGit(t *testing.T) {
	gittest.Isolate(t)
	move := func(t *testing.T) (work, store string) {
		work = newRepo(t)
		store = filepath.Join(t.TempDir(), "store.git")
		if err := os.Rename(filepath.Join(work, ".git"), store); err != nil {
			t.Fatal(err)
		}
		writeFile(t, work, "README.md", "edited\n")
		writeFile(t, work, "new.txt", "x")
		return work, store
	}
	t.Run("GIT_DIR and GIT_WORK_TREE", func(t *testing.T) {
		work, store := move(t)
		t.Setenv("GIT_DIR", store)
		t.Setenv("GIT_WORK_TREE", work)
		st := assertMatchesGit(t, filepath.Join(work, "src"))
		if st.Workdir != work || st.Unstaged != 1 || st.Untracked != 1 {
			t.Errorf("Read = %+v", st)
		}
	})
	t.Run("GIT_DIR alone: the directory it runs in is the top", func(t *testing.T) {
		work, store := move(t)
		t.Setenv("GIT_DIR", store)
		if st := assertMatchesGit(t, work); st.Workdir != work || st.Unstaged != 1 {
			t.Errorf("Read = %+v", st)
		}
	})
	t.Run("core.worktree", func(t *testing.T) {
		work, store := move(t)
		git(t, work, "--git-dir", store, "config", "core.worktree", work)
		t.Setenv("GIT_DIR", store)
		if st := assertMatchesGit(t, t.TempDir()); st.Workdir != work || st.Unstaged != 1 || st.Untracked != 1 {
			t.Errorf("Read = %+v", st)
		}
	})
	t.Run("GIT_INDEX_FILE", func(t *testing.T) {
		dir := newRepo(t)
		writeFile(t, dir, "staged.txt", "x")
		alt := filepath.Join(t.TempDir(), "alt-index")
		cmd := gitCommand(dir, "read-tree", "HEAD")
		cmd.Env = append(os.Environ(), "GIT_INDEX_FILE="+alt)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		t.Setenv("GIT_INDEX_FILE", alt)
		git(t, dir, "add", "staged.txt")
		if st := assertMatchesGit(t, dir); st.Staged != 1 {
			t.Errorf("Read = %+v", st)
		}
		os.Unsetenv("GIT_INDEX_FILE")
		if st := assertMatchesGit(t, dir); st.Staged != 0 || st.Untracked != 1 {
			t.Errorf("Read without GIT_INDEX_FILE = %+v", st)
		}
	})
	// Staged changes need HEAD's tree, so each of these reads objects from
	// where the variables say.
	stageOne := func(t *testing.T, dir string) {
		writeFile(t, dir, "README.md", "staged\n")
		git(t, dir, "add", "README.md")
	}
	t.Run("GIT_OBJECT_DIRECTORY", func(t *testing.T) {
		dir := newRepo(t)
		stageOne(t, dir)
		objects := filepath.Join(t.TempDir(), "objects")
		if err := os.Rename(filepath.Join(dir, ".git", "objects"), objects); err != nil {
			t.Fatal(err)
		}
		t.Setenv("GIT_OBJECT_DIRECTORY", objects)
		if st := assertMatchesGit(t, dir); st.Staged != 1 {
			t.Errorf("Read = %+v", st)
		}
	})
	t.Run("GIT_ALTERNATE_OBJECT_DIRECTORIES", func(t *testing.T) {
		dir := newRepo(t)
		stageOne(t, dir)
		git(t, dir, "repack", "-q", "-a", "-d")
		objects := filepath.Join(dir, ".git", "objects")
		alt := filepath.Join(t.TempDir(), "alt:objects") // a colon: quoted
		if err := os.Rename(objects, alt); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(objects, "pack"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", "/nonexistent:"+strconv.Quote(alt))
		if st := assertMatchesGit(t, dir); st.Staged != 1 {
			t.Errorf("Read = %+v", st)
		}
	})
	t.Run("GIT_COMMON_DIR", func(t *testing.T) {
		main := newRepo(t)
		wt := filepath.Join(t.TempDir(), "wt")
		git(t, main, "worktree", "add", "-q", wt)
		stageOne(t, wt)
		gitdir := filepath.Join(main, ".git", "worktrees", "wt")
		remove(t, gitdir, "commondir")
		t.Setenv("GIT_DIR", gitdir)
		t.Setenv("GIT_COMMON_DIR", filepath.Join(main, ".git"))
		t.Setenv("GIT_WORK_TREE", wt)
		writeFile(t, wt, "untracked.txt", "x")
		git(t, main, "config", "status.showUntrackedFiles", "no")
		// The config and objects come from GIT_COMMON_DIR, but git's refs
		// do not (the files backend follows the commondir file only), so
		// to git the branch is unborn and everything is staged.
		if st := assertMatchesGit(t, wt); st.Staged != 4 || !st.Unborn || st.Untracked != 0 || st.Branch != "wt" {
			t.Errorf("Read = %+v", st)
		}
	})
}

// TestSHA256Repository: the object ids of a SHA-256 repository are not
// read, but what needs none (branch, unborn, detached commit, upstream,
// gone upstream, stash, operation) is git's, and the counts are unknown
// with the reason, never numbers.
func TestSHA256Repository(t *testing.T) {
	gittest.Isolate(t)
	upstream := t.TempDir()
	git(t, upstream, "init", "-q", "--object-format=sha256", "-b", "main")
	writeFile(t, upstream, "a.txt", "a\n")
	git(t, upstream, "add", ".")
	git(t, upstream, "commit", "-q", "-m", "a")
	dir := filepath.Join(t.TempDir(), "clone")
	git(t, "", "clone", "-q", upstream, dir)
	git(t, dir, "pack-refs", "--all")
	writeFile(t, dir, "a.txt", "changed\n")
	git(t, dir, "stash", "-q")
	git(t, dir, "branch", "-q", "gone", "--track", "origin/main")
	git(t, dir, "config", "branch.gone.merge", "refs/heads/vanished")

	for _, tc := range []struct {
		name  string
		setup []string
	}{
		{"branch tracking a packed upstream", nil},
		{"gone upstream", []string{"checkout", "-q", "gone"}},
		{"detached", []string{"checkout", "-q", "--detach"}},
		{"unborn", []string{"checkout", "-q", "--orphan", "fresh"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				git(t, dir, tc.setup...)
			}
			got, err := Read(t.Context(), dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			porcelain := git(t, dir, "status", "--porcelain=v2", "--branch", "--show-stash")
			want := map[string]string{}
			for _, line := range strings.Split(porcelain, "\n") {
				if rest, ok := strings.CutPrefix(line, "# "); ok {
					k, v, _ := strings.Cut(rest, " ")
					want[k] = v
				}
			}
			head := want["branch.head"]
			if head == "(detached)" {
				head = ""
			}
			upstream := want["branch.upstream"]
			_, hasAB := want["branch.ab"]
			stash := want["stash"]
			if stash == "" {
				stash = "0"
			}
			wantCommit := want["branch.oid"]
			if got.Branch != head || got.Unborn != (wantCommit == "(initial)") ||
				got.Detached && got.Commit != wantCommit || got.Upstream != upstream ||
				got.UpstreamGone != (upstream != "" && !hasAB) || fmt.Sprint(got.Stash) != stash {
				t.Fatalf("got %+v\ngit status:\n%s", got, porcelain)
			}
			if got.Unstaged != -1 || got.Staged != -1 || got.Complete || !strings.Contains(got.Unknown, "SHA-256") {
				t.Fatalf("counts: got %+v, want -1 with a SHA-256 reason", got)
			}
		})
	}
}

// TestIgnoreCaseMatchesGit: under core.ignoreCase git matches untracked
// names, ignore patterns and attribute patterns against the index whatever
// their case. On Linux's case-sensitive file system a case-only rename is
// then a deletion and nothing untracked.
func TestIgnoreCaseMatchesGit(t *testing.T) {
	gittest.Isolate(t)
	rename := func(t *testing.T, dir, from, to string) {
		if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name       string
		ignoreCase bool
		edit       func(t *testing.T, dir string)
		check      func(st *Status) bool
	}{
		{"case-only rename, ignoreCase", true, func(t *testing.T, dir string) { rename(t, dir, "README.md", "readme.md") },
			func(st *Status) bool { return st.Unstaged == 1 && st.Untracked == 0 }},
		{"case-only rename, case-sensitive", false, func(t *testing.T, dir string) { rename(t, dir, "README.md", "readme.md") },
			func(st *Status) bool { return st.Unstaged == 1 && st.Untracked == 1 }},
		{"a second file differing in case", true, func(t *testing.T, dir string) { writeFile(t, dir, "src/MAIN.go", "x") },
			func(st *Status) bool { return st.Unstaged == 0 && st.Untracked == 0 }},
		{"ignore and attribute patterns fold case", true, func(t *testing.T, dir string) {
			writeFile(t, dir, ".gitignore", "*.LOG\n")
			writeFile(t, dir, "debug.log", "x")
			writeFile(t, dir, ".gitattributes", "*.BAT text eol=crlf\n")
			writeFile(t, dir, "run.bat", "@echo off\r\n")
			git(t, dir, "add", ".gitattributes", "run.bat")
			git(t, dir, "commit", "-q", "-m", "bat")
			touchWorkTree(t, dir)
		}, func(st *Status) bool { return st.Unstaged == 0 && st.Untracked == 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := newRepo(t)
			git(t, dir, "config", "core.ignoreCase", strconv.FormatBool(tc.ignoreCase))
			tc.edit(t, dir)
			if st := assertMatchesGit(t, dir); !tc.check(st) {
				t.Fatalf("Read = %+v", st)
			}
		})
	}
	t.Run("directory differing in case: untracked unknown", func(t *testing.T) {
		dir := newRepo(t)
		git(t, dir, "config", "core.ignoreCase", "true")
		writeFile(t, dir, "SRC/new.go", "x")
		writeFile(t, dir, "src/main.go", "package main // edited\n")
		got, err := Read(t.Context(), dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := gitStatus(t, dir)
		if got.Untracked != -1 || got.Complete || !strings.Contains(got.Unknown, `"SRC" is "src" in the index`) ||
			got.Unstaged != want.Unstaged || got.Unstaged != 1 {
			t.Fatalf("got %+v, want untracked unknown and git's unstaged count %d", got, want.Unstaged)
		}
	})
}

// TestCaseInsensitiveFileSystem runs the scan as on macOS's default file
// system, where a name is found in any case but listed in one: the lookup
// of a tracked name is answered ignoring case, everything else is real. A
// case-only rename (file or directory) is then the same file, clean, as git
// on macOS says.
func TestCaseInsensitiveFileSystem(t *testing.T) {
	gittest.Isolate(t)
	defer func(old func(int, string, *sysfs.Stat_t) error) { lstatOtherCase = old }(lstatOtherCase)
	lstatOtherCase = func(dirfd int, name string, st *sysfs.Stat_t) error {
		entries, err := sysfs.ReadDirFd(dirfd)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if strings.EqualFold(e.Name(), name) {
				return lstatAt(dirfd, e.Name(), st)
			}
		}
		return sysfs.ENOENT
	}
	dir := newRepo(t)
	git(t, dir, "config", "core.ignoreCase", "true")
	for from, to := range map[string]string{"README.md": "readme.md", "src": "SRC"} {
		if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{Workers: 1}
	st, err := Read(t.Context(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if st.Unstaged != 0 || st.Untracked != 0 || !st.Complete {
		t.Fatalf("after case-only renames: %+v, want clean", st)
	}
	writeFile(t, dir, "SRC/main.go", "package main // edited\n")
	if st, err = Read(t.Context(), dir, opts); err != nil || st.Unstaged != 1 || st.Untracked != 0 {
		t.Fatalf("after an edit in the renamed directory: %+v, %v; want 1 unstaged", st, err)
	}
}
