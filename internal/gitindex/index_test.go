package gitindex

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

// lsFiles is what Parse reads, in git ls-files --stage's words: mode, id,
// stage and path.
func lsFiles(idx *Index) string {
	var b strings.Builder
	for _, e := range idx.Entries {
		h := e.Hash()
		fmt.Fprintf(&b, "%06o %s %d\t%s\n", e.Mode(), hex.EncodeToString(h[:]), e.Stage, e.Path)
	}
	return b.String()
}

// Parse reads every index version git writes, and a split index merged
// with its shared index, as git itself lists them.
func TestParseMatchesGit(t *testing.T) {
	gittest.Isolate(t)
	for _, tc := range []struct {
		name  string
		setup []string
	}{
		{"v2", []string{"update-index", "--index-version", "2"}},
		{"v3", []string{"add", "-N", "new.go"}}, // intent-to-add needs extended flags
		{"v4", []string{"update-index", "--index-version", "4"}},
		{"split", []string{"update-index", "--split-index"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			gittest.Git(t, dir, "init", "-q")
			for i := range 40 {
				p := filepath.Join(dir, fmt.Sprintf("pkg%d/sub/file%02d.go", i%4, i))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(fmt.Sprintf("package p // %d\n", i)), 0o644)
			}
			os.WriteFile(filepath.Join(dir, "new.go"), []byte("package p\n"), 0o644)
			os.Symlink("pkg0", filepath.Join(dir, "link"))
			gittest.Git(t, dir, "add", "pkg0", "pkg1", "pkg2", "pkg3", "link")
			gittest.Git(t, dir, "commit", "-q", "-m", "x")
			gittest.Git(t, dir, tc.setup...)
			if tc.name == "split" {
				os.WriteFile(filepath.Join(dir, "pkg1/sub/file01.go"), []byte("changed\n"), 0o644)
				gittest.Git(t, dir, "add", "pkg1", "new.go")
				gittest.Git(t, dir, "rm", "-q", "--cached", "pkg2/sub/file02.go")
			}
			if tc.name == "split" {
				data, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
				if idx, err := Parse(data); err != nil || idx.Link == nil {
					t.Fatalf("git wrote no split index (%v)", err)
				}
			}
			idx, err := ReadFile(filepath.Join(dir, ".git"))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.TrimSpace(lsFiles(idx)), gittest.Git(t, dir, "ls-files", "--stage"); got != want {
				t.Errorf("Parse reads\n%s\ngit ls-files --stage says\n%s", got, want)
			}
		})
	}
}

// FuzzParse: no input makes Parse panic, and what it accepts it reads
// within the input.
func FuzzParse(f *testing.F) {
	gittest.Isolate(f)
	dir := f.TempDir()
	gittest.WriteFile(f, filepath.Join(dir, "a.go"), "x\n")
	gittest.WriteFile(f, filepath.Join(dir, "d", "b.go"), "y\n")
	gittest.Git(f, dir, "init", "-q")
	gittest.Git(f, dir, "add", ".")
	gittest.Git(f, dir, "update-index", "--index-version", "4")
	if data, err := os.ReadFile(filepath.Join(dir, ".git", "index")); err == nil {
		f.Add(data)
	}
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := Parse(data)
		if err != nil {
			return
		}
		for _, e := range idx.Entries {
			_ = e.Mode() + e.Size()
		}
	})
}
