package gitstatus

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

// TestReftableMatchesGit reads repositories that a git with the reftable
// backend wrote (testdata/reftable/make.sh; the git here is too old to
// write them) and compares Read with what that git's status said: branch,
// upstream, ahead/behind, stash entries after a drop, a detached HEAD at an
// annotated tag, hundreds of refs over several blocks before and after
// compaction, a linked worktree's own HEAD, an unborn branch.
func TestReftableMatchesGit(t *testing.T) {
	gittest.Isolate(t)
	for _, tc := range []struct {
		name, archive, dir string
		tag                string
	}{
		{"branch", "branch", "repo", "v2"},
		{"detached", "detached", "repo", "v2"},
		{"many refs", "manyrefs", "repo", "v2"},
		{"compacted", "compacted", "repo", "v2"},
		{"main worktree", "worktree-main", "repo", "v2"},
		{"linked worktree", "worktree-main", "wt", "v2"},
		{"unborn", "unborn", "repo", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			extractTarGz(t, filepath.Join("..", "..", "testdata", "reftable", tc.archive+".tar.gz"), root)
			statusFile := tc.archive
			if tc.dir == "wt" {
				statusFile = "worktree"
			}
			data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reftable", statusFile+".status"))
			if err != nil {
				t.Fatal(err)
			}
			want := parsePorcelainV2(t, string(data))
			got, err := Read(t.Context(), filepath.Join(root, tc.dir), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if g := gitFields(got); g != want {
				t.Fatalf("Read disagrees with the status git wrote\n got: %+v\nwant: %+v", g, want)
			}
			if got.Tag != tc.tag {
				t.Fatalf("tag = %q, want %q", got.Tag, tc.tag)
			}
			if tc.archive != "manyrefs" && tc.archive != "compacted" {
				return
			}
			// Refs from every block, a deleted one and a renamed one.
			r, err := openRepo(filepath.Join(root, tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			defer r.close()
			for name, want := range map[string]bool{
				"refs/heads/feature/branch-with-a-long-name-0":   true,
				"refs/heads/feature/branch-with-a-long-name-599": true,
				"refs/heads/feature/branch-with-a-long-name-7":   false,
				"refs/heads/feature/branch-with-a-long-name-8":   false,
				"refs/heads/renamed":                             true,
			} {
				if r.refs.exists(name) != want {
					t.Errorf("%s exists: %v, want %v", name, !want, want)
				}
			}
		})
	}
}

func extractTarGz(t *testing.T, archive, dest string) {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := tar.NewReader(z)
	for {
		h, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dest, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(path, dest+string(filepath.Separator)) {
			t.Fatalf("archive entry %q escapes", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(path, 0o755)
		case tar.TypeReg:
			var data []byte
			if data, err = io.ReadAll(r); err == nil {
				err = os.WriteFile(path, data, os.FileMode(h.Mode)&0o777)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestDamagedReftable: a cut or garbled table gives an error or fewer
// refs, never a panic or a hang.
func TestDamagedReftable(t *testing.T) {
	root := t.TempDir()
	extractTarGz(t, filepath.Join("..", "..", "testdata", "reftable", "compacted.tar.gz"), root)
	tables, err := filepath.Glob(filepath.Join(root, "repo", ".git", "reftable", "*.ref"))
	if err != nil || len(tables) != 1 {
		t.Fatalf("tables: %v %v", tables, err)
	}
	data, err := os.ReadFile(tables[0])
	if err != nil {
		t.Fatal(err)
	}
	visit := func(reftableRef) {}
	for cut := 0; cut < len(data); cut += 97 {
		_ = readReftable(data[:cut], visit)
		_ = readReftableLogs(data[:cut], "refs/stash", func(uint64, bool) {})
	}
	for i := 0; i < len(data); i += 13 {
		garbled := append([]byte(nil), data...)
		garbled[i] ^= 0xa5
		_ = readReftable(garbled, visit)
		_ = readReftableLogs(garbled, "refs/stash", func(uint64, bool) {})
	}
	if err := readReftable(data, visit); err != nil {
		t.Fatalf("the intact table: %v", err)
	}
}
