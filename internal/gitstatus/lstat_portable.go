//go:build !(linux && (amd64 || arm64))

package gitstatus

import "golang.org/x/sys/unix"

// lstatAt is fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW).
func lstatAt(dirfd int, name string, st *unix.Stat_t) error {
	return unix.Fstatat(dirfd, name, st, unix.AT_SYMLINK_NOFOLLOW)
}

func fstat(fd int, st *unix.Stat_t) error { return unix.Fstat(fd, st) }

func openDirAt(dirfd int, name string) (int, error) {
	return unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
}

func closeFd(fd int) { unix.Close(fd) }
