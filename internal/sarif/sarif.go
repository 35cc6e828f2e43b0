// Package sarif writes the part of SARIF 2.1.0 (the OASIS Static Analysis
// Results Interchange Format) that a linter's report needs: one run, its
// tool and rules, and results located by file, line and column. GitHub code
// scanning reads it; file URIs are relative to the repository's top, which is
// how code scanning resolves them.
package sarif

import (
	"encoding/json"
	"io"
	"net/url"
	"strings"
)

// Version and Schema name the format written.
const (
	Version = "2.1.0"
	Schema  = "https://json.schemastore.org/sarif-2.1.0.json"
)

// Tool describes the program that produced the results. Version may be a
// Go module version (v1.2.3) or any other label ("devel abc123"): SARIF
// wants one that starts with a number, so v1.2.3 is written 1.2.3 and a
// label 0.0.0-label.
type Tool struct {
	Name, Version, InformationURI string
	Rules                         []Rule
}

// Rule is one kind of result.
type Rule struct {
	ID               string
	ShortDescription string
	Help             string
	HelpURI          string
}

// Result is one finding. Path is slash-separated and relative to the
// repository's top; Line and Col are 1-based.
type Result struct {
	RuleID    string
	Message   string
	Path      string
	Line, Col int
}

// Write writes a SARIF log of one run of tool with results; each result's
// rule must be among tool's.
func Write(w io.Writer, tool Tool, results []Result) error {
	index := map[string]int{}
	rules := make([]rule, len(tool.Rules))
	for i, r := range tool.Rules {
		index[r.ID] = i
		rules[i] = rule{
			ID:                   r.ID,
			ShortDescription:     text{r.ShortDescription},
			Help:                 text{r.Help},
			HelpURI:              r.HelpURI,
			DefaultConfiguration: configuration{Level: "error"},
		}
	}
	out := log{Schema: Schema, Version: Version, Runs: []run{{
		Tool:    toolObject{Driver: driver{Name: tool.Name, Version: numericVersion(tool.Version), InformationURI: tool.InformationURI, Rules: rules}},
		Results: make([]result, 0, len(results)),
	}}}
	for _, r := range results {
		i, ok := index[r.RuleID]
		if !ok {
			panic("sarif: result of rule " + r.RuleID + " that the tool does not list")
		}
		out.Runs[0].Results = append(out.Runs[0].Results, result{
			RuleID: r.RuleID, RuleIndex: i, Level: "error", Message: text{r.Message},
			Locations: []location{{PhysicalLocation: physicalLocation{
				ArtifactLocation: artifactLocation{URI: URI(r.Path), URIBaseID: "%SRCROOT%"},
				Region:           region{StartLine: max(r.Line, 1), StartColumn: max(r.Col, 1)},
			}}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func numericVersion(v string) string {
	if v == "" {
		return ""
	}
	if rest := strings.TrimPrefix(v, "v"); rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return rest
	}
	return "0.0.0-" + strings.Join(strings.Fields(v), "-")
}

// URI is a relative URI reference for a slash-separated path: every
// element percent-encoded, so a name with spaces, '#' or '?' stays one path.
func URI(path string) string {
	elems := strings.Split(path, "/")
	for i, e := range elems {
		elems[i] = url.PathEscape(e)
	}
	return strings.Join(elems, "/")
}

type log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []run  `json:"runs"`
}

type run struct {
	Tool    toolObject `json:"tool"`
	Results []result   `json:"results"`
}

type toolObject struct {
	Driver driver `json:"driver"`
}

type driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []rule `json:"rules"`
}

type rule struct {
	ID                   string        `json:"id"`
	ShortDescription     text          `json:"shortDescription"`
	Help                 text          `json:"help"`
	HelpURI              string        `json:"helpUri,omitempty"`
	DefaultConfiguration configuration `json:"defaultConfiguration"`
}

type configuration struct {
	Level string `json:"level"`
}

type text struct {
	Text string `json:"text"`
}

type result struct {
	RuleID    string     `json:"ruleId"`
	RuleIndex int        `json:"ruleIndex"`
	Level     string     `json:"level"`
	Message   text       `json:"message"`
	Locations []location `json:"locations"`
}

type location struct {
	PhysicalLocation physicalLocation `json:"physicalLocation"`
}

type physicalLocation struct {
	ArtifactLocation artifactLocation `json:"artifactLocation"`
	Region           region           `json:"region"`
}

type artifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}
