package gitstatus

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/sysfs"

	"github.com/gofork/gofork/internal/gittest"
)

// TestRacilyCleanEntry builds the racy-git situation deterministically: the
// index entry of racy.txt records exactly the stat data of the file on disk
// but the blob of older content. When the entry is not older than the index
// file, the stat data proves nothing and both git and Read must hash the
// file (modified); when the index was written later, both trust the stat
// data (clean).
func TestRacilyCleanEntry(t *testing.T) {
	gittest.Isolate(t)
	for _, tc := range []struct {
		name         string
		indexAge     time.Duration // index mtime relative to the file's
		wantUnstaged int
	}{
		{"index written in the same second", 0, 1},
		{"index written later", 5 * time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := newRepo(t)
			writeFile(t, dir, "racy.txt", "aaaa\n")
			git(t, dir, "add", "racy.txt")
			git(t, dir, "commit", "-q", "-m", "racy")
			writeFile(t, dir, "racy.txt", "bbbb\n")
			var st sysfs.Stat_t
			if err := sysfs.Lstat(filepath.Join(dir, "racy.txt"), &st); err != nil {
				t.Fatal(err)
			}
			index := filepath.Join(dir, ".git", "index")
			setEntryStat(t, index, "racy.txt", &st)
			mtime := time.Unix(int64(st.Mtim.Sec), int64(st.Mtim.Nsec)).Add(tc.indexAge)
			if err := os.Chtimes(index, mtime, mtime); err != nil {
				t.Fatal(err)
			}
			got := assertMatchesGit(t, dir)
			if got.Unstaged != tc.wantUnstaged {
				t.Fatalf("unstaged = %d, want %d", got.Unstaged, tc.wantUnstaged)
			}
		})
	}
}

// setEntryStat overwrites the stat data of path's entry in a version 2 index
// and fixes the checksum.
func setEntryStat(t *testing.T, index, path string, st *sysfs.Stat_t) {
	t.Helper()
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	nameOff := bytes.Index(data, append([]byte(path), 0))
	if nameOff < 0 || binary.BigEndian.Uint32(data[4:8]) != 2 {
		t.Fatalf("no version 2 entry for %q in the index", path)
	}
	const entryFixedLen = 62 // stat data, object id and flags before a version 2 entry's name
	b := data[nameOff-entryFixedLen:]
	for i, v := range []uint32{
		uint32(st.Ctim.Sec), uint32(st.Ctim.Nsec), uint32(st.Mtim.Sec), uint32(st.Mtim.Nsec),
		uint32(st.Dev), uint32(st.Ino), 0, st.Uid, st.Gid, uint32(st.Size),
	} {
		if i != 6 { // keep the mode
			binary.BigEndian.PutUint32(b[4*i:], v)
		}
	}
	sum := sha1.Sum(data[:len(data)-hashLen])
	copy(data[len(data)-hashLen:], sum[:])
	if err := os.WriteFile(index, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
