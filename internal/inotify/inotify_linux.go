package inotify

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Drain reads fd, opened with IN_NONBLOCK, into buf until the queue is
// empty, calling handle for each event with its watch, mask and name ("" for
// the watched directory itself). buf must hold at least one event with the
// longest name (unix.SizeofInotifyEvent + NAME_MAX + 1 bytes).
func Drain(fd int, buf []byte, handle func(wd int32, mask uint32, name string)) error {
	for {
		n, err := unix.Read(fd, buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if errors.Is(err, unix.EAGAIN) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read inotify events: %w", err)
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			nameStart := off + unix.SizeofInotifyEvent
			off = nameStart + int(ev.Len)
			name := ""
			if ev.Len > 0 && off <= n {
				name = unix.ByteSliceToString(buf[nameStart:off])
			}
			handle(ev.Wd, ev.Mask, name)
		}
	}
}
