// Package atomicfile writes files so a reader sees the old content or the
// new, never half of it, and a failed write leaves nothing behind: the data
// goes to a temporary file beside the target (synced, except for
// Overwrite), then renamed or linked into place.
package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Replace replaces the contents of the existing file name so a reader
// sees the old content or the new, never half of it: it writes a temporary
// file in the same directory, gives it the old file's permission bits, and
// renames it over name. A symlink is followed: the file it points at is
// replaced and the link stays.
func Replace(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	if resolved, err := filepath.EvalSymlinks(name); err == nil {
		name = resolved
	}
	tmp, err := writeTemp(name, info.Mode().Perm(), writeBytes(data), true)
	if err != nil {
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rewrite %s: %w", name, err)
	}
	return nil
}

// Create creates path holding data, all at once or not at all,
// and never over an existing file: the temporary file is hard-linked into
// place, which fails if path appeared meanwhile.
func Create(path string, data []byte) error {
	tmp, err := writeTemp(path, 0o644, writeBytes(data), true)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// Overwrite creates or replaces name with what write writes to it. It
// does not sync: it is for files that can be rebuilt, such as caches,
// which a crash may leave damaged and which must therefore check what they
// read. write may seek and write at offsets.
func Overwrite(name string, perm fs.FileMode, write func(*os.File) error) error {
	tmp, err := writeTemp(name, perm, write, false)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

func writeBytes(data []byte) func(*os.File) error {
	return func(f *os.File) error {
		_, err := f.Write(data)
		return err
	}
}

// writeTemp writes a new hidden file beside name through write, with
// permission perm, synced to disk when sync is set, and returns its path.
// On error nothing is left.
func writeTemp(name string, perm fs.FileMode, write func(*os.File) error, sync bool) (path string, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".gofork-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return "", err
	}
	if err := tmp.Chmod(perm); err != nil {
		return "", err
	}
	if sync {
		if err := tmp.Sync(); err != nil {
			return "", err
		}
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return tmp.Name(), nil
}
