package forklayout

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
)

// FindModules lists the modules of the work tree at root, root module
// first, with Dir and Upstream set: every go.mod that declares a module
// path, in the directories the go command would consider part of the
// repository's modules (vendor/, testdata/ and names starting with "." or
// "_" are not).
func FindModules(root string) ([]Module, error) {
	var mods []Module
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && SkipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() != "go.mod" || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		path := modfile.ModulePath(data)
		if path == "" {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		mods = append(mods, Module{Dir: filepath.ToSlash(rel), Upstream: path})
		return nil
	})
	slices.SortFunc(mods, func(a, b Module) int {
		switch {
		case a.Dir == b.Dir:
			return 0
		case a.Dir == ".":
			return -1
		case b.Dir == ".":
			return 1
		}
		return strings.Compare(a.Dir, b.Dir)
	})
	return mods, err
}

// SkipDir reports whether a directory of this name holds no module or
// package of the tree: the go command ignores vendor/ (as a tree of its
// own), testdata/, and names starting with "." or "_".
func SkipDir(name string) bool {
	return name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}
