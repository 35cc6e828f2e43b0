// Package dirlist lists a directory open as a descriptor: each entry's name
// and its type as the directory itself records it, sorted by name, with no
// lstat per entry. On Linux it reads the raw getdents records into a
// recycled buffer, and the names of one batch share one string: listing
// the directories of a big tree is then a few allocations each, where
// os.ReadDir makes an *os.File and two allocations per entry. gitstatus's
// scan and importcheck's walk both list through it.
package dirlist

import (
	"io/fs"
	"slices"
	"strings"
)

// Entry is one directory entry: its name, and its type: 0 for a regular
// file, fs.ModeDir, fs.ModeSymlink, or fs.ModeIrregular for anything else.
type Entry struct {
	Name string
	Type fs.FileMode
}

// Contains reports whether the sorted entries hold one named name.
func Contains(entries []Entry, name string) bool {
	_, ok := slices.BinarySearchFunc(entries, name, func(e Entry, name string) int { return strings.Compare(e.Name, name) })
	return ok
}

func sortAdded(entries []Entry) {
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
}
