//go:build !linux || portablefs

package gitstatus

import "fmt"

// watcher has no implementation here: a resident work tree is scanned
// on every request, with its index and listings remembered.
type watcher struct{}

func newWatcher() (*watcher, error) {
	return nil, fmt.Errorf("%w: no file system watcher on this system", errNoEvents)
}

func (*watcher) add(int) (int32, error)                           { return 0, errNoEvents }
func (*watcher) remove(int32)                                     {}
func (*watcher) close()                                           {}
func (*watcher) drain(func(int32, eventKind, string, bool)) error { return nil }
