package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/gofork/gofork/internal/mantest"
	"github.com/gofork/gofork/internal/scripttest"
)

const manDir = "../../man"

// thDate is the date field of a page's .TH line, the one part that follows
// the day the pages were made rather than what they say.
var thDate = regexp.MustCompile(`(?m)^(\.TH "[^"]*" "[^"]*" )"[^"]*"`)

// TestManPages holds man/gofork*.1 to the commands' help: cobra's generator
// makes them from the same Use, Long, Example and flags, and they must be
// what is committed (go test ./cmd/gofork -run ManPages -update rewrites
// them). Each renders without a warning from groff.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	header := &doc.GenManHeader{Title: "GOFORK", Section: "1", Source: "gofork", Manual: "gofork manual"}
	root := newRootCmd(io.Discard, io.Discard)
	root.DisableAutoGenTag = true
	forEachCommand(root, func(c *cobra.Command) {
		c.Long = manMarkdown(c.Long)
		c.Short = markdownSpecial.Replace(c.Short)
		name, args, _ := strings.Cut(c.Use, " ")
		c.Use = strings.TrimSpace(name + " " + markdownSpecial.Replace(args))
	})
	if err := doc.GenManTree(root, header, dir); err != nil {
		t.Fatal(err)
	}
	generated, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	committed, _ := filepath.Glob(filepath.Join(manDir, "gofork*.1"))
	if *scripttest.Update {
		for _, p := range committed {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range generated {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(manDir, filepath.Base(p)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	base := func(paths []string) []string {
		var names []string
		for _, p := range paths {
			names = append(names, filepath.Base(p))
		}
		slices.Sort(names)
		return names
	}
	if g, c := base(generated), base(committed); !slices.Equal(g, c) {
		t.Fatalf("commands have pages %v, man/ holds %v (go test ./cmd/gofork -run ManPages -update)", g, c)
	}
	for _, p := range generated {
		name := filepath.Base(p)
		want, err := os.ReadFile(filepath.Join(manDir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(thDate.ReplaceAll(got, []byte("$1")), thDate.ReplaceAll(want, []byte("$1"))) {
			t.Errorf("man/%s is not what the help says now (go test ./cmd/gofork -run ManPages -update)", name)
		}
		mantest.RenderWithoutWarnings(t, filepath.Join(manDir, name))
	}
}

func forEachCommand(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, sub := range c.Commands() {
		forEachCommand(sub, f)
	}
}

// markdownSpecial are the characters cobra's generator (through
// go-md2man) would read as markup in help text written for a terminal.
var markdownSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "<", `\<`, ">", `\>`, "[", `\[`, "]", `\]`, "#", `\#`)

// manMarkdown turns help text into the markdown cobra's man generator
// takes: indented lines (the tables and commands) become preformatted
// blocks, the rest paragraphs with nothing read as markup.
func manMarkdown(help string) string {
	var b strings.Builder
	inBlock := false
	for _, line := range strings.Split(help, "\n") {
		indented := strings.HasPrefix(line, "  ")
		switch {
		case indented && !inBlock:
			b.WriteString("\n")
		case !indented && inBlock && line != "":
			b.WriteString("\n")
		}
		if indented {
			inBlock = true
			b.WriteString("    " + line + "\n")
			continue
		}
		if line != "" {
			inBlock = false
		}
		b.WriteString(markdownSpecial.Replace(line) + "\n")
	}
	return b.String()
}
