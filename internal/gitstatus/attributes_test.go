package gitstatus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gittest"
)

// TestAttributesMatchGit puts files that git converts on their way into the
// repository (.gitattributes text, eol, crlf, ident, macros; core.autocrlf)
// in states where their stat data no longer matches the index, so that git
// and Read both compare their content, and compares the counts. Each case
// names the unstaged count it expects: hashed raw, without the conversion,
// most of these files would count as modified.
func TestAttributesMatchGit(t *testing.T) {
	gittest.Isolate(t)
	cases := []struct {
		name string
		// files are committed as they are after config; then edit runs, and
		// every work-tree file gets a new modification time.
		config []string
		files  map[string]string
		edit   func(t *testing.T, dir string)
		want   int
	}{
		{"text eol=crlf, checked out with CRLF", nil, map[string]string{
			".gitattributes": "*.bat text eol=crlf\n",
			"run.bat":        "@echo off\r\necho hi\r\n",
		}, checkoutAgain("run.bat"), 0},
		{"eol=crlf file really changed", nil, map[string]string{
			".gitattributes": "*.bat text eol=crlf\n",
			"run.bat":        "@echo one\r\n",
		}, func(t *testing.T, dir string) { writeFile(t, dir, "run.bat", "@echo two\r\n") }, 1},
		{"eol=lf alone means text", nil, map[string]string{
			".gitattributes": "*.sh eol=lf\n",
			"a.sh":           "echo a\r\n",
		}, nil, 0},
		{"text=auto converts CRLF to an LF blob", nil, map[string]string{
			".gitattributes": "* text=auto\n",
			"notes.txt":      "one\r\ntwo\r\n",
		}, nil, 0},
		{"text=auto keeps CRLF already in the index", nil, map[string]string{
			".gitattributes": "* -text\n",
			"notes.txt":      "one\r\ntwo\r\n",
		}, func(t *testing.T, dir string) { writeFile(t, dir, ".gitattributes", "* text=auto\n") }, 1},
		{"text=auto leaves binary content alone", nil, map[string]string{
			".gitattributes": "* text=auto\n",
			"blob.bin":       "\x00\x01\r\n",
		}, nil, 0},
		{"core.autocrlf=true without attributes", []string{"core.autocrlf", "true"}, map[string]string{
			"notes.txt": "one\ntwo\n",
		}, checkoutAgain("notes.txt"), 0},
		{"core.autocrlf=input", []string{"core.autocrlf", "input"}, map[string]string{
			"notes.txt": "one\r\ntwo\r\n",
		}, nil, 0},
		{"binary macro overrides text", nil, map[string]string{
			".gitattributes": "* text\n*.dat binary\n",
			"a.dat":          "x\r\ny\r\n",
			"b.txt":          "x\r\ny\r\n",
		}, nil, 0},
		{"macro defined at the top", nil, map[string]string{
			".gitattributes": "[attr]dos text eol=crlf\n*.cmd dos\n",
			"go.cmd":         "go\r\n",
		}, checkoutAgain("go.cmd"), 0},
		{"macro definitions in a subdirectory are refused", nil, map[string]string{
			".gitattributes":     "* -text\n",
			"sub/.gitattributes": "[attr]plain -text\n*.txt text plain\n",
			"sub/x.txt":          "x\r\n",
		}, nil, 0},
		{"deeper .gitattributes wins", nil, map[string]string{
			".gitattributes":     "* text\n",
			"sub/.gitattributes": "*.txt -text\n",
			"sub/raw.txt":        "raw\r\n",
			"top.txt":            "top\r\n",
		}, nil, 0},
		{"info/attributes wins over the work tree", nil, map[string]string{
			".gitattributes":       "*.cfg -text\n",
			".git/info/attributes": "*.cfg text\n",
			"a.cfg":                "a\r\n",
		}, nil, 0},
		{"core.attributesFile", []string{"core.attributesFile", "~/attrs"}, map[string]string{
			"~/attrs": "*.ini text\n",
			"a.ini":   "a\r\n",
		}, nil, 0},
		{"legacy crlf attribute", nil, map[string]string{
			".gitattributes": "*.ini crlf\n",
			"a.ini":          "a\r\n",
		}, nil, 0},
		{"unspecified text falls back to core.autocrlf", []string{"core.autocrlf", "true"}, map[string]string{
			".gitattributes": "* -text\n*.txt !text\n",
			"a.txt":          "a\r\n",
			"b.dat":          "b\r\n",
		}, nil, 0},
		{"ident collapses $Id$", nil, map[string]string{
			".gitattributes": "*.c ident\n",
			"main.c":         "/* $Id$ */\nint main;\n",
		}, checkoutAgain("main.c"), 0},
		{"quoted pattern", nil, map[string]string{
			".gitattributes": "\"with space.txt\" text\n",
			"with space.txt": "a\r\n",
		}, nil, 0},
		{"a deleted .gitattributes is read from the index", nil, map[string]string{
			".gitattributes": "*.txt text\n",
			"a.txt":          "a\r\n",
		}, func(t *testing.T, dir string) { remove(t, dir, ".gitattributes") }, 1},
		{"a filter without a configured driver is no filter", nil, map[string]string{
			".gitattributes": "*.big filter=lfs\n",
			"a.big":          "a\n",
		}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			git(t, dir, "init", "-q")
			if tc.config != nil {
				git(t, dir, append([]string{"config"}, tc.config...)...)
			}
			for name, content := range tc.files {
				if rest, ok := strings.CutPrefix(name, "~/"); ok {
					writeFile(t, os.Getenv("HOME"), rest, content)
					continue
				}
				writeFile(t, dir, name, content)
			}
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "files")
			if tc.edit != nil {
				tc.edit(t, dir)
			}
			touchWorkTree(t, dir)
			if got := assertMatchesGit(t, dir); got.Unstaged != tc.want {
				t.Fatalf("unstaged = %d, want %d", got.Unstaged, tc.want)
			}
		})
	}
}

// TestFreshCloneWithAttributes is the case users meet first: a clone of a
// repository with CRLF checkouts, its files as new as its index (racily
// clean), so every one is hashed.
func TestFreshCloneWithAttributes(t *testing.T) {
	gittest.Isolate(t)
	src := t.TempDir()
	git(t, src, "init", "-q")
	writeFile(t, src, ".gitattributes", "*.bat text eol=crlf\n*.c ident\n")
	writeFile(t, src, "gradlew.bat", "@rem start\r\n@echo off\r\n")
	writeFile(t, src, "main.c", "/* $Id$ */\n")
	git(t, src, "add", ".")
	git(t, src, "commit", "-q", "-m", "init")
	dir := filepath.Join(t.TempDir(), "clone")
	git(t, "", "clone", "-q", "file://"+src, dir)
	racy(t, dir)
	if got := assertMatchesGit(t, dir); got.Unstaged != 0 {
		t.Fatalf("unstaged = %d, want 0", got.Unstaged)
	}
}

// TestFilteredContentIsUnknown: git runs a clean filter (git-lfs) or iconv
// (working-tree-encoding) to compare such a file; a prompt does neither,
// so when the file's stat data changed the unstaged count is unknown, never
// a guess, while the other counts are still git's.
func TestFilteredContentIsUnknown(t *testing.T) {
	gittest.Isolate(t)
	for _, tc := range []struct {
		name, attrs string
		config      []string
		why         string
	}{
		{"clean filter", "*.big filter=fake\n", []string{"filter.fake.clean", "cat"}, `has filter "fake"`},
		{"filter process", "*.big filter=fake\n", []string{"filter.fake.process", "fake-filter"}, `has filter "fake"`},
		{"working-tree-encoding", "*.big working-tree-encoding=UTF-16LE\n", nil, `working-tree-encoding "UTF-16LE"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			git(t, dir, "init", "-q")
			if tc.config != nil {
				git(t, dir, append([]string{"config"}, tc.config...)...)
			}
			writeFile(t, dir, ".gitattributes", tc.attrs)
			writeFile(t, dir, "a.big", "a\n")
			git(t, dir, "add", ".")
			git(t, dir, "commit", "-q", "-m", "files")
			writeFile(t, dir, "new.txt", "untracked\n")
			later := time.Now().Add(2 * time.Second) // no entry is racily clean
			if err := os.Chtimes(filepath.Join(dir, ".git", "index"), later, later); err != nil {
				t.Fatal(err)
			}

			got, err := Read(t.Context(), dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Unstaged != 0 {
				t.Fatalf("before any change: unstaged = %d, want 0 (stat data matches, nothing to hash)", got.Unstaged)
			}
			touchWorkTree(t, dir)
			got, err = Read(t.Context(), dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := gitStatus(t, dir)
			if got.Unstaged != -1 || got.Complete || !strings.Contains(got.Unknown, tc.why) {
				t.Fatalf("got unstaged %d, complete %v, unknown %q; want -1, false and a reason with %q", got.Unstaged, got.Complete, got.Unknown, tc.why)
			}
			if got.Untracked != want.Untracked || got.Staged != want.Staged || got.Untracked != 1 {
				t.Fatalf("other counts: got %+v, want git's %+v", gitFields(got), want)
			}
		})
	}
}

// checkoutAgain has git write name afresh, with its checkout conversion.
func checkoutAgain(name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		remove(t, dir, name)
		git(t, dir, "checkout", "--", name)
	}
}

// touchWorkTree gives every work-tree file a new modification time, so its
// stat data no longer matches the index and its content decides.
func touchWorkTree(t *testing.T, dir string) {
	t.Helper()
	when := time.Now().Add(-time.Hour)
	err := filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.Name() == ".git" {
			return filepath.SkipDir
		}
		if fi.Mode().IsRegular() {
			return os.Chtimes(path, when, when)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// racy sets the index's modification time to that of the newest work-tree
// file, so that every entry is racily clean.
func racy(t *testing.T, dir string) {
	t.Helper()
	var newest time.Time
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && fi.Name() == ".git" {
			return filepath.SkipDir
		}
		if err == nil && fi.Mode().IsRegular() && fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
		return nil
	})
	if err := os.Chtimes(filepath.Join(dir, ".git", "index"), newest, newest); err != nil {
		t.Fatal(err)
	}
}

// TestParseAttributes covers the lines git drops or reads specially, which
// the differential tests meet only by chance.
func TestParseAttributes(t *testing.T) {
	for _, tc := range []struct {
		line string
		want string // pattern, then name=value of each state; "" when dropped
	}{
		{"*.c text -diff !merge eol=crlf", "*.c text=\x00set diff=\x00unset merge=\x00unspecified eol=crlf"},
		{"  *.c\t-text=ignored  ", "*.c text=\x00unset"},
		{"# comment", ""},
		{"*.c b@d", ""},                // one invalid name drops the line
		{"*.c builtin_objectmode", ""}, // reserved
		{"!*.c text", ""},              // negative patterns are refused
		{"\"a\\040b\\tc\" text", "a b\tc text=\x00set"},
		{"\"unterminated text", "\"unterminated text=\x00set"},
		{"[attr]dos text eol=crlf", "[attr]dos text=\x00set eol=crlf"},
		{"*.c " + strings.Repeat("x", attrMaxLine), ""},
	} {
		list := parseAttributes([]byte(tc.line+"\n"), "", true, false)
		var got string
		if len(list) == 1 {
			r := list[0]
			got = r.pattern.pattern
			if r.macro != "" {
				got = "[attr]" + r.macro
			}
			for _, s := range r.states {
				got += " " + s.name + "=" + s.value
			}
		}
		if got != tc.want {
			t.Errorf("parse %q:\n got %q\nwant %q", tc.line, got, tc.want)
		}
	}
	if list := parseAttributes([]byte("[attr]dos text\n"), "sub", false, false); len(list) != 0 {
		t.Errorf("a macro in a subdirectory's file was kept: %+v", list)
	}
}
