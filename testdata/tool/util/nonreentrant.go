// Package util holds small concurrency helpers shared by the tool's packages.
package util

import "sync"

// Mode says what a call to NonReentrant.Run does when the function is already
// running in another goroutine.
type Mode int

const (
	// Skip returns at once without running the function: right for periodic
	// work where the next period will do the job anyway.
	Skip Mode = iota
	// Wait blocks until the running call finishes and then runs the function:
	// right when the caller needs the work to have happened.
	Wait
)

// NonReentrant runs a function at most once at any point in time, however
// many goroutines call it. The zero value is ready to use.
type NonReentrant struct {
	mu sync.Mutex
}

// Run runs f unless another call is in progress, in which case mode decides
// between skipping and waiting. It reports whether f ran.
func (n *NonReentrant) Run(mode Mode, f func()) bool {
	if mode == Skip {
		if !n.mu.TryLock() {
			return false
		}
	} else {
		n.mu.Lock()
	}
	defer n.mu.Unlock()
	f()
	return true
}
