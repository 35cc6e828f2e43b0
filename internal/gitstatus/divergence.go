package gitstatus

import (
	"context"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/commitwalk"
)

// countDivergence counts the commits reachable from a but not b and from b
// but not a, reading commits from db.
func countDivergence(ctx context.Context, db *objectDB, a, b plumbing.Hash) (ahead, behind int, err error) {
	return commitwalk.Count(ctx, func(h plumbing.Hash) (commitwalk.Commit, error) {
		c, err := readCommit(db, h)
		return commitwalk.Commit{Time: c.committerTime, Parents: c.parents}, err
	}, a, b)
}
