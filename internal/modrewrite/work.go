package modrewrite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/mod/modfile"
)

// markCreated heads a go.work that gofork use --work created, so drop can
// delete the file again rather than leave a workspace the user never made.
const markCreated = "// Created by gofork use --work; gofork drop deletes it once nothing else is in it."

// ReadWorkFile reads and parses the go.work at path. When there is none and
// create is true, it starts a new one, written by Write, that says
// "go goVersion", carries gofork's creation mark and uses no module yet.
func ReadWorkFile(path string, create bool, goVersion string) (*Doc, *modfile.WorkFile, error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && create:
		data = nil
	case err != nil:
		return nil, nil, fmt.Errorf("read go.work: %w", err)
	}
	f, err := modfile.ParseWork(path, data, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("parse %w; fix the file and run gofork again", err)
	}
	if data == nil && goVersion != "" {
		if err := f.AddGoStmt(goVersion); err != nil {
			return nil, nil, fmt.Errorf("new go.work: %w", err)
		}
		f.Go.Syntax.Before = []modfile.Comment{{Token: markCreated}}
	}
	return &Doc{Path: path, orig: data, syntax: f.Syntax, replaces: &f.Replace, file: f}, f, nil
}

// IsLeftover reports whether f is a go.work gofork use --work created that
// now holds nothing but its go line and at most one use: dropping the last
// replace should delete it.
func IsLeftover(f *modfile.WorkFile) bool {
	if f.Go == nil || len(f.Go.Syntax.Before) == 0 || f.Go.Syntax.Before[0].Token != markCreated {
		return false
	}
	return f.Toolchain == nil && len(f.Godebug) == 0 && len(f.Use) <= 1 && len(f.Replace) == 0
}

// Remove deletes the file and, for a go.work, the go.work.sum beside it,
// which means nothing without it.
func (d *Doc) Remove() error {
	if err := os.Remove(d.Path); err != nil {
		return fmt.Errorf("remove %s: %w", d.Path, err)
	}
	if filepath.Base(d.Path) == "go.work" {
		if err := os.Remove(d.Path + ".sum"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s.sum: %w", d.Path, err)
		}
	}
	return nil
}
