//go:build !linux || portablefs

package dirlist

import (
	"io/fs"

	"github.com/gofork/gofork/internal/sysfs"
)

// Read appends the entries of the directory open as dirfd to entries,
// sorted by name, and returns the extended slice.
func Read(dirfd int, entries []Entry) ([]Entry, error) {
	listed, err := sysfs.ReadDirFd(dirfd)
	if err != nil {
		return entries, err
	}
	start := len(entries)
	for _, e := range listed {
		t := e.Type()
		if t&^(fs.ModeDir|fs.ModeSymlink) != 0 {
			t = fs.ModeIrregular
		}
		entries = append(entries, Entry{Name: e.Name(), Type: t})
	}
	sortAdded(entries[start:])
	return entries, nil
}
