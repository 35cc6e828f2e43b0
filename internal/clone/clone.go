// Package clone sets up a clone for working on a fork while every import
// path stays upstream: it clones upstream, adds the fork as a second remote
// and configures the triangular workflow, so `git pull` brings upstream and
// `git push` goes to the fork.
//
// The resulting .git/config, checkable with plain git (package forklayout
// owns this layout and reads it back for status, check and the prompt):
//
//	remote.upstream.url          upstream's URL    (--upstream-name)
//	remote.upstream.gh-resolved  base              (gh's base repository)
//	remote.origin.url            the fork's URL    (--fork-name)
//	remote.pushDefault           origin
//	push.default                 current, unless set: git push from any branch
//	                             goes to the fork under the branch's name
//	branch.autoSetupMerge        inherit, unless set: a branch started from
//	                             the default branch pulls from upstream too
//	branch.<default>.remote      upstream, merge refs/heads/<default>
//	gofork.branch                the default branch
//	gofork.upstream, gofork.fork the root module's path and the fork's, with
//	                             the fork owner swapped in
//	gofork.module                "DIR UPSTREAM FORK" for every other module
//
// A clone is built in a hidden directory next to DIR and moved into place
// only when complete, so a failure or Ctrl-C leaves nothing behind. Run again
// in an existing clone of the same upstream, it repairs remotes and config
// and fetches, touching nothing else.
package clone

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/mod/module"

	"github.com/gofork/gofork/internal/atomicfile"
	"github.com/gofork/gofork/internal/forgeapi"
	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/forklayout/gitconfig"
	"github.com/gofork/gofork/internal/remote"
)

// EnvTransport chooses the transport when --transport is not given.
const EnvTransport = "GOFORK_TRANSPORT"

// DefaultForkWait bounds the wait for a fork made by --create to appear.
const DefaultForkWait = 2 * time.Minute

// Options is `gofork clone`: the parsed command line plus its world.
type Options struct {
	Upstream     string // as typed: owner/repo, module path or git URL
	Dir          string // "" means ./<repo>, or the GOPATH layout with GOPATH set
	GOPATH       bool   // clone to $GOPATH/src/<module path>
	Forge, API   string // --forge, --api; "" defers to the environment
	ForgeKind    string // --forge-kind: github, gitlab or gitea; "" defers to the environment, then the host
	ForkOwner    string // --fork-owner
	Create       bool   // create the fork through the API when missing
	ForkWait     time.Duration
	UpstreamName string // remote for upstream, default "upstream"
	ForkName     string // remote for the fork, default "origin"
	Transport    string // TransportAuto, TransportGit or TransportGoGit
	Quiet        bool   // print nothing on success
	Force        bool   // set up a fork that shares no commit with upstream
	Progress     bool   // show transfer progress (the caller knows whether stderr is a terminal)

	Stdout, Stderr io.Writer
	Getenv         func(string) string
	HTTP           *http.Client // go-get lookups and the forge API; nil means http.DefaultClient
}

// Run clones (or repairs) as Options say.
func Run(ctx context.Context, opts Options) error {
	opts.setDefaults()
	for _, name := range []string{opts.UpstreamName, opts.ForkName} {
		if err := remote.ValidateName("remote", name); err != nil {
			return err
		}
	}
	if opts.UpstreamName == opts.ForkName {
		return fmt.Errorf("remote names: upstream and fork are both %q; give them different names", opts.ForkName)
	}
	forge, err := remote.ForgeFromEnv(opts.Forge, opts.API, opts.ForgeKind, opts.Getenv)
	if err != nil {
		return err
	}
	up, err := remote.Resolve(ctx, opts.Upstream, forge, opts.HTTP)
	if err != nil {
		return err
	}
	api := &forgeapi.Client{Kind: forge.Kind, Base: forge.API, Token: forgeapi.TokenFromEnv(forge.Kind, opts.Getenv), HTTP: opts.HTTP}
	owner, err := forkOwner(ctx, opts.ForkOwner, opts.Getenv, api)
	if err != nil {
		return err
	}
	if strings.EqualFold(owner, up.Owner) {
		return fmt.Errorf("fork owner %q owns upstream %s/%s already: pass --fork-owner with the account that holds your fork", owner, up.Owner, up.Repo)
	}
	// The fork's URL is upstream's in the same form (ssh stays ssh), so
	// pushes use the access the user set up for it.
	forkURL, err := remote.ForkURL(up.URL, owner)
	if err != nil {
		return err
	}
	dir, err := opts.targetDir(up)
	if err != nil {
		return err
	}
	repairing, err := checkTarget(dir, up.URL, forkURL)
	if err != nil {
		return err
	}

	var progress io.Writer
	if opts.Progress && !opts.Quiet {
		progress = opts.Stderr
	}
	tr, err := newTransport(opts.Transport, progress)
	if err != nil {
		return err
	}
	branch, err := tr.defaultBranch(ctx, up.URL)
	if err != nil {
		return fmt.Errorf("reach upstream %s: %w; check the name and --forge (%s)", up.URL, err, forge.URL)
	}
	if err := ensureFork(ctx, tr, api, opts, up, owner, forkURL); err != nil {
		return err
	}

	l := forklayout.Layout{UpstreamRemote: opts.UpstreamName, UpstreamURL: up.URL, ForkRemote: opts.ForkName, ForkURL: forkURL, DefaultBranch: branch}
	if repairing {
		if err := configure(ctx, tr, dir, up, owner, &l, opts.Force); err != nil {
			return err
		}
		return opts.report("Repaired", dir, up, l)
	}
	err = build(dir, func(tmp string) error {
		if err := tr.clone(ctx, up.URL, tmp, opts.UpstreamName); err != nil {
			return fmt.Errorf("clone %s: %w", up.URL, err)
		}
		return configure(ctx, tr, tmp, up, owner, &l, opts.Force)
	})
	if err != nil {
		return err
	}
	return opts.report("Cloned", dir, up, l)
}

func (opts *Options) setDefaults() {
	if opts.UpstreamName == "" {
		opts.UpstreamName = "upstream"
	}
	if opts.ForkName == "" {
		opts.ForkName = "origin"
	}
	if opts.ForkWait == 0 {
		opts.ForkWait = DefaultForkWait
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Transport == TransportAuto {
		opts.Transport = opts.Getenv(EnvTransport)
	}
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
}

func (opts *Options) targetDir(up remote.Upstream) (string, error) {
	dir := opts.Dir
	switch {
	case dir != "" && opts.GOPATH:
		return "", errors.New("give either DIR or --gopath, not both")
	case opts.GOPATH:
		gopath := opts.Getenv("GOPATH")
		if gopath == "" {
			home := opts.Getenv("HOME")
			if home == "" {
				return "", errors.New("--gopath: neither $GOPATH nor $HOME is set")
			}
			gopath = filepath.Join(home, "go")
		}
		gopath = filepath.SplitList(gopath)[0]
		if up.Module == "" {
			return "", fmt.Errorf("--gopath: %q names no module path; name the upstream by its module path, e.g. github.com/%s/%s", opts.Upstream, up.Owner, up.Repo)
		}
		// GOPATH holds a repository once, at its import path: a /vN major
		// version lives inside it (gopkg.in's .vN is part of the path).
		repoPath := up.Module
		if !strings.HasPrefix(repoPath, "gopkg.in/") {
			repoPath, _, _ = module.SplitPathVersion(repoPath)
		}
		dir = filepath.Join(gopath, "src", filepath.FromSlash(repoPath))
	case dir == "":
		dir = up.Repo
	}
	return filepath.Abs(dir)
}

// checkTarget says whether dir is a clone of upstream or of the fork to
// repair (true), or absent or empty, ready for a new clone (false). Anything
// else is an error, and dir is left as it is.
func checkTarget(dir, upstreamURL, forkURL string) (bool, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("clone into %q: %w", dir, err)
	case len(entries) == 0:
		return false, nil
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return false, fmt.Errorf("clone into %q: the directory is not empty and holds no git repository; choose another DIR", dir)
	}
	remotes, err := repo.Remotes()
	if err != nil {
		return false, fmt.Errorf("clone into %q: read its remotes: %w", dir, err)
	}
	for _, r := range remotes {
		for _, u := range r.Config().URLs {
			if sameRepo(u, upstreamURL) || sameRepo(u, forkURL) {
				return true, nil
			}
		}
	}
	return false, fmt.Errorf("clone into %q: it is a clone of another repository (no remote points at %s or %s); choose another DIR", dir, upstreamURL, forkURL)
}

// sameRepo reports whether two git URLs name the same repository, allowing
// for a trailing ".git" or "/" and for https versus ssh spellings.
func sameRepo(a, b string) bool {
	trim := func(s string) string { return strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git") }
	if trim(a) == trim(b) {
		return true
	}
	ma, errA := remote.ModulePathFromURL(a)
	mb, errB := remote.ModulePathFromURL(b)
	return errA == nil && errB == nil && strings.EqualFold(ma, mb)
}

// ensureFork makes sure the fork can be fetched, creating it through the
// forge's API with --create.
func ensureFork(ctx context.Context, tr transport, api *forgeapi.Client, opts Options, up remote.Upstream, owner, forkURL string) error {
	_, probeErr := tr.defaultBranch(ctx, forkURL)
	if probeErr == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if !opts.Create {
		return fmt.Errorf("fork %s/%s: cannot fetch %s: %w; create it with --create (needs a token in $GOFORK_TOKEN) or on the forge, or pass --fork-owner",
			owner, up.Repo, forkURL, probeErr)
	}
	if !up.OnForge || api.Base == "" {
		return fmt.Errorf("--create: no forge API for %s; pass --api (GitHub's is %s)", up.URL, remote.DefaultAPI)
	}
	fork, err := api.CreateFork(ctx, up.Owner, up.Repo)
	if err != nil {
		return err
	}
	if fork.Owner != "" && !strings.EqualFold(fork.Owner, owner) {
		return fmt.Errorf("--create: the forge forked %s/%s into %q's account, not %q; pass --fork-owner %s",
			up.Owner, up.Repo, fork.Owner, owner, fork.Owner)
	}
	if !opts.Quiet {
		fmt.Fprintf(opts.Stderr, "Created fork %s/%s; waiting until it can be fetched…\n", owner, up.Repo)
	}
	return waitFor(ctx, opts.ForkWait, func() error {
		_, err := tr.defaultBranch(ctx, forkURL)
		return err
	}, func(err error) error {
		return fmt.Errorf("fork %s/%s was created but %s could not be fetched within %s: %w; run the same command again later", owner, up.Repo, forkURL, opts.ForkWait, err)
	})
}

// waitFor retries check with exponential backoff until it succeeds, ctx
// ends or limit passes; then it returns timeout(last error).
func waitFor(ctx context.Context, limit time.Duration, check func() error, timeout func(error) error) error {
	deadline := time.Now().Add(limit)
	delay := 100 * time.Millisecond
	for {
		err := check()
		if err == nil {
			return nil
		}
		if time.Now().Add(delay).After(deadline) {
			return timeout(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}

// configure writes the layout into the repository at dir and fetches both
// remotes. The modules it found are left in l.
func configure(ctx context.Context, tr transport, dir string, up remote.Upstream, owner string, l *forklayout.Layout, force bool) error {
	mods, err := forklayout.FindModules(dir)
	if err != nil {
		return fmt.Errorf("find the modules in %s: %w", dir, err)
	}
	if len(mods) == 0 && up.Module != "" {
		mods = []forklayout.Module{{Dir: ".", Upstream: up.Module}}
	}
	upRoot, forkRoot := repoRoots(up, mods, l.ForkURL, owner)
	for i := range mods {
		mods[i].Fork = forkModule(mods[i], upRoot, forkRoot, owner)
	}
	l.Modules = mods
	configPath := filepath.Join(dir, ".git", "config")
	oldConfig, err := os.ReadFile(configPath)
	if err != nil {
		return fmt.Errorf("configure %q: %w", dir, err)
	}
	if err := gitconfig.Write(configPath, *l); err != nil {
		return fmt.Errorf("configure %q: %w", dir, err)
	}
	for _, name := range []string{l.UpstreamRemote, l.ForkRemote} {
		if err := tr.fetch(ctx, dir, name); err != nil {
			return fmt.Errorf("fetch %s: %w", name, err)
		}
	}
	if force {
		return nil
	}
	if err := checkSharedHistory(dir, *l); err != nil {
		// A repair puts the config back as it was; a new clone is removed.
		if rerr := atomicfile.Replace(configPath, oldConfig); rerr != nil {
			return fmt.Errorf("%w (and restoring %s failed: %v)", err, configPath, rerr)
		}
		return err
	}
	return nil
}

// checkSharedHistory makes sure the fork is a fork of upstream: its default
// branch (or, when it has none of that name, any branch) shares a commit
// with upstream's. A fork owner mistyped into someone's unrelated project of
// the same name would otherwise be pushed to silently.
func checkSharedHistory(dir string, l forklayout.Layout) error {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return err
	}
	upRef, err := repo.Reference(plumbing.NewRemoteReferenceName(l.UpstreamRemote, l.DefaultBranch), true)
	if err != nil {
		return fmt.Errorf("read upstream's %s: %w", l.DefaultBranch, err)
	}
	upstream, err := repo.CommitObject(upRef.Hash())
	if err != nil {
		return err
	}
	refs, err := repo.References()
	if err != nil {
		return err
	}
	var forkRefs []*plumbing.Reference
	prefix := "refs/remotes/" + l.ForkRemote + "/"
	_ = refs.ForEach(func(r *plumbing.Reference) error {
		if strings.HasPrefix(r.Name().String(), prefix) && r.Type() == plumbing.HashReference {
			if r.Name().Short() == l.ForkRemote+"/"+l.DefaultBranch {
				forkRefs = append([]*plumbing.Reference{r}, forkRefs...)
			} else {
				forkRefs = append(forkRefs, r)
			}
		}
		return nil
	})
	if len(forkRefs) == 0 {
		return nil // an empty fork: the first push gives it upstream's history
	}
	fork, err := repo.CommitObject(forkRefs[0].Hash())
	if err != nil {
		return err
	}
	bases, err := upstream.MergeBase(fork)
	if err != nil {
		return fmt.Errorf("compare the fork's history with upstream's: %w", err)
	}
	if len(bases) == 0 {
		return fmt.Errorf("fork %s shares no commit with upstream %s (compared %s with %s/%s): it is another project, not a fork of this one; check --fork-owner, or pass --force to set it up anyway",
			l.ForkURL, l.UpstreamURL, forkRefs[0].Name().Short(), l.UpstreamRemote, l.DefaultBranch)
	}
	return nil
}

// repoRoots are the module paths of upstream's repository root and of the
// fork's: upstream's from the root module (its major version suffix cut),
// which has the final word, else from the name the user gave; the fork's
// is upstream's with the owner swapped, or for a vanity path the one its
// URL names. Either is "" when nothing says.
func repoRoots(up remote.Upstream, mods []forklayout.Module, forkURL, owner string) (upRoot, forkRoot string) {
	upRoot = up.Module
	if len(mods) > 0 && mods[0].Dir == "." {
		upRoot = mods[0].Upstream
	}
	if prefix, major, ok := module.SplitPathVersion(upRoot); ok && strings.HasPrefix(major, "/") {
		upRoot = prefix
	}
	if root, err := forklayout.ForkModulePath(upRoot, owner); err == nil {
		return upRoot, root
	}
	if root, err := remote.ModulePathFromURL(forkURL); err == nil {
		return upRoot, root
	}
	return upRoot, ""
}

// forkModule is the fork's path of module m, "" when it cannot be known (a
// vanity path on a forge without host names). A module inside upstream's
// repository path has its owner swapped, or on a vanity host the fork's
// repository root put in place of upstream's; any other (a sub-module that
// still declares the project's old path, as moby's man does with
// github.com/docker/docker/man) is where the go command would find it in
// the fork: the fork's root joined with its directory.
func forkModule(m forklayout.Module, upRoot, forkRoot, owner string) string {
	if upRoot != "" && forklayout.Within(m.Upstream, upRoot) {
		if p, err := forklayout.ForkModulePath(m.Upstream, owner); err == nil {
			return p
		}
		if forkRoot != "" {
			return forkRoot + m.Upstream[len(upRoot):]
		}
	}
	if forkRoot != "" {
		return forklayout.VanityForkPath(forkRoot, m.Dir, m.Upstream)
	}
	return ""
}

// build makes dir by filling a hidden sibling directory and moving it into
// place when fill succeeds. On failure or cancellation everything it made —
// the sibling, and any parent directories it created — is removed; an empty
// dir that was already there stays, empty.
func build(dir string, fill func(tmp string) error) (err error) {
	parent := filepath.Dir(dir)
	firstNew := firstMissing(parent)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return fmt.Errorf("clone into %q: %w", dir, err)
	}
	tmp, err := mkdirSibling(parent, "."+filepath.Base(dir)+".gofork-")
	if err != nil {
		return fmt.Errorf("clone into %q: %w", dir, err)
	}
	defer func() {
		os.RemoveAll(tmp)
		if err != nil && firstNew != "" {
			os.RemoveAll(firstNew)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err == nil {
		return nil
	}
	// dir exists and is empty (checkTarget said so): keep it, with its mode
	// and owner, and move the clone's entries into it.
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return fmt.Errorf("clone into %q: %w", dir, err)
	}
	for i, e := range entries {
		if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			for _, moved := range entries[:i] {
				os.RemoveAll(filepath.Join(dir, moved.Name()))
			}
			return fmt.Errorf("clone into %q: %w", dir, err)
		}
	}
	return nil
}

// mkdirSibling makes a new directory in parent named prefix and a random
// suffix. Unlike os.MkdirTemp (always 0700) it asks for 0777 and lets the
// umask decide, as git clone does: under umask 022 the clone is 0755 and
// another user can read it (gofork use --dir from their module).
func mkdirSibling(parent, prefix string) (string, error) {
	for {
		p := filepath.Join(parent, prefix+strconv.FormatUint(rand.Uint64(), 36))
		if err := os.Mkdir(p, 0o777); !errors.Is(err, fs.ErrExist) {
			return p, err
		}
	}
}

// firstMissing returns the outermost directory of dir's path that does not
// exist yet, or "" when dir exists.
func firstMissing(dir string) string {
	missing := ""
	for {
		if _, err := os.Lstat(dir); err == nil {
			return missing
		}
		missing = dir
		up := filepath.Dir(dir)
		if up == dir {
			return missing
		}
		dir = up
	}
}

func (opts *Options) report(verb, dir string, up remote.Upstream, l forklayout.Layout) error {
	if opts.Quiet {
		return nil
	}
	rel := dir
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, dir); err == nil && !strings.HasPrefix(r, "..") {
			rel = r
		}
	}
	w := opts.Stdout
	fmt.Fprintf(w, "%s %s/%s into %s\n", verb, up.Owner, up.Repo, rel)
	fmt.Fprintf(w, "  %-10s %s (git pull)\n", l.UpstreamRemote, l.UpstreamURL)
	fmt.Fprintf(w, "  %-10s %s (git push)\n", l.ForkRemote, l.ForkURL)
	for _, m := range l.Modules {
		fork := m.Fork
		if fork == "" {
			fork = "unknown: the fork's URL names no host to give it a module path"
		}
		fmt.Fprintf(w, "  %-10s %s (fork: %s)\n", "module", m.Upstream, fork)
	}
	return nil
}
