//go:build !linux || portablefs

package gitstatus

import (
	"os"
	"sort"

	"github.com/gofork/gofork/internal/sysfs"
)

// dirName is one directory entry: its name and type bits (0 for a regular
// file).
type dirName struct {
	name  string
	dtype os.FileMode
}

// readDirNames appends the entries of the directory open as dirfd to names,
// sorted by name, with the types readdir reports.
func readDirNames(dirfd int, names []dirName) ([]dirName, error) {
	entries, err := sysfs.ReadDirFd(dirfd)
	if err != nil {
		return names, err
	}
	start := len(names)
	for _, e := range entries {
		t := e.Type()
		if t&^(os.ModeDir|os.ModeSymlink) != 0 {
			t = os.ModeIrregular
		}
		names = append(names, dirName{name: e.Name(), dtype: t})
	}
	added := names[start:]
	sort.Slice(added, func(i, j int) bool { return added[i].name < added[j].name })
	return names, nil
}

func hasName(names []dirName, name string) bool {
	i := sort.Search(len(names), func(i int) bool { return names[i].name >= name })
	return i < len(names) && names[i].name == name
}
