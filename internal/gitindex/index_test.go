package gitindex

import (
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

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
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
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
			git(t, dir, "init", "-q")
			for i := range 40 {
				p := filepath.Join(dir, fmt.Sprintf("pkg%d/sub/file%02d.go", i%4, i))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(fmt.Sprintf("package p // %d\n", i)), 0o644)
			}
			os.WriteFile(filepath.Join(dir, "new.go"), []byte("package p\n"), 0o644)
			os.Symlink("pkg0", filepath.Join(dir, "link"))
			git(t, dir, "add", "pkg0", "pkg1", "pkg2", "pkg3", "link")
			git(t, dir, "commit", "-q", "-m", "x")
			git(t, dir, tc.setup...)
			if tc.name == "split" {
				os.WriteFile(filepath.Join(dir, "pkg1/sub/file01.go"), []byte("changed\n"), 0o644)
				git(t, dir, "add", "pkg1", "new.go")
				git(t, dir, "rm", "-q", "--cached", "pkg2/sub/file02.go")
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
			if got, want := lsFiles(idx), git(t, dir, "ls-files", "--stage"); got != want {
				t.Errorf("Parse reads\n%s\ngit ls-files --stage says\n%s", got, want)
			}
		})
	}
}

// FuzzParse: no input makes Parse panic, and what it accepts it reads
// within the input.
func FuzzParse(f *testing.F) {
	dir := f.TempDir()
	cmd := exec.Command("sh", "-c", "git init -q && echo x > a.go && mkdir -p d && echo y > d/b.go && git add . && git update-index --index-version 4")
	cmd.Dir = dir
	if cmd.Run() == nil {
		if data, err := os.ReadFile(filepath.Join(dir, ".git", "index")); err == nil {
			f.Add(data)
		}
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
