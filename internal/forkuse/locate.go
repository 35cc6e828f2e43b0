// Package forkuse points a consumer module at a fork without touching its
// imports, and takes it back: `gofork use` writes a replace directive (in
// go.mod, or in go.work with --work) to a local directory or to the fork's
// module at the version the go command gives the chosen commit, `gofork
// drop` removes what use wrote and restores any replace it displaced, and
// `gofork status` shows the replaces in effect and, in a clone made by
// `gofork clone`, where the work stands against upstream and the fork.
package forkuse

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/modrewrite"
)

// consumer is the module whose build gofork changes.
type consumer struct {
	dir   string // directory holding go.mod
	doc   *modrewrite.Doc
	gomod *modfile.File
}

var errNoModule = errors.New("no go.mod")

// findConsumer reads the go.mod of the module containing dir, searching
// upward as the go command does.
func findConsumer(dir string) (*consumer, error) {
	path, err := modrewrite.FindUp(dir, "go.mod")
	if err != nil {
		return nil, err
	}
	if path == "" {
		abs, _ := filepath.Abs(dir)
		return nil, fmt.Errorf("%w in %s or any parent: run gofork in the module that should use the fork (go mod init creates one)", errNoModule, abs)
	}
	doc, f, err := modrewrite.ReadModFile(path)
	if err != nil {
		return nil, err
	}
	return &consumer{dir: filepath.Dir(path), doc: doc, gomod: f}, nil
}

// relativeDir spells target as a replace directive wants a directory:
// relative to the directory of the file being edited, starting with ./ or
// ../ so the go command reads it as a path and not a module.
func relativeDir(fileDir, target string) (string, error) {
	rel, err := filepath.Rel(fileDir, target)
	if err != nil {
		return "", fmt.Errorf("directory %q: %w; give a path on the same volume", target, err)
	}
	rel = filepath.ToSlash(rel)
	if rel != "." && rel != ".." && !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel, nil
}

// Required lists the modules the module containing dir requires, for
// completing `gofork use`; nil outside a module.
func Required(dir string) []string {
	c, err := findConsumer(dir)
	if err != nil {
		return nil
	}
	var mods []string
	for _, r := range c.gomod.Require {
		mods = append(mods, r.Mod.Path)
	}
	return mods
}

// Replaced lists the modules that go.mod and the go.work in effect replace
// with lines gofork wrote, for completing `gofork drop`.
func Replaced(dir string, getenv func(string) string) []string {
	rep, err := consumerReport(dir, getenv)
	if err != nil || rep == nil {
		return nil
	}
	var mods []string
	for _, r := range rep.Replaces {
		if r.Gofork && !slices.Contains(mods, r.Module) {
			mods = append(mods, r.Module)
		}
	}
	return mods
}
