//go:build !(linux && (amd64 || arm64))

package gitstatus

import "golang.org/x/sys/unix"

// lstatAt is fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW).
func lstatAt(dirfd int, name string, st *unix.Stat_t) error {
	return unix.Fstatat(dirfd, name, st, unix.AT_SYMLINK_NOFOLLOW)
}

func fstat(fd int, st *unix.Stat_t) error { return unix.Fstat(fd, st) }
