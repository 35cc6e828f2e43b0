package forkuse

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/storage/memory"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/modrewrite"
	"github.com/gofork/gofork/internal/modversion"
	"github.com/gofork/gofork/internal/remote"
)

// UseOptions is `gofork use`: the parsed command line plus its world.
type UseOptions struct {
	Dir        string // where gofork runs; the consumer module is found from here
	Module     string // the module to replace, as the consumer's imports name it
	Path       string // --dir: a local checkout of the fork
	Fork       string // --fork: the fork's owner or module path
	Rev        string // --rev: branch, tag or commit of the fork; "" for its default branch
	Work       bool   // write go.work and leave go.mod alone
	NoDownload bool   // do not run `go mod download`
	Forge      string // --forge; "" defers to $GOFORK_FORGE, then https://github.com
	Getenv     func(string) string

	Stdout, Stderr io.Writer
}

// Use writes the replace directive UseOptions describe.
func Use(ctx context.Context, opts UseOptions) error {
	if err := module.CheckPath(opts.Module); err != nil {
		return fmt.Errorf("use: %w", err)
	}
	if opts.Path == "" && opts.Fork == "" {
		opts.Fork = opts.Getenv(remote.EnvOwner)
	}
	switch {
	case (opts.Path == "") == (opts.Fork == ""):
		return errors.New("use: give exactly one of --dir PATH (a local checkout) and --fork OWNER (the fork on the forge; $" + remote.EnvOwner + " when set)")
	case opts.Rev != "" && opts.Fork == "":
		return errors.New("use: --rev picks a commit of --fork; a --dir checkout is used as it is")
	}
	c, err := findConsumer(opts.Dir)
	if err != nil {
		return fmt.Errorf("use: %w", err)
	}
	doc, fileDir := c.doc, c.dir
	if opts.Work {
		if doc, err = openWorkspace(c, opts.Getenv, opts.Stdout); err != nil {
			return fmt.Errorf("use --work: %w", err)
		}
		fileDir = filepath.Dir(doc.Path)
	}

	if opts.Path != "" {
		newPath, err := checkoutReplacement(opts.Module, opts.Path, fileDir)
		if err != nil {
			return fmt.Errorf("use --dir: %w", err)
		}
		return apply(ctx, opts, c, doc, []replaceLine{{module: opts.Module, newPath: newPath}})
	}
	f, err := openFork(ctx, opts)
	if err != nil {
		return fmt.Errorf("use --fork: %w", err)
	}
	rev, err := f.revision(opts.Module, opts.Rev)
	if err != nil {
		return fmt.Errorf("use --fork: %w", err)
	}
	lines, err := f.replaceLines(opts.Module, rev, f.origin(opts.Rev))
	if err != nil {
		return fmt.Errorf("use --fork: %w", err)
	}
	lines[0].said = fmt.Sprintf(" (commit %s of %s)", rev.Commit[:12], revName(opts.Rev))
	return apply(ctx, opts, c, doc, lines)
}

// replaceLine is one replace directive apply writes.
type replaceLine struct {
	module, newPath, newVers string
	from                     modrewrite.Origin
	said                     string // where the version came from, for the user
}

// replaceLines are the replace of module by the fork at rev, then one for
// each sibling module the fork's go.mod (and theirs, in turn) replaces by a
// directory inside the repository: the go command ignores a dependency's
// replaces, so without its own line the consumer would build the fork
// against upstream's sibling. Each sibling is pointed at the same commit.
func (f *fork) replaceLines(module string, rev *modversion.Revision, from modrewrite.Origin) ([]replaceLine, error) {
	lines := []replaceLine{{module: module, newPath: f.path, newVers: rev.Version, from: from}}
	seen := map[string]bool{module: true}
	for queue := []*modversion.Revision{rev}; len(queue) > 0; queue = queue[1:] {
		mf, err := modfile.Parse("go.mod", queue[0].GoMod, nil) // ParseLax skips replaces
		if err != nil {
			continue // the go command reports a broken go.mod when it builds
		}
		for _, r := range mf.Replace {
			dir := path.Clean(path.Join(queue[0].GoModDir, r.New.Path))
			if r.New.Version != "" || seen[r.Old.Path] || path.IsAbs(r.New.Path) || dir == ".." || strings.HasPrefix(dir, "../") {
				continue // a module version, or a directory outside the repository
			}
			seen[r.Old.Path] = true
			forkPath := forklayout.VanityForkPath(f.root, dir, r.Old.Path)
			sib, err := modversion.ResolveVersion(f.repo, f.root, forkPath, rev.Commit)
			if err != nil {
				return nil, fmt.Errorf("sibling module %s, which the fork's go.mod replaces by %s: %w", r.Old.Path, r.New.Path, err)
			}
			if sib.GoModPath != r.Old.Path {
				return nil, fmt.Errorf("sibling module %s, which the fork's go.mod replaces by %s: %s/go.mod at %s declares %q; fix the fork's replace", r.Old.Path, r.New.Path, dir, rev.Commit[:12], sib.GoModPath)
			}
			with := from
			with.With = module
			lines = append(lines, replaceLine{module: r.Old.Path, newPath: forkPath, newVers: sib.Version, from: with,
				said: fmt.Sprintf(" (the same commit: the fork's go.mod replaces it by %s, which the go command ignores in a dependency)", r.New.Path)})
			queue = append(queue, sib)
		}
	}
	return lines, nil
}

// apply writes lines into doc (c's go.mod, or its go.work with opts.Work),
// the replace of opts.Module first, and makes the build work, as Use
// describes.
func apply(ctx context.Context, opts UseOptions, c *consumer, doc *modrewrite.Doc, lines []replaceLine) (err error) {
	workPath := ""
	if opts.Work {
		workPath = doc.Path
	} else if workPath, _, err = modrewrite.WorkFile(c.dir, opts.Getenv); err != nil {
		return fmt.Errorf("use: %w", err)
	}
	files := trackedFiles(c.dir, workPath)
	snap, err := beginUse(c.doc.Path, files)
	if err != nil {
		return fmt.Errorf("use: nothing changed: cannot record go.mod and go.sum for gofork drop first (%w); make the user cache directory writable, or point XDG_CACHE_HOME at one", err)
	}
	// A use that fails or is interrupted puts back what it changed, so the
	// build is never left half-way (a replace without the requirements it
	// needs); either way the snapshot learns what the files are now.
	thisUse := &snapshot{}
	thisUse.add(files)
	defer func() {
		if err != nil {
			restored, rerr := thisUse.restore(c.dir)
			switch {
			case rerr != nil:
				fmt.Fprintf(opts.Stderr, "gofork: note: could not put the files back (%v); gofork drop %s undoes the replace\n", rerr, opts.Module)
			case len(restored) > 0:
				fmt.Fprintf(opts.Stderr, "gofork: %s: put back as before this use\n", strings.Join(restored, ", "))
			}
		}
		if nerr := snap.note(); nerr != nil {
			fmt.Fprintf(opts.Stderr, "gofork: note: cannot record go.mod and go.sum as use left them (%v); gofork drop will remove the replace only\n", nerr)
		}
	}()
	before, err := os.ReadFile(c.doc.Path)
	if err != nil {
		return fmt.Errorf("use: %w", err)
	}
	var displaced []string
	for _, l := range lines {
		was, err := doc.SetReplace(l.module, l.newPath, l.newVers, l.from)
		if err != nil {
			return fmt.Errorf("use: %w", err)
		}
		displaced = append(displaced, was)
	}
	if err := doc.Write(); err != nil {
		return fmt.Errorf("use: %w", err)
	}
	for i, l := range lines {
		line := modrewrite.Replace{Old: module.Version{Path: l.module}, New: module.Version{Path: l.newPath, Version: l.newVers}}
		fmt.Fprintf(opts.Stdout, "%s: replace %s%s\n", filepath.Base(doc.Path), line, l.said)
		if displaced[i] != "" {
			fmt.Fprintf(opts.Stdout, "  in place of replace %s (gofork drop %s restores it)\n", displaced[i], opts.Module)
		}
	}
	newPath, newVers := lines[0].newPath, lines[0].newVers
	if !requires(c.gomod, opts.Module) {
		fmt.Fprintf(opts.Stderr, "gofork: note: go.mod does not require %s, so the replace changes nothing until it does (go get %s)\n", opts.Module, opts.Module)
		return nil
	}
	if opts.NoDownload {
		return nil
	}
	gocmd := goRunner{dir: c.dir, stderr: opts.Stderr, fork: newPath}
	if newVers == "" {
		gocmd.fork = ""
	}
	if opts.Work {
		if newVers == "" {
			return nil
		}
		return gocmd.run(ctx, "mod", "download", opts.Module)
	}
	// The replacement's go.mod may need newer requirements than the
	// consumer has (a fork of upstream's main usually does); go get of the
	// required version raises exactly those, as the go command's build
	// would ask for with "updates to go.mod needed".
	if err := gocmd.run(ctx, "get", opts.Module+"@"+requiredVersion(c.gomod, opts.Module)); err != nil {
		return err
	}
	after, err := os.ReadFile(c.doc.Path)
	if err != nil {
		return fmt.Errorf("use: %w", err)
	}
	// go get records checksums for what it loaded; a build also needs
	// those of the modules it raised.
	if raised := printRaised(opts.Stdout, before, after); len(raised) > 0 {
		if err := gocmd.run(ctx, append([]string{"mod", "download"}, raised...)...); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(c.dir, "vendor", "modules.txt")); err == nil {
		fmt.Fprintln(opts.Stdout, "vendor: go mod vendor")
		if err := gocmd.run(ctx, "mod", "vendor"); err != nil {
			return err
		}
	}
	return nil
}

func requiredVersion(f *modfile.File, modPath string) string {
	for _, r := range f.Require {
		if r.Mod.Path == modPath {
			return r.Mod.Version
		}
	}
	return ""
}

// printRaised says which requirements changed between two go.mod files and
// returns them as path@version.
func printRaised(w io.Writer, before, after []byte) (raised []string) {
	old, err1 := modfile.ParseLax("go.mod", before, nil)
	updated, err2 := modfile.ParseLax("go.mod", after, nil)
	if err1 != nil || err2 != nil {
		return nil
	}
	was := map[string]string{}
	for _, r := range old.Require {
		was[r.Mod.Path] = r.Mod.Version
	}
	for _, r := range updated.Require {
		switch v, ok := was[r.Mod.Path]; {
		case !ok:
			fmt.Fprintf(w, "go.mod: require %s %s (new): the fork needs it\n", r.Mod.Path, r.Mod.Version)
		case v != r.Mod.Version:
			fmt.Fprintf(w, "go.mod: require %s %s (was %s): the fork needs it\n", r.Mod.Path, r.Mod.Version, v)
		default:
			continue
		}
		raised = append(raised, r.Mod.String())
	}
	return raised
}

func requires(f *modfile.File, modPath string) bool {
	for _, r := range f.Require {
		if r.Mod.Path == modPath {
			return true
		}
	}
	return false
}

func revName(rev string) string {
	if rev == "" {
		return "the fork's default branch"
	}
	return fmt.Sprintf("%q", rev)
}

// openWorkspace opens the go.work the go command would use for c, creating
// one next to go.mod when there is none, and makes sure it uses c: a
// workspace that leaves the module out would not build it at all.
func openWorkspace(c *consumer, getenv func(string) string, stdout io.Writer) (*modrewrite.Doc, error) {
	path, off, err := modrewrite.WorkFile(c.dir, getenv)
	if err != nil {
		return nil, err
	}
	if off {
		return nil, errors.New("GOWORK=off turns workspaces off; unset GOWORK, or leave out --work to write go.mod")
	}
	create := path == ""
	if create {
		path = filepath.Join(c.dir, "go.work")
	}
	goVersion := "1.21" // the first go version whose go line is a minimum, not a hint
	if c.gomod.Go != nil {
		goVersion = c.gomod.Go.Version
	}
	doc, work, err := modrewrite.ReadWorkFile(path, create, goVersion)
	if err != nil {
		return nil, err
	}
	workDir := filepath.Dir(path)
	for _, u := range work.Use {
		if filepath.Join(workDir, filepath.FromSlash(u.Path)) == c.dir {
			return doc, nil
		}
	}
	rel, err := relativeDir(workDir, c.dir)
	if err != nil {
		return nil, err
	}
	if err := work.AddUse(rel, ""); err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "%s: use %s\n", filepath.Base(path), rel)
	return doc, nil
}

// checkoutReplacement checks that dir holds modPath and returns it relative
// to fileDir, the directory of the file the replace goes into.
func checkoutReplacement(modPath, dir, fileDir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s has no go.mod: point --dir at a checkout of %s (gofork clone makes one)", dir, modPath)
	}
	if err != nil {
		return "", err
	}
	if declared := modfile.ModulePath(data); declared != modPath {
		return "", fmt.Errorf("%s/go.mod declares module %q, not %q: the go command builds a replacement by the path its go.mod declares, so it must be the path it replaces (\"module declares its path as: %s but was required as: %s\"); point --dir at a checkout of %s",
			dir, declared, modPath, declared, modPath, modPath)
	}
	return relativeDir(fileDir, abs)
}

// fork is a fork's repository, read from the forge into memory.
type fork struct {
	repo       *git.Repository
	path, root string // its module path, and its repository's as a module path
	forge      string // the forge's URL when it is not the default, for the marker
}

// origin is what the marker records of a replace made from the fork's rev.
func (f *fork) origin(rev string) modrewrite.Origin {
	return modrewrite.Origin{Rev: rev, Forge: f.forge}
}

// openFork finds the fork opts.Fork names (an owner, or a module path) and
// reads its repository.
func openFork(ctx context.Context, opts UseOptions) (*fork, error) {
	forkPath := opts.Fork
	if !strings.Contains(forkPath, "/") {
		var err error
		if forkPath, err = forklayout.ForkModulePath(opts.Module, opts.Fork); err != nil {
			return nil, fmt.Errorf("%w; give the fork's module path instead, as in --fork example.com/you/%s", err, filepath.Base(opts.Module))
		}
	} else if err := module.CheckPath(forkPath); err != nil {
		return nil, err
	}
	_, upMajor, _ := module.SplitPathVersion(opts.Module)
	_, forkMajor, _ := module.SplitPathVersion(forkPath)
	if upMajor != forkMajor {
		return nil, fmt.Errorf("fork %s and %s differ in major version suffix (%q, %q): a /vN module is replaced by a fork with the same /vN", forkPath, opts.Module, forkMajor, upMajor)
	}
	forge, err := remote.ForgeFromEnv(opts.Forge, "", "", opts.Getenv)
	if err != nil {
		return nil, err
	}
	url, repoRoot, err := repoURL(forge, forkPath)
	if err != nil {
		return nil, err
	}
	repo, err := readRepository(ctx, url)
	if errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("read fork %s: %w", forkPath, err)
	}
	if err != nil {
		return nil, fmt.Errorf("read fork %s from %s: %w; check the fork exists and --forge or $%s", forkPath, url, err, remote.EnvForge)
	}
	f := &fork{repo: repo, path: forkPath, root: repoRoot}
	if forge.URL != remote.DefaultForge {
		f.forge = forge.URL
	}
	return f, nil
}

// readRepository reads the repository at url into memory, every branch and
// tag, for naming commits as the go command would. An interrupt ends it as
// ctx's error, which go-git does not always wrap ("unexpected client error:
// … context canceled").
func readRepository(ctx context.Context, url string) (*git.Repository, error) {
	repo, err := git.CloneContext(ctx, memory.NewStorage(), nil, &git.CloneOptions{URL: url, Mirror: true})
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return repo, err
}

// revision names the fork's commit rev ("" for its default branch) as the
// go command would, checking that its go.mod can stand in for upstream.
func (f *fork) revision(upstream, rev string) (*modversion.Revision, error) {
	r, err := modversion.ResolveVersion(f.repo, f.root, f.path, rev)
	if err != nil {
		return nil, fmt.Errorf("fork %s: %w", f.path, err)
	}
	_, upMajor, _ := module.SplitPathVersion(upstream)
	at := fmt.Sprintf("the fork's go.mod at %s (%s)", revName(rev), r.Commit[:12])
	switch r.GoModPath {
	case upstream:
		return r, nil
	case "":
		if upMajor == "" {
			return r, nil // a module without go.mod: the go command makes one up
		}
		return nil, fmt.Errorf("%s is missing: a %s module needs one that says module %s", at, upMajor, upstream)
	case f.path:
		return nil, fmt.Errorf("%s declares the fork's own path, %s, so it cannot stand in for %s. Either put `module %s` back in the fork's go.mod (commit, push, run gofork use again: a fork meant to go back upstream keeps upstream's path), or make the fork a module of its own: require %s and import it by that path everywhere",
			at, f.path, upstream, upstream, f.path)
	default:
		return nil, fmt.Errorf("%s declares module %q, neither %s nor the fork's path; fix the fork's go.mod to say module %s", at, r.GoModPath, upstream, upstream)
	}
}

// repoURL is the forge URL of the repository holding modPath
// (host/owner/repo[/...]), the forge standing in for the module's host, and
// the repository's root as a module path.
func repoURL(forge remote.Forge, modPath string) (url, root string, err error) {
	elems := strings.Split(modPath, "/")
	if len(elems) < 3 {
		return "", "", fmt.Errorf("module path %q: want host/owner/repo to find the fork on the forge", modPath)
	}
	for i, kind := range []string{"owner", "repository"} {
		if err := remote.ValidateName(kind, elems[i+1]); err != nil {
			return "", "", fmt.Errorf("module path %q: %w", modPath, err)
		}
	}
	return forge.RepoURL(elems[1], elems[2]), strings.Join(elems[:3], "/"), nil
}

// goRunner runs the go command in the consumer, after the replace is
// written, so that go.sum (or go.work.sum) and the requirements are what the
// next go build needs.
type goRunner struct {
	dir    string
	stderr io.Writer
	fork   string // the replacement's module path; "" for a directory
}

func (g goRunner) run(ctx context.Context, args ...string) error {
	line := "go " + strings.Join(args, " ")
	goBin, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("use: go is not on PATH, and use runs %s; install Go, or give --no-download to write the replace alone", line)
	}
	var said bytes.Buffer
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = g.dir
	cmd.Stdout = g.stderr
	cmd.Stderr = io.MultiWriter(g.stderr, &limitedBuffer{buf: &said, max: 64 << 10})
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("use: %s was stopped: %w", line, ctx.Err())
		}
		if advice := g.privateForkAdvice(ctx, goBin, said.String()); advice != "" {
			return fmt.Errorf("use: %s could not fetch the fork: %s; then run gofork use again", line, advice)
		}
		return fmt.Errorf("use: %s failed (%w); fix what go said above and run gofork use again (--no-download writes the replace alone)", line, err)
	}
	return nil
}

// privateForkAdvice explains a failure to fetch the fork through the module
// proxy or to verify it with the checksum database, both of which see only
// public modules: it names the settings that send the go command to the
// fork's repository directly. "" when the failure is about something else,
// or those settings are already made.
func (g goRunner) privateForkAdvice(ctx context.Context, goBin, said string) string {
	if g.fork == "" || !strings.Contains(said, g.fork) {
		return ""
	}
	out, err := exec.CommandContext(ctx, goBin, "env", "GOPROXY", "GONOPROXY", "GONOSUMDB", "GOSUMDB").Output()
	if err != nil {
		return ""
	}
	env := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(env) != 4 {
		return ""
	}
	proxy, noProxy, noSumDB, sumDB := env[0], env[1], env[2], env[3]
	viaProxy := proxy != "direct" && proxy != "off" && !module.MatchPrefixPatterns(noProxy, g.fork)
	viaSumDB := sumDB != "off" && !module.MatchPrefixPatterns(noSumDB, g.fork)
	var public []string
	if viaProxy {
		public = append(public, "the module proxy (GOPROXY="+proxy+")")
	}
	if viaSumDB {
		public = append(public, "the checksum database (GOSUMDB="+cmp.Or(sumDB, "sum.golang.org")+")")
	}
	if len(public) == 0 {
		return ""
	}
	verb := "sees"
	if len(public) > 1 {
		verb = "see"
	}
	return fmt.Sprintf("%s %s only public modules, so a private fork needs go env -w GOPRIVATE=%s (or GONOPROXY and GONOSUMDB; GOINSECURE too for a forge on plain http)",
		strings.Join(public, " and "), verb, g.fork)
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
