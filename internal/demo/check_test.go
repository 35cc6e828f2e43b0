package demo

import (
	"regexp"
	"testing"
)

// TestCheckImports runs the check step against a fresh forge: check reports
// the planted import, the dry run shows the diff, fix leaves a clean tree.
func TestCheckImports(t *testing.T) {
	_, out := runStepAlone(t, checkImports)
	for _, want := range []string{
		`(?m)^  \$ sed -i 's#github.com/awesome-org/tool/raft#github.com/awesome-you/tool/raft#' \S+/check-tool/kv/statemachine.go$`,
		`(?m)^  \$ gofork check --fork=github.com/awesome-you/tool \S+/check-tool\n  \S+/check-tool/kv/statemachine.go:3:8: stray-import: import of fork path "github.com/awesome-you/tool/raft" \(want "github.com/awesome-org/tool/raft"\)$`,
		`(?m)^  -import "github.com/awesome-you/tool/raft"\n  \+import "github.com/awesome-org/tool/raft"$`,
		`(?m)^  \S+/check-tool/kv/statemachine.go: rewrote 1 path$`,
		`\$ gofork check --fork=github.com/awesome-you/tool \S+/check-tool\n$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("the check step lacks %s:\n%s", want, out.String())
		}
	}
}
