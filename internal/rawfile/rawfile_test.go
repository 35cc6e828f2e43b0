package rawfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/sysfs"
)

// TestLoad reads files on both sides of mapThreshold, and an empty one,
// and expects exactly their bytes.
func TestLoad(t *testing.T) {
	for _, size := range []int{0, 1, mapThreshold - 1, mapThreshold, 3*mapThreshold + 5} {
		want := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		path := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(path, want, 0o600); err != nil {
			t.Fatal(err)
		}
		fd, err := sysfs.Open(path, sysfs.O_RDONLY|sysfs.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		got, release, err := Load(fd, int64(size), size%2 == 0)
		sysfs.Close(fd)
		if err != nil {
			t.Fatalf("Load(%d bytes): %v", size, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("Load(%d bytes) returned %d bytes, not the file's", size, len(got))
		}
		release()
	}
}

// TestLoadShrunk asks for more bytes than a small file has, as when the
// file is truncated between fstat and read, and expects an error.
func TestLoadShrunk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := sysfs.Open(path, sysfs.O_RDONLY|sysfs.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sysfs.Close(fd)
	if _, _, err := Load(fd, 100, false); err == nil || !strings.Contains(err.Error(), "shrank") {
		t.Fatalf("Load of a shrunk file: err = %v, want one saying it shrank", err)
	}
}

// TestReadFile expects os.ReadFile's results: the bytes of a file, and
// errors that name the path and match fs.ErrNotExist for a missing file.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "HEAD")
	if err := os.WriteFile(path, []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil || string(got) != "ref: refs/heads/main\n" {
		t.Fatalf("ReadFile(%q) = %q, %v", path, got, err)
	}
	missing := filepath.Join(dir, "missing")
	if _, err := ReadFile(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("ReadFile of a missing file: err = %v, want fs.ErrNotExist naming %q", err, missing)
	}
	if _, err := ReadFile(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("ReadFile of a directory: err = %v, want one saying it is a directory", err)
	}
}

// TestOpen reads through the *os.File that Open returns.
func TestOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pack")
	if err := os.WriteFile(path, []byte("PACK data"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4)
	if _, err := f.ReadAt(buf, 5); err != nil || string(buf) != "data" || f.Name() != path {
		t.Fatalf("ReadAt = %q, %v; Name = %q", buf, err, f.Name())
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing file: err = %v, want fs.ErrNotExist", err)
	}
}
