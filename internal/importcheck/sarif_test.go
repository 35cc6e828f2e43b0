package importcheck

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gofork/gofork/internal/palette"
)

// sarifValidator is Microsoft's SARIF multitool (npm @microsoft/sarif-multitool),
// which checks a log against the SARIF 2.1.0 schema and the spec's rules.
// .ci/run installs it and sets GOFORK_REQUIRE_SARIF_VALIDATOR, so that CI
// never skips this test.
func sarifValidator(t *testing.T) string {
	if p, err := exec.LookPath("sarif-multitool"); err == nil {
		return p
	}
	if os.Getenv("GOFORK_REQUIRE_SARIF_VALIDATOR") != "" {
		t.Fatal("sarif-multitool is not on $PATH (npm install -g @microsoft/sarif-multitool)")
	}
	t.Skip("sarif-multitool is not on $PATH; npm install -g @microsoft/sarif-multitool to run this test")
	return ""
}

// What check writes with --format sarif is valid SARIF 2.1.0: the validator
// reports neither errors nor warnings, for a log with results of several
// rules (a file name that needs percent-encoding among them) and for an
// empty one.
func TestSARIFValidates(t *testing.T) {
	validator := sarifValidator(t)
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.org/app\n\ngo 1.22\n\nrequire github.com/awesome-org/tool v1.0.0\n")
	write("a b/main #1.go", "package main // import \"github.com/awesome-you/tool/x\"\n\nimport _ \"github.com/awesome-you/tool/kv\"\n")
	write("broken.go", "package\n")
	findings, err := Check(Options{Dir: dir, Forks: []string{"github.com/awesome-you/tool"}})
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, f := range findings {
		rules[f.Rule] = true
	}
	if !rules[RuleStrayImport] || !rules[RuleImportComment] || !rules[RuleSyntax] {
		t.Fatalf("fixture gave %v, want stray-import, import-comment and syntax findings", findings)
	}
	for name, findings := range map[string][]Finding{"findings": findings, "clean": nil} {
		t.Run(name, func(t *testing.T) {
			var log bytes.Buffer
			if err := Write(&log, FormatSARIF, findings, palette.Palette{}); err != nil {
				t.Fatal(err)
			}
			in := filepath.Join(t.TempDir(), "check.sarif")
			if err := os.WriteFile(in, log.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "validation.sarif")
			cmd := exec.Command(validator, "validate", "--output", out, in)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", cmd.Args, err, msg)
			}
			var report struct {
				Runs []struct {
					Results []struct {
						RuleID  string `json:"ruleId"`
						Level   string `json:"level"`
						Message struct {
							Text string `json:"text"`
						} `json:"message"`
					} `json:"results"`
				} `json:"runs"`
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &report); err != nil {
				t.Fatalf("validator output: %v", err)
			}
			if len(report.Runs) == 0 {
				t.Fatalf("validator wrote no run:\n%s", data)
			}
			for _, r := range report.Runs[0].Results {
				// Level "" is SARIF's default, warning.
				if r.Level != "note" && r.Level != "none" {
					t.Errorf("validator: %s %s: %s", r.Level, r.RuleID, r.Message.Text)
				}
			}
			if t.Failed() {
				t.Logf("log:\n%s", log.Bytes())
			}
		})
	}
}
