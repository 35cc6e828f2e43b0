package commitwalk

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// graph is a history in memory: commit i has the parents and time given.
type graph map[plumbing.Hash]Commit

func id(i int) plumbing.Hash { return plumbing.NewHash(fmt.Sprintf("%040x", i)) }

func (g graph) read(h plumbing.Hash) (Commit, error) {
	c, ok := g[h]
	if !ok {
		return Commit{}, errors.New("no such commit")
	}
	return c, nil
}

func TestCount(t *testing.T) {
	// 1 ← 2 ← 3 ← 4 (a), and 2 ← 5 ← 6 (b) merged into 7 with 4;
	// all at one time, as scripted histories are.
	g := graph{
		id(1): {Time: 100},
		id(2): {Time: 100, Parents: []plumbing.Hash{id(1)}},
		id(3): {Time: 100, Parents: []plumbing.Hash{id(2)}},
		id(4): {Time: 100, Parents: []plumbing.Hash{id(3)}},
		id(5): {Time: 100, Parents: []plumbing.Hash{id(2)}},
		id(6): {Time: 100, Parents: []plumbing.Hash{id(5)}},
		id(7): {Time: 100, Parents: []plumbing.Hash{id(4), id(6)}},
	}
	for _, tt := range []struct{ a, b, ahead, behind int }{
		{4, 6, 2, 2},
		{7, 6, 3, 0},
		{6, 7, 0, 3},
		{4, 4, 0, 0},
		{1, 7, 0, 6},
	} {
		ahead, behind, err := Count(context.Background(), g.read, id(tt.a), id(tt.b))
		if err != nil || ahead != tt.ahead || behind != tt.behind {
			t.Errorf("Count(%d, %d) = %d, %d, %v; want %d, %d", tt.a, tt.b, ahead, behind, err, tt.ahead, tt.behind)
		}
	}
	if _, _, err := Count(context.Background(), g.read, id(4), id(99)); err == nil {
		t.Error("Count with a missing commit: want an error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Count(ctx, g.read, id(4), id(6)); !errors.Is(err, context.Canceled) {
		t.Errorf("Count with a cancelled context: %v", err)
	}
}

// A parent newer than its child (clock skew): 1 (time 500) is reachable
// from b through 2 (time 100), whose date alone would stop the walk before
// it gets there; git counts ↑1 ↓1 (git rev-list --left-right --count).
func TestCountWithClockSkew(t *testing.T) {
	g := graph{
		id(1): {Time: 500},
		id(2): {Time: 100, Parents: []plumbing.Hash{id(1)}},
		id(3): {Time: 600, Parents: []plumbing.Hash{id(1), id(2)}}, // a
		id(4): {Time: 550, Parents: []plumbing.Hash{id(2)}},        // b
	}
	ahead, behind, err := Count(context.Background(), g.read, id(3), id(4))
	if err != nil || ahead != 1 || behind != 1 {
		t.Errorf("Count = %d, %d, %v; want 1, 1 as git counts", ahead, behind, err)
	}
}
