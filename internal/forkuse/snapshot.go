package forkuse

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofork/gofork/internal/atomicfile"
)

// snapshot remembers the files of a consumer that `gofork use` may change
// (go.mod, go.sum, vendor/modules.txt, and the go.work in effect with its
// go.work.sum) as they were before the first use changed any of them, so
// that `gofork drop` can put back all of it, byte for byte.
//
// It is written before use changes anything, and after every step of use
// (its own writes and each go command's), failed or interrupted ones too, it
// notes what the files are now: it applies only while they are still what
// gofork left, and a use run again after a failure keeps the first use's
// record instead of taking the half-done state for the original.
type snapshot struct {
	Files []savedFile `json:"files"`

	path string // where it is kept
}

// savedFile is one file as it was before the first use, and a digest of it
// as gofork last left it.
type savedFile struct {
	Path    string `json:"path"` // absolute
	Existed bool   `json:"existed"`
	Data    []byte `json:"data"`
	After   string `json:"after"` // digest; "" when gofork left no file
}

// snapshotFile is where the snapshot of the consumer whose go.mod is at
// gomod is kept: in the user's cache directory, never beside the module,
// where it would show up in git status.
func snapshotFile(gomod string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(gomod))
	return filepath.Join(dir, "gofork", "use", hex.EncodeToString(sum[:16])+".json"), nil
}

// trackedFiles are the files of consumer dir that use may change, with the
// go.work in effect (workPath, "" for none; use --work creates dir/go.work).
func trackedFiles(dir, workPath string) []string {
	files := []string{filepath.Join(dir, "go.mod"), filepath.Join(dir, "go.sum"), filepath.Join(dir, "vendor", "modules.txt")}
	if workPath != "" {
		files = append(files, workPath, workPath+".sum")
	}
	return files
}

// readFile is a file's contents, and whether it exists.
func readFile(p string) ([]byte, bool, error) {
	data, err := os.ReadFile(p)
	switch {
	case err == nil:
		return data, true, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, false, nil
	}
	return nil, false, err
}

// digestOf is the digest of the file at p as it is now, "" when it does not
// exist.
func digestOf(p string) (string, error) {
	data, ok, err := readFile(p)
	if err != nil || !ok {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// current reports whether every file is still what gofork left.
func (s *snapshot) current() bool {
	if s == nil {
		return false
	}
	for _, f := range s.Files {
		if d, err := digestOf(f.Path); err != nil || d != f.After {
			return false
		}
	}
	return true
}

// loadSnapshot returns the consumer's snapshot, nil when there is none or it
// cannot be read (then drop only removes its lines, as without one).
func loadSnapshot(gomod string) *snapshot {
	path, err := snapshotFile(gomod)
	if err != nil {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := &snapshot{path: path}
	if json.Unmarshal(data, s) != nil {
		return nil
	}
	return s
}

// beginUse records the files before use changes any of them: it keeps an
// earlier use's snapshot while its files are still what gofork left, and
// otherwise takes them as they are now. An error means nothing may change:
// drop could not undo it.
func beginUse(gomod string, files []string) (*snapshot, error) {
	s := loadSnapshot(gomod)
	if s.current() {
		s.add(files)
		return s, s.note()
	}
	path, err := snapshotFile(gomod)
	if err != nil {
		return nil, err
	}
	s = &snapshot{path: path}
	s.add(files)
	return s, s.note()
}

// add remembers files not yet in the snapshot as they are now: unchanged by
// gofork so far.
func (s *snapshot) add(files []string) {
	for _, p := range files {
		if s.has(p) {
			continue
		}
		data, ok, err := readFile(p)
		if err != nil {
			continue // unreadable: current() will say the snapshot no longer applies
		}
		s.Files = append(s.Files, savedFile{Path: p, Existed: ok, Data: data})
	}
}

func (s *snapshot) has(p string) bool {
	for _, f := range s.Files {
		if f.Path == p {
			return true
		}
	}
	return false
}

// note records what the files are now, as gofork leaves them, and stores
// the snapshot.
func (s *snapshot) note() error {
	for i := range s.Files {
		d, err := digestOf(s.Files[i].Path)
		if err != nil {
			return err
		}
		s.Files[i].After = d
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	return atomicfile.Overwrite(s.path, 0o600, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// restore writes back every file that differs from before the first use,
// removing those that did not exist, and returns their names relative to
// dir: only what was really written.
func (s *snapshot) restore(dir string) ([]string, error) {
	var restored []string
	for _, f := range s.Files {
		now, exists, err := readFile(f.Path)
		if err != nil {
			return restored, err
		}
		switch {
		case !f.Existed && !exists, f.Existed && exists && string(now) == string(f.Data):
			continue
		case !f.Existed:
			err = os.Remove(f.Path)
		case exists:
			err = atomicfile.Replace(f.Path, f.Data)
		default:
			err = atomicfile.Create(f.Path, f.Data)
		}
		if err != nil {
			return restored, fmt.Errorf("restore %s: %w", f.Path, err)
		}
		name := f.Path
		if rel, err := filepath.Rel(dir, f.Path); err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.ToSlash(rel)
		}
		restored = append(restored, name)
	}
	return restored, nil
}

func (s *snapshot) remove() { os.Remove(s.path) }
