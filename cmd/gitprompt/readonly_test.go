package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
)

// TestRunLeavesRepositoryUnchanged runs gitprompt where `git status` would
// refresh the index (a tracked file whose stat data changed but whose
// content did not) and checks that the index keeps its bytes and mtime and
// that no index.lock is left. It then runs git status to show the situation
// does tempt a rewrite, so the first check cannot pass by accident.
func TestRunLeavesRepositoryUnchanged(t *testing.T) {
	gittest.Isolate(t)
	repo := t.TempDir()
	gittest.Git(t, repo, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(repo, "a.txt"), "a\n")
	writeFile(t, filepath.Join(repo, "b.txt"), "b\n")
	gittest.Git(t, repo, "add", ".")
	gittest.Git(t, repo, "commit", "-q", "-m", "first")
	writeFile(t, filepath.Join(repo, "b.txt"), "changed\n")
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(repo, "a.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(repo, ".git", "index")
	before, beforeInfo := readWithInfo(t, index)

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), &stdout, &stderr, []string{"-C", repo, "--no-color", "--debug", "--timeout", testTimeout})
	if code != 0 || stderr.Len() > 0 {
		t.Fatalf("gitprompt exited %d, stderr:\n%s", code, stderr.String())
	}
	if want := "[" + filepath.Base(repo) + "](main ∅ !1)"; stdout.String() != want {
		t.Errorf("gitprompt printed %q, want %q", stdout.String(), want)
	}
	after, afterInfo := readWithInfo(t, index)
	if !bytes.Equal(before, after) || !beforeInfo.ModTime().Equal(afterInfo.ModTime()) {
		t.Errorf("gitprompt rewrote the index (mtime %v -> %v)", beforeInfo.ModTime(), afterInfo.ModTime())
	}
	if _, err := os.Lstat(index + ".lock"); !os.IsNotExist(err) {
		t.Errorf("gitprompt left %s.lock behind (%v)", index, err)
	}

	gittest.Git(t, repo, "status", "--porcelain")
	if git, _ := readWithInfo(t, index); bytes.Equal(before, git) {
		t.Errorf("git status did not refresh the index either: this test no longer tempts a rewrite")
	}
}

func readWithInfo(t *testing.T, path string) ([]byte, os.FileInfo) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return data, info
}
