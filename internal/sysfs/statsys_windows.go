package sysfs

import (
	"io/fs"
	"syscall"
)

// statSys adds the creation time, which git for Windows records as a
// file's ctime; device, inode and owner ids stay zero, as it records them.
func statSys(st *Stat_t, fi fs.FileInfo) {
	if d, ok := fi.Sys().(*syscall.Win32FileAttributeData); ok {
		ns := d.CreationTime.Nanoseconds()
		st.Ctim = Timespec{Sec: ns / 1e9, Nsec: ns % 1e9}
	}
}
