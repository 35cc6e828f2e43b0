// Package sysfs is the file system as gitstatus, importcheck and rawfile
// call it: descriptors, *at calls relative to an open directory, and stat
// data as git records it in the index. On unix it is golang.org/x/sys/unix
// itself (type aliases and the functions unchanged), so the fast paths cost
// nothing more. Elsewhere (Windows), and on unix when built with the
// portablefs tag so that tests run it against git, it is an emulation over
// package os: descriptors index a table of open files and directory paths,
// and stat data come from os.FileInfo.
package sysfs

import "path/filepath"

// Physical is dir made absolute with its symbolic links resolved, as git's
// getcwd gives it; dir made absolute when that fails (the caller's open
// then says why).
func Physical(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}
