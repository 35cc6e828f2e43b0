package importcheck

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/gofork/gofork/internal/modrewrite"
	"github.com/gofork/gofork/internal/rawfile"
)

// tree is what one walk over DIR finds.
type tree struct {
	goFiles  []*goFile
	modFiles []string // go.mod files, display paths
	workFile []string // go.work files, display paths
}

// goFile is a scanned .go file: its import section, or why it has none.
type goFile struct {
	path    string // display path: DIR joined with the path below it
	section *modrewrite.ImportSection
	err     error // *modrewrite.SyntaxError, or a read error
}

// headSize is how much of a file is read first: the import section of
// nearly every file fits, so nearly every file costs one read.
const headSize = 4 << 10

// walk finds the go.mod, go.work and .go files under dir and scans the .go
// files' import sections on every CPU while it walks. Like the go command it
// skips directories whose names start with "." or "_", and it never follows a
// symlinked directory, so a symlink loop cannot trap it. A symlinked .go file
// is read through its link.
func walk(dir string, includeVendor, includeTestdata bool) (*tree, error) {
	t := &tree{}
	paths := make(chan string, 256)
	// Twice as many readers as CPUs: a reader waiting on the disk leaves
	// its CPU to another.
	results := make([][]*goFile, 2*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range results {
		wg.Go(func() {
			buf := make([]byte, headSize)
			for p := range paths {
				results[w] = append(results[w], scanFile(p, buf))
			}
		})
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			// An unreadable directory is reported, the rest still checked.
			t.goFiles = append(t.goFiles, &goFile{path: p, err: err})
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				name == "vendor" && !includeVendor || name == "testdata" && !includeTestdata) {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case name == "go.mod":
			t.modFiles = append(t.modFiles, p)
		case name == "go.work" && !inVendor(dir, p):
			// A go.work is the go command's only at a module's top; one
			// copied into vendor/ is never read.
			t.workFile = append(t.workFile, p)
		case strings.HasSuffix(name, ".go") && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_"):
			paths <- p
		}
		return nil
	})
	close(paths)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	for _, r := range results {
		t.goFiles = append(t.goFiles, r...)
	}
	return t, nil
}

// maxSection bounds how far into a file its import section may reach:
// real ones end within kilobytes, and a file that goes on for ever (a
// device, a growing log) must not make check read it all.
const maxSection = 16 << 20

// errLongSection is reported for a file whose import section does not end
// within maxSection.
var errLongSection = fmt.Errorf("its import section does not end within the first %d MiB; is it Go source?", maxSection>>20)

// scanFile reads the head of the file at p into buf and scans its import
// section, reading on only when the section goes on past what was read.
// The head is scanned as partial even when the read came up short, so a file
// costs one read, not a second one to see the end of the file. Anything but
// a regular file (a named pipe, a socket, a device, reached by name or
// through a link) is refused unread, so that it cannot block check.
func scanFile(p string, buf []byte) *goFile {
	f, err := rawfile.OpenRegular(p)
	if err != nil {
		return &goFile{path: p, err: err}
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return &goFile{path: p, err: err}
	}
	sec, err := modrewrite.ScanImports(buf[:n], n > 0)
	if errors.Is(err, modrewrite.ErrNeedMore) {
		rest, rerr := io.ReadAll(io.LimitReader(f, maxSection-int64(n)+1))
		switch {
		case rerr != nil:
			return &goFile{path: p, err: rerr}
		case int64(n+len(rest)) > maxSection:
			return &goFile{path: p, err: errLongSection}
		}
		sec, err = modrewrite.ScanImports(append(buf[:n:n], rest...), false)
	}
	return &goFile{path: p, section: sec, err: err}
}

// inVendor reports whether p, below dir, lies in a vendor directory.
func inVendor(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	return slices.Contains(strings.Split(filepath.ToSlash(rel), "/"), "vendor")
}
