//go:build linux && portablefs

package sysfs

import (
	"io/fs"
	"syscall"
)

// statSys adds what Linux's stat has beyond os.FileInfo, so that the
// emulation, run on Linux, sees the stat data git recorded.
func statSys(st *Stat_t, fi fs.FileInfo) {
	if s, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.Dev, st.Ino = s.Dev, s.Ino
		st.Uid, st.Gid = s.Uid, s.Gid
		st.Nlink = uint64(s.Nlink)
		st.Ctim = Timespec{Sec: s.Ctim.Sec, Nsec: s.Ctim.Nsec}
	}
}
