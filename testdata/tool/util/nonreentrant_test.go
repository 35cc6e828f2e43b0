package util_test

import (
	"sync/atomic"
	"testing"

	"github.com/awesome-org/tool/util"
)

// guarded counts how many calls are inside f at once, failing the test when
// two overlap.
type guarded struct {
	t      *testing.T
	active atomic.Int32
}

func (g *guarded) enter() {
	if g.active.Add(1) != 1 {
		g.t.Error("two calls ran at the same time")
	}
}

func (g *guarded) leave() { g.active.Add(-1) }

// runBlocked starts a call that stays inside f until release is closed and
// returns once that call is running.
func runBlocked(n *util.NonReentrant, g *guarded) (release, done chan struct{}) {
	started := make(chan struct{})
	release = make(chan struct{})
	done = make(chan struct{})
	go func() {
		defer close(done)
		n.Run(util.Wait, func() {
			g.enter()
			defer g.leave()
			close(started)
			<-release
		})
	}()
	<-started
	return release, done
}

func TestSkipWhileRunning(t *testing.T) {
	var n util.NonReentrant
	g := &guarded{t: t}
	release, done := runBlocked(&n, g)

	if n.Run(util.Skip, func() { t.Error("ran while another call was running") }) {
		t.Error("Run(Skip) reported that it ran")
	}
	close(release)
	<-done

	ran := false
	if !n.Run(util.Skip, func() { ran = true }) || !ran {
		t.Error("Run(Skip) did not run once the other call had finished")
	}
}

func TestWaitRunsAfterTheRunningCall(t *testing.T) {
	var n util.NonReentrant
	g := &guarded{t: t}
	release, done := runBlocked(&n, g)

	result := make(chan bool)
	go func() {
		result <- n.Run(util.Wait, func() {
			g.enter()
			g.leave()
		})
	}()
	close(release)
	<-done
	if !<-result {
		t.Error("Run(Wait) reported that it did not run")
	}
}
