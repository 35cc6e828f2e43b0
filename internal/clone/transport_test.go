package clone

import (
	"strings"
	"testing"
)

func TestGitError(t *testing.T) {
	const (
		missing     = "remote: fatal: unable to read d00491fd7e5bb6fa28c517a0bb32b8b506539d4d        "
		died        = "error: git upload-pack: git-pack-objects died with error."
		localAbort  = "fatal: git upload-pack: aborting due to possible repository corruption on the remote side."
		remoteAbort = "remote: aborting due to possible repository corruption on the remote side. "
		eof         = "fatal: early EOF"
		indexPack   = "fatal: fetch-pack: invalid index-pack output"
	)
	// Orders seen from one `git clone file://…` of a repository missing a
	// blob: upload-pack and the client share stderr and race.
	corrupt := [][]string{
		{died, localAbort, missing, remoteAbort, eof, indexPack},
		{missing, died, localAbort, remoteAbort, eof, indexPack},
		{missing, died, remoteAbort, eof, indexPack, localAbort},
		{missing, died, remoteAbort, localAbort, eof, indexPack},
	}
	for _, lines := range corrupt {
		stderr := strings.Join(lines, "\n") + "\n"
		if got, want := gitError(stderr), "remote: unable to read d00491fd7e5bb6fa28c517a0bb32b8b506539d4d"; got != want {
			t.Errorf("gitError(%q) = %q, want %q", stderr, got, want)
		}
	}

	for _, tc := range []struct{ stderr, want string }{
		{"fatal: '/x/y.git' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\n",
			"'/x/y.git' does not appear to be a git repository"},
		{"Receiving objects:  50% (1/2)\rReceiving objects: 100% (2/2), done.\nerror: something odd\n", "error: something odd"},
		{"", "no message"},
	} {
		if got := gitError(tc.stderr); got != tc.want {
			t.Errorf("gitError(%q) = %q, want %q", tc.stderr, got, tc.want)
		}
	}
}
