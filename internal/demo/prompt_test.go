package demo

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

// TestShowPrompt runs the demo and checks the prompt step shows the clone
// clean, then with the local change it made.
func TestShowPrompt(t *testing.T) {
	gittest.Isolate(t)
	var out bytes.Buffer
	dir := filepath.Join(t.TempDir(), "demo")
	if err := Run(context.Background(), Options{Dir: dir, Stdout: &out}); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	_, step, ok := strings.Cut(out.String(), "See the repository in your prompt\n")
	if !ok {
		t.Fatalf("no prompt step in the demo:\n%s", out.String())
	}
	want := "  $ gitprompt -C " + filepath.Join(dir, "prompt", "tool") + "\n  [tool](main)\n"
	if !strings.Contains(step, want) {
		t.Errorf("the prompt step does not show the clean clone as\n%s\ngot:\n%s", want, step)
	}
	if !strings.Contains(step, "\n  [tool](main !1)\n") {
		t.Errorf("the prompt step does not show the local change:\n%s", step)
	}
}
