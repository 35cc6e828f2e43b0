// Package forkimport is gofork check's import rules as a
// golang.org/x/tools/go/analysis analyzer, for go vet and golangci-lint:
//
//	stray-import       an import of a fork's path where the canonical path is upstream's
//	suspicious-import  an import with the host and repository name of a required module
//	                   but another owner, in no module the build knows
//	import-comment     package x // import "<fork path>"
//
// Stray imports and import comments come with a suggested fix that puts
// upstream's path back. Forks are known as gofork check knows them: from the
// -fork flag (FORK or FORK=UPSTREAM, repeatable), from the git config gofork
// clone writes and the git remotes of the repository holding the package
// (or -upstream, or CI's name for the repository, as check's help tells),
// and from module replacements (replace U => F v) in the package's go.mod and
// in the go.work above it. The go.mod and go.work rules (module-line,
// local-replace, go-work, release-replace) stay in gofork check, which sees
// the whole tree.
//
// With go vet:
//
//	go install github.com/gofork/gofork/cmd/gofork-vet@latest
//	go vet -vettool=$(command -v gofork-vet) ./...
package forkimport

import (
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/analysis"

	"github.com/gofork/gofork/internal/forklayout/gitconfig"
	"github.com/gofork/gofork/internal/importrules"
	"github.com/gofork/gofork/internal/importscan"
	"github.com/gofork/gofork/internal/modrewrite"
)

// Config says what the analyzer knows beyond what it learns from the
// package's go.mod, go.work and git repository.
type Config struct {
	// Forks are fork module paths, FORK or FORK=UPSTREAM, as gofork
	// check's --fork takes them.
	Forks []string
	// Upstream is upstream's root module path, as gofork check's
	// --upstream takes it.
	Upstream string
	// NoHeuristics turns suspicious-import off.
	NoHeuristics bool
}

// Analyzer is the analyzer for go vet (cmd/gofork-vet), configured by its
// flags: -fork (repeatable) and -no-heuristics.
var Analyzer = newAnalyzer(&flagConfig)

var flagConfig Config

// New returns an analyzer with a fixed configuration, for drivers that
// configure linters themselves (golangci-lint's plugin settings).
func New(cfg Config) *analysis.Analyzer { return newAnalyzer(&cfg) }

func newAnalyzer(cfg *Config) *analysis.Analyzer {
	fs := flag.NewFlagSet("forkimport", flag.ExitOnError)
	fs.Var((*forkList)(&cfg.Forks), "fork", "a fork's module path, FORK or FORK=UPSTREAM (repeatable)")
	fs.StringVar(&cfg.Upstream, "upstream", cfg.Upstream, "upstream's root module path, when no git remote or CI variable tells it")
	fs.BoolVar(&cfg.NoHeuristics, "no-heuristics", cfg.NoHeuristics, "do not report suspicious-import")
	l := &learner{cfg: cfg}
	return &analysis.Analyzer{
		Name:  "forkimport",
		Doc:   "report imports of a fork's module path where upstream's belongs (gofork check's import rules)",
		URL:   "https://github.com/gofork/gofork#go-vet-and-golangci-lint",
		Flags: *fs,
		Run:   l.run,
	}
}

// forkList is a repeatable flag.
type forkList []string

func (l *forkList) String() string { return strings.Join(*l, ",") }

func (l *forkList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// A learner learns the rules once per directory: go vet runs one process
// per package, but analysistest and golangci-lint run many in one.
type learner struct {
	cfg  *Config
	dirs sync.Map // directory → *learnt
}

type learnt struct {
	once  sync.Once
	rules *importrules.Rules
	err   error
}

func (l *learner) run(pass *analysis.Pass) (any, error) {
	if len(pass.Files) == 0 {
		return nil, nil
	}
	rules, err := l.rulesFor(filepath.Dir(pass.Fset.File(pass.Files[0].Pos()).Name()))
	if err != nil {
		return nil, err
	}
	for _, f := range pass.Files {
		if err := checkFile(pass, rules, f); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func (l *learner) rulesFor(dir string) (*importrules.Rules, error) {
	v, _ := l.dirs.LoadOrStore(dir, new(learnt))
	r := v.(*learnt)
	r.once.Do(func() { r.rules, r.err = learn(dir, *l.cfg) })
	return r.rules, r.err
}

// checkFile scans the file's import section with the scanner gofork check
// uses, so both see the same literals at the same places.
func checkFile(pass *analysis.Pass, rules *importrules.Rules, f *ast.File) error {
	tf := pass.Fset.File(f.Pos())
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return fmt.Errorf("forkimport: read %q: %w", tf.Name(), err)
	}
	sec, err := importscan.ScanImports(src, false)
	if err != nil {
		return nil // the type checker has reported what does not parse
	}
	for _, v := range rules.Check(sec) {
		start := tf.Pos(v.At.Start)
		d := analysis.Diagnostic{
			Pos: start, End: tf.Pos(v.At.End), Category: v.Rule,
			Message: fmt.Sprintf("%s: %s (want %q)", v.Rule, v.Message, v.Want),
		}
		if importrules.Fixable(v.Rule) {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   fmt.Sprintf("import %q", v.Want),
				TextEdits: []analysis.TextEdit{{Pos: start, End: d.End, NewText: []byte(strconv.Quote(v.Want))}},
			}}
		}
		pass.Report(d)
	}
	return nil
}

// learn gathers what gofork check would know of forks for a package in dir.
func learn(dir string, cfg Config) (*importrules.Rules, error) {
	facts := importrules.Facts{Flags: cfg.Forks, NoHeuristics: cfg.NoHeuristics}
	if err := readModule(&facts, dir); err != nil {
		return nil, err
	}
	if work, _, err := modrewrite.WorkFile(dir, os.Getenv); err != nil {
		return nil, err
	} else if work != "" {
		if err := readWorkspace(&facts, work); err != nil {
			return nil, err
		}
	}
	facts.Evidence = importrules.Evidence{Flag: cfg.Upstream, Git: gitconfig.RepositoryConfig(dir), Getenv: os.Getenv}
	r, err := importrules.Learn(facts)
	if err != nil {
		return nil, fmt.Errorf("forkimport: %w", err)
	}
	return r, nil
}

// readModule adds the go.mod of the module holding dir.
func readModule(facts *importrules.Facts, dir string) error {
	p, err := modrewrite.FindUp(dir, "go.mod")
	if err != nil || p == "" {
		return err
	}
	return readModFile(facts, p)
}

func readModFile(facts *importrules.Facts, p string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("forkimport: read %q: %w", p, err)
	}
	f, err := modfile.Parse(p, data, nil)
	if err != nil {
		return fmt.Errorf("forkimport: %w", err)
	}
	if f.Module != nil {
		facts.Declared = append(facts.Declared, f.Module.Mod.Path)
	}
	for _, r := range f.Require {
		facts.Modules = append(facts.Modules, r.Mod.Path)
	}
	facts.Replaced = append(facts.Replaced, importrules.ReplacementForks(f.Replace)...)
	return nil
}

// readWorkspace adds the go.work's replacements and the go.mod of every
// module it uses.
func readWorkspace(facts *importrules.Facts, p string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("forkimport: read %q: %w", p, err)
	}
	w, err := modfile.ParseWork(p, data, nil)
	if err != nil {
		return fmt.Errorf("forkimport: %w", err)
	}
	facts.Replaced = append(facts.Replaced, importrules.ReplacementForks(w.Replace)...)
	for _, u := range w.Use {
		mod := filepath.Join(filepath.Dir(p), filepath.FromSlash(u.Path), "go.mod")
		if filepath.IsAbs(u.Path) {
			mod = filepath.Join(filepath.FromSlash(u.Path), "go.mod")
		}
		if err := readModFile(facts, mod); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
