package importcheck

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file whose import section does not end within maxSection (generated
// junk, or a device behind a .go name) is reported, not read to its end.
func TestImportSectionLongerThanTheLimit(t *testing.T) {
	dir := t.TempDir()
	var src bytes.Buffer
	src.WriteString("package p\n\nimport (\n")
	line := []byte("\t\"example.com/a\"\n")
	for src.Len() <= maxSection {
		src.Write(line)
	}
	src.WriteString(")\n")
	if err := os.WriteFile(filepath.Join(dir, "big.go"), src.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "small.go"), []byte("package p\n\nimport \"fmt\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, err := Check(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 || findings[0].Rule != RuleUnreadable || !strings.HasSuffix(findings[0].File, "big.go") ||
		!strings.Contains(findings[0].Message, "does not end within the first 16 MiB") {
		t.Fatalf("findings = %+v, want one unreadable big.go", findings)
	}
}
