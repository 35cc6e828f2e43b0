//go:build !(linux && (amd64 || arm64)) || portablefs

package gitstatus

import "github.com/gofork/gofork/internal/sysfs"

// lstatAt is fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW).
func lstatAt(dirfd int, name string, st *sysfs.Stat_t) error {
	return sysfs.Fstatat(dirfd, name, st, sysfs.AT_SYMLINK_NOFOLLOW)
}

func fstat(fd int, st *sysfs.Stat_t) error { return sysfs.Fstat(fd, st) }

func openDirAt(dirfd int, name string) (int, error) {
	return sysfs.Openat(dirfd, name, sysfs.O_RDONLY|sysfs.O_DIRECTORY|sysfs.O_CLOEXEC, 0)
}

func closeFd(fd int) { sysfs.Close(fd) }
