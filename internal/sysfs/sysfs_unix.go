//go:build unix && !portablefs

package sysfs

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// Portable is false: this is the operating system's own API.
const Portable = false

type (
	Stat_t   = unix.Stat_t
	Timespec = unix.Timespec
)

const (
	AT_FDCWD            = unix.AT_FDCWD
	AT_SYMLINK_NOFOLLOW = unix.AT_SYMLINK_NOFOLLOW
	O_RDONLY            = unix.O_RDONLY
	O_CLOEXEC           = unix.O_CLOEXEC
	O_DIRECTORY         = unix.O_DIRECTORY
	O_NOFOLLOW          = unix.O_NOFOLLOW
	O_NONBLOCK          = unix.O_NONBLOCK
	O_NOCTTY            = unix.O_NOCTTY
	S_IFMT              = unix.S_IFMT
	S_IFDIR             = unix.S_IFDIR
	S_IFREG             = unix.S_IFREG
	S_IFLNK             = unix.S_IFLNK
	ENOENT              = unix.ENOENT
	ENOTDIR             = unix.ENOTDIR
	EINTR               = unix.EINTR
	EISDIR              = unix.EISDIR
)

func Open(path string, mode int, perm uint32) (int, error) { return unix.Open(path, mode, perm) }
func Openat(dirfd int, path string, flags int, perm uint32) (int, error) {
	return unix.Openat(dirfd, path, flags, perm)
}
func Close(fd int) error                                { return unix.Close(fd) }
func Read(fd int, p []byte) (int, error)                { return unix.Read(fd, p) }
func Pread(fd int, p []byte, offset int64) (int, error) { return unix.Pread(fd, p, offset) }
func Fstat(fd int, st *Stat_t) error                    { return unix.Fstat(fd, st) }
func Lstat(path string, st *Stat_t) error               { return unix.Lstat(path, st) }
func Stat(path string, st *Stat_t) error                { return unix.Stat(path, st) }
func Readlinkat(dirfd int, path string, buf []byte) (int, error) {
	return unix.Readlinkat(dirfd, path, buf)
}
func Fstatat(dirfd int, path string, st *Stat_t, flags int) error {
	return unix.Fstatat(dirfd, path, st, flags)
}

// Mmap maps the first size bytes of the file open as fd read-only; populate
// asks for every page at once where the system can.
func Mmap(fd int, size int, populate bool) ([]byte, error) {
	flags := unix.MAP_PRIVATE
	if populate {
		flags |= mapPopulate
	}
	return unix.Mmap(fd, 0, size, unix.PROT_READ, flags)
}

func Munmap(b []byte) error { return unix.Munmap(b) }

// OpenDirAt opens the directory name relative to dirfd for listing,
// without following a symbolic link.
func OpenDirAt(dirfd int, name string) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return -1, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return fd, nil
	}
}

// ReadDirFd lists the whole directory open as fd, leaving fd as it was: it
// lists through a descriptor of its own (a dup would share fd's position).
func ReadDirFd(fd int) ([]fs.DirEntry, error) {
	own, err := unix.Openat(fd, ".", unix.O_RDONLY|unix.O_CLOEXEC|unix.O_DIRECTORY, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(own), "")
	defer f.Close()
	return f.ReadDir(-1)
}
