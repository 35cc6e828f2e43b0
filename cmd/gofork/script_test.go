package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/gofork/gofork/forkimport"

	"github.com/gofork/gofork/internal/scripttest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gofork": main,
		// vet.txtar runs go vet with it as the vet tool.
		"gofork-vet": func() { unitchecker.Main(forkimport.Analyzer) },
	})
}

// TestScripts runs testdata/script/gofork/*.txtar: each reads like a user
// session against a fresh local forge (see internal/scripttest).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script/gofork",
		Setup:               scripttest.Setup,
		RequireExplicitExec: true,
		UpdateScripts:       *scripttest.Update,
		Cmds:                scripttest.Cmds,
	})
}
