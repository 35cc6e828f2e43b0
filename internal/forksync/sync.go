// Package forksync brings a fork's branch up to upstream's, in a clone that
// gofork clone set up (or any clone whose layout forklayout reads): it
// fetches both remotes, moves the local branch when that is safe, and pushes
// upstream's commit to the fork with git, so it works with any forge.
package forksync

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gofork/gofork/internal/forklayout/gitconfig"
)

// Options says what Sync does.
type Options struct {
	Dir    string // in the clone; "." when empty
	Branch string // the branch to sync; the layout's default branch when empty
	// Force pushes upstream's commit over a fork branch that has commits
	// upstream lacks (they are lost from the fork's branch).
	Force bool
	// DryRun fetches (which only moves remote-tracking refs) and says what
	// Sync would do, changing no branch.
	DryRun bool
}

// Result is what Sync found and did. Its JSON names are gofork sync
// --json's contract.
type Result struct {
	Branch         string `json:"branch"`
	Upstream       string `json:"upstream"` // "upstream/main"
	UpstreamCommit string `json:"upstream_commit"`
	Fork           string `json:"fork"`        // "origin/main"
	ForkBefore     string `json:"fork_before"` // "" when the fork had no such branch
	// ForkExtra are the fork branch's commits upstream lacks, one
	// "<short hash> <subject>" each: Sync refuses them without Force.
	ForkExtra []string `json:"fork_extra"`
	Pushed    bool     `json:"pushed"`
	// Local is what happened to the local branch: "fast-forwarded",
	// "updated" (not checked out), "up to date", "absent", or why it was
	// left alone.
	Local  string `json:"local"`
	DryRun bool   `json:"dry_run"`
}

// ErrDiverged is wrapped by the error Sync returns when the fork's branch
// has commits upstream lacks and Force is not set.
var ErrDiverged = errors.New("the fork's branch has commits upstream lacks")

// Sync brings the fork's branch up to upstream's. It refuses, changing
// nothing, when the fork's branch has commits upstream lacks (unless
// Force), and when the branch is checked out in a work tree with
// uncommitted changes.
func Sync(ctx context.Context, opts Options) (*Result, error) {
	g := git{ctx: ctx, dir: opts.Dir}
	if g.dir == "" {
		g.dir = "."
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("sync: %w; gofork sync runs git to fetch and push", err)
	}
	common, err := g.run("rev-parse", "--path-format=absolute", "--git-common-dir")
	if err != nil {
		return nil, fmt.Errorf("sync %q: not in a git clone: %w", g.dir, err)
	}
	layout, err := gitconfig.Read(filepath.Join(common, "config"))
	if err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	if !layout.Triangular() {
		return nil, fmt.Errorf("sync %q: no upstream remote apart from the fork's (%q); run gofork clone, or add upstream's remote as %q", g.dir, layout.ForkRemote, "upstream")
	}
	branch := opts.Branch
	if branch == "" {
		branch = layout.DefaultBranch
	}
	if branch == "" {
		branch, err = g.remoteHead(layout.UpstreamRemote)
		if err != nil {
			return nil, err
		}
	}
	if _, err := g.run("check-ref-format", "--branch", branch); err != nil || strings.HasPrefix(branch, "-") {
		return nil, fmt.Errorf("sync: %q is not a branch name", branch)
	}
	res := &Result{
		Branch: branch, DryRun: opts.DryRun,
		Upstream: layout.UpstreamRemote + "/" + branch, Fork: layout.ForkRemote + "/" + branch,
	}
	// A fork without the branch yet is fine: the push creates it.
	for _, remote := range []string{layout.UpstreamRemote, layout.ForkRemote} {
		_, err := g.run("fetch", "--quiet", "--no-tags", remote, "+refs/heads/"+branch+":refs/remotes/"+remote+"/"+branch)
		switch {
		case err == nil:
		case !strings.Contains(err.Error(), "couldn't find remote ref"):
			return nil, fmt.Errorf("sync: fetch %s from %q: %w", branch, remote, err)
		case remote == layout.UpstreamRemote:
			return nil, fmt.Errorf("sync: upstream %q has no branch %q", remote, branch)
		}
	}
	if res.UpstreamCommit, err = g.commit("refs/remotes/" + res.Upstream); err != nil {
		return nil, fmt.Errorf("sync: read %s: %w", res.Upstream, err)
	}
	res.ForkBefore, _ = g.commit("refs/remotes/" + res.Fork)
	if res.ForkBefore != "" {
		if res.ForkExtra, err = g.lines("log", "--format=%h %s", res.UpstreamCommit+".."+res.ForkBefore); err != nil {
			return nil, err
		}
	}
	if res.ForkExtra == nil {
		res.ForkExtra = []string{} // [] in JSON: none, rather than unknown
	}
	if len(res.ForkExtra) > 0 && !opts.Force {
		return res, fmt.Errorf("sync %s: %w: %d commits (%s); push them upstream first, or pass --force to drop them from %s", branch, ErrDiverged, len(res.ForkExtra), strings.Join(res.ForkExtra, "; "), res.Fork)
	}
	if res.Local, err = g.syncLocal(branch, res.Upstream, res.UpstreamCommit, opts.DryRun); err != nil {
		return res, err
	}
	if res.ForkBefore == res.UpstreamCommit || opts.DryRun {
		return res, nil
	}
	// The lease makes the push fail if the fork's branch moved since the
	// fetch, rather than overwrite what Sync did not see.
	lease := "--force-with-lease=refs/heads/" + branch + ":" + res.ForkBefore
	if _, err := g.run("push", "--quiet", "--no-verify", lease, layout.ForkRemote, res.UpstreamCommit+":refs/heads/"+branch); err != nil {
		return res, fmt.Errorf("sync: push to %q: %w", layout.ForkRemote, err)
	}
	res.Pushed = true
	return res, nil
}

// syncLocal moves the local branch to upstream's commit where that loses
// nothing: a fast-forward of the checked-out branch in a clean work tree,
// or of the ref when no work tree has it checked out.
func (g git) syncLocal(branch, upstreamName, upstream string, dryRun bool) (string, error) {
	ref := "refs/heads/" + branch
	local, err := g.commit(ref)
	switch {
	case err != nil:
		return "absent", nil
	case local == upstream:
		return "up to date", nil
	}
	if _, err := g.run("merge-base", "--is-ancestor", local, upstream); err != nil {
		return fmt.Sprintf("left as it is: it has commits upstream lacks (git rebase %s brings them on top)", upstreamName), nil
	}
	worktree, err := g.checkedOutIn(ref)
	if err != nil {
		return "", err
	}
	here, err := g.run("rev-parse", "--path-format=absolute", "--show-toplevel")
	if err != nil {
		here = ""
	}
	switch {
	case worktree == "":
		if dryRun {
			return "would be updated", nil
		}
		if _, err := g.run("update-ref", "-m", "gofork sync", ref, upstream, local); err != nil {
			return "", fmt.Errorf("sync: update %s: %w", branch, err)
		}
		return "updated", nil
	case worktree != here:
		return "left as it is: checked out in " + worktree, nil
	}
	dirty, err := g.run("status", "--porcelain", "--untracked-files=no")
	if err != nil {
		return "", err
	}
	if dirty != "" {
		return "", fmt.Errorf("sync %s: the work tree has uncommitted changes; commit or stash them first (nothing was changed)", branch)
	}
	if dryRun {
		return "would be fast-forwarded", nil
	}
	if _, err := g.run("merge", "--quiet", "--ff-only", upstream); err != nil {
		return "", fmt.Errorf("sync: fast-forward %s: %w", branch, err)
	}
	return "fast-forwarded", nil
}

// checkedOutIn is the work tree that has ref checked out, "" when none.
func (g git) checkedOutIn(ref string) (string, error) {
	out, err := g.run("worktree", "list", "--porcelain")
	if err != nil {
		return "", err
	}
	var tree string
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		if path, ok := strings.CutPrefix(line, "worktree "); ok {
			tree = path
		}
		if line == "branch "+ref {
			return tree, nil
		}
	}
	return "", nil
}

// remoteHead is the branch the remote's HEAD names.
func (g git) remoteHead(remote string) (string, error) {
	out, err := g.run("symbolic-ref", "--quiet", "refs/remotes/"+remote+"/HEAD")
	if err != nil {
		return "", fmt.Errorf("sync: no default branch recorded for %q; pass --branch", remote)
	}
	return strings.TrimPrefix(out, "refs/remotes/"+remote+"/"), nil
}

type git struct {
	ctx context.Context
	dir string
}

// run runs git in the clone and returns its trimmed output.
func (g git) run(args ...string) (string, error) {
	cmd := exec.CommandContext(g.ctx, "git", args...)
	cmd.Dir = g.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if g.ctx.Err() != nil {
			return "", g.ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndex(msg, "fatal: "); i >= 0 {
			msg = msg[i+len("fatal: "):]
		}
		return "", fmt.Errorf("git %s: %s", args[0], cmp.Or(msg, err.Error()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

func (g git) commit(rev string) (string, error) {
	return g.run("rev-parse", "--verify", "--quiet", rev+"^{commit}")
}

func (g git) lines(args ...string) ([]string, error) {
	out, err := g.run(args...)
	if err != nil || out == "" {
		return nil, err
	}
	return strings.Split(out, "\n"), nil
}

// WriteText writes the result for people: upstream's commit, what happened
// to the fork's branch and to the local one.
func (res *Result) WriteText(w io.Writer) error {
	short := func(id string) string { return id[:min(len(id), 12)] }
	fork := "absent"
	if res.ForkBefore != "" {
		fork = short(res.ForkBefore)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", res.Upstream, short(res.UpstreamCommit))
	switch {
	case res.ForkBefore == res.UpstreamCommit:
		fmt.Fprintf(&b, "%s: up to date\n", res.Fork)
	case res.Pushed:
		fmt.Fprintf(&b, "%s: pushed %s (was %s)\n", res.Fork, short(res.UpstreamCommit), fork)
	case res.DryRun && len(res.ForkExtra) == 0:
		fmt.Fprintf(&b, "%s: would push %s (is %s)\n", res.Fork, short(res.UpstreamCommit), fork)
	case res.DryRun:
		fmt.Fprintf(&b, "%s: would push %s over %d commits upstream lacks (is %s)\n", res.Fork, short(res.UpstreamCommit), len(res.ForkExtra), fork)
	}
	if res.Local != "" {
		fmt.Fprintf(&b, "%s: %s\n", res.Branch, res.Local)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
