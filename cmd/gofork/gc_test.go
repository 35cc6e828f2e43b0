package main

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's setting without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

func TestWithoutGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := gcPercent()
	restore := withoutGC()
	if p := gcPercent(); p != -1 {
		t.Errorf("during a scan GOGC = %d, want off (-1)", p)
	}
	if limit := debug.SetMemoryLimit(-1); limit != scanMemoryLimit {
		t.Errorf("during a scan the memory limit is %d, want %d", limit, scanMemoryLimit)
	}
	restore()
	if p := gcPercent(); p != before {
		t.Errorf("after a scan GOGC = %d, want %d back", p, before)
	}
}

func TestWithoutGCKeepsTheUsersGOGC(t *testing.T) {
	t.Setenv("GOGC", "50")
	before := gcPercent()
	defer withoutGC()()
	if p := gcPercent(); p != before {
		t.Errorf("with GOGC set, a scan changed the collector to %d (was %d)", p, before)
	}
}
