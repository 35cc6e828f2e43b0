package gitstatus

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// mapThreshold is the size from which loadFile maps a file rather than
// reading it.
const mapThreshold = 128 << 10

// loadFile returns the first size bytes of the file open as fd and a
// function that releases them; the bytes are invalid after it. A large file
// (a big repository's index or listing cache) is mapped, with populate
// asking for every page up front, so that it is neither copied nor kept on
// the heap. A small one is read: mapping it costs a page fault per page and,
// at release, an munmap whose TLB flush interrupts every CPU the process's
// threads have run on, which measured 50 µs of a 3 ms prompt.
func loadFile(fd int, size int64, populate bool) ([]byte, func(), error) {
	if size < mapThreshold {
		data := make([]byte, size)
		for off := 0; off < len(data); {
			n, err := unix.Pread(fd, data[off:], int64(off))
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			if n == 0 {
				return nil, nil, fmt.Errorf("file shrank from %d to %d bytes while read", size, off)
			}
			off += n
		}
		return data, func() {}, nil
	}
	flags := unix.MAP_PRIVATE
	if populate {
		flags |= mapPopulate
	}
	data, err := unix.Mmap(fd, 0, int(size), unix.PROT_READ, flags)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { _ = unix.Munmap(data) }, nil
}
