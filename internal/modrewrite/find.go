package modrewrite

import (
	"errors"
	"fmt"
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

// WorkFile is the go.work the go command would use for a module in
// moduleDir: $GOWORK when set, else the first go.work found upward. It
// returns "" when there is none and off when GOWORK=off.
func WorkFile(moduleDir string, getenv func(string) string) (path string, off bool, err error) {
	switch gowork := getenv("GOWORK"); gowork {
	case "off":
		return "", true, nil
	case "":
	default:
		if !filepath.IsAbs(gowork) {
			return "", false, fmt.Errorf("GOWORK=%q: the go command wants an absolute path; fix GOWORK", gowork)
		}
		return gowork, false, nil
	}
	path, err = FindUp(moduleDir, "go.work")
	return path, false, err
}
