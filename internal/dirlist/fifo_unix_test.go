//go:build unix

package dirlist

import "syscall"

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
