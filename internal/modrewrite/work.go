package modrewrite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/mod/modfile"
)

// ReadWorkFile reads and parses the go.work at path. When there is none and
// create is true, it starts a new one, written by Write, that says
// "go goVersion" and uses no module yet (see Use).
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
		return nil, nil, fmt.Errorf("parse %w (fix the file; it was left untouched)", err)
	}
	if data == nil && goVersion != "" {
		if err := f.AddGoStmt(goVersion); err != nil {
			return nil, nil, fmt.Errorf("new go.work: %w", err)
		}
	}
	return &Doc{Path: path, orig: data, syntax: f.Syntax, replaces: &f.Replace, file: f}, f, nil
}
