package modrewrite

import (
	"testing"

	"golang.org/x/mod/modfile"
)

func TestRewriteModulePath(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"// my fork\nmodule github.com/awesome-you/tool // comment\n\ngo 1.22\n", "// my fork\nmodule github.com/awesome-org/tool // comment\n\ngo 1.22\n"},
		{"module \"github.com/awesome-you/tool\"\n", "module github.com/awesome-org/tool\n"},
	} {
		f, err := modfile.Parse("go.mod", []byte(tc.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		lit, err := ModulePath([]byte(tc.src), f)
		if err != nil {
			t.Fatal(err)
		}
		if lit.Line != f.Module.Syntax.Start.Line || lit.Col != 8 {
			t.Errorf("module path at %d:%d", lit.Line, lit.Col)
		}
		if got := string(RewriteModulePath([]byte(tc.src), lit, "github.com/awesome-org/tool")); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
