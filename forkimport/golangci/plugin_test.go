package golangci_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis/analysistest"

	_ "github.com/gofork/gofork/forkimport/golangci"
)

// golangci-lint finds the plugin by name and hands it the settings of
// .golangci.yml, decoded from YAML as map[string]any.
func TestPluginFromSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin("forkimport")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{"forks": []any{"github.com/awesome-you/tool=github.com/awesome-org/tool"}})
	if err != nil {
		t.Fatal(err)
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeSyntax {
		t.Errorf("load mode %q, want %q", mode, register.LoadModeSyntax)
	}
	analyzers, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, analyzers[0], "./app")
}

func TestPluginRefusesUnknownSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin("forkimport")
	if err != nil {
		t.Fatal(err)
	}
	_, err = newPlugin(map[string]any{"fork": "github.com/awesome-you/tool"})
	if err == nil || !strings.Contains(err.Error(), `unknown field "fork"`) {
		t.Fatalf("got %v, want an error naming the unknown field", err)
	}
}
