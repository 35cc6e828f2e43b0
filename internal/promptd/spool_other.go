//go:build !linux

package promptd

import (
	"context"
	"errors"
)

// ServeSpool needs inotify, which only Linux has.
func ServeSpool(ctx context.Context, sp Spool, cfg Config) error {
	return errors.New("a spool directory needs inotify, which only Linux has: use the daemon's stdin and stdout")
}
