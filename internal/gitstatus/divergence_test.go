package gitstatus

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// countRevisions counts how far revisions a and b of the repository
// containing dir have diverged, as `git rev-list --left-right --count a...b`
// does, for the tests that compare the two.
func countRevisions(ctx context.Context, dir, a, b string) (ahead, behind int, err error) {
	r, err := openRepo(dir)
	if err != nil {
		return 0, 0, err
	}
	defer r.close()
	ha, err := r.revision(a)
	if err != nil {
		return 0, 0, err
	}
	hb, err := r.revision(b)
	if err != nil {
		return 0, 0, err
	}
	return countDivergence(ctx, r.objects, ha, hb)
}

// revision resolves a full ref name ("refs/remotes/upstream/main"), "HEAD"
// or an object id.
func (r *repo) revision(rev string) (plumbing.Hash, error) {
	if plumbing.IsHash(rev) {
		return plumbing.NewHash(rev), nil
	}
	if rev == "HEAD" {
		_, h, err := r.readHead()
		if err == nil && h.IsZero() {
			err = fmt.Errorf("HEAD has no commit yet")
		}
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w", rev, err)
		}
		return h, nil
	}
	h, err := r.resolve(rev)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w; give a full ref name such as refs/remotes/origin/main", rev, err)
	}
	return h, nil
}
