package importcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkCheck checks a generated tree of 10,000 files; bench/check.sh
// compares the command with git grep on the same kind of tree.
func BenchmarkCheck(b *testing.B) {
	dir := b.TempDir()
	writeTree(b, dir, 10000)
	opts := Options{Dir: dir, Forks: []string{"github.com/awesome-you/tool"}, NoHeuristics: true}
	b.ResetTimer()
	for b.Loop() {
		findings, err := Check(opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(findings) != 200 {
			b.Fatalf("%d findings, want 200", len(findings))
		}
	}
}

// writeTree writes n Go files of about 150 lines in packages of 100 files;
// one in 50 imports the fork.
func writeTree(tb testing.TB, dir string, n int) {
	tb.Helper()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module github.com/awesome-org/tool\n\ngo 1.24\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		pkg := fmt.Sprintf("pkg%03d", i/100)
		if i%100 == 0 {
			if err := os.Mkdir(filepath.Join(dir, pkg), 0o755); err != nil {
				tb.Fatal(err)
			}
		}
		owner := "awesome-org"
		if i%50 == 0 {
			owner = "awesome-you"
		}
		var src strings.Builder
		fmt.Fprintf(&src, "// Code in file %d.\npackage %s\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n\n\t\"github.com/%s/tool/kv\"\n)\n", i, pkg, owner)
		for j := range 35 {
			fmt.Fprintf(&src, "\n// F%d_%d mentions github.com/awesome-you/tool/kv in a comment only.\nfunc F%d_%d(s string) string {\n\treturn fmt.Sprint(strings.ToUpper(s), kv.Store{})\n}\n", i, j, i, j)
		}
		if err := os.WriteFile(filepath.Join(dir, pkg, fmt.Sprintf("f%05d.go", i)), []byte(src.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
