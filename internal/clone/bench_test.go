package clone

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/gittest"
)

// BenchmarkCloneTransports clones a generated repository (3,000 files, 3,000
// commits) with the git binary and with go-git, alternating within each
// iteration so both see the same machine load, over file:// and over smart
// HTTP (git http-backend). It reports each transport's time per clone and
// their ratio:
//
//	go test -run '^$' -bench CloneTransports -benchtime 5x ./internal/clone
func BenchmarkCloneTransports(b *testing.B) {
	gittest.Isolate(b)
	root := b.TempDir()
	generateRepo(b, filepath.Join(root, "bench", "big.git"), 3000, 3000)
	srv, err := forge.Serve(root)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	for _, proto := range []struct{ name, forge string }{{"file", "file://" + root}, {"http", srv.URL}} {
		b.Run(proto.name, func(b *testing.B) {
			url := proto.forge + "/bench/big.git"
			spent := map[string]time.Duration{}
			for i := 0; i < b.N; i++ {
				order := transports
				if i%2 == 1 {
					order = []string{transports[1], transports[0]}
				}
				for _, name := range order {
					tr, err := newTransport(name, nil)
					if err != nil {
						b.Fatal(err)
					}
					dir := filepath.Join(b.TempDir(), "clone")
					start := time.Now()
					if err := tr.clone(context.Background(), url, dir, "upstream"); err != nil {
						b.Fatalf("%s: %v", name, err)
					}
					spent[name] += time.Since(start)
					os.RemoveAll(dir)
				}
			}
			perOp := func(name string) float64 { return float64(spent[name].Milliseconds()) / float64(b.N) }
			b.ReportMetric(perOp(TransportGit), "git-ms/clone")
			b.ReportMetric(perOp(TransportGoGit), "go-git-ms/clone")
			b.ReportMetric(float64(spent[TransportGoGit])/float64(spent[TransportGit]), "go-git/git")
		})
	}
}

// generateRepo writes a bare repository at dir whose main branch has
// commits commits over files files, through git fast-import: the first
// commit adds every file, each later one rewrites three of them.
func generateRepo(b *testing.B, dir string, files, commits int) {
	b.Helper()
	gittest.Git(b, "", "init", "-q", "--bare", "--initial-branch=main", dir)
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(in)
	content := func(file, version int) string {
		var s strings.Builder
		fmt.Fprintf(&s, "package p%d\n\n// version %d\n", file%50, version)
		for line := 0; line < 40; line++ {
			fmt.Fprintf(&s, "var v%d_%d = %q\n", file, line, strings.Repeat(fmt.Sprint(file*line+version), 3))
		}
		return s.String()
	}
	for c := 0; c < commits; c++ {
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter Bench <bench@gofork.example> %d +0000\n", 1_700_000_000+c*60)
		msg := fmt.Sprintf("change %d", c)
		fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
		touched := []int{c % files, (c * 7) % files, (c * 13) % files}
		if c == 0 {
			touched = touched[:0]
			for f := 0; f < files; f++ {
				touched = append(touched, f)
			}
		}
		for _, f := range touched {
			data := content(f, c)
			fmt.Fprintf(w, "M 100644 inline pkg%02d/file%04d.go\ndata %d\n%s\n", f%50, f, len(data), data)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, stderr.String())
	}
	gittest.Git(b, dir, "config", "http.receivepack", "true")
}
