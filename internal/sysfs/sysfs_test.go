package sysfs

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The same calls behave alike on the system's API and on the emulation
// (go test -tags portablefs): what gitstatus and importcheck rely on.
func TestDescriptorCalls(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	symlinks := runtime.GOOS != "windows"
	if symlinks {
		if err := os.Symlink("f", filepath.Join(dir, "link")); err != nil {
			t.Fatal(err)
		}
	}
	at, err := OpenDirAt(AT_FDCWD, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(at)

	fd, err := Openat(at, "f", O_RDONLY|O_CLOEXEC|O_NOFOLLOW|O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if n, err := Read(fd, buf); err != nil || string(buf[:n]) != "hello" {
		t.Errorf("Read = %q, %v", buf[:n], err)
	}
	if n, err := Read(fd, buf); n != 0 || err != nil {
		t.Errorf("Read at the end = %d, %v; want 0, nil", n, err)
	}
	if n, err := Pread(fd, buf[:3], 1); err != nil || string(buf[:n]) != "ell" {
		t.Errorf("Pread = %q, %v", buf[:n], err)
	}
	var st Stat_t
	if err := Fstat(fd, &st); err != nil || st.Size != 5 || st.Mode&S_IFMT != S_IFREG || st.Mtim.Sec == 0 {
		t.Errorf("Fstat = %+v, %v", st, err)
	}
	if err := Close(fd); err != nil {
		t.Error(err)
	}

	if err := Fstatat(at, "sub", &st, AT_SYMLINK_NOFOLLOW); err != nil || st.Mode&S_IFMT != S_IFDIR {
		t.Errorf("Fstatat(sub) = %o, %v", st.Mode, err)
	}
	if err := Fstatat(at, "none", &st, AT_SYMLINK_NOFOLLOW); !errors.Is(err, ENOENT) {
		t.Errorf("Fstatat(none) = %v, want ENOENT", err)
	}
	if _, err := Openat(at, "none/x", O_RDONLY, 0); !errors.Is(err, ENOENT) && !errors.Is(err, ENOTDIR) {
		t.Errorf("Openat(none/x) = %v, want ENOENT", err)
	}
	if symlinks {
		if err := Fstatat(at, "link", &st, AT_SYMLINK_NOFOLLOW); err != nil || st.Mode&S_IFMT != S_IFLNK {
			t.Errorf("Fstatat(link) = %o, %v", st.Mode, err)
		}
		if _, err := Openat(at, "link", O_RDONLY|O_NOFOLLOW, 0); err == nil {
			t.Error("Openat followed a symlink despite O_NOFOLLOW")
		}
		target := make([]byte, 8)
		if n, err := Readlinkat(at, "link", target); err != nil || string(target[:n]) != "f" {
			t.Errorf("Readlinkat = %q, %v", target[:n], err)
		}
	}

	// Listing twice through the same descriptor sees the whole directory
	// each time.
	for range 2 {
		entries, err := ReadDirFd(at)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, e := range entries {
			names[e.Name()] = true
		}
		if !names["f"] || !names["sub"] {
			t.Errorf("ReadDirFd = %v", names)
		}
	}
	sub, err := OpenDirAt(at, "sub")
	if err != nil {
		t.Fatal(err)
	}
	if entries, err := ReadDirFd(sub); err != nil || len(entries) != 0 {
		t.Errorf("ReadDirFd(sub) = %v, %v", entries, err)
	}
	Close(sub)
	if _, err := OpenDirAt(at, "f"); err == nil {
		t.Error("OpenDirAt opened a file")
	}
	if symlinks {
		if err := os.Symlink("sub", filepath.Join(dir, "sublink")); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenDirAt(at, "sublink"); err == nil {
			t.Error("OpenDirAt followed a symlink")
		}
	}
}
