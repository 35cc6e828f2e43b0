//go:build linux && (amd64 || arm64) && !portablefs

package gitstatus

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The scan makes one lstat per tracked file and two getdents per directory.
// Through the ordinary system call wrappers each of them tells the
// scheduler it may block, and on a busy machine the runtime then hands the processor to
// another thread and back (profiles and strace showed more futex and
// nanosleep calls than stat calls). These calls do not block for long on a
// local file system, so they are made as raw system calls.

// lstatAt is fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW).
func lstatAt(dirfd int, name string, st *unix.Stat_t) error {
	var buf [unix.NAME_MAX + 1]byte
	if len(name) > unix.NAME_MAX {
		return unix.Fstatat(dirfd, name, st, unix.AT_SYMLINK_NOFOLLOW)
	}
	copy(buf[:], name)
	_, _, errno := unix.RawSyscall6(sysFstatat, uintptr(dirfd), uintptr(unsafe.Pointer(&buf[0])),
		uintptr(unsafe.Pointer(st)), unix.AT_SYMLINK_NOFOLLOW, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// fstat is fstat(2) as a raw system call.
func fstat(fd int, st *unix.Stat_t) error {
	_, _, errno := unix.RawSyscall(unix.SYS_FSTAT, uintptr(fd), uintptr(unsafe.Pointer(st)), 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// openDirAt opens the directory name relative to dirfd (or AT_FDCWD) for
// reading, as a raw system call.
func openDirAt(dirfd int, name string) (int, error) {
	const flags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC
	var buf [unix.NAME_MAX + 1]byte
	if len(name) >= len(buf) {
		return unix.Openat(dirfd, name, flags, 0)
	}
	copy(buf[:], name)
	fd, _, errno := unix.RawSyscall6(unix.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(&buf[0])), flags, 0, 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}

// closeFd is close(2) as a raw system call.
func closeFd(fd int) {
	unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0)
}
