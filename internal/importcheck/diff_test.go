package importcheck

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnifiedDiffApplies has git apply the diffs and compares the result.
func TestUnifiedDiffApplies(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	var lines []string
	for i := range 40 {
		lines = append(lines, strings.Repeat("x", i%7)+"line\n")
	}
	old := strings.Join(lines, "")
	for name, edit := range map[string]func([]string) []string{
		"two hunks": func(l []string) []string { l[2], l[30] = "changed\n", "also changed\n"; return l },
		"one hunk of near changes": func(l []string) []string {
			l[10], l[15] = "a\n", "b\n"
			return l
		},
		"insert and delete": func(l []string) []string { return append(append([]string{"new first\n"}, l[:20]...), l[22:]...) },
		"no newline at end": func(l []string) []string { l[39] = "last"; return l },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			newText := strings.Join(edit(append([]string(nil), lines...)), "")
			if err := os.WriteFile(filepath.Join(dir, "f.go"), []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			var diff bytes.Buffer
			if err := writeUnifiedDiff(&diff, "f.go", []byte(old), []byte(newText)); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("git", "apply", "--unidiff-zero", "-")
			cmd.Dir, cmd.Stdin = dir, &diff
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git apply: %v\n%s\n%s", err, out, diff.String())
			}
			got, _ := os.ReadFile(filepath.Join(dir, "f.go"))
			if string(got) != newText {
				t.Errorf("applied diff gives\n%s\nwant\n%s\ndiff:\n%s", got, newText, diff.String())
			}
		})
	}
}
