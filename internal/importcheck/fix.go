package importcheck

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/atomicfile"
	"github.com/gofork/gofork/internal/importscan"
	"github.com/gofork/gofork/internal/modrewrite"
)

// FixResult is what Fix did.
type FixResult struct {
	Files    int // files rewritten (or, with DryRun, that would be)
	Rewrites int // path literals rewritten
	// Remaining are the findings fix does not rewrite: suspicious-import,
	// local-replace, go-work, and files it could not read.
	Remaining []Finding
}

// Fix rewrites what Check reports in the tree opts.Dir (imports, import
// comments, module lines of known forks) back to upstream. It changes only the bytes of the
// path literals and writes each file atomically, keeping its mode; run again
// it finds nothing to do. With dryRun it writes a unified diff of the changes
// to out and changes nothing; otherwise it lists each file it rewrote.
func Fix(opts Options, dryRun bool, out io.Writer) (FixResult, error) {
	findings, err := Check(opts)
	if err != nil {
		return FixResult{}, err
	}
	var res FixResult
	wants := map[string]map[string]string{} // file → got → want
	for _, f := range findings {
		if !f.Fixable() {
			res.Remaining = append(res.Remaining, f)
			continue
		}
		if wants[f.File] == nil {
			wants[f.File] = map[string]string{}
		}
		wants[f.File][f.Got] = f.Want
	}
	files := make([]string, 0, len(wants))
	for file := range wants {
		files = append(files, file)
	}
	slices.Sort(files)
	for _, file := range files {
		old, err := os.ReadFile(file)
		if err != nil {
			return res, fmt.Errorf("fix %q: %w", file, err)
		}
		fixed, n, err := rewriteFile(file, old, wants[file])
		if err != nil {
			return res, fmt.Errorf("fix %q: %w; fix it by hand or report a bug", file, err)
		}
		if n == 0 {
			continue
		}
		res.Files++
		res.Rewrites += n
		if dryRun {
			if err := writeUnifiedDiff(out, displayPath(file), old, fixed); err != nil {
				return res, err
			}
			continue
		}
		if err := atomicfile.Replace(file, fixed); err != nil {
			return res, err
		}
		if _, err := fmt.Fprintf(out, "%s: rewrote %d path%s\n", displayPath(file), n, plural(n)); err != nil {
			return res, err
		}
	}
	return res, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// rewriteFile rewrites the paths named in want (got → want) in a go.mod's
// module line or a Go file's import section, returning how many literals
// changed.
func rewriteFile(file string, data []byte, want map[string]string) ([]byte, int, error) {
	if filepath.Base(file) == "go.mod" {
		f, err := modfile.Parse(file, data, nil)
		if err != nil {
			return nil, 0, err
		}
		lit, err := modrewrite.ModulePath(data, f)
		if err != nil {
			return nil, 0, err
		}
		to, ok := want[lit.Path]
		if !ok {
			return data, 0, nil
		}
		return modrewrite.RewriteModulePath(data, lit, to), 1, nil
	}
	sec, err := importscan.ScanImports(data, false)
	if err != nil {
		return nil, 0, err
	}
	n := 0
	fixed, _ := importscan.RewriteImports(data, sec, func(path string) (string, bool) {
		to, ok := want[path]
		if ok {
			n++
		}
		return to, ok
	})
	return fixed, n, nil
}
