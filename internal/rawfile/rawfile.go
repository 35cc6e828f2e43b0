// Package rawfile reads files with bare system calls, for programs that
// start, read a dozen small files and exit, such as a shell prompt.
//
// An os.File is built for long-lived programs: opening one registers it
// with the runtime's network poller, whose first use creates an epoll
// instance and an event descriptor and wakes a thread to wait in epoll.
// gitprompt reads its files here and keeps its time budget off the
// runtime's timers (which start the poller too), so it never starts the
// poller; on a small repository that made each prompt 2-4% faster,
// measured side by side. Regular files are never pollable, so nothing is
// lost.
package rawfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/gofork/gofork/internal/sysfs"
)

// ReadFile is os.ReadFile without an os.File: open, fstat, pread, close.
// Errors are *fs.PathError, so errors.Is(err, fs.ErrNotExist) works as
// with os.ReadFile. It reads as many bytes as fstat reports, so a named pipe
// or a device (/dev/null as a config file) reads as empty, and the open does
// not wait for a pipe's writer.
func ReadFile(name string) ([]byte, error) {
	fd, err := sysfs.Open(name, sysfs.O_RDONLY|sysfs.O_CLOEXEC|sysfs.O_NONBLOCK|sysfs.O_NOCTTY, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer sysfs.Close(fd)
	var st sysfs.Stat_t
	if err := sysfs.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if st.Mode&sysfs.S_IFMT == sysfs.S_IFDIR {
		return nil, &fs.PathError{Op: "read", Path: name, Err: sysfs.EISDIR}
	}
	data, err := readAt(fd, st.Size)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}

// mapThreshold is the size from which Load maps a file rather than
// reading it.
const mapThreshold = 128 << 10

// Load returns the first size bytes of the file open as fd and a function
// that releases them; the bytes are invalid after it. A large file (a big
// repository's index) is mapped, with populate asking for every page up
// front, so that it is neither copied nor kept on the heap. A small one is
// read: mapping it costs a page fault per page and, at release, an munmap
// whose TLB flush interrupts every CPU the process's threads have run on,
// which measured 50 µs of a 3 ms prompt.
func Load(fd int, size int64, populate bool) ([]byte, func(), error) {
	if size < mapThreshold || sysfs.Portable {
		data, err := readAt(fd, size)
		return data, func() {}, err
	}
	data, err := sysfs.Mmap(fd, int(size), populate)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { _ = sysfs.Munmap(data) }, nil
}

// readAt reads the first size bytes of the file open as fd.
func readAt(fd int, size int64) ([]byte, error) {
	data := make([]byte, size)
	for off := 0; off < len(data); {
		n, err := sysfs.Pread(fd, data[off:], int64(off))
		if err == sysfs.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("file shrank from %d to %d bytes while read", size, off)
		}
		off += n
	}
	return data, nil
}

// Open opens name read-only as an *os.File that stays off the network
// poller: os.NewFile registers only descriptors already in non-blocking
// mode, and this one is not. For readers that need an *os.File.
func Open(name string) (*os.File, error) {
	if sysfs.Portable {
		return os.Open(name) // its descriptors are not the system's
	}
	fd, err := sysfs.Open(name, sysfs.O_RDONLY|sysfs.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(fd), name), nil
}

// ErrNotRegular is returned by OpenRegular for a named pipe, socket, device
// or directory: reading one could block for ever or never end.
var ErrNotRegular = errors.New("not a regular file")

// File is a descriptor read with bare system calls: no os.File, so nothing
// is registered with the runtime's poller, which for regular files is
// wasted work (it cost gofork check a third of its time over ten thousand
// files).
type File int

// OpenFile opens name, which the caller believes is a regular file (its
// directory entry says so), for reading. It opens non-blocking, so that a
// name swapped for a named pipe meanwhile cannot stall the open or a read.
func OpenFile(name string) (File, error) { return OpenFileAt(sysfs.AT_FDCWD, name) }

// OpenFileAt is OpenFile for a name relative to the directory open as dir:
// the kernel resolves one element instead of the whole path, which over
// thousands of files in deep trees is a good part of the cost of opening
// them.
func OpenFileAt(dir int, name string) (File, error) {
	for {
		fd, err := sysfs.Openat(dir, name, sysfs.O_RDONLY|sysfs.O_CLOEXEC|sysfs.O_NONBLOCK|sysfs.O_NOCTTY, 0)
		if err == sysfs.EINTR {
			continue
		}
		if err != nil {
			return -1, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return File(fd), nil
	}
}

// Regular reports whether f is a regular file, for a caller that opened it
// with OpenFile and finds it reads nothing: a named pipe opened
// non-blocking reads as empty.
func (f File) Regular() bool {
	var st sysfs.Stat_t
	return sysfs.Fstat(int(f), &st) == nil && st.Mode&sysfs.S_IFMT == sysfs.S_IFREG
}

// OpenRegular is OpenFile for a name that may be anything, following
// symbolic links: a named pipe, socket, device or directory is refused with
// ErrNotRegular.
func OpenRegular(name string) (File, error) { return OpenRegularAt(sysfs.AT_FDCWD, name) }

// OpenRegularAt is OpenRegular for a name relative to the directory open as
// dir.
func OpenRegularAt(dir int, name string) (File, error) {
	f, err := OpenFileAt(dir, name)
	if err != nil {
		return f, err
	}
	var st sysfs.Stat_t
	if err := sysfs.Fstat(int(f), &st); err != nil {
		f.Close()
		return -1, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if st.Mode&sysfs.S_IFMT != sysfs.S_IFREG {
		f.Close()
		return -1, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	return f, nil
}

func (f File) Read(b []byte) (int, error) {
	for {
		n, err := sysfs.Read(int(f), b)
		switch {
		case err == sysfs.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f File) Close() error { return sysfs.Close(int(f)) }
