//go:build unix

package clone

import (
	"context"
	"os"
	"syscall"
	"testing"
)

// The clone's directory gets the mode git clone would give it: 0777 less
// the umask, so another user can read it (gofork use --dir from their
// module), not os.MkdirTemp's 0700.
func TestCloneDirectoryModeFollowsUmask(t *testing.T) {
	w := newWorld(t)
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	opts := w.options(w.forge.URL(), TransportGit)
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(opts.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o755 {
		t.Errorf("clone directory mode %v under umask 022, want 0755 as git clone gives", got)
	}
}
