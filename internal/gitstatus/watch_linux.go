//go:build linux && !portablefs

package gitstatus

import (
	"errors"
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/gofork/gofork/internal/inotify"
)

// watcher is one inotify instance: a resident work tree's directories.
// It is read only when a request comes, without blocking, so that every
// event queued by a write that finished before the request is taken in
// before the answer (the kernel queues the event inside the write's
// system call). That is why it is x/sys/unix and not fsnotify, whose
// goroutine hands events over a channel and cannot say it has drained the
// queue.
type watcher struct {
	fd  int
	buf []byte
}

// The events that can change a directory's counts: a file's content or
// mode, a name added or removed, the directory itself gone or moved.
// IN_ACCESS and IN_OPEN are left out, or the scan's own reads would wake it.
const watchMask = unix.IN_MODIFY | unix.IN_ATTRIB |
	unix.IN_CREATE | unix.IN_DELETE | unix.IN_MOVED_FROM | unix.IN_MOVED_TO |
	unix.IN_DELETE_SELF | unix.IN_MOVE_SELF | unix.IN_ONLYDIR | unix.IN_EXCL_UNLINK

func newWatcher() (*watcher, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("inotify_init1: %w", err)
	}
	return &watcher{fd: fd, buf: make([]byte, 64<<10)}, nil
}

// add watches the directory open as dirfd, named through /proc/self/fd so
// that it is the directory the scan reads whatever its path has become.
// A file system whose changes may come from elsewhere (NFS, SMB, FUSE,
// 9p) gets no watch: inotify would not see them.
func (w *watcher) add(dirfd int) (int32, error) {
	var fs unix.Statfs_t
	if err := unix.Fstatfs(dirfd, &fs); err != nil {
		return 0, fmt.Errorf("fstatfs: %w", err)
	}
	if !localFileSystems[int64(fs.Type)] {
		return 0, fmt.Errorf("%w (type %#x)", errNoEvents, fs.Type)
	}
	wd, err := unix.InotifyAddWatch(w.fd, "/proc/self/fd/"+strconv.Itoa(dirfd), watchMask)
	if err != nil {
		if errors.Is(err, unix.ENOSPC) {
			return 0, fmt.Errorf("%w (fs.inotify.max_user_watches)", errWatchLimit)
		}
		return 0, fmt.Errorf("inotify_add_watch: %w", err)
	}
	return int32(wd), nil
}

// remove drops a watch; its IN_IGNORED event follows and is harmless.
func (w *watcher) remove(wd int32) { unix.InotifyRmWatch(w.fd, uint32(wd)) }

func (w *watcher) close() { unix.Close(w.fd) }

// drain hands every queued event to handle, and returns when none is left;
// isDir says the name is a directory.
func (w *watcher) drain(handle func(wd int32, kind eventKind, name string, isDir bool)) error {
	return inotify.Drain(w.fd, w.buf, func(wd int32, mask uint32, name string) {
		handle(wd, kindOf(mask), name, mask&unix.IN_ISDIR != 0)
	})
}

func kindOf(mask uint32) eventKind {
	switch {
	case mask&unix.IN_Q_OVERFLOW != 0:
		return eventOverflow
	case mask&(unix.IN_DELETE_SELF|unix.IN_MOVE_SELF|unix.IN_IGNORED|unix.IN_UNMOUNT) != 0:
		return eventGone
	case mask&(unix.IN_CREATE|unix.IN_DELETE|unix.IN_MOVED_FROM|unix.IN_MOVED_TO) != 0:
		return eventNames
	}
	return eventContent
}

// localFileSystems are the file systems whose every change passes through
// this kernel, so that inotify sees it (statfs f_type, linux/magic.h).
var localFileSystems = map[int64]bool{
	unix.EXT4_SUPER_MAGIC:      true, // ext2, ext3, ext4
	unix.XFS_SUPER_MAGIC:       true,
	unix.BTRFS_SUPER_MAGIC:     true,
	unix.TMPFS_MAGIC:           true,
	unix.RAMFS_MAGIC:           true,
	unix.OVERLAYFS_SUPER_MAGIC: true,
	unix.F2FS_SUPER_MAGIC:      true,
	unix.REISERFS_SUPER_MAGIC:  true,
	unix.MSDOS_SUPER_MAGIC:     true, // vfat
	unix.EXFAT_SUPER_MAGIC:     true,
	unix.BCACHEFS_SUPER_MAGIC:  true,
	unix.NILFS_SUPER_MAGIC:     true,
	unix.SQUASHFS_MAGIC:        true,
	unix.ISOFS_SUPER_MAGIC:     true,
	unix.EROFS_SUPER_MAGIC_V1:  true,
	0x2fc12fc1:                 true, // zfs
	0x3153464a:                 true, // jfs
	0x7366746e:                 true, // ntfs3
}
