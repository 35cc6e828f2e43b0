package importcheck

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/palette"
)

// A hostile file name cannot forge an annotation or a finding line.
func TestWriteEscapesFileNames(t *testing.T) {
	name := "a,b:c%\n::error file=x::forged.go"
	f := []Finding{{Rule: RuleStrayImport, File: name, Path: name, Line: 3, Col: 8,
		Want: "github.com/o/r", Message: "100% wrong\nsecond line"}}
	var out bytes.Buffer
	if err := Write(&out, FormatGitHub, f, palette.Palette{}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=a%2Cb%3Ac%25%0A%3A%3Aerror file=x%3A%3Aforged.go,line=3,col=8,title=gofork stray-import::100%25 wrong%0Asecond line (want \"github.com/o/r\")\n"
	if out.String() != want {
		t.Errorf("github format:\n got %q\nwant %q", out.String(), want)
	}
	out.Reset()
	if err := Write(&out, FormatText, f, palette.Palette{}); err != nil {
		t.Fatal(err)
	}
	if strings.Count(out.String(), "\n") != 2 || !strings.HasPrefix(out.String(), `"a,b:c%\n::error file=x::forged.go":3:8: `) {
		t.Errorf("text format: %q", out.String())
	}
}

func TestWriteJSONEmptyIsArray(t *testing.T) {
	var out bytes.Buffer
	if err := Write(&out, FormatJSON, nil, palette.Palette{}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "[]\n" {
		t.Errorf("got %q", out.String())
	}
	if err := Write(&out, "xml", nil, palette.Palette{}); err == nil {
		t.Error("unknown format accepted")
	}
}
