// Package commitwalk counts how far two commits have diverged, as
// `git rev-list --left-right --count a...b` does, over any store of commits:
// gitprompt's own object reader and go-git's both feed it.
package commitwalk

import (
	"container/heap"
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// Commit is what the walk needs of a commit.
type Commit struct {
	Time    int64 // committer time, Unix seconds
	Parents []plumbing.Hash
}

// ReadFunc reads the commit h.
type ReadFunc func(h plumbing.Hash) (Commit, error)

// slop is git's SLOP (revision.c): how many commits the walk goes on once
// commit dates say it may stop.
const slop = 5

const (
	sideA = 1 << iota
	sideB
	bothSides = sideA | sideB
)

// Count returns the number of commits reachable from a but not from b
// (ahead) and from b but not from a (behind). It paints commits reachable
// from a and from b, newest first, as git's merge-base walk does, and stops
// once every commit still queued is reachable from both and older than
// every commit seen from one side only, and goes on for a few commits more
// (git's slop), which clock skew needs. A commit that gains a side after
// being visited is visited again, so equal commit times (common in
// scripted histories) cannot miscount. It stops with ctx's error when ctx
// is done.
func Count(ctx context.Context, read ReadFunc, a, b plumbing.Hash) (ahead, behind int, err error) {
	if a == b {
		return 0, 0, nil
	}
	w := &walk{read: read, flags: map[plumbing.Hash]uint8{}}
	if err := w.mark(a, sideA); err != nil {
		return 0, 0, err
	}
	if err := w.mark(b, sideB); err != nil {
		return 0, 0, err
	}
	oldestOneSided := int64(1<<63 - 1)
	slack := slop
	for w.queue.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		if w.allStale() && w.queue.items[0].time < oldestOneSided {
			// Dates say the walk may stop, but a parent newer than its
			// child (clock skew) can still hide below a queued commit:
			// walk on a few more, as git does, until dates have said so
			// that many times in a row.
			if slack == 0 {
				break
			}
			slack--
		} else {
			slack = slop
		}
		item := heap.Pop(&w.queue).(queued)
		f := w.flags[item.hash]
		if f != bothSides && item.time < oldestOneSided {
			oldestOneSided = item.time
		}
		for _, p := range item.parents {
			if err := w.mark(p, f); err != nil {
				return 0, 0, err
			}
		}
	}
	for _, f := range w.flags {
		switch f {
		case sideA:
			ahead++
		case sideB:
			behind++
		}
	}
	return ahead, behind, nil
}

type walk struct {
	read  ReadFunc
	flags map[plumbing.Hash]uint8
	queue commitQueue
}

// mark adds sides to a commit and queues it when that changed anything.
func (w *walk) mark(h plumbing.Hash, sides uint8) error {
	old := w.flags[h]
	if old|sides == old {
		return nil
	}
	w.flags[h] = old | sides
	c, err := w.read(h)
	if err != nil {
		return fmt.Errorf("count commits: %w", err)
	}
	heap.Push(&w.queue, queued{hash: h, time: c.Time, parents: c.Parents})
	return nil
}

func (w *walk) allStale() bool {
	for _, it := range w.queue.items {
		if w.flags[it.hash] != bothSides {
			return false
		}
	}
	return true
}

type queued struct {
	hash    plumbing.Hash
	time    int64
	parents []plumbing.Hash
}

// commitQueue is a max-heap on commit time.
type commitQueue struct{ items []queued }

func (q *commitQueue) Len() int           { return len(q.items) }
func (q *commitQueue) Less(i, j int) bool { return q.items[i].time > q.items[j].time }
func (q *commitQueue) Swap(i, j int)      { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *commitQueue) Push(x any)         { q.items = append(q.items, x.(queued)) }
func (q *commitQueue) Pop() any {
	last := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return last
}
