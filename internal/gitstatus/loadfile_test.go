package gitstatus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestLoadFile reads files on both sides of mapThreshold, and an empty one,
// and expects exactly their bytes.
func TestLoadFile(t *testing.T) {
	for _, size := range []int{0, 1, mapThreshold - 1, mapThreshold, 3*mapThreshold + 5} {
		want := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		path := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(path, want, 0o600); err != nil {
			t.Fatal(err)
		}
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		got, release, err := loadFile(fd, int64(size), size%2 == 0)
		unix.Close(fd)
		if err != nil {
			t.Fatalf("loadFile(%d bytes): %v", size, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("loadFile(%d bytes) returned %d bytes, not the file's", size, len(got))
		}
		release()
	}
}

// TestLoadFileShrunk asks for more bytes than a small file has, as when the
// file is truncated between fstat and read, and expects an error.
func TestLoadFileShrunk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if _, _, err := loadFile(fd, 100, false); err == nil || !strings.Contains(err.Error(), "shrank") {
		t.Fatalf("loadFile of a shrunk file: err = %v, want one saying it shrank", err)
	}
}
