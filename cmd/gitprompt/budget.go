package main

import (
	"context"
	"sync"
	"time"
)

// withBudget is context.WithTimeout for the prompt's time budget, without
// the runtime timer until something waits on Done. The status engine only
// polls Err between steps, and the runtime's first timer starts its network
// poller and wakes a thread; with the files read through rawfile, that
// timer was all that still started it (see rawfile for what it cost). A
// parent that can be cancelled gets the standard context.
func withBudget(parent context.Context, budget time.Duration) (context.Context, context.CancelFunc) {
	if parent.Done() != nil {
		return context.WithTimeout(parent, budget)
	}
	c := &budgetCtx{Context: parent, deadline: time.Now().Add(budget)}
	return c, func() { c.expire(context.Canceled) }
}

// budgetCtx keeps the context contract: once Err reports an error, a Done
// channel is closed, and Done closes by itself at the deadline.
type budgetCtx struct {
	context.Context // never done: withBudget checks
	deadline        time.Time

	mu    sync.Mutex
	err   error
	done  chan struct{} // made by the first Done
	timer *time.Timer
}

func (c *budgetCtx) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *budgetCtx) Err() error {
	if !time.Now().Before(c.deadline) {
		c.expire(context.DeadlineExceeded)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *budgetCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.err != nil {
			close(c.done)
		} else {
			c.timer = time.AfterFunc(time.Until(c.deadline), func() { c.expire(context.DeadlineExceeded) })
		}
	}
	return c.done
}

// expire ends the context with err unless it has already ended.
func (c *budgetCtx) expire(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	if c.done != nil {
		close(c.done)
	}
	if c.timer != nil {
		c.timer.Stop()
	}
}
