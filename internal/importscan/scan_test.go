package importscan

import (
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestScanImportsForms(t *testing.T) {
	src := "\uFEFF//go:build linux && cgo\n\n/* a block\ncomment */ package kv // import \"github.com/awesome-you/tool/kv\"\n\n" +
		"/*\n#include <stdio.h>\nimport \"not/an/import\"\n*/\nimport \"C\"\n" +
		"import (\n\t\"fmt\"\n\tr \"github.com/awesome-you/tool/raft\"\n\n\t. `github.com/awesome-you/tool/util`\n\t_ \"embed\"; \"os\"\n)\n" +
		"import u2 \"example.com/u/v2\"\nimport ()\n\nfunc f() { _ = `import \"late\"` }\n"
	sec, err := ScanImports([]byte(src), false)
	if err != nil {
		t.Fatal(err)
	}
	if sec.Package != "kv" {
		t.Errorf("package = %q, want kv", sec.Package)
	}
	if sec.Comment == nil || sec.Comment.Path != "github.com/awesome-you/tool/kv" || src[sec.Comment.Start:sec.Comment.End] != `"github.com/awesome-you/tool/kv"` {
		t.Errorf("import comment = %+v", sec.Comment)
	}
	type want struct {
		name, path string
		group      int
	}
	wants := []want{
		{"", "C", -1}, {"", "fmt", 0}, {"r", "github.com/awesome-you/tool/raft", 0},
		{".", "github.com/awesome-you/tool/util", 0}, {"_", "embed", 0}, {"", "os", 0},
		{"u2", "example.com/u/v2", -1},
	}
	if len(sec.Imports) != len(wants) {
		t.Fatalf("got %d imports %+v, want %d", len(sec.Imports), sec.Imports, len(wants))
	}
	for i, w := range wants {
		got := sec.Imports[i]
		if got.Name != w.name || got.Path != w.path || got.Group != w.group {
			t.Errorf("import %d = %q %q group %d, want %q %q group %d", i, got.Name, got.Path, got.Group, w.name, w.path, w.group)
		}
		if lit := src[got.Start:got.End]; lit != strconv.Quote(w.path) && lit != "`"+w.path+"`" {
			t.Errorf("import %d: bytes %d:%d are %q, not its literal", i, got.Start, got.End, lit)
		}
	}
	if got := sec.Imports[2]; got.Line != 13 || got.Col != 4 {
		t.Errorf("raft import at %d:%d, want 13:4", got.Line, got.Col)
	}
}

func TestScanImportsSyntaxErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "1:1: expected 'package', found EOF"},
		{"pakage x", "1:1: expected 'package', found \"pakage\""},
		{"package x\nimport (\n\t\"fmt\n)\n", "3:2: string literal not terminated"},
		{"package x\nimport fmt\n", "2:11: expected import path, found newline"},
		{"package x\nimport (\n\t\"a\" \"b\"\n)\n", "3:6: expected ';' after import path, found \"\\\"b\\\"\""},
		{"package x\n/* open", "2:1: comment not terminated"},
		{"package x\nimport `a", "2:8: raw string literal not terminated"},
	} {
		_, err := ScanImports([]byte(tc.src), false)
		var syntaxErr *SyntaxError
		if !errors.As(err, &syntaxErr) || err.Error() != tc.want {
			t.Errorf("ScanImports(%q) = %v, want syntax error %q", tc.src, err, tc.want)
		}
	}
}

// TestScanImportsPartial feeds every prefix of a file: each either asks for
// more or gives the same answer as the whole file.
func TestScanImportsPartial(t *testing.T) {
	src := "package p // import \"x/p\"\n/* c */ import (\n\tname \"a/b\" // why\n\t`c/d`\n)\nimport \"e\"\nfunc main() {}\n"
	whole, err := ScanImports([]byte(src), false)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(src) {
		sec, err := ScanImports([]byte(src[:n]), true)
		if errors.Is(err, ErrNeedMore) {
			continue
		}
		if err != nil {
			t.Fatalf("prefix %q: %v", src[:n], err)
		}
		if len(sec.Imports) != len(whole.Imports) || sec.Comment == nil {
			t.Fatalf("prefix %q gives %+v, want %+v", src[:n], sec, whole)
		}
	}
}

func TestScanImportsVeryLongLines(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	src := "package p\n// " + long + "\nimport \"a/" + long + "\"\nvar s = \"" + long + "\"\n"
	sec, err := ScanImports([]byte(src), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(sec.Imports) != 1 || sec.Imports[0].Path != "a/"+long {
		t.Fatalf("got %d imports", len(sec.Imports))
	}
}

// TestScanImportsMatchesGoParser checks the scanner against go/parser over
// real code: the Go tree's own sources, every file go/parser accepts. One
// Scanner reads them all, as check does, so a section left over from the
// file before would show.
func TestScanImportsMatchesGoParser(t *testing.T) {
	var sc Scanner
	root := filepath.Join(runtime.GOROOT(), "src")
	limit := 3000
	if testing.Short() {
		limit = 300
	}
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if checked >= limit {
			return filepath.SkipAll
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, perr := parser.ParseFile(fset, path, src, parser.ImportsOnly|parser.ParseComments)
		sec, err := sc.Scan(src, false)
		if perr != nil {
			return nil // testdata of the parser itself: not our reference
		}
		checked++
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if sec.Package != f.Name.Name || len(sec.Imports) != len(f.Imports) {
			t.Errorf("%s: package %s with %d imports, go/parser says %s with %d", path, sec.Package, len(sec.Imports), f.Name.Name, len(f.Imports))
			return nil
		}
		for i, imp := range f.Imports {
			got := sec.Imports[i]
			pos := fset.PositionFor(imp.Path.Pos(), false)
			if got.Start != pos.Offset || got.Line != pos.Line || got.Col != pos.Column || strconv.Quote(got.Path) != strconv.Quote(mustUnquote(t, imp.Path.Value)) {
				t.Errorf("%s: import %d = %q at %d:%d, go/parser says %s at %d:%d", path, i, got.Path, got.Line, got.Col, imp.Path.Value, pos.Line, pos.Column)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < limit/2 {
		t.Fatalf("only %d files checked", checked)
	}
}

// TestScannerForgetsTheFileBefore scans a file with an import comment and
// imports, then one with neither: nothing of the first may show in the
// second's section.
func TestScannerForgetsTheFileBefore(t *testing.T) {
	var sc Scanner
	first := "package kv // import \"example.org/kv\"\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n"
	if sec, err := sc.Scan([]byte(first), false); err != nil || sec.Comment == nil || len(sec.Imports) != 2 {
		t.Fatalf("first file: %+v, %v", sec, err)
	}
	sec, err := sc.Scan([]byte("package main\n\nfunc main() {}\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if sec.Package != "main" || sec.Comment != nil || len(sec.Imports) != 0 {
		t.Errorf("second file's section = %+v, want package main and nothing else", sec)
	}
	if _, err := sc.Scan([]byte("package x\nimport \"a\"\nimport \"b\" \"c\"\n"), false); err == nil {
		t.Fatal("third file is malformed, Scan said nothing")
	}
	sec, err = sc.Scan([]byte("package y\nimport \"z\"\n"), false)
	if err != nil || len(sec.Imports) != 1 || sec.Imports[0].Path != "z" {
		t.Errorf("file after a malformed one: %+v, %v", sec, err)
	}
}

func mustUnquote(t *testing.T, s string) string {
	t.Helper()
	u, err := strconv.Unquote(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
