package gitstatus

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/gittest"
)

// TestPackIndexMatchesShowIndex looks up every object of a real pack, and
// of the same pack indexed with every offset in the 64-bit table, and
// compares offsets and CRCs with `git show-index`.
func TestPackIndexMatchesShowIndex(t *testing.T) {
	dir := newRepo(t)
	for i := range 5 {
		writeFile(t, dir, fmt.Sprintf("f%d.txt", i), strings.Repeat("line\n", 100*i+1))
		git(t, dir, "add", ".")
		git(t, dir, "commit", "-q", "-m", fmt.Sprint("commit ", i))
	}
	git(t, dir, "gc", "-q")
	idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "pack-*.idx"))
	if len(idxs) != 1 {
		t.Fatalf("want one pack after gc, found %q", idxs)
	}
	large := filepath.Join(t.TempDir(), "large.idx")
	git(t, dir, "index-pack", "--index-version=2,0", "-o", large, strings.TrimSuffix(idxs[0], ".idx")+".pack")
	for _, name := range []string{idxs[0], large} {
		idx, err := openPackIndex(name)
		if err != nil {
			t.Fatal(err)
		}
		defer idx.close()
		if name == large && len(idx.large) == 0 {
			t.Fatalf("%s: index-pack put no offset in the 64-bit table", name)
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		cmd := gitCommand(dir, "show-index")
		cmd.Stdin = strings.NewReader(string(data))
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if n, _ := idx.Count(); int(n) != len(lines) || n < 15 {
			t.Fatalf("%s: Count = %d, git show-index lists %d objects", name, n, len(lines))
		}
		for _, line := range lines {
			// "<offset> <hash> (<crc32>)"
			f := strings.Fields(line)
			wantOffset, _ := strconv.ParseInt(f[0], 10, 64)
			h := plumbing.NewHash(f[1])
			wantCRC, _ := strconv.ParseUint(strings.Trim(f[2], "()"), 16, 32)
			if o, err := idx.FindOffset(h); err != nil || o != wantOffset {
				t.Errorf("%s: FindOffset(%s) = %d, %v; want %d", name, h, o, err, wantOffset)
			}
			if c, err := idx.FindCRC32(h); err != nil || uint64(c) != wantCRC {
				t.Errorf("%s: FindCRC32(%s) = %x, %v; want %x", name, h, c, err, wantCRC)
			}
			if got, err := idx.FindHash(wantOffset); err != nil || got != h {
				t.Errorf("%s: FindHash(%d) = %s, %v; want %s", name, wantOffset, got, err, h)
			}
		}
		missing := plumbing.NewHash("ffffffffffffffffffffffffffffffffffffffff")
		if ok, _ := idx.Contains(missing); ok {
			t.Errorf("%s: Contains(%s) = true", name, missing)
		}
		if _, err := idx.FindOffset(missing); err != plumbing.ErrObjectNotFound {
			t.Errorf("%s: FindOffset(missing) = %v, want ErrObjectNotFound", name, err)
		}
		if _, err := idx.FindHash(1); err != plumbing.ErrObjectNotFound {
			t.Errorf("%s: FindHash(1) = %v, want ErrObjectNotFound (no object starts there)", name, err)
		}
	}
}

// FuzzParsePackIndex feeds damaged index files to the parser and to every
// lookup: errors are fine, panics are not.
func FuzzParsePackIndex(f *testing.F) {
	dir := newRepo(f)
	git(f, dir, "gc", "-q")
	idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "pack-*.idx"))
	for _, name := range idxs {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := parsePackIndex(data)
		if err != nil {
			return
		}
		for i := range idx.count {
			h := plumbing.Hash(idx.names[i*hashLen : (i+1)*hashLen])
			if o, err := idx.FindOffset(h); err == nil {
				_, _ = idx.FindHash(o)
			}
			_, _ = idx.FindCRC32(h)
		}
	})
}

// TestPackIndexFiles lists what filepath.Glob("pack-*.idx") would: the
// index files only, not packs, temporary files or directories.
func TestPackIndexFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pack-b.idx", "pack-a.idx", "pack-a.pack", "tmp_idx_x", "pack-a.rev"} {
		writeFile(t, dir, name, "")
	}
	if err := os.Mkdir(filepath.Join(dir, "pack-c.idx"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := packIndexFiles(dir)
	want := []string{filepath.Join(dir, "pack-a.idx"), filepath.Join(dir, "pack-b.idx")}
	if !slices.Equal(got, want) {
		t.Errorf("packIndexFiles = %q, want %q", got, want)
	}
	if got := packIndexFiles(filepath.Join(dir, "missing")); got != nil {
		t.Errorf("packIndexFiles of a missing directory = %q, want none", got)
	}
}

// A version-1 pack index is refused with the same words whether or not the
// listing cache is warm: with HEAD's tree remembered, the first object read
// is a commit counted against the upstream, and a failure there is an
// error, not the unknown counts of a deadline.
func TestVersion1PackIndexRefusedWithWarmCache(t *testing.T) {
	gittest.Isolate(t)
	withRacyMargin(t, 0)
	upstream := newRepo(t)
	dir := filepath.Join(t.TempDir(), "clone")
	git(t, upstream, "clone", "-q", upstream, dir)
	writeFile(t, dir, "ahead.txt", "x")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "ahead of origin")
	cache := t.TempDir()
	for range 2 {
		if _, err := Read(t.Context(), dir, Options{CacheDir: cache}); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, "-c", "pack.indexVersion=1", "repack", "-a", "-d", "-q")
	for _, opts := range []Options{{}, {CacheDir: cache}} {
		st, err := Read(t.Context(), dir, opts)
		if err == nil || !strings.Contains(err.Error(), "only version 2 pack indexes are supported") {
			t.Errorf("Read with CacheDir %q: %+v, %v; want the version-1 refusal", opts.CacheDir, st, err)
		}
	}
}
