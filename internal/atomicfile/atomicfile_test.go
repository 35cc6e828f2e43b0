package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReplaceKeepsModeAndLink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "gen.go")
	if err := os.WriteFile(target, []byte("old"), 0o751); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.go")
	if err := os.Symlink("gen.go", link); err != nil {
		t.Fatal(err)
	}
	if err := Replace(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(target)
	if string(data) != "new" || info.Mode().Perm() != 0o751 {
		t.Errorf("target holds %q with mode %v", data, info.Mode().Perm())
	}
	if l, err := os.Lstat(link); err != nil || l.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", l.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
	if err := Replace(filepath.Join(dir, "missing.go"), nil); err == nil {
		t.Error("rewriting a missing file succeeded")
	}
}

func TestCreateNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "go.work")
	if err := Create(name, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := Create(name, []byte("second")); err == nil {
		t.Error("Create over an existing file succeeded")
	}
	if data, _ := os.ReadFile(name); string(data) != "first" {
		t.Errorf("file holds %q, want the first write", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestOverwriteCreatesReplacesAndFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "cache")
	write := func(content string) func(*os.File) error {
		return func(f *os.File) error {
			if _, err := f.Write([]byte("xx" + content)); err != nil {
				return err
			}
			_, err := f.WriteAt([]byte(content[:2]), 0) // patched in place
			return err
		}
	}
	for _, content := range []string{"first", "second"} {
		if err := Overwrite(name, 0o600, write(content)); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(name); string(data) != content[:2]+content || info.Mode().Perm() != 0o600 {
			t.Errorf("file holds %q with mode %v after writing %q", data, info.Mode().Perm(), content)
		}
	}
	failed := errors.New("disk full")
	err := Overwrite(name, 0o600, func(f *os.File) error {
		f.Write([]byte("partial"))
		return failed
	})
	if !errors.Is(err, failed) {
		t.Errorf("Overwrite returned %v, want the writer's error", err)
	}
	if data, _ := os.ReadFile(name); string(data) != "sesecond" {
		t.Errorf("a failed write left %q, want the previous content", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}
