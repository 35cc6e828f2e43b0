package importscan

import (
	"go/format"
	"strings"
	"testing"
)

func toUpstream(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "github.com/awesome-you/tool")
	if !ok || rest != "" && rest[0] != '/' {
		return "", false
	}
	return "github.com/awesome-org/tool" + rest, true
}

func rewrite(t *testing.T, src string) (string, bool) {
	t.Helper()
	sec, err := ScanImports([]byte(src), false)
	if err != nil {
		t.Fatal(err)
	}
	out, changed := RewriteImports([]byte(src), sec, toUpstream)
	return string(out), changed
}

func TestRewriteImports(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{{
		name: "sorted group stays sorted",
		src:  "package p\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/awesome-pz/x\"\n\tkv \"github.com/awesome-you/tool/kv\" // the store\n\t. \"github.com/awesome-you/tool/util\"\n\t\"github.com/awesome-zz/y\"\n)\n",
		want: "package p\n\nimport (\n\t\"fmt\"\n\n\tkv \"github.com/awesome-org/tool/kv\" // the store\n\t. \"github.com/awesome-org/tool/util\"\n\t\"github.com/awesome-pz/x\"\n\t\"github.com/awesome-zz/y\"\n)\n",
	}, {
		name: "unsorted group only changes literals",
		src:  "package p\n\nimport (\n\t\"github.com/awesome-zz/y\"\n\t_ \"github.com/awesome-you/tool\"\n)\n",
		want: "package p\n\nimport (\n\t\"github.com/awesome-zz/y\"\n\t_ \"github.com/awesome-org/tool\"\n)\n",
	}, {
		name: "single imports, raw literal, import comment, prefix look-alike",
		src:  "package p // import \"github.com/awesome-you/tool/p\"\n\nimport `github.com/awesome-you/tool/raft`\nimport x \"github.com/awesome-you/toolbox\"\n",
		want: "package p // import \"github.com/awesome-org/tool/p\"\n\nimport `github.com/awesome-org/tool/raft`\nimport x \"github.com/awesome-you/toolbox\"\n",
	}, {
		name: "two specs on a line are not re-sorted",
		src:  "package p\n\nimport (\n\t\"github.com/awesome-p/a\"; \"github.com/awesome-you/tool\"\n)\n",
		want: "package p\n\nimport (\n\t\"github.com/awesome-p/a\"; \"github.com/awesome-org/tool\"\n)\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := rewrite(t, tc.src)
			if !changed || got != tc.want {
				t.Fatalf("changed=%v, got\n%s\nwant\n%s", changed, got, tc.want)
			}
			if again, changed := rewrite(t, got); changed || again != got {
				t.Errorf("not idempotent: second run gives\n%s", again)
			}
		})
	}
}

// TestRewriteImportsKeepsGofmtContent: a gofmt'ed file stays gofmt'ed.
func TestRewriteImportsKeepsGofmtContent(t *testing.T) {
	src := "package p\n\nimport (\n\t\"github.com/awesome-aa/a\"\n\t\"github.com/awesome-pz/x\"\n\tkv \"github.com/awesome-you/tool/kv\"\n\traft \"github.com/awesome-you/tool/raft\"\n\t\"github.com/awesome-you/tool/util\"\n)\n\nvar _ = kv.X + raft.Y + util.Z\n"
	got, _ := rewrite(t, src)
	formatted, err := format.Source([]byte(got))
	if err != nil {
		t.Fatal(err)
	}
	if string(formatted) != got {
		t.Errorf("gofmt would change the rewritten file:\n%s\ngofmt:\n%s", got, formatted)
	}
}

func TestRewriteImportsLeavesOthersAlone(t *testing.T) {
	src := "package p\n\nimport \"fmt\"\n"
	if got, changed := rewrite(t, src); changed || got != src {
		t.Errorf("changed=%v got %q", changed, got)
	}
}
