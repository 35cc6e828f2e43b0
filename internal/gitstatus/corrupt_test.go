package gitstatus

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

// TestCorruptRepositories breaks a repository in the ways the issue names and
// expects an error that names the problem, never a panic or made-up counts.
func TestCorruptRepositories(t *testing.T) {
	gittest.Isolate(t)
	cases := []struct {
		name   string
		break_ func(t *testing.T, dir string)
		want   string
	}{
		{"truncated index", func(t *testing.T, dir string) {
			index := filepath.Join(dir, ".git", "index")
			data, err := os.ReadFile(index)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(index, data[:len(data)/2], 0o644); err != nil {
				t.Fatal(err)
			}
		}, "corrupt index"},
		{"bad HEAD", func(t *testing.T, dir string) {
			writeFile(t, dir, ".git/HEAD", "ref: refs/heads/main\n")
			writeFile(t, dir, ".git/refs/heads/main", "not a hash\n")
		}, "read HEAD"},
		{"missing HEAD commit", func(t *testing.T, dir string) {
			head := git(t, dir, "rev-parse", "HEAD")
			remove(t, dir, filepath.Join(".git", "objects", head[:2], head[2:]))
		}, "compare HEAD with the index"},
		{"truncated HEAD commit", func(t *testing.T, dir string) {
			path := looseObjectPath(t, dir, "HEAD")
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			replaceLooseObject(t, path, data[:len(data)-6])
		}, "decode loose object"},
		{"HEAD commit with a wrong size", func(t *testing.T, dir string) {
			replaceLooseObject(t, looseObjectPath(t, dir, "HEAD"), deflate(t, "commit 9999\x00tree 0\n"))
		}, "malformed header"},
		{"HEAD names a blob", func(t *testing.T, dir string) {
			replaceLooseObject(t, looseObjectPath(t, dir, "HEAD"), deflate(t, "blob 6\x00hello\n"))
		}, "is a blob"},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			dir := newRepo(t)
			tc.break_(t, dir)
			st, err := Read(t.Context(), dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Read = %+v, %v; want an error containing %q", st, err, tc.want)
			}
		})
	}
}

func looseObjectPath(t *testing.T, dir, rev string) string {
	hash := git(t, dir, "rev-parse", rev)
	return filepath.Join(dir, ".git", "objects", hash[:2], hash[2:])
}

// replaceLooseObject writes data in place of the (read-only) object file.
func replaceLooseObject(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o444); err != nil {
		t.Fatal(err)
	}
}

func deflate(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestIndexChecksumIsNotVerified pins down git's behaviour that Read copies:
// only `git fsck` checks the index's trailing checksum (read-cache.c's
// verify_index_checksum), so `git status` reads an index whose checksum is
// wrong, and so does Read, with the same counts. Hashing a 10 MB index would
// cost a large repository's status tens of milliseconds.
func TestIndexChecksumIsNotVerified(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "new.txt", "new\n")
	index := filepath.Join(dir, ".git", "index")
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 0xff
	if err := os.WriteFile(index, data, 0o644); err != nil {
		t.Fatal(err)
	}
	st := assertMatchesGit(t, dir, "index with a wrong checksum")
	if st.Untracked != 1 {
		t.Errorf("untracked = %d, want 1", st.Untracked)
	}
}
