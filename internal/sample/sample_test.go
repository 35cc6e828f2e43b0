package sample

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/atomicfile"
)

var update = flag.Bool("update", false, "rewrite sample.zip from testdata/tool and testdata/fork-feature")

// sourceTrees maps each archive directory to the testdata tree it holds.
var sourceTrees = map[string]string{
	upstreamDir:    filepath.Join("..", "..", "testdata", "tool"),
	forkFeatureDir: filepath.Join("..", "..", "testdata", "fork-feature"),
}

// archiveTime stamps every entry so that the archive depends on content only.
var archiveTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// readSources returns every regular file of the testdata trees, keyed by its
// name in the archive.
func readSources(t *testing.T) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	for prefix, dir := range sourceTrees {
		err := fs.WalkDir(os.DirFS(dir), ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			files[path.Join(prefix, name)] = data
			return err
		})
		if err != nil {
			t.Fatalf("reading the sample sources: %v", err)
		}
	}
	return files
}

// buildArchive writes files in sorted order with fixed timestamps and modes,
// so the same sources always give the same archive.
func buildArchive(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: archiveTime}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(files[name])
		}
		if err != nil {
			t.Fatalf("zipping %s: %v", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readArchive(t *testing.T) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	for _, f := range openArchive().File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("opening %s in sample.zip: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("reading %s in sample.zip: %v", f.Name, err)
		}
		files[f.Name] = data
	}
	return files
}

func TestArchiveUpToDate(t *testing.T) {
	want := readSources(t)
	if *update {
		if err := atomicfile.Replace("sample.zip", buildArchive(t, want)); err != nil {
			t.Fatalf("updating sample.zip: %v", err)
		}
		t.Log("wrote sample.zip; rebuild to embed it")
		return
	}
	got := readArchive(t)
	var diffs []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		data, ok := got[name]
		switch {
		case !ok:
			diffs = append(diffs, "missing from sample.zip: "+name)
		case !bytes.Equal(data, want[name]):
			diffs = append(diffs, "changed in testdata: "+name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, "gone from testdata: "+name)
		}
	}
	if len(diffs) > 0 {
		t.Fatalf("sample.zip is out of date with testdata:\n\t%s\nrun: go test ./internal/sample -run TestArchiveUpToDate -update",
			strings.Join(diffs, "\n\t"))
	}
}

func TestArchiveIsDeterministic(t *testing.T) {
	files := readSources(t)
	if !bytes.Equal(buildArchive(t, files), buildArchive(t, files)) {
		t.Fatal("two archives of the same sources differ")
	}
}

func TestOnlyTheForkHasKeys(t *testing.T) {
	const keys = "func (s *Store) Keys() []string"
	err := fs.WalkDir(Upstream(), "kv", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(Upstream(), name)
		if bytes.Contains(data, []byte(keys)) {
			t.Errorf("upstream %s defines Keys, which only the fork may have", name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(ForkFeature(), "kv/keys.go")
	if err != nil || !bytes.Contains(data, []byte(keys)) {
		t.Errorf("fork feature kv/keys.go lacks %q (err %v)", keys, err)
	}
}

func TestForkFeatureBuildsOnUpstream(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	dir := t.TempDir()
	for _, fsys := range []fs.FS{Upstream(), ForkFeature()} {
		if err := os.CopyFS(dir, fsys); err != nil {
			t.Fatalf("writing the sample to %s: %v", dir, err)
		}
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./kv"}} {
		cmd := exec.Command(gobin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s in the upstream+fork tree: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
