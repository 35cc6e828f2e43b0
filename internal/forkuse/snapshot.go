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

	"github.com/gofork/gofork/internal/atomicfile"
)

// snapshot remembers a consumer's go.mod and go.sum as they were before the
// first `gofork use` changed them (a replace, then the requirements the go
// command needed raised), so that `gofork drop` can put back all of it. It
// applies only while the files are still what use left: a digest of each
// says so.
type snapshot struct {
	GoMod    []byte `json:"gomod"`
	GoSum    []byte `json:"gosum"`
	HasGoSum bool   `json:"has_gosum"`
	// After are the digests of go.mod and go.sum as gofork last left them.
	AfterMod string `json:"after_mod"`
	AfterSum string `json:"after_sum"`

	path string // where it is kept
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

// moduleFiles are a consumer's go.mod and go.sum as they are now.
type moduleFiles struct {
	gomod, gosum []byte
	hasGoSum     bool
}

func readModuleFiles(dir string) (moduleFiles, error) {
	var m moduleFiles
	var err error
	if m.gomod, err = os.ReadFile(filepath.Join(dir, "go.mod")); err != nil {
		return m, err
	}
	m.gosum, err = os.ReadFile(filepath.Join(dir, "go.sum"))
	switch {
	case err == nil:
		m.hasGoSum = true
	case !errors.Is(err, fs.ErrNotExist):
		return m, err
	}
	return m, nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// current reports whether files are still what gofork left.
func (s *snapshot) current(files moduleFiles) bool {
	return s != nil && s.AfterMod == digest(files.gomod) && s.AfterSum == digest(files.gosum)
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

// recordUse keeps before (the files as use found them) unless an earlier
// use's snapshot still applies, and notes the files as use left them in dir.
func recordUse(gomod string, before moduleFiles, dir string) error {
	s := loadSnapshot(gomod)
	if !s.current(before) {
		path, err := snapshotFile(gomod)
		if err != nil {
			return err
		}
		s = &snapshot{GoMod: before.gomod, GoSum: before.gosum, HasGoSum: before.hasGoSum, path: path}
	}
	return s.save(dir)
}

// save notes the files in dir as gofork left them and stores the snapshot.
func (s *snapshot) save(dir string) error {
	after, err := readModuleFiles(dir)
	if err != nil {
		return err
	}
	s.AfterMod, s.AfterSum = digest(after.gomod), digest(after.gosum)
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

// restore writes the files back as they were before the first use.
func (s *snapshot) restore(dir string) error {
	if err := atomicfile.Replace(filepath.Join(dir, "go.mod"), s.GoMod); err != nil {
		return err
	}
	sum := filepath.Join(dir, "go.sum")
	if !s.HasGoSum {
		if err := os.Remove(sum); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore go.sum: %w", err)
		}
		return nil
	}
	if _, err := os.Stat(sum); errors.Is(err, fs.ErrNotExist) {
		return atomicfile.Create(sum, s.GoSum)
	}
	return atomicfile.Replace(sum, s.GoSum)
}

func (s *snapshot) remove() { os.Remove(s.path) }
