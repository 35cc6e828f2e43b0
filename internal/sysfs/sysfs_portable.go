//go:build !unix || portablefs

package sysfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// Portable is true: descriptors and stat data are emulated over package os.
const Portable = true

// Timespec is a time as seconds and nanoseconds.
type Timespec struct{ Sec, Nsec int64 }

// Stat_t is the stat data the callers read. Where the system has no such
// field (a Windows file has no inode or owner ids), it is zero, as git for
// Windows records it in the index.
type Stat_t struct {
	Dev, Ino   uint64
	Mode       uint32
	Uid, Gid   uint32
	Nlink      uint64 // 0 where the system does not say
	Size       int64
	Mtim, Ctim Timespec
}

// The flags and file types of the unix API, with its values; only the ones
// the callers use.
const (
	AT_FDCWD            = -100
	AT_SYMLINK_NOFOLLOW = 0x100
	O_RDONLY            = 0
	O_CLOEXEC           = 0
	O_NOCTTY            = 0
	O_NONBLOCK          = 0
	O_DIRECTORY         = 0x10000
	O_NOFOLLOW          = 0x20000
	S_IFMT              = 0xf000
	S_IFIFO             = 0x1000
	S_IFCHR             = 0x2000
	S_IFDIR             = 0x4000
	S_IFREG             = 0x8000
	S_IFLNK             = 0xa000
	S_IFSOCK            = 0xc000
)

// The errors callers test for, as syscall's values, which Windows has too.
const (
	ENOENT  = syscall.ENOENT
	ENOTDIR = syscall.ENOTDIR
	EINTR   = syscall.EINTR
	EISDIR  = syscall.EISDIR
	ELOOP   = syscall.ELOOP
	EBADF   = syscall.EBADF
)

// open is one open descriptor: a directory's path, or a file.
type open struct {
	path string
	file *os.File // nil for a directory
}

var table = struct {
	sync.Mutex
	next int
	open map[int]*open
}{next: 3, open: map[int]*open{}}

func lookup(fd int) (*open, error) {
	table.Lock()
	defer table.Unlock()
	if o, ok := table.open[fd]; ok {
		return o, nil
	}
	return nil, EBADF
}

func register(o *open) int {
	table.Lock()
	defer table.Unlock()
	fd := table.next
	table.next++
	table.open[fd] = o
	return fd
}

// resolve is path relative to the directory open as dirfd.
func resolve(dirfd int, path string) (string, error) {
	if filepath.IsAbs(path) || dirfd == AT_FDCWD {
		return path, nil
	}
	o, err := lookup(dirfd)
	if err != nil {
		return "", err
	}
	if o.file != nil {
		return "", ENOTDIR
	}
	return filepath.Join(o.path, path), nil
}

// errno turns what package os returns into the unix errors callers test.
func errno(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err
	}
	var linkErr *os.LinkError
	if errors.As(err, &linkErr) {
		err = linkErr.Err
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return ENOENT
	}
	return err
}

func Open(path string, mode int, perm uint32) (int, error) {
	return Openat(AT_FDCWD, path, mode, perm)
}

// Openat opens path relative to dirfd: a directory with O_DIRECTORY, else
// a file. O_NOFOLLOW refuses a symbolic link.
func Openat(dirfd int, path string, flags int, perm uint32) (int, error) {
	p, err := resolve(dirfd, path)
	if err != nil {
		return -1, err
	}
	if flags&O_NOFOLLOW != 0 {
		if fi, err := os.Lstat(p); err != nil {
			return -1, errno(err)
		} else if fi.Mode()&fs.ModeSymlink != 0 {
			return -1, ELOOP
		}
	}
	if flags&O_DIRECTORY != 0 {
		fi, err := os.Stat(p)
		if err != nil {
			return -1, errno(err)
		}
		if !fi.IsDir() {
			return -1, ENOTDIR
		}
		return register(&open{path: p}), nil
	}
	f, err := os.Open(p)
	if err != nil {
		return -1, errno(err)
	}
	return register(&open{path: p, file: f}), nil
}

func Close(fd int) error {
	table.Lock()
	o, ok := table.open[fd]
	delete(table.open, fd)
	table.Unlock()
	switch {
	case !ok:
		return EBADF
	case o.file != nil:
		return o.file.Close()
	}
	return nil
}

func file(fd int) (*os.File, error) {
	o, err := lookup(fd)
	if err != nil {
		return nil, err
	}
	if o.file == nil {
		return nil, EISDIR
	}
	return o.file, nil
}

// Read is read(2): 0 and no error at the end of the file.
func Read(fd int, p []byte) (int, error) {
	f, err := file(fd)
	if err != nil {
		return 0, err
	}
	n, err := f.Read(p)
	if err == io.EOF {
		err = nil
	}
	return n, errno(err)
}

func Pread(fd int, p []byte, offset int64) (int, error) {
	f, err := file(fd)
	if err != nil {
		return 0, err
	}
	n, err := f.ReadAt(p, offset)
	if err == io.EOF {
		err = nil
	}
	return n, errno(err)
}

func Fstat(fd int, st *Stat_t) error {
	o, err := lookup(fd)
	if err != nil {
		return err
	}
	var fi fs.FileInfo
	if o.file != nil {
		fi, err = o.file.Stat()
	} else {
		fi, err = os.Stat(o.path)
	}
	if err != nil {
		return errno(err)
	}
	fill(st, fi)
	return nil
}

func Fstatat(dirfd int, path string, st *Stat_t, flags int) error {
	p, err := resolve(dirfd, path)
	if err != nil {
		return err
	}
	stat := os.Stat
	if flags&AT_SYMLINK_NOFOLLOW != 0 {
		stat = os.Lstat
	}
	fi, err := stat(p)
	if err != nil {
		return errno(err)
	}
	fill(st, fi)
	return nil
}

func Lstat(path string, st *Stat_t) error { return Fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW) }

func Stat(path string, st *Stat_t) error { return Fstatat(AT_FDCWD, path, st, 0) }

func Readlinkat(dirfd int, path string, buf []byte) (int, error) {
	p, err := resolve(dirfd, path)
	if err != nil {
		return 0, err
	}
	target, err := os.Readlink(p)
	if err != nil {
		return 0, errno(err)
	}
	return copy(buf, filepath.ToSlash(target)), nil
}

// Mmap is not emulated: callers read instead.
func Mmap(fd int, size int, populate bool) ([]byte, error) { return nil, errors.ErrUnsupported }

func Munmap(b []byte) error { return errors.ErrUnsupported }

// fill sets st from fi: the file type and permission bits, size and
// modification time from any system, the rest from the system's own
// (statSys).
func fill(st *Stat_t, fi fs.FileInfo) {
	*st = Stat_t{Size: fi.Size()}
	m := fi.Mode()
	switch {
	case m&fs.ModeSymlink != 0:
		st.Mode = S_IFLNK
	case m.IsDir():
		st.Mode = S_IFDIR
	case m&fs.ModeNamedPipe != 0:
		st.Mode = S_IFIFO
	case m&fs.ModeSocket != 0:
		st.Mode = S_IFSOCK
	case m&fs.ModeCharDevice != 0:
		st.Mode = S_IFCHR
	case m&fs.ModeDevice != 0:
		st.Mode = 0x6000 // S_IFBLK
	case m.IsRegular():
		st.Mode = S_IFREG
	}
	st.Mode |= uint32(m.Perm())
	mt := fi.ModTime()
	st.Mtim = Timespec{Sec: mt.Unix(), Nsec: int64(mt.Nanosecond())}
	statSys(st, fi)
}

// OpenDirAt opens the directory name relative to dirfd for listing,
// without following a symbolic link.
func OpenDirAt(dirfd int, name string) (int, error) {
	fd, err := Openat(dirfd, name, O_RDONLY|O_DIRECTORY|O_NOFOLLOW, 0)
	if err != nil {
		return -1, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return fd, nil
}

// ReadDirFd lists the directory open as fd, sorted by name.
func ReadDirFd(fd int) ([]fs.DirEntry, error) {
	o, err := lookup(fd)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(o.path)
	return entries, errno(err)
}
