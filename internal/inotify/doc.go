// Package inotify reads the events queued on a Linux inotify descriptor
// opened non-blocking, for the callers that must know the queue is drained
// before they answer (the status engine's resident watches, the daemon's
// spool). It has code only on Linux.
package inotify
