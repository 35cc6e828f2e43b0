//go:build !unix

package clone

import "os/exec"

// killGroupOnCancel leaves cmd as it is: only the git process itself is
// killed on cancel, and cmd.WaitDelay stops waiting for its helpers.
func killGroupOnCancel(cmd *exec.Cmd) {}
