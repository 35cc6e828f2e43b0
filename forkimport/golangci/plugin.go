// Package golangci registers the forkimport analyzer as a golangci-lint
// module plugin named "forkimport". Build a golangci-lint that has it with
// this .custom-gcl.yml:
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/gofork/gofork
//	    import: github.com/gofork/gofork/forkimport/golangci
//	    version: latest
//
// (golangci-lint custom), and turn it on in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable: [forkimport]
//	  settings:
//	    custom:
//	      forkimport:
//	        type: module
//	        settings:
//	          forks: [github.com/you/tool=github.com/org/tool]
//	          no-heuristics: false
package golangci

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/gofork/gofork/forkimport"
)

func init() { register.Plugin("forkimport", New) }

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	Forks        []string `json:"forks"`
	NoHeuristics bool     `json:"no-heuristics"`
}

// New is the plugin's constructor, which golangci-lint calls with the
// settings.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("forkimport settings: %w; want forks (a list of FORK or FORK=UPSTREAM) and no-heuristics", err)
	}
	return plugin{cfg: forkimport.Config{Forks: s.Forks, NoHeuristics: s.NoHeuristics}}, nil
}

type plugin struct{ cfg forkimport.Config }

func (p plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{forkimport.New(p.cfg)}, nil
}

// GetLoadMode is syntax: the rules read import sections, never types.
func (plugin) GetLoadMode() string { return register.LoadModeSyntax }
