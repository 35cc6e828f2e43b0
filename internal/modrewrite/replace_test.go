package modrewrite

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

const consumerGoMod = `// The consumer of awesome-org/tool.
module example.com/consumer

go 1.24

require (
	github.com/awesome-org/tool v1.2.0
	github.com/awesome-org/tool/v2 v2.0.0 // second major
)
`

func writeGoMod(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "go.mod")
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// useThenDrop sets a replace of modPath, checks the file then holds want
// (when want is not ""), drops it again and checks the file is back to
// original byte for byte.
func useThenDrop(t *testing.T, original, modPath, newPath, newVers, want string) {
	t.Helper()
	path := writeGoMod(t, original, 0o644)
	doc, _, err := ReadModFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := doc.SetReplace(modPath, newPath, newVers, Origin{}); err != nil {
		t.Fatal(err)
	}
	if err := doc.Write(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); want != "" && !strings.Contains(got, want) {
		t.Fatalf("after SetReplace, go.mod lacks %q:\n%s", want, got)
	}
	doc, _, err = ReadModFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if found, err := doc.DropReplace(modPath); !found || err != nil {
		t.Fatalf("DropReplace = %v, %v; want true, nil", found, err)
	}
	if err := doc.Write(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != original {
		t.Fatalf("drop did not restore go.mod byte for byte:\n--- got\n%s--- want\n%s", got, original)
	}
}

func TestSetReplaceThenDropRestoresGoMod(t *testing.T) {
	tests := []struct {
		name, original, modPath, newPath, newVers, want string
	}{
		{"directory", consumerGoMod, "github.com/awesome-org/tool", "../tool", "",
			"\nreplace github.com/awesome-org/tool => ../tool // gofork\n"},
		{"fork at a pseudo-version", consumerGoMod, "github.com/awesome-org/tool", "github.com/awesome-you/tool", "v1.2.1-0.20240102030405-0123456789ab",
			"replace github.com/awesome-org/tool => github.com/awesome-you/tool v1.2.1-0.20240102030405-0123456789ab // gofork\n"},
		{"major version", consumerGoMod, "github.com/awesome-org/tool/v2", "github.com/awesome-you/tool/v2", "v2.0.1-0.20240102030405-0123456789ab",
			"replace github.com/awesome-org/tool/v2 => github.com/awesome-you/tool/v2 v2.0.1-0.20240102030405-0123456789ab // gofork\n"},
		{"user replace in a block", consumerGoMod + "\nreplace (\n\texample.com/other => ../other\n\tgithub.com/awesome-org/tool v1.2.0 => ../old-tool // pinned for #12\n)\n",
			"github.com/awesome-org/tool", "../tool", "",
			"\tgithub.com/awesome-org/tool => ../tool // gofork: was github.com/awesome-org/tool v1.2.0 => ../old-tool // pinned for #12\n)"},
		{"user replace on its own line", consumerGoMod + "\nreplace github.com/awesome-org/tool => github.com/someone/tool v1.3.0\n",
			"github.com/awesome-org/tool", "../tool", "",
			"\nreplace github.com/awesome-org/tool => ../tool // gofork: was github.com/awesome-org/tool => github.com/someone/tool v1.3.0\n"},
		// A file checked out on Windows (or with core.autocrlf) keeps its
		// line endings through use and drop.
		{"CRLF line endings", strings.ReplaceAll(consumerGoMod+"\nreplace github.com/awesome-org/tool => ../mine // local\n", "\n", "\r\n"),
			"github.com/awesome-org/tool", "../tool", "",
			"\r\nreplace github.com/awesome-org/tool => ../tool // gofork: was github.com/awesome-org/tool => ../mine // local\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useThenDrop(t, tt.original, tt.modPath, tt.newPath, tt.newVers, tt.want)
		})
	}
}

func TestSetReplaceTwiceKeepsTheFirstWas(t *testing.T) {
	original := consumerGoMod + "\nreplace github.com/awesome-org/tool => ../mine\n"
	path := writeGoMod(t, original, 0o644)
	for _, target := range []string{"../fork-a", "../fork-b"} {
		doc, _, err := ReadModFile(path)
		if err != nil {
			t.Fatal(err)
		}
		was, err := doc.SetReplace("github.com/awesome-org/tool", target, "", Origin{})
		if err != nil {
			t.Fatal(err)
		}
		if want := "github.com/awesome-org/tool => ../mine"; was != want {
			t.Errorf("SetReplace(%s) displaced %q; want %q", target, was, want)
		}
		if err := doc.Write(); err != nil {
			t.Fatal(err)
		}
	}
	doc, _, err := ReadModFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := doc.Replaces()
	if len(got) != 1 || got[0].New.Path != "../fork-b" || !got[0].Gofork || !got[0].IsDir() || got[0].Line != 11 {
		t.Fatalf("Replaces() = %+v; want one gofork directory replace to ../fork-b on line 11", got)
	}
	if _, err := doc.DropReplace("github.com/awesome-org/tool"); err != nil {
		t.Fatal(err)
	}
	if err := doc.Write(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != original {
		t.Fatalf("drop after two uses:\n%s\nwant\n%s", got, original)
	}
}

func TestDropReplaceLeavesUserReplacesAlone(t *testing.T) {
	original := consumerGoMod + "\nreplace github.com/awesome-org/tool => ../mine\n"
	path := writeGoMod(t, original, 0o644)
	doc, _, err := ReadModFile(path)
	if err != nil {
		t.Fatal(err)
	}
	found, err := doc.DropReplace("github.com/awesome-org/tool")
	if !found || !errors.Is(err, ErrNotGofork) || !strings.Contains(err.Error(), "go.mod:11:") {
		t.Fatalf("DropReplace of a user's replace = %v, %v; want true and ErrNotGofork at go.mod:11", found, err)
	}
	if found, err := doc.DropReplace("example.com/absent"); found || err != nil {
		t.Fatalf("DropReplace of an absent module = %v, %v; want false, nil", found, err)
	}
}

func TestSetReplaceRefusesSeveralReplacesOfTheModule(t *testing.T) {
	path := writeGoMod(t, consumerGoMod+"\nreplace github.com/awesome-org/tool v1.0.0 => ../a\n\nreplace github.com/awesome-org/tool v1.1.0 => ../b\n", 0o644)
	doc, _, err := ReadModFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = doc.SetReplace("github.com/awesome-org/tool", "../tool", "", Origin{})
	if err == nil || !strings.Contains(err.Error(), "2 times (lines 11, 13)") {
		t.Fatalf("SetReplace with two existing replaces: err = %v; want one naming lines 11 and 13", err)
	}
}

func TestReadModFileReportsFileAndLine(t *testing.T) {
	broken := "module example.com/consumer\n\nrequire (\n\tgithub.com/awesome-org/tool\n"
	path := writeGoMod(t, broken, 0o644)
	_, _, err := ReadModFile(path)
	if err == nil || !strings.Contains(err.Error(), path+":") {
		t.Fatalf("ReadModFile of a malformed go.mod: err = %v; want one naming %s:LINE", err, path)
	}
}

func TestWriteKeepsFileMode(t *testing.T) {
	path := writeGoMod(t, consumerGoMod, 0o600)
	doc, _, err := ReadModFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := doc.SetReplace("github.com/awesome-org/tool", "../tool", "", Origin{}); err != nil {
		t.Fatal(err)
	}
	if err := doc.Write(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("go.mod mode after Write = %v; want 0600", info.Mode().Perm())
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("Write left %d files in the directory; want only go.mod", len(entries))
	}
}

// TestMarkerRecordsOrigin: the marker keeps the fork revision a replace was
// made from beside what it displaced, and reads back lines written before
// it recorded revisions.
func TestMarkerRecordsOrigin(t *testing.T) {
	for _, tc := range []struct {
		comment         string
		marked          bool
		rev, forge, was string
	}{
		{"// gofork", true, "", "", ""},
		{"// gofork rev=feature", true, "feature", "", ""},
		{"// gofork rev=v1.2.0: was example.com/x => ../x // mine", true, "v1.2.0", "", "example.com/x => ../x // mine"},
		{"// gofork: was example.com/x v1.0.0 => ../x", true, "", "", "example.com/x v1.0.0 => ../x"},
		{"// gofork forge=https://git.example.com:8443/base", true, "", "https://git.example.com:8443/base", ""},
		{"// gofork rev=feature forge=file:///srv/forge: was example.com/x => ../x", true, "feature", "file:///srv/forge", "example.com/x => ../x"},
		{"// gofork rev=feature forge=file:///srv/forge with=example.com/x", true, "feature", "file:///srv/forge", ""},
		{"// goforked", false, "", "", ""},
		{"// gofork rev=x y", false, "", "", ""},
	} {
		text := "module m\n\nreplace example.com/x => example.com/y v1.0.0 " + tc.comment + "\n"
		f, err := modfile.Parse("go.mod", []byte(text), nil)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := goforkMark(f.Replace[0].Syntax)
		if ok != tc.marked || m.Rev != tc.rev || m.Forge != tc.forge || m.was != tc.was {
			t.Errorf("%q: marked %v, rev %q, forge %q, was %q; want %v, %q, %q, %q", tc.comment, ok, m.Rev, m.Forge, m.was, tc.marked, tc.rev, tc.forge, tc.was)
		}
		if ok && m.String() != tc.comment {
			t.Errorf("%q written back as %q", tc.comment, m.String())
		}
	}
}
