package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gofork/gofork/internal/scripttest"
)

// TestMain also puts gitprompt on PATH for the whole test binary, so the
// real-shell tests run it the way a prompt does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gitprompt": func() {
			os.Exit(run(context.Background(), os.Stdout, os.Stderr, os.Args[1:]))
		},
	})
}

// TestScripts runs testdata/script/gitprompt/*.txtar against a fresh local
// forge (see internal/scripttest).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "../../testdata/script/gitprompt",
		Setup: func(env *testscript.Env) error {
			env.Setenv("GITPROMPT_TIMEOUT", testTimeout)
			return scripttest.Setup(env)
		},
		RequireExplicitExec: true,
		UpdateScripts:       *scripttest.Update,
		Cmds:                scripttest.Cmds,
	})
}

// testTimeout replaces the 150 ms budget in tests: on a loaded machine a
// status may take longer, and the counts would show as "?".
const testTimeout = "20s"
