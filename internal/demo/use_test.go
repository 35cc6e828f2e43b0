package demo

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestUseFork runs the use step and checks it writes the fork's
// replace, shows it in the status, and leaves go.mod as it was.
func TestUseFork(t *testing.T) {
	t.Setenv("GOWORK", "off") // the demo's module must not join a workspace of the machine's
	s, out := runStepAlone(t, useFork)
	dir, step := s.dir, out.String()
	for _, want := range []string{
		`(?m)^  \$ gofork use github.com/awesome-org/tool --fork awesome-you --rev feature --forge file:///\S+ --no-download$`,
		`(?m)^  go.mod: replace github.com/awesome-org/tool => github.com/awesome-you/tool v1\.2\.1-0\.\d{14}-[0-9a-f]{12} \(commit [0-9a-f]{12} of "feature"\)$`,
		`(?m)^    go.mod:7: github.com/awesome-org/tool => github.com/awesome-you/tool v1\.2\.1-0\.\S+ \(fork github.com/awesome-you/tool, by gofork\)$`,
		`(?m)^  go.mod: replace github.com/awesome-org/tool => github.com/awesome-you/tool v1\.2\.1-0\.\S+ dropped$`,
	} {
		if !regexp.MustCompile(want).MatchString(step) {
			t.Errorf("the use step lacks a line matching %s:\n%s", want, step)
		}
	}
	got, err := os.ReadFile(filepath.Join(dir, "consumer", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != consumerGoMod {
		t.Errorf("go.mod after the demo:\n%s\nwant it as written:\n%s", got, consumerGoMod)
	}
}
