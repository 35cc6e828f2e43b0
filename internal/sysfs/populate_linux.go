//go:build linux && !portablefs

package sysfs

import "golang.org/x/sys/unix"

// mapPopulate asks mmap to map every page of a file at once: one system
// call instead of a page fault per page touched.
const mapPopulate = unix.MAP_POPULATE
