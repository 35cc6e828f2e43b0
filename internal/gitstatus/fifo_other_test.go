//go:build !unix

package gitstatus

import "errors"

// mkfifo fails where there are no named pipes; the test says so.
func mkfifo(string) error { return errors.ErrUnsupported }
