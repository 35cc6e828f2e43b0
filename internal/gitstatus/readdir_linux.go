//go:build !portablefs

package gitstatus

import (
	"os"
	"sort"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// dirName is one directory entry: its name and type bits (0 for a regular
// file).
type dirName struct {
	name  string
	dtype os.FileMode
}

// direntBuffers recycles getdents buffers: a fresh 32 KiB buffer per
// directory was most of the scan's allocation.
var direntBuffers = sync.Pool{New: func() any {
	b := make([]byte, 32<<10)
	return &b
}}

// readDirNames appends the entries of the directory open as dirfd to names,
// sorted by name, without "." and "..", and returns the extended slice. It
// reads the raw getdents records, which carry the file type, so that no
// lstat is needed to tell files from directories. The names of one
// getdents batch share one string allocation.
func readDirNames(dirfd int, names []dirName) ([]dirName, error) {
	start := len(names)
	bufp := direntBuffers.Get().(*[]byte)
	defer direntBuffers.Put(bufp)
	buf := *bufp
	for {
		n, err := getdents(dirfd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return names[:start], err
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
			dtype, err := direntType(dirfd, name, d.Type)
			if err != nil {
				continue // vanished since readdir
			}
			names = append(names, dirName{name: name, dtype: dtype})
		}
	}
	added := names[start:]
	sort.Slice(added, func(i, j int) bool { return added[i].name < added[j].name })
	return names, nil
}

func direntType(dirfd int, name string, t uint8) (os.FileMode, error) {
	switch t {
	case unix.DT_REG:
		return 0, nil
	case unix.DT_DIR:
		return os.ModeDir, nil
	case unix.DT_LNK:
		return os.ModeSymlink, nil
	case unix.DT_UNKNOWN:
		var st unix.Stat_t
		if err := lstatAt(dirfd, name, &st); err != nil {
			return 0, err
		}
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFREG:
			return 0, nil
		case unix.S_IFDIR:
			return os.ModeDir, nil
		case unix.S_IFLNK:
			return os.ModeSymlink, nil
		}
	}
	return os.ModeIrregular, nil
}

func hasName(names []dirName, name string) bool {
	i := sort.Search(len(names), func(i int) bool { return names[i].name >= name })
	return i < len(names) && names[i].name == name
}

// getdents reads raw directory records into buf, as a raw system call
// like lstatAt (see sys_linux.go).
func getdents(fd int, buf []byte) (int, error) {
	n, _, errno := unix.RawSyscall(unix.SYS_GETDENTS64, uintptr(fd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
