package dirlist

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/gofork/gofork/internal/sysfs"
)

func list(t *testing.T, dir string, entries []Entry) []Entry {
	t.Helper()
	fd, err := sysfs.OpenDirAt(sysfs.AT_FDCWD, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer sysfs.Close(fd)
	entries, err = Read(fd, entries)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestReadTypesAndOrder lists a directory of every kind of entry, more
// than one getdents buffer holds, and checks it against os.ReadDir.
func TestReadTypesAndOrder(t *testing.T) {
	dir := t.TempDir()
	for i := range 2000 {
		// Long names so the records overflow one 32 KiB batch.
		name := filepath.Join(dir, "file-with-a-long-name-to-fill-the-buffer-"+strconv.Itoa(i))
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	wantIrregular := runtime.GOOS != "windows"
	if err := mkfifo(filepath.Join(dir, "fifo")); wantIrregular && err != nil {
		t.Fatal(err)
	}

	prefix := []Entry{{Name: "kept", Type: fs.ModeDir}}
	got := list(t, dir, slices.Clone(prefix))
	if got[0] != prefix[0] {
		t.Fatalf("Read changed the entries it appends to: %+v", got[0])
	}
	got = got[1:]

	want, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Read found %d entries, os.ReadDir %d", len(got), len(want))
	}
	for i, w := range want {
		typ := w.Type()
		if typ&^(fs.ModeDir|fs.ModeSymlink) != 0 {
			typ = fs.ModeIrregular
		}
		if got[i].Name != w.Name() || got[i].Type != typ {
			t.Errorf("entry %d = %q %v, want %q %v", i, got[i].Name, got[i].Type, w.Name(), typ)
		}
	}
	for _, name := range []string{"sub", "link", "file-with-a-long-name-to-fill-the-buffer-1999"} {
		if !Contains(got, name) {
			t.Errorf("Contains(%q) = false", name)
		}
	}
	if Contains(got, "file") || Contains(got, ".") {
		t.Error("Contains found a name that is not listed")
	}
	if i := slices.IndexFunc(got, func(e Entry) bool { return e.Name == "fifo" }); wantIrregular && (i < 0 || got[i].Type != fs.ModeIrregular) {
		t.Errorf("fifo listed as %+v, want fs.ModeIrregular", got[i])
	}
}

func TestReadEmptyDirectory(t *testing.T) {
	if got := list(t, t.TempDir(), nil); len(got) != 0 {
		t.Errorf("empty directory listed as %+v", got)
	}
}
