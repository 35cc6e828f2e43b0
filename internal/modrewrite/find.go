package modrewrite

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// FindUp returns the path of the first file called name in dir or a
// directory above it, as the go command looks for go.mod and go.work, and
// "" when there is none up to the root. dir is made absolute first.
func FindUp(dir, name string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(d) == d {
			return "", nil
		}
	}
}
