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

	"github.com/gofork/gofork/internal/sysfs"
	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/importscan"
	"github.com/gofork/gofork/internal/rawfile"
)

// tree is what one walk over DIR finds.
type tree struct {
	goFiles  []*goFile
	modFiles []*modFile
	workFile []string // go.work files, display paths
}

// modFile is a go.mod read and parsed during the walk, in parallel with
// the scanning, rather than after it.
type modFile struct {
	path    string // display path
	data    []byte
	f       *modfile.File
	readErr error // the file could not be read; f is nil
	err     error // it does not parse; f is nil
}

func readModFile(p string) *modFile {
	m := &modFile{path: p}
	if m.data, m.readErr = readRegular(p); m.readErr == nil {
		m.f, m.err = modfile.Parse(p, m.data, nil)
	}
	return m
}

// goFile is a scanned .go file: its import section, or why it has none.
type goFile struct {
	path    string // display path: DIR joined with the path below it
	section *importscan.ImportSection
	err     error // *importscan.SyntaxError, or a read error
}

// headSize is how much of a file is read first: the import section of
// nearly every file fits, so nearly every file costs one read.
const headSize = 4 << 10

// walk finds the go.mod, go.work and .go files under dir and scans the .go
// files' import sections, reading directories and files on every CPU. Like
// the go command it skips directories whose names start with "." or "_",
// and it never follows a symlinked directory, so a symlink loop cannot trap
// it. A symlinked .go file is read through its link.
func walk(dir string, includeVendor, includeTestdata bool) (*tree, error) {
	w := &walker{
		top:             dir,
		includeVendor:   includeVendor,
		includeTestdata: includeTestdata,
		// Twice as many readers as CPUs: a reader waiting on the disk
		// leaves its CPU to another.
		slots: make(chan []byte, 2*runtime.GOMAXPROCS(0)),
	}
	for range cap(w.slots) {
		w.slots <- make([]byte, headSize)
	}
	top, err := rawfile.OpenDirAt(sysfs.AT_FDCWD, dir)
	if err != nil {
		return nil, err
	}
	entries, err := top.ReadDir(-1)
	if err != nil {
		top.Close()
		return nil, err
	}
	w.wg.Add(1)
	w.visit(dir, top, entries)
	w.wg.Wait()
	slices.SortFunc(w.tree.modFiles, func(a, b *modFile) int { return strings.Compare(a.path, b.path) })
	slices.Sort(w.tree.workFile)
	return &w.tree, nil
}

// walker is one walk: each directory is read and its files scanned by a
// goroutine of its own, holding one of the slots (and its read buffer)
// while it works.
type walker struct {
	top                            string
	includeVendor, includeTestdata bool
	slots                          chan []byte
	wg                             sync.WaitGroup
	mu                             sync.Mutex
	tree                           tree
}

// visit handles the directory d, open as dir, whose entries the caller has
// read; it closes dir. Files and subdirectories are opened relative to it.
func (w *walker) visit(d string, dir sysfs.Dir, entries []fs.DirEntry) {
	defer w.wg.Done()
	defer dir.Close()
	at := dir.Fd()
	buf := <-w.slots
	var found tree
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(d, name)
		if e.IsDir() {
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				name == "vendor" && !w.includeVendor || name == "testdata" && !w.includeTestdata {
				continue
			}
			subdir, err := rawfile.OpenDirAt(at, name)
			var sub []fs.DirEntry
			if err == nil {
				if sub, err = subdir.ReadDir(-1); err != nil {
					subdir.Close()
				}
			}
			if err != nil {
				// An unreadable directory is reported, the rest still
				// checked.
				found.goFiles = append(found.goFiles, &goFile{path: p, err: &fs.PathError{Op: "open", Path: p, Err: errors.Unwrap(err)}})
				continue
			}
			w.wg.Add(1)
			go w.visit(p, subdir, sub)
			continue
		}
		switch {
		case name == "go.mod":
			found.modFiles = append(found.modFiles, readModFile(p))
		case name == "go.work" && !inVendor(w.top, p):
			// A go.work is the go command's only at a module's top; one
			// copied into vendor/ is never read.
			found.workFile = append(found.workFile, p)
		case strings.HasSuffix(name, ".go") && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_"):
			found.goFiles = append(found.goFiles, scanFile(at, fileToScan{p, name, e.Type()}, buf))
		}
	}
	w.slots <- buf
	w.mu.Lock()
	w.tree.goFiles = append(w.tree.goFiles, found.goFiles...)
	w.tree.modFiles = append(w.tree.modFiles, found.modFiles...)
	w.tree.workFile = append(w.tree.workFile, found.workFile...)
	w.mu.Unlock()
}

// maxSection bounds how far into a file its import section may reach:
// real ones end within kilobytes, and a file that goes on for ever (a
// device, a growing log) must not make check read it all.
const maxSection = 16 << 20

// errLongSection is reported for a file whose import section does not end
// within maxSection.
var errLongSection = fmt.Errorf("its import section does not end within the first %d MiB; is it Go source?", maxSection>>20)

// fileToScan is a .go file's path, its name in its directory, and its type
// as its directory entry says.
type fileToScan struct {
	path, name string
	typ        fs.FileMode
}

// scanFile reads the head of the file at p into buf and scans its import
// section, reading on only when the section goes on past what was read.
// The head is scanned as partial even when the read came up short, so a file
// costs one read, not a second one to see the end of the file. Anything but
// a regular file (a named pipe, a socket, a device, reached by name or
// through a link) is refused unread, so that it cannot block check.
func scanFile(dir int, file fileToScan, buf []byte) *goFile {
	p := file.path
	var f rawfile.File
	var err error
	switch {
	case file.typ.IsRegular():
		f, err = rawfile.OpenFileAt(dir, file.name) // one system call fewer than OpenRegular
	case file.typ&fs.ModeSymlink != 0:
		f, err = rawfile.OpenRegularAt(dir, file.name)
	default:
		err = rawfile.ErrNotRegular
	}
	if err != nil {
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return &goFile{path: p, err: &fs.PathError{Op: "open", Path: p, Err: err}}
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return &goFile{path: p, err: err}
	}
	sec, err := importscan.ScanImports(buf[:n], n > 0)
	if errors.Is(err, importscan.ErrNeedMore) {
		rest, rerr := io.ReadAll(io.LimitReader(f, maxSection-int64(n)+1))
		switch {
		case rerr != nil:
			return &goFile{path: p, err: rerr}
		case int64(n+len(rest)) > maxSection:
			return &goFile{path: p, err: errLongSection}
		}
		sec, err = importscan.ScanImports(append(buf[:n:n], rest...), false)
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
