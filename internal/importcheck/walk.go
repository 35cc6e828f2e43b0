package importcheck

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/gofork/gofork/internal/modrewrite"
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
		case name == "go.work":
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

// scanFile reads the head of the file at p into buf and scans its import
// section, reading on only when the section goes on past what was read.
// The head is scanned as partial even when the read came up short, so a file
// costs one read, not a second one to see the end of the file.
func scanFile(p string, buf []byte) *goFile {
	f, err := openForRead(p)
	if err != nil {
		return &goFile{path: p, err: err}
	}
	defer f.Close()
	n, err := f.Read(buf)
	if err != nil && err != io.EOF {
		return &goFile{path: p, err: err}
	}
	sec, err := modrewrite.ScanImports(buf[:n], n > 0)
	if errors.Is(err, modrewrite.ErrNeedMore) {
		rest, rerr := io.ReadAll(f)
		if rerr != nil {
			return &goFile{path: p, err: rerr}
		}
		sec, err = modrewrite.ScanImports(append(buf[:n:n], rest...), false)
	}
	return &goFile{path: p, section: sec, err: err}
}
