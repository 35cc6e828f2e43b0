//go:build !unix

package dirlist

import "errors"

func mkfifo(string) error { return errors.ErrUnsupported }
