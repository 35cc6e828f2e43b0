package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/mantest"
	"github.com/gofork/gofork/internal/prompt"
)

// TestManPage holds man/gitprompt.1, written by hand, to the program: every
// flag the parser has, every --shell value, subcommand, placeholder and
// environment variable of the usage text is in it, and groff renders it
// without a warning.
func TestManPage(t *testing.T) {
	const page = "../../man/gitprompt.1"
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	// roff writes a hyphen as \-.
	text := strings.ReplaceAll(string(data), `\-`, "-")
	want := promptFlagNames()
	for _, s := range prompt.Shells {
		want = append(want, string(s))
	}
	for kind := range scriptUsage {
		want = append(want, "gitprompt "+kind)
	}
	want = append(want, "gitprompt daemon")
	for _, p := range prompt.Placeholders {
		want = append(want, "{"+p.Name+"}")
	}
	_, env, ok := strings.Cut(usage(), "\nEnvironment:\n")
	if !ok {
		t.Fatal("usage has no Environment section")
	}
	env, _, _ = strings.Cut(env, "\n\n")
	for _, m := range regexp.MustCompile(`(?m)^  ([A-Z_]+)\s`).FindAllStringSubmatch(env, -1) {
		want = append(want, ".B "+m[1])
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("man/gitprompt.1 does not mention %q", w)
		}
	}
	mantest.RenderWithoutWarnings(t, page)
}
