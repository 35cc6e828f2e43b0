// Package importcheck finds what undoes the fork workflow in a Go tree: an
// import rewritten from upstream's path to a fork's (stray-import), one that
// looks like it (suspicious-import), a go.mod declaring a fork's module path
// (module-line), an import comment naming a fork (import-comment), a
// directory replace in a committed go.mod (local-replace) and a go.work
// tracked by git (go-work). Fix rewrites the first four back to upstream.
//
// Check reads only the import section of each .go file, on every CPU, so it
// runs as fast as `git grep` on the same tree.
package importcheck

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/forklayout/gitconfig"
	"github.com/gofork/gofork/internal/gitindex"
	"github.com/gofork/gofork/internal/importrules"
	"github.com/gofork/gofork/internal/importscan"
	"github.com/gofork/gofork/internal/modrewrite"
	"github.com/gofork/gofork/internal/rawfile"
	"github.com/gofork/gofork/internal/sysfs"
)

// The rules, as they appear in the output.
const (
	RuleStrayImport      = importrules.StrayImport
	RuleSuspiciousImport = importrules.SuspiciousImport
	RuleModuleLine       = "module-line"
	RuleImportComment    = importrules.ImportComment
	RuleLocalReplace     = "local-replace"
	RuleGoWork           = "go-work"
	// RuleReleaseReplace is a replace or exclude in a go.mod about to be
	// released (Options.Release).
	RuleReleaseReplace = "release-replace"
	// RuleSyntax and RuleUnreadable are files check could not check
	// (Finding.Failed), as opposed to findings about what a file says.
	RuleSyntax     = "syntax"
	RuleUnreadable = "unreadable"
)

// Options configures Check and Fix.
type Options struct {
	Dir   string   // the tree to check; "." when empty
	Forks []string // --fork values: FORK or FORK=UPSTREAM module paths
	// Upstream is --upstream: upstream's root module path, the strongest
	// evidence of who upstream is (see importrules.Upstream).
	Upstream string
	// HardFork is --hard-fork: the tree's module path is its own on
	// purpose, and no module line is reported.
	HardFork bool
	// Getenv reads CI's variables (os.Getenv); nil reads none.
	Getenv          func(string) string
	IncludeVendor   bool
	IncludeTestdata bool
	// Untracked checks the files of a git work tree that git does not
	// track too: without it the files come from the index, which is
	// quicker than listing the directories.
	Untracked         bool
	NoHeuristics      bool // no suspicious-import
	AllowLocalReplace bool
	AllowGoWork       bool
	// Release checks a tree about to be tagged: every replace and exclude
	// in a committed go.mod (which modules requiring it ignore, and which
	// makes `go install pkg@version` refuse it) and any committed go.work
	// are findings, whatever the Allow options say.
	Release bool
}

// Finding is one thing check reports.
type Finding struct {
	Rule string `json:"rule"`
	File string `json:"-"` // DIR joined with the path below it, for people
	// Path is the file relative to the repository's top (outside a git
	// repository, to DIR), slash-separated: how CI services name files.
	Path string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Got  string `json:"got,omitempty"`  // the fork path found
	Want string `json:"want,omitempty"` // the upstream path it should be
	// Basis is what showed Got to be a fork's path: a flag, a
	// replacement, or who upstream is and why (importrules.Upstream).
	Basis   string `json:"basis,omitempty"`
	Message string `json:"message"`
}

// Failed reports whether the finding is a file check could not read.
func (f Finding) Failed() bool { return f.Rule == RuleSyntax || f.Rule == RuleUnreadable }

// Fixable reports whether Fix rewrites what the finding reports: a path
// known to be a fork's.
func (f Finding) Fixable() bool { return f.Rule == RuleModuleLine || importrules.Fixable(f.Rule) }

// Check checks the tree opts.Dir and returns its findings sorted by file,
// line and column. An error means the check itself could not run.
func Check(opts Options) ([]Finding, error) {
	dir := cmp.Or(opts.Dir, ".")
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("check %q: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("check %q: not a directory; give the root of a Go tree", dir)
	}
	c := &checker{opts: opts, dir: dir, required: map[string]bool{}}
	c.wt, c.inGit = findWorkTree(dir)
	c.words = shipWordsFor(c.inGit)
	c.root = c.wt.top
	if !c.inGit {
		c.root = sysfs.Physical(dir)
	}
	configRead := make(chan struct{})
	go func() {
		defer close(configRead)
		if c.inGit {
			c.gitConfig = gitconfig.RepositoryConfig(dir)
		}
	}()
	var t *tree
	if c.inGit && !opts.Untracked {
		t, c.tracked, _ = fromIndex(dir, c.wt, opts.IncludeVendor, opts.IncludeTestdata)
	}
	if t == nil {
		t, err = list(dir, opts.IncludeVendor, opts.IncludeTestdata)
	}
	<-configRead
	if err != nil {
		return nil, fmt.Errorf("check %q: %w", dir, err)
	}
	for _, m := range t.modFiles {
		c.readModFile(m)
	}
	if !slices.ContainsFunc(t.modFiles, func(m *modFile) bool { return m.path == filepath.Join(dir, "go.mod") }) {
		c.readEnclosingModFile(dir)
	}
	for _, p := range t.workFile {
		c.readWorkFile(p)
	}
	if err := c.learnForks(); err != nil {
		return nil, err
	}
	for _, m := range c.modules {
		if up, basis, ok := c.rules.Upstream(m.path); ok && m.file != "" {
			c.report(Finding{Rule: RuleModuleLine, File: m.file, Line: m.line, Col: m.col, Got: m.path, Want: up, Basis: basis,
				Message: fmt.Sprintf("go.mod declares the fork's module path %q", m.path)})
		}
	}
	for _, f := range t.failed {
		c.findings = append(c.findings, c.judge(f)...)
	}
	c.findings = append(c.findings, scan(t.goFiles, c.judge)...)
	for i, f := range c.findings {
		c.findings[i].Path = filepath.ToSlash(f.File)
		if abs, err := filepath.Abs(f.File); err == nil {
			abs = filepath.Join(c.resolve(filepath.Dir(abs)), filepath.Base(abs))
			if rel, err := filepath.Rel(c.root, abs); err == nil && filepath.IsLocal(rel) {
				c.findings[i].Path = filepath.ToSlash(rel)
			}
		}
	}
	slices.SortFunc(c.findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Rule, b.Rule))
	})
	return c.findings, nil
}

type checker struct {
	opts      Options
	dir       string
	wt        workTree // the git work tree holding dir, when inGit
	inGit     bool
	words     shipWords
	gitConfig forklayout.Config // its repository's; nil when it has none
	root      string            // the work tree's top, else dir; symbolic links resolved
	tracked   *tracked          // read from repo's index when first needed
	findings  []Finding
	modules   []module           // declared by go.mod files
	required  map[string]bool    // module paths required by any go.mod
	replaced  []importrules.Fork // module replacements: replace U => F v
	rules     *importrules.Rules
	resolved  map[string]string // see resolve
}

type module struct {
	path      string
	file      string // "" for the go.mod enclosing DIR, which is not checked
	line, col int
}

func (c *checker) report(f Finding) { c.findings = append(c.findings, f) }

func (c *checker) readModFile(m *modFile) {
	switch {
	case m.readErr != nil:
		c.reportUnreadable(m.path, m.readErr)
		return
	case m.err != nil:
		c.reportModError(m.path, m.err)
		return
	}
	if lit, err := modrewrite.ModulePath(m.data, m.f); err == nil {
		c.modules = append(c.modules, module{path: lit.Path, file: m.path, line: lit.Line, col: lit.Col})
	}
	c.readRequires(m.f)
	c.readReplaces(m.path, m.f.Replace, !c.opts.Release)
	if c.opts.Release && c.committed(m.path) {
		c.reportReleaseDirectives(m)
	}
}

// reportReleaseDirectives reports what a release must not carry in its
// go.mod: the go command ignores replace and exclude in a module that is
// not the main one, and go install pkg@version refuses a module that has
// any.
func (c *checker) reportReleaseDirectives(m *modFile) {
	for _, r := range m.f.Replace {
		from, to := r.Old.Path, r.New.Path
		if r.Old.Version != "" {
			from += " " + r.Old.Version
		}
		if r.New.Version != "" {
			to += " " + r.New.Version
		}
		c.report(Finding{Rule: RuleReleaseReplace, File: m.path, Line: r.Syntax.Start.Line, Col: max(r.Syntax.Start.LineRune, 1),
			Message: fmt.Sprintf("replace %s => %s: modules that require this one ignore it and `go install pkg@version` refuses the module; remove it before tagging (gofork drop %s, if gofork use wrote it)", from, to, r.Old.Path)})
	}
	for _, x := range m.f.Exclude {
		c.report(Finding{Rule: RuleReleaseReplace, File: m.path, Line: x.Syntax.Start.Line, Col: max(x.Syntax.Start.LineRune, 1),
			Message: fmt.Sprintf("exclude %s %s: modules that require this one ignore it and `go install pkg@version` refuses the module; remove it before tagging", x.Mod.Path, x.Mod.Version)})
	}
}

func (c *checker) readRequires(f *modfile.File) {
	for _, r := range f.Require {
		c.required[r.Mod.Path] = true
	}
}

// readEnclosingModFile reads the go.mod of the module DIR is in, for what it
// says about forks; its own lines are outside the tree and not checked.
func (c *checker) readEnclosingModFile(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	p, err := modrewrite.FindUp(filepath.Dir(abs), "go.mod")
	if err != nil || p == "" {
		return
	}
	if data, err := readRegular(p); err == nil {
		if f, err := modfile.Parse(p, data, nil); err == nil && f.Module != nil {
			c.modules = append(c.modules, module{path: f.Module.Mod.Path})
			c.readRequires(f)
			c.readReplaces(p, f.Replace, false)
		}
	}
}

func (c *checker) readWorkFile(p string) {
	data, ok := c.readFile(p)
	if !ok {
		return
	}
	f, err := modfile.ParseWork(p, data, nil)
	if err != nil {
		c.reportModError(p, err)
		return
	}
	// Directory replaces are what a go.work is for; go-work covers a
	// committed one. A committed go.work whose directories are all in the
	// repository (a multi-module project's own workspace) builds the same
	// in every checkout: that is the project's choice.
	c.readReplaces(p, f.Replace, false)
	if c.opts.Release {
		if c.committed(p) {
			c.report(Finding{Rule: RuleGoWork, File: p, Line: 1, Col: 1,
				Message: "go.work " + c.words.tracked + ": a release is built without it, so what was tested with it is not what users get; " + c.words.untrack + " before tagging"})
		}
		return
	}
	if c.opts.AllowGoWork {
		return
	}
	var dirs []string
	for _, u := range f.Use {
		dirs = append(dirs, u.Path)
	}
	for _, r := range f.Replace {
		if r.New.Version == "" {
			dirs = append(dirs, r.New.Path)
		}
	}
	for _, d := range dirs {
		if c.outsideRepo(p, d) {
			// Only now is the index worth reading: most go.work files
			// use nothing outside.
			if c.committed(p) {
				c.report(Finding{Rule: RuleGoWork, File: p, Line: 1, Col: 1,
					Message: fmt.Sprintf("go.work %s and uses %s, outside the %s, so other checkouts do not build; %s, or pass --allow-go-work", c.words.tracked, d, c.words.tree, c.words.untrack)})
			}
			return
		}
	}
}

// readFile reads a go.mod or go.work, reporting it when it cannot, or when
// it is not a regular file.
func (c *checker) readFile(p string) ([]byte, bool) {
	data, err := readRegular(p)
	if err != nil {
		c.reportUnreadable(p, err)
		return nil, false
	}
	return data, true
}

func readRegular(p string) ([]byte, error) {
	f, err := rawfile.OpenRegular(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxSection))
}

// reportUnreadable reports a file that could not be read, naming the cause
// without repeating the path.
func (c *checker) reportUnreadable(p string, err error) { c.report(unreadable(p, err)) }

func unreadable(p string, err error) Finding {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err
	}
	return Finding{Rule: RuleUnreadable, File: p, Line: 1, Col: 1, Message: "cannot read: " + err.Error()}
}

func (c *checker) reportModError(p string, err error) {
	f := Finding{Rule: RuleSyntax, File: p, Line: 1, Col: 1, Message: err.Error()}
	var list modfile.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		f.Line, f.Col, f.Message = list[0].Pos.Line, max(list[0].Pos.LineRune, 1), list[0].Err.Error()
	}
	c.report(f)
}

// readReplaces learns forks from module replacements (replace U => F v: F
// is U's fork, not to be imported) and, when checkDirs is set, reports
// directory replacements.
func (c *checker) readReplaces(p string, replaces []*modfile.Replace, checkDirs bool) {
	c.replaced = append(c.replaced, importrules.ReplacementForks(replaces)...)
	for _, r := range replaces {
		if r.New.Version != "" {
			continue
		}
		if checkDirs && !c.opts.AllowLocalReplace && c.outsideRepo(p, r.New.Path) && c.committed(p) {
			c.report(Finding{Rule: RuleLocalReplace, File: p, Line: r.Syntax.Start.Line, Col: max(r.Syntax.Start.LineRune, 1),
				Message: fmt.Sprintf("directory replace %s => %s in a %s go.mod points outside the %s, so other checkouts do not build; drop it (gofork drop %s, if gofork use wrote it) or pass --allow-local-replace", r.Old.Path, r.New.Path, c.words.committed, c.words.tree, r.Old.Path)})
		}
	}
}

// outsideRepo reports whether dir, a directory named in the go.mod or
// go.work at p, lies outside the repository the tree is in (outside a git
// repository: outside the tree checked).
func (c *checker) outsideRepo(p, dir string) bool {
	root := c.root
	target := filepath.FromSlash(dir)
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(p), target)
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return true
	}
	rel, err := filepath.Rel(root, c.resolve(abs))
	return err != nil || !filepath.IsLocal(rel) && rel != "."
}

// resolve is abs with symbolic links resolved, or abs when that fails. The
// modules of a multi-module repository replace each other, so the same
// few directories come up again and again, each costing a system call per
// path element to resolve: they are resolved once.
func (c *checker) resolve(abs string) string {
	if r, ok := c.resolved[abs]; ok {
		return r
	}
	r, err := filepath.EvalSymlinks(abs)
	if err != nil {
		r = abs
	}
	if c.resolved == nil {
		c.resolved = map[string]string{}
	}
	c.resolved[abs] = r
	return r
}

// shipWords are how the go.work and go.mod findings name what ships: in a
// git repository what git tracks; elsewhere check cannot tell, takes the
// tree as shipped, and says so.
type shipWords struct {
	tracked   string // "go.work " + tracked
	committed string // "a committed go.mod"
	tree      string // "outside the " + tree
	untrack   string // what to do with go.work
}

func shipWordsFor(inGit bool) shipWords {
	if inGit {
		return shipWords{"is tracked by git", "committed", "repository", "untrack it (git rm --cached go.work)"}
	}
	return shipWords{"is in no git repository (taken as shipped)", "shipped", "tree", "leave go.work out of what you ship"}
}

// committed reports whether the file at p is tracked by git. Outside a git
// repository check cannot tell and assumes the tree is what gets committed.
func (c *checker) committed(p string) bool {
	if !c.inGit {
		return true
	}
	if c.tracked == nil {
		c.tracked = trackedFiles(c.wt)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return true
	}
	rel, err := filepath.Rel(c.tracked.root, c.resolve(abs))
	if err != nil {
		return true
	}
	return c.tracked.has(filepath.ToSlash(rel))
}

// tracked is what a git index tracks, relative to the work tree's top.
type tracked struct {
	root    string
	entries []gitindex.Entry // sorted by path
}

func (t *tracked) has(path string) bool {
	_, found := slices.BinarySearchFunc(t.entries, path, func(e gitindex.Entry, p string) int { return strings.Compare(e.Path, p) })
	return found
}

// trackedFiles reads wt's index; an index that cannot be read tracks
// nothing.
func trackedFiles(wt workTree) *tracked {
	t := &tracked{root: wt.top}
	if idx, err := gitindex.ReadFile(wt.gitdir); err == nil {
		t.entries = idx.Entries
	}
	return t
}

func (c *checker) learnForks() error {
	facts := importrules.Facts{
		Flags:        c.opts.Forks,
		Replaced:     c.replaced,
		NoHeuristics: c.opts.NoHeuristics,
		Evidence:     importrules.Evidence{Flag: c.opts.Upstream, HardFork: c.opts.HardFork, Git: c.gitConfig, Getenv: c.opts.Getenv},
	}
	for _, m := range c.modules {
		facts.Declared = append(facts.Declared, m.path)
	}
	for r := range c.required {
		facts.Modules = append(facts.Modules, r)
	}
	var err error
	if c.rules, err = importrules.Learn(facts); err != nil {
		return err
	}
	if c.rules.WhoIsUpstream().Rule == importrules.UpstreamNone && len(c.opts.Forks) == 0 && importrules.InCI(c.opts.Getenv) {
		// A CI gate that cannot tell upstream would pass a whole-repository
		// rewrite: say so rather than pass.
		return fmt.Errorf("check %q: no upstream known: the tree is in no git repository with a remote, and neither --upstream nor GITHUB_REPOSITORY or CI_PROJECT_PATH names one; give upstream's module path with --upstream MODULE", c.dir)
	}
	return nil
}

// judge returns the findings on a scanned file. It only reads c, so that
// files are judged on every CPU as they are read.
func (c *checker) judge(f *goFile) []Finding {
	if f.err != nil {
		var syntaxErr *importscan.SyntaxError
		if errors.As(f.err, &syntaxErr) {
			return []Finding{{Rule: RuleSyntax, File: f.path, Line: syntaxErr.Line, Col: syntaxErr.Col, Message: syntaxErr.Msg}}
		}
		return []Finding{unreadable(f.path, f.err)}
	}
	if f.section == nil {
		return nil
	}
	var out []Finding
	for _, v := range c.rules.Check(f.section) {
		out = append(out, Finding{Rule: v.Rule, File: f.path, Line: v.At.Line, Col: v.At.Col, Got: v.At.Path, Want: v.Want, Basis: v.Basis, Message: v.Message})
	}
	return out
}
