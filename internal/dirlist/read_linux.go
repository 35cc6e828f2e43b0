//go:build !portablefs

package dirlist

import (
	"io/fs"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// buffers recycles getdents buffers: a fresh 32 KiB buffer per directory
// was most of a scan's allocation.
var buffers = sync.Pool{New: func() any {
	b := make([]byte, 32<<10)
	return &b
}}

// Read appends the entries of the directory open as dirfd to entries,
// sorted by name, without "." and "..", and returns the extended slice. An
// entry that vanishes between the listing and the lstat its type needs (on
// a file system that does not record types) is left out.
func Read(dirfd int, entries []Entry) ([]Entry, error) {
	start := len(entries)
	bufp := buffers.Get().(*[]byte)
	defer buffers.Put(bufp)
	buf := *bufp
	for {
		n, err := getdents(dirfd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return entries[:start], err
		}
		if n <= 0 {
			break
		}
		batch := string(buf[:n])
		for off := 0; off < n; {
			d := (*unix.Dirent)(unsafe.Pointer(&buf[off]))
			reclen := int(d.Reclen)
			if reclen == 0 || off+reclen > n {
				break
			}
			nameStart := off + int(unsafe.Offsetof(d.Name))
			l := 0
			for nameStart+l < off+reclen && buf[nameStart+l] != 0 {
				l++
			}
			name := batch[nameStart : nameStart+l]
			off += reclen
			if name == "." || name == ".." {
				continue
			}
			typ, err := direntType(dirfd, name, d.Type)
			if err != nil {
				continue
			}
			entries = append(entries, Entry{Name: name, Type: typ})
		}
	}
	sortAdded(entries[start:])
	return entries, nil
}

func direntType(dirfd int, name string, t uint8) (fs.FileMode, error) {
	switch t {
	case unix.DT_REG:
		return 0, nil
	case unix.DT_DIR:
		return fs.ModeDir, nil
	case unix.DT_LNK:
		return fs.ModeSymlink, nil
	case unix.DT_UNKNOWN:
		var st unix.Stat_t
		if err := unix.Fstatat(dirfd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return 0, err
		}
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFREG:
			return 0, nil
		case unix.S_IFDIR:
			return fs.ModeDir, nil
		case unix.S_IFLNK:
			return fs.ModeSymlink, nil
		}
	}
	return fs.ModeIrregular, nil
}

// getdents reads raw directory records into buf as a raw system call: it
// does not block for long on a local file system, and the ordinary wrapper
// tells the scheduler it may, which on a busy machine hands the processor
// to another thread and back.
func getdents(fd int, buf []byte) (int, error) {
	n, _, errno := unix.RawSyscall(unix.SYS_GETDENTS64, uintptr(fd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
