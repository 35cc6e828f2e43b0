package importcheck

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/dirlist"
	"github.com/gofork/gofork/internal/importscan"
	"github.com/gofork/gofork/internal/rawfile"
	"github.com/gofork/gofork/internal/sysfs"
)

// tree is what listing DIR finds: the .go files to scan, the go.mod files
// (read and parsed while listing, in parallel with it), the go.work files,
// and the directories that could not be read.
type tree struct {
	goFiles  []fileToScan
	modFiles []*modFile
	workFile []string // display paths
	failed   []*goFile
}

// modFile is a go.mod read and parsed during the listing.
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

// goFile is a scanned .go file: its import section, or why it has none
// (neither: the file is gone).
type goFile struct {
	path    string // display path: DIR joined with the path below it
	section *importscan.ImportSection
	err     error // *importscan.SyntaxError, or a read error
}

// fileToScan is a .go file's display path and its type as its directory
// entry says.
type fileToScan struct {
	path string
	typ  fs.FileMode
	// mayBeGone is set for a file the index names: one deleted from the
	// work tree is not checked.
	mayBeGone bool
}

// headSize is how much of a file is read first: the import section of
// nearly every file fits, so nearly every file costs one read.
const headSize = 4 << 10

// list finds the go.mod, go.work and .go files under dir, reading
// directories (and the go.mod files) on every CPU. Like the go command it
// skips directories whose names start with "." or "_", and it never follows
// a symlinked directory, so a symlink loop cannot trap it. A symlinked .go
// file is listed, and read through its link.
//
// The .go files are scanned afterwards (scan), once the go.mod files have
// told what to check them for: each is then judged as it is read and its
// import section dropped, so that check holds its findings, not every
// import of the tree.
func list(dir string, includeVendor, includeTestdata bool) (*tree, error) {
	l := &lister{
		top:             dir,
		includeVendor:   includeVendor,
		includeTestdata: includeTestdata,
		// Twice as many listers as CPUs: one waiting on the disk leaves
		// its CPU to another.
		slots: make(chan struct{}, 2*runtime.GOMAXPROCS(0)),
	}
	top, entries, err := openAndList(sysfs.AT_FDCWD, dir)
	if err != nil {
		return nil, err
	}
	l.wg.Add(1)
	l.visit(filepath.Clean(dir), top, entries)
	l.wg.Wait()
	slices.SortFunc(l.tree.modFiles, func(a, b *modFile) int { return strings.Compare(a.path, b.path) })
	slices.Sort(l.tree.workFile)
	return &l.tree, nil
}

// lister is one listing: each directory is read by a goroutine of its own,
// holding one of the slots while it works.
type lister struct {
	top                            string
	includeVendor, includeTestdata bool
	slots                          chan struct{}
	wg                             sync.WaitGroup
	mu                             sync.Mutex
	tree                           tree
}

// openAndList opens the directory name relative to dirfd, without
// following a symbolic link, and lists it.
func openAndList(dirfd int, name string) (fd int, entries []dirlist.Entry, err error) {
	fd, err = sysfs.OpenDirAt(dirfd, name)
	if err != nil {
		return -1, nil, err
	}
	if entries, err = dirlist.Read(fd, nil); err != nil {
		sysfs.Close(fd)
		return -1, nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return fd, entries, nil
}

// visit handles the directory d, open as dirfd, whose entries the caller
// has read; it closes dirfd. Subdirectories are opened relative to it.
func (l *lister) visit(d string, dirfd int, entries []dirlist.Entry) {
	defer l.wg.Done()
	defer sysfs.Close(dirfd)
	l.slots <- struct{}{}
	var found tree
	for _, e := range entries {
		name := e.Name
		if e.Type == fs.ModeDir {
			if skipDirName(name, l.includeVendor, l.includeTestdata) {
				continue
			}
			p := joinName(d, name)
			subdir, sub, err := openAndList(dirfd, name)
			if err != nil {
				// An unreadable directory is reported, the rest still
				// checked.
				found.failed = append(found.failed, &goFile{path: p, err: &fs.PathError{Op: "open", Path: p, Err: errors.Unwrap(err)}})
				continue
			}
			l.wg.Add(1)
			go l.visit(p, subdir, sub)
			continue
		}
		switch {
		case name == "go.mod":
			found.modFiles = append(found.modFiles, readModFile(joinName(d, name)))
		case name == "go.work" && !inVendor(l.top, joinName(d, name)):
			// A go.work is the go command's only at a module's top; one
			// copied into vendor/ is never read.
			found.workFile = append(found.workFile, joinName(d, name))
		case strings.HasSuffix(name, ".go") && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_"):
			found.goFiles = append(found.goFiles, fileToScan{path: joinName(d, name), typ: e.Type})
		}
	}
	<-l.slots
	l.mu.Lock()
	l.tree.goFiles = append(l.tree.goFiles, found.goFiles...)
	l.tree.modFiles = append(l.tree.modFiles, found.modFiles...)
	l.tree.workFile = append(l.tree.workFile, found.workFile...)
	l.tree.failed = append(l.tree.failed, found.failed...)
	l.mu.Unlock()
}

// scan reads the import section of every file on every CPU and passes it
// to judge, which runs concurrently and must not keep the section; it
// returns all that judge returned.
func scan(files []fileToScan, judge func(*goFile) []Finding) []Finding {
	batches := byDirectory(files)
	// Twice as many readers as CPUs, as for listing.
	workers := min(2*runtime.GOMAXPROCS(0), len(batches))
	var next atomic.Int64
	found := make([][]Finding, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, headSize)
			var sc importscan.Scanner
			for {
				i := int(next.Add(1)) - 1
				if i >= len(batches) {
					return
				}
				b := batches[i]
				// Files of one directory are opened relative to it: the
				// kernel then resolves one name for each, not the whole
				// path, which in a deep tree is most of an open's cost.
				dirfd := sysfs.AT_FDCWD
				if b.hi-b.lo > 1 {
					if fd, err := sysfs.OpenDirAt(sysfs.AT_FDCWD, b.dir); err == nil {
						dirfd = fd
					}
				}
				for _, file := range files[b.lo:b.hi] {
					name := file.path
					if dirfd != sysfs.AT_FDCWD {
						name = file.path[len(file.path)-len(filepath.Base(file.path)):]
					}
					f := scanFile(dirfd, name, file, buf, &sc)
					found[w] = append(found[w], judge(&f)...)
				}
				if dirfd != sysfs.AT_FDCWD {
					sysfs.Close(dirfd)
				}
			}
		}()
	}
	wg.Wait()
	return slices.Concat(found...)
}

// batch is files[lo:hi], which lie in the directory dir.
type batch struct {
	lo, hi int
	dir    string
}

// byDirectory cuts files into runs that share a directory.
func byDirectory(files []fileToScan) []batch {
	var out []batch
	for i, f := range files {
		dir := filepath.Dir(f.path)
		if n := len(out); n > 0 && out[n-1].dir == dir {
			out[n-1].hi = i + 1
			continue
		}
		out = append(out, batch{lo: i, hi: i + 1, dir: dir})
	}
	return out
}

// joinName is filepath.Join(dir, name) for a clean dir and a name read
// from it, without Join's cleaning, which cost a tenth of a walk.
func joinName(dir, name string) string {
	if dir == "." {
		return name
	}
	if os.IsPathSeparator(dir[len(dir)-1]) { // the root
		return dir + name
	}
	return dir + string(filepath.Separator) + name
}

// maxSection bounds how far into a file its import section may reach:
// real ones end within kilobytes, and a file that goes on for ever (a
// device, a growing log) must not make check read it all.
const maxSection = 16 << 20

// errLongSection is reported for a file whose import section does not end
// within maxSection.
var errLongSection = fmt.Errorf("its import section does not end within the first %d MiB; is it Go source?", maxSection>>20)

// scanFile reads the head of the file (name, relative to the directory open
// as dirfd, or AT_FDCWD) into buf and scans its import
// section, reading on only when the section goes on past what was read.
// The head is scanned as partial even when the read came up short, so a file
// costs one read, not a second one to see the end of the file. Anything but
// a regular file (a named pipe, a socket, a device, reached by name or
// through a link) is refused unread, so that it cannot block check.
func scanFile(dirfd int, name string, file fileToScan, buf []byte, sc *importscan.Scanner) goFile {
	p := file.path
	var f rawfile.File
	var err error
	switch {
	case file.typ.IsRegular():
		// One system call fewer than OpenRegular; what took a regular
		// file's place since it was listed is told by its first read.
		f, err = rawfile.OpenFileAt(dirfd, name)
	case file.typ&fs.ModeSymlink != 0:
		f, err = rawfile.OpenRegularAt(dirfd, name)
	default:
		err = rawfile.ErrNotRegular
	}
	if err != nil {
		if file.mayBeGone && errors.Is(err, fs.ErrNotExist) {
			return goFile{path: p} // deleted from the work tree: nothing to check
		}
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return goFile{path: p, err: &fs.PathError{Op: "open", Path: p, Err: err}}
	}
	defer f.Close()
	// One read, not io.ReadFull: that would ask again to see the end of a
	// file shorter than buf, and most are.
	n, err := f.Read(buf)
	if (n == 0 || err != nil && err != io.EOF) && !f.Regular() {
		// A named pipe opened non-blocking reads as empty, or fails
		// with EAGAIN while a writer holds it: not a file to blame.
		return goFile{path: p, err: &fs.PathError{Op: "open", Path: p, Err: rawfile.ErrNotRegular}}
	}
	if err != nil && err != io.EOF {
		return goFile{path: p, err: err}
	}
	sec, err := sc.Scan(buf[:n], n > 0)
	if errors.Is(err, importscan.ErrNeedMore) {
		rest, rerr := io.ReadAll(io.LimitReader(f, maxSection-int64(n)+1))
		switch {
		case rerr != nil:
			return goFile{path: p, err: rerr}
		case int64(n+len(rest)) > maxSection:
			return goFile{path: p, err: errLongSection}
		}
		sec, err = sc.Scan(append(buf[:n:n], rest...), false)
	}
	return goFile{path: p, section: sec, err: err}
}

// inVendor reports whether p, below dir, lies in a vendor directory.
func inVendor(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	return slices.Contains(strings.Split(filepath.ToSlash(rel), "/"), "vendor")
}
