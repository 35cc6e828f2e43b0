package forkimport_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gofork/gofork/forkimport"
)

// The fixture module requires the fork (replaced by a directory so that it
// builds offline), as a consumer that rewrote its imports does. The fork is
// known from the flag here; testdata/script/gofork/vet.txtar has go vet learn
// it from git as gofork check does.
func TestAnalyzer(t *testing.T) {
	if err := forkimport.Analyzer.Flags.Set("fork", "github.com/awesome-you/tool=github.com/awesome-org/tool"); err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.RunWithSuggestedFixes(t, dir, forkimport.Analyzer, "./app")
}
