package importcheck

import (
	"bytes"
	"encoding/json"
	"strconv"
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

// Every name round-trips, or is never written raw: GitHub's runner cannot
// carry an ESC byte or bytes that are not UTF-8 in a file property, so the
// annotation names the file quoted; JSON gives the name's bytes in base64.
func TestWriteNamesThatAreNotText(t *testing.T) {
	for _, name := range []string{"a\x1b[31mred.go", "bad\xffname.go"} {
		f := []Finding{{Rule: RuleStrayImport, File: name, Path: name, Line: 3, Col: 8, Want: "github.com/o/r", Message: "import of fork path"}}
		var out bytes.Buffer
		if err := Write(&out, FormatGitHub, f, palette.Palette{}); err != nil {
			t.Fatal(err)
		}
		want := "::error title=gofork stray-import::" + strconv.Quote(name) + ":3:8: import of fork path (want \"github.com/o/r\")\n"
		if out.String() != want {
			t.Errorf("github format:\n got %q\nwant %q", out.String(), want)
		}
		out.Reset()
		if err := Write(&out, FormatJSON, f, palette.Palette{}); err != nil {
			t.Fatal(err)
		}
		var got []struct {
			File      string `json:"file"`
			FileBytes []byte `json:"file_bytes"`
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("json: %s", out.Bytes())
		}
		found := got[0].File
		if got[0].FileBytes != nil {
			found = string(got[0].FileBytes)
		}
		if found != name {
			t.Errorf("json: the name read back is %q, want %q:\n%s", found, name, out.Bytes())
		}
		if strings.ContainsRune(out.String(), 0x1b) {
			t.Errorf("json: a raw ESC:\n%q", out.String())
		}
	}
}
