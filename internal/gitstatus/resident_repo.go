package gitstatus

import (
	"context"
	"path/filepath"
	"slices"

	"github.com/gofork/gofork/internal/sysfs"
)

// repoSide is what a full Read read outside the work tree: the
// repository opened, the Status fields read from it and what counting the
// work tree needs. It holds while no event comes from the git directory's
// watches and the files read outside them (the global and system
// configuration, core.excludesFile and the attributes files, an index
// named by GIT_INDEX_FILE) keep their stat data; a Read then only counts
// the work tree, which after no change is taking the root's total.
type repoSide struct {
	work *workCount
	st   Status
	deps []fileDep
}

// fileDep is a file the repository side was read from, with its stat data
// then.
type fileDep struct {
	path   string
	stat   dirStat
	exists bool
}

func statDep(path string) fileDep {
	var st sysfs.Stat_t
	if err := sysfs.Stat(path, &st); err != nil {
		return fileDep{path: path}
	}
	return fileDep{path: path, stat: dirStatOf(&st), exists: true}
}

// maxAnswered bounds the directories a Resident finds its trees by.
const maxAnswered = 1024

func (t *residentTree) dropSide() {
	if t.side != nil {
		t.side.work.r.close()
		t.side = nil
	}
}

// keepRepository keeps what a full Read read of the repository for the
// next, when nothing there can change unseen: the git directory was
// watched before the Read began (it read the configuration before setting
// the watches again), no operation is in progress (its step files live in
// directories not watched), the budget held, and the files outside are
// not so recent that a change in the same clock tick could keep their
// stat data. It reports whether it kept r, which the caller then must not
// close.
func (t *residentTree) keepRepository(r *repo, w *workCount, st *Status) bool {
	if t.watch == nil || !t.gitSteady || st.State != "" || w.ctx.Err() != nil || st.Ahead < 0 || st.PushAhead < 0 {
		return false
	}
	var paths []string
	watched := []string{r.gitdir, r.commondir, filepath.Join(r.commondir, "info")}
	for _, p := range slices.Concat(r.configFiles, r.ruleFiles(), []string{r.indexName()}) {
		if !slices.Contains(watched, filepath.Dir(p)) && !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	cutoff := t.res.now().Add(-listingRacyMargin)
	deps := make([]fileDep, 0, len(paths))
	for _, p := range paths {
		d := statDep(p)
		if d.exists && !d.stat.changed().Before(cutoff) {
			return false
		}
		deps = append(deps, d)
	}
	t.dropSide()
	t.side = &repoSide{work: w, st: *st, deps: deps}
	// The directory asked about finds this tree again without looking
	// for its repository, if no .git can be made between them unseen:
	// it is the top, or a tracked directory, watched.
	if rel, err := filepath.Rel(r.workdir, r.dir); err == nil && (rel == "." || t.nodes[filepath.ToSlash(rel)+"/"] != nil) {
		t.res.mu.Lock()
		if len(t.res.answered) >= maxAnswered {
			clear(t.res.answered) // each is found again by its next full Read
		}
		t.res.answered[r.dir] = t.key
		t.res.mu.Unlock()
	}
	return true
}

// reread is Read of a directory whose tree keeps its repository side:
// only the work tree is counted. ok is false when Read must read
// everything; r may be nil.
func (r *Resident) reread(ctx context.Context, dir string, opts Options) (st *Status, ok bool, err error) {
	if r == nil {
		return nil, false, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false, nil
	}
	r.mu.Lock()
	t := r.trees[r.answered[abs]]
	if t != nil {
		t.used = r.now()
	}
	r.mu.Unlock()
	if t == nil {
		return nil, false, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if fileIDOf(t.workdir) != t.top {
		return nil, false, nil // the work tree's path names another directory now
	}
	if rel, _ := filepath.Rel(t.workdir, abs); rel != "." {
		if n := t.nodes[filepath.ToSlash(rel)+"/"]; n == nil {
			return nil, false, nil // no longer a tracked directory
		}
	}
	t.startRead(opts.CacheDir)
	t.takeEvents()
	side := t.side
	if side == nil {
		return nil, false, nil
	}
	for _, d := range side.deps {
		if statDep(d.path) != d {
			t.dropSide()
			return nil, false, nil
		}
	}
	w := *side.work
	w.ctx, w.opts = ctx, opts
	status := side.st
	if err := w.count(&status, t, nil); err != nil {
		return nil, true, err
	}
	t.reused = t.scanned == 0
	return &status, true, nil
}
