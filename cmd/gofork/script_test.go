package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gofork/gofork/internal/scripttest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gofork": main,
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
