package forkuse

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gofork/gofork/internal/modrewrite"
	"github.com/gofork/gofork/internal/modversion"
)

// UpdateOptions is `gofork update`.
type UpdateOptions struct {
	Dir        string
	Modules    []string // the replaced modules to update; none: every one
	NoDownload bool
	Forge      string
	Getenv     func(string) string

	Stdout, Stderr io.Writer
}

// Update re-resolves each replace that gofork use --fork wrote (in go.mod,
// and in the go.work the go command uses) to the commit its recorded
// branch, tag or commit names now, writes the new version as use does,
// keeping the build working, and says old -> new for each.
func Update(ctx context.Context, opts UpdateOptions) error {
	c, err := findConsumer(opts.Dir)
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	type target struct {
		doc  *modrewrite.Doc
		line modrewrite.Replace
		work bool
	}
	var targets []target
	docs := []*modrewrite.Doc{c.doc}
	workPath, off, err := modrewrite.WorkFile(c.dir, opts.Getenv)
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	if workPath != "" && !off {
		work, _, err := modrewrite.ReadWorkFile(workPath, false, "")
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		docs = append(docs, work)
	}
	for i, doc := range docs {
		for _, r := range doc.Replaces() {
			// A sibling's line moves with its module's.
			if r.Gofork && !r.IsDir() && r.With == "" && (len(opts.Modules) == 0 || slices.Contains(opts.Modules, r.Old.Path)) {
				targets = append(targets, target{doc, r, i > 0})
			}
		}
	}
	for _, m := range opts.Modules {
		if !slices.ContainsFunc(targets, func(t target) bool { return t.line.Old.Path == m }) {
			return fmt.Errorf("update %s: no replace of it written by gofork use --fork in go.mod or go.work; see gofork status", m)
		}
	}
	if len(targets) == 0 {
		fmt.Fprintln(opts.Stdout, "no replace written by gofork use --fork: nothing to update")
		return nil
	}
	for _, t := range targets {
		use := UseOptions{
			Dir: opts.Dir, Module: t.line.Old.Path, Fork: t.line.New.Path, Rev: t.line.Rev, Work: t.work,
			NoDownload: opts.NoDownload, Forge: cmp.Or(opts.Forge, t.line.Forge), Getenv: opts.Getenv,
			Stdout: opts.Stdout, Stderr: opts.Stderr,
		}
		if err := update(ctx, use, c, t.doc, t.line); err != nil {
			return err
		}
	}
	return nil
}

// update moves one replace to what its revision names now.
func update(ctx context.Context, opts UseOptions, c *consumer, doc *modrewrite.Doc, line modrewrite.Replace) error {
	name := opts.Module + " (" + strings.Trim(revName(opts.Rev), `"`) + ")"
	f, err := openFork(ctx, opts)
	if err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	rev, err := f.revision(opts.Module, opts.Rev)
	if err != nil {
		return fmt.Errorf("update %s: %w; point it elsewhere (gofork use %s --fork %s --rev REV) or drop it (gofork drop %s)",
			name, err, opts.Module, line.New.Path, opts.Module)
	}
	old := line.New.Version
	if rev.Version == old {
		fmt.Fprintf(opts.Stdout, "%s: %s, up to date\n", name, old)
		return nil
	}
	fmt.Fprintf(opts.Stdout, "%s: %s -> %s (commit %s)\n", name, old, rev.Version, rev.Commit[:12])
	if gone := f.lacks(old); gone != "" {
		fmt.Fprintf(opts.Stdout, "  %s is no longer in the fork (force-pushed away?): the old go.mod did not build on a machine without it in its module cache\n", gone)
	}
	lines, err := f.replaceLines(opts.Module, rev, f.origin(opts.Rev))
	if err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	return apply(ctx, opts, c, doc, lines)
}

// lacks returns the commit a pseudo-version names when the fork no longer
// has it, "" when it has it or the version names a tag.
func (f *fork) lacks(version string) string {
	short, err := module.PseudoVersionRev(version)
	if err != nil {
		return ""
	}
	if _, err := modversion.ResolveVersion(f.repo, f.root, f.path, short); err != nil {
		return short
	}
	return ""
}
