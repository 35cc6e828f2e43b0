package demo

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/gittest"
)

// TestRun runs the whole demo and checks every step ran, in order, and that
// it refuses a directory holding anything.
func TestRun(t *testing.T) {
	gittest.Isolate(t)
	t.Setenv("GOWORK", "off") // the demo's module must not join a workspace of the machine's
	var out bytes.Buffer
	dir := filepath.Join(t.TempDir(), "demo")
	if err := Run(context.Background(), Options{Dir: dir, Stdout: &out}); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	var headers []string
	for _, m := range regexp.MustCompile(`(?m)^== Step \d+: (.*)$`).FindAllStringSubmatch(out.String(), -1) {
		headers = append(headers, m[1])
	}
	var want []string
	for _, st := range steps {
		want = append(want, st.title)
	}
	if strings.Join(headers, "|") != strings.Join(want, "|") {
		t.Errorf("demo ran steps %q, want %q", headers, want)
	}
	if !strings.HasSuffix(out.String(), "remove it when you are finished.\n") {
		t.Errorf("demo output does not end with where it lives:\n%s", out.String())
	}

	err := Run(context.Background(), Options{Dir: dir, Stdout: &out})
	if err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("second demo in the same directory: err = %v, want a refusal", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "forge")); err != nil {
		t.Errorf("the refused run touched the first demo: %v", err)
	}
}

// runStepAlone runs one step in a fresh demo directory with its forge built,
// as Run would after the first step, and returns the session and what the
// step printed.
func runStepAlone(t *testing.T, run func(*session) error) (*session, *bytes.Buffer) {
	t.Helper()
	gittest.Isolate(t)
	dir := t.TempDir()
	f, err := forge.Create(filepath.Join(dir, "forge"))
	if err != nil {
		t.Fatal(err)
	}
	out := new(bytes.Buffer)
	s := &session{ctx: context.Background(), out: out, dir: dir, forge: f}
	if err := run(s); err != nil {
		t.Fatalf("demo step: %v\n%s", err, out.String())
	}
	return s, out
}
