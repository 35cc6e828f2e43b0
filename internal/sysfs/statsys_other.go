//go:build !windows && !linux && (!unix || portablefs)

package sysfs

import "io/fs"

// statSys has nothing to add where only os.FileInfo is known.
func statSys(*Stat_t, fs.FileInfo) {}
