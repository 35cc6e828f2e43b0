// Package mantest checks man pages the way man shows them.
package mantest

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// RenderWithoutWarnings formats page as man would (groff with preconv for
// UTF-8 input), with every groff warning turned on, and fails on any. It
// skips without groff, except in CI (CI=true), which must have it.
func RenderWithoutWarnings(t *testing.T, page string) {
	t.Helper()
	if _, err := exec.LookPath("groff"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("groff is not installed; CI must install it")
		}
		t.Skip("groff is not installed")
	}
	var stderr bytes.Buffer
	cmd := exec.Command("groff", "-k", "-man", "-Tutf8", "-ww", "-z", page)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || strings.TrimSpace(stderr.String()) != "" {
		t.Errorf("groff %s: %v\n%s", page, err, stderr.String())
	}
}
