package forkuse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/modrewrite"
)

// DropOptions is `gofork drop`.
type DropOptions struct {
	Dir    string // where gofork runs; the consumer module is found from here
	Module string // the module whose replace goes; "" with All
	All    bool   // every replace gofork wrote
	Getenv func(string) string

	Stdout io.Writer
}

// Drop removes the replace directives `gofork use` wrote, from go.mod and
// from the go.work in effect, restoring any directive they displaced.
func Drop(opts DropOptions) error {
	if (opts.Module == "") == !opts.All {
		return errors.New("drop: name a module, or give --all to drop every replace gofork wrote")
	}
	c, err := findConsumer(opts.Dir)
	if err != nil {
		return fmt.Errorf("drop: %w", err)
	}
	snap := loadSnapshot(c.doc.Path)
	// Asked before drop changes anything: are the files what gofork left?
	untouched := snap.current()
	docs := []*modrewrite.Doc{c.doc}
	workPath, _, err := modrewrite.WorkFile(c.dir, opts.Getenv)
	if err != nil {
		return fmt.Errorf("drop: %w", err)
	}
	var work *modfile.WorkFile
	if workPath != "" {
		var workDoc *modrewrite.Doc
		if workDoc, work, err = modrewrite.ReadWorkFile(workPath, false, ""); err != nil {
			return fmt.Errorf("drop: %w", err)
		}
		docs = append(docs, workDoc)
	}
	dropped := 0
	for _, doc := range docs {
		for _, r := range doc.Replaces() {
			// A sibling's line goes with its module's.
			if opts.All && !r.Gofork || !opts.All && r.Old.Path != opts.Module && !(r.Gofork && r.With == opts.Module) {
				continue
			}
			if _, err := doc.DropReplace(r.Old.Path); err != nil {
				return fmt.Errorf("drop: %w", err)
			}
			if r.Was != "" {
				fmt.Fprintf(opts.Stdout, "%s: replace %s restored\n", filepath.Base(doc.Path), r.Was)
			} else {
				fmt.Fprintf(opts.Stdout, "%s: replace %s dropped\n", filepath.Base(doc.Path), r)
			}
			dropped++
		}
		if doc.Path == workPath && modrewrite.IsLeftover(work) {
			if err := doc.Remove(); err != nil {
				return fmt.Errorf("drop: %w", err)
			}
			fmt.Fprintf(opts.Stdout, "%s: removed: gofork use --work created it and nothing else is left in it\n", filepath.Base(doc.Path))
			continue
		}
		if err := doc.Write(); err != nil {
			return fmt.Errorf("drop: %w", err)
		}
	}
	if dropped > 0 && snap != nil {
		if err := settleSnapshot(snap, untouched, docs, c.dir, opts.Stdout); err != nil {
			return fmt.Errorf("drop: %w", err)
		}
	}
	switch {
	case dropped > 0:
	case opts.All:
		fmt.Fprintln(opts.Stdout, "nothing to drop: gofork wrote no replace in go.mod or go.work")
	default:
		return fmt.Errorf("drop: go.mod and go.work have no replace of %s; gofork status lists the replaces in effect", opts.Module)
	}
	return nil
}

// settleSnapshot finishes what use remembered once drop has removed lines
// from docs (go.mod and the go.work in effect): with the last gofork line
// gone it puts every file use changed back as it was before the first use,
// byte for byte, when nothing else has changed them since (untouched); with
// gofork lines left it goes on remembering.
func settleSnapshot(snap *snapshot, untouched bool, docs []*modrewrite.Doc, dir string, stdout io.Writer) error {
	for _, doc := range docs {
		for _, r := range doc.Replaces() {
			if r.Gofork {
				if untouched {
					return snap.note()
				}
				return nil
			}
		}
	}
	defer snap.remove()
	if !untouched {
		fmt.Fprintln(stdout, "go.mod changed since gofork use: the requirements it raised stay; go mod tidy drops those no longer needed")
		return nil
	}
	restored, err := snap.restore(dir)
	if len(restored) > 0 {
		fmt.Fprintf(stdout, "%s: restored as before gofork use\n", strings.Join(restored, ", "))
	}
	if err != nil || !slices.Contains(restored, "vendor/modules.txt") {
		return err
	}
	// vendor/ still holds the fork's code: vendor again from the restored
	// go.mod, as use did from its own.
	fmt.Fprintln(stdout, "vendor: go mod vendor")
	cmd := exec.Command("go", "mod", "vendor")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go.mod is restored, but go mod vendor failed (%w): %s; run it again before building", err, bytes.TrimSpace(out))
	}
	return nil
}
