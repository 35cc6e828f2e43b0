package forkuse

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/commitwalk"
	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/forklayout/gitconfig"
	"github.com/gofork/gofork/internal/modrewrite"
	"github.com/gofork/gofork/internal/remote"
)

// Report is what status found; its JSON names are `gofork status --json`'s
// contract. Either part is nil when Dir is not in such a place.
type Report struct {
	Clone    *CloneReport    `json:"clone,omitempty"`
	Consumer *ConsumerReport `json:"consumer,omitempty"`
}

// CloneReport describes a clone set up by `gofork clone`.
type CloneReport struct {
	Dir            string `json:"dir"`
	UpstreamModule string `json:"upstream_module,omitempty"` // the root module's path (git config gofork.upstream)
	ForkModule     string `json:"fork_module,omitempty"`     // its fork's path (git config gofork.fork)
	// Modules are every module gofork clone recorded, the root module first.
	Modules       []forklayout.Module `json:"modules,omitempty"`
	Remotes       []Remote            `json:"remotes"`
	DefaultBranch string              `json:"default_branch"`
	Tracks        string              `json:"tracks,omitempty"` // what the default branch pulls from: "upstream/main"
	Branch        string              `json:"branch"`           // checked out; "" when detached
	// The checked-out commit against upstream's default branch and against
	// the fork's copy of the branch ("" when the fork has none).
	UpstreamRef    string `json:"upstream_ref,omitempty"`
	AheadUpstream  int    `json:"ahead_upstream"`
	BehindUpstream int    `json:"behind_upstream"`
	ForkRef        string `json:"fork_ref,omitempty"`
	AheadFork      int    `json:"ahead_fork"`
	BehindFork     int    `json:"behind_fork"`
}

// Remote is a git remote.
type Remote struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	PushURL string `json:"push_url,omitempty"`
}

// ConsumerReport lists the replace directives a module builds with.
type ConsumerReport struct {
	Module   string          `json:"module"`
	GoMod    string          `json:"gomod"`
	GoWork   string          `json:"gowork,omitempty"`
	Replaces []ReplaceReport `json:"replaces"`
}

// ReplaceReport is one replace directive.
type ReplaceReport struct {
	File       string `json:"file"`
	Line       int    `json:"line"`
	Module     string `json:"module"`
	OldVersion string `json:"old_version,omitempty"`
	Path       string `json:"path"`
	Version    string `json:"version,omitempty"` // "" for a directory
	Dir        bool   `json:"dir"`
	Fork       string `json:"fork,omitempty"` // the fork's module path when the replacement is a fork of Module
	Gofork     bool   `json:"gofork"`         // written by gofork use
	Was        string `json:"was,omitempty"`
	Overridden bool   `json:"overridden"` // a go.mod replace that go.work overrides
	// Rev is the fork revision a gofork use --fork line follows ("" for
	// the fork's default branch), Forge the forge it was read from ("" for
	// the default); Forward what the forge says of it.
	Rev   string `json:"rev,omitempty"`
	Forge string `json:"forge,omitempty"`
	// With is the module whose replace this sibling's came with.
	With    string   `json:"with,omitempty"`
	Forward *Forward `json:"forward,omitempty"`
}

// forgeTimeout bounds what status waits for the forge.
const forgeTimeout = 20 * time.Second

// Status reports on the clone and the module at dir; getenv is os.Getenv
// in production (GOWORK is read). The forge asked about each --fork replace
// is forgeFlag (--forge), else the one the replace records, else
// $GOFORK_FORGE, else the default.
func Status(ctx context.Context, dir, forgeFlag string, getenv func(string) string) (*Report, error) {
	var rep Report
	var err error
	if rep.Clone, err = cloneReport(ctx, dir); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	if rep.Consumer, err = consumerReport(dir, getenv); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	if rep.Consumer != nil {
		// The forge is asked about each --fork replace; a slow or absent
		// one must not hold status up for long.
		ctx, cancel := context.WithTimeout(ctx, forgeTimeout)
		defer cancel()
		for i := range rep.Consumer.Replaces {
			if r := &rep.Consumer.Replaces[i]; r.Gofork && !r.Dir {
				r.Forward = forward(ctx, r, cmp.Or(forgeFlag, r.Forge), getenv)
			}
		}
	}
	if rep.Clone == nil && rep.Consumer == nil {
		return nil, fmt.Errorf("status: %s is neither in a Go module nor in a git clone; run it in a clone made by gofork clone or in a module that uses a fork", dir)
	}
	return &rep, nil
}

// cloneReport returns nil when dir is in no git repository.
func cloneReport(ctx context.Context, dir string) (*CloneReport, error) {
	repo, err := gitconfig.OpenRepository(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open the git repository at %s: %w", dir, err)
	}
	cfg, err := repo.Config()
	if err != nil {
		return nil, fmt.Errorf("read git config: %w", err)
	}
	wt, err := repo.Worktree()
	if errors.Is(err, git.ErrIsBareRepository) {
		return nil, nil // nothing checked out to report on
	}
	if err != nil {
		return nil, fmt.Errorf("open the work tree: %w", err)
	}
	l := forklayout.Read(gitconfig.Flatten(cfg.Raw))
	rep := &CloneReport{Dir: wt.Filesystem.Root(), Modules: l.Modules}
	if root, ok := l.RootModule(); ok {
		rep.UpstreamModule, rep.ForkModule = root.Upstream, root.Fork
	}
	for name, rc := range cfg.Remotes {
		r := Remote{Name: name}
		if len(rc.URLs) > 0 {
			r.URL = rc.URLs[0]
		}
		r.PushURL = cfg.Raw.Section("remote").Subsection(name).Option("pushurl")
		rep.Remotes = append(rep.Remotes, r)
	}
	sortRemotes(rep.Remotes, l.UpstreamRemote)

	upstreamRemote, forkRemote := l.UpstreamRemote, l.ForkRemote
	rep.DefaultBranch = l.DefaultBranch
	if rep.DefaultBranch == "" {
		rep.DefaultBranch = defaultBranch(repo, upstreamRemote)
	}
	if b, ok := cfg.Branches[rep.DefaultBranch]; ok && b.Remote != "" {
		rep.Tracks = b.Remote + "/" + b.Merge.Short()
	}
	head, err := repo.Reference(plumbing.HEAD, false)
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	if head.Type() == plumbing.SymbolicReference {
		rep.Branch = head.Target().Short()
	}
	if head, err := repo.Head(); err == nil { // an unborn branch has nothing to count
		if ref := plumbing.NewRemoteReferenceName(upstreamRemote, rep.DefaultBranch); hasRef(repo, ref) {
			rep.UpstreamRef = ref.String()
			if rep.AheadUpstream, rep.BehindUpstream, err = countDivergence(ctx, repo, head.Hash(), ref); err != nil {
				return nil, err
			}
		}
		if ref := plumbing.NewRemoteReferenceName(forkRemote, rep.Branch); rep.Branch != "" && hasRef(repo, ref) {
			rep.ForkRef = ref.String()
			if rep.AheadFork, rep.BehindFork, err = countDivergence(ctx, repo, head.Hash(), ref); err != nil {
				return nil, err
			}
		}
	}
	return rep, nil
}

// countDivergence counts the commits head has that ref lacks and the other
// way round, with the repository status already holds open.
func countDivergence(ctx context.Context, repo *git.Repository, head plumbing.Hash, ref plumbing.ReferenceName) (ahead, behind int, err error) {
	other, err := repo.Reference(ref, true)
	if err != nil {
		return 0, 0, fmt.Errorf("read %s: %w", ref, err)
	}
	ahead, behind, err = commitwalk.Count(ctx, func(h plumbing.Hash) (commitwalk.Commit, error) {
		c, err := repo.CommitObject(h)
		if err != nil {
			return commitwalk.Commit{}, err
		}
		return commitwalk.Commit{Time: c.Committer.When.Unix(), Parents: c.ParentHashes}, nil
	}, head, other.Hash())
	if err != nil {
		return 0, 0, fmt.Errorf("compare HEAD with %s: %w", ref.Short(), err)
	}
	return ahead, behind, nil
}

func hasRef(repo *git.Repository, name plumbing.ReferenceName) bool {
	_, err := repo.Reference(name, true)
	return err == nil
}

// defaultBranch is what upstream's HEAD names when the clone recorded it,
// else main or master if the clone has one, else the checked-out branch.
func defaultBranch(repo *git.Repository, upstreamRemote string) string {
	if ref, err := repo.Reference(plumbing.NewRemoteHEADReferenceName(upstreamRemote), false); err == nil && ref.Type() == plumbing.SymbolicReference {
		return strings.TrimPrefix(ref.Target().Short(), upstreamRemote+"/")
	}
	for _, name := range []string{"main", "master"} {
		if hasRef(repo, plumbing.NewBranchReferenceName(name)) {
			return name
		}
	}
	if head, err := repo.Reference(plumbing.HEAD, false); err == nil {
		return head.Target().Short()
	}
	return ""
}

func sortRemotes(rs []Remote, upstream string) {
	// upstream first, then by name: the order a reader follows the workflow in
	rank := func(r Remote) string {
		if r.Name == upstream {
			return ""
		}
		return r.Name
	}
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rank(rs[j]) < rank(rs[j-1]); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

// consumerReport returns nil when dir is in no Go module.
func consumerReport(dir string, getenv func(string) string) (*ConsumerReport, error) {
	c, err := findConsumer(dir)
	if err != nil {
		if errors.Is(err, errNoModule) {
			return nil, nil
		}
		return nil, err
	}
	rep := &ConsumerReport{GoMod: c.doc.Path, Replaces: []ReplaceReport{}}
	if c.gomod.Module != nil {
		rep.Module = c.gomod.Module.Mod.Path
	}
	var workReplaced map[string]bool
	workPath, _, err := modrewrite.WorkFile(c.dir, getenv)
	if err != nil {
		return nil, err
	}
	if workPath != "" {
		work, _, err := modrewrite.ReadWorkFile(workPath, false, "")
		if err != nil {
			return nil, err
		}
		rep.GoWork = workPath
		workReplaced = map[string]bool{}
		for _, r := range work.Replaces() {
			workReplaced[r.Old.Path] = true
			rep.Replaces = append(rep.Replaces, replaceReport(work.Path, r))
		}
	}
	for _, r := range c.doc.Replaces() {
		rr := replaceReport(c.doc.Path, r)
		rr.Overridden = workReplaced[r.Old.Path]
		rep.Replaces = append(rep.Replaces, rr)
	}
	return rep, nil
}

func replaceReport(file string, r modrewrite.Replace) ReplaceReport {
	rr := ReplaceReport{
		File: file, Line: r.Line,
		Module: r.Old.Path, OldVersion: r.Old.Version,
		Path: r.New.Path, Version: r.New.Version, Dir: r.IsDir(),
		Gofork: r.Gofork, Was: r.Was, Rev: r.Rev, Forge: r.Forge, With: r.With,
	}
	if rr.Dir {
		rr.Fork = checkoutFork(filepath.Join(filepath.Dir(file), filepath.FromSlash(r.New.Path)), r.Old.Path)
	} else if isForkPath(r.Old.Path, r.New.Path) {
		rr.Fork = r.New.Path
	}
	return rr
}

// isForkPath reports whether forkPath is upstream's module path with another
// owner.
func isForkPath(upstream, forkPath string) bool {
	elems := strings.Split(forkPath, "/")
	if len(elems) < 2 || forkPath == upstream {
		return false
	}
	p, err := forklayout.ForkModulePath(upstream, elems[1])
	return err == nil && p == forkPath
}

// checkoutFork is the fork's module path when dir is a clone of a fork of
// upstream: the one `gofork clone` recorded, else the one its origin URL
// names.
func checkoutFork(dir, upstream string) string {
	repo, err := gitconfig.OpenRepository(dir)
	if err != nil {
		return ""
	}
	cfg, err := repo.Config()
	if err != nil {
		return ""
	}
	if fork, ok := forklayout.Read(gitconfig.Flatten(cfg.Raw)).ForkOf(upstream); ok {
		return fork
	}
	origin, ok := cfg.Remotes["origin"]
	if !ok || len(origin.URLs) == 0 {
		return ""
	}
	repoPath, err := remote.ModulePathFromURL(origin.URLs[0])
	if err != nil {
		return ""
	}
	upElems := strings.Split(upstream, "/")
	if len(upElems) < 3 {
		return ""
	}
	if candidate := repoPath + strings.TrimPrefix(upstream, strings.Join(upElems[:3], "/")); isForkPath(upstream, candidate) {
		return candidate
	}
	return ""
}
