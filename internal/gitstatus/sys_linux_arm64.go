//go:build !portablefs

package gitstatus

import "golang.org/x/sys/unix"

const sysFstatat = unix.SYS_FSTATAT
