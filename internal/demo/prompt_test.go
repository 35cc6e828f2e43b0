package demo

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestShowPrompt runs the prompt step and checks it shows the clone
// clean, then with the local change it made.
func TestShowPrompt(t *testing.T) {
	s, out := runStepAlone(t, showPrompt)
	dir, step := s.dir, out.String()
	want := "  $ gitprompt -C " + filepath.Join(dir, "prompt", "tool") + "\n  [tool](main)\n"
	if !strings.Contains(step, want) {
		t.Errorf("the prompt step does not show the clean clone as\n%s\ngot:\n%s", want, step)
	}
	if !strings.Contains(step, "\n  [tool](main !1)\n") {
		t.Errorf("the prompt step does not show the local change:\n%s", step)
	}
}
