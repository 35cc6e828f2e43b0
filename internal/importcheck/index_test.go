package importcheck

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

// In a git work tree check reads the files the index names: a tracked
// file deleted from the work tree is not checked, an untracked one only
// with Untracked, and a sub-directory sees only what lies below it.
func TestCheckReadsTheIndex(t *testing.T) {
	gittest.Isolate(t)
	dir := t.TempDir()
	stray := "package p\n\nimport _ \"github.com/awesome-you/tool/kv\"\n"
	for name, content := range map[string]string{
		"go.mod":         "module github.com/awesome-org/tool\n\ngo 1.24\n",
		"a.go":           stray,
		"sub/b.go":       stray,
		"vendor/v/c.go":  stray,
		"_skip/d.go":     stray,
		"deleted.go":     stray,
		"sub/.hidden.go": stray,
	} {
		gittest.WriteFile(t, filepath.Join(dir, name), content)
	}
	gittest.Git(t, dir, "init", "-q")
	gittest.Git(t, dir, "add", "-A")
	os.Remove(filepath.Join(dir, "deleted.go"))
	gittest.WriteFile(t, filepath.Join(dir, "untracked.go"), stray)

	files := func(opts Options) []string {
		t.Helper()
		opts.Forks = []string{"github.com/awesome-you/tool"}
		findings, err := Check(opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range findings {
			out = append(out, f.Path)
		}
		return out
	}
	if got, want := files(Options{Dir: dir}), []string{"a.go", "sub/b.go"}; !slices.Equal(got, want) {
		t.Errorf("tracked files: findings in %v, want %v", got, want)
	}
	if got, want := files(Options{Dir: dir, Untracked: true}), []string{"a.go", "sub/b.go", "untracked.go"}; !slices.Equal(got, want) {
		t.Errorf("with Untracked: findings in %v, want %v", got, want)
	}
	if got, want := files(Options{Dir: filepath.Join(dir, "sub")}), []string{"sub/b.go"}; !slices.Equal(got, want) {
		t.Errorf("a sub-directory: findings in %v, want %v", got, want)
	}
	if got, want := files(Options{Dir: dir, IncludeVendor: true}), []string{"a.go", "sub/b.go", "vendor/v/c.go"}; !slices.Equal(got, want) {
		t.Errorf("with IncludeVendor: findings in %v, want %v", got, want)
	}
}
