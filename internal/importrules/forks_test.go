package importrules

import "testing"

func TestForksLongestFirst(t *testing.T) {
	var fs forks
	fs.add(Fork{Fork: "example.com/you/tool", Upstream: "example.com/org/tool"})
	fs.add(Fork{Fork: "example.com/you/tool/v2", Upstream: "example.com/org/tool/v2"})
	fs.add(Fork{Fork: "example.com/you/tool", Upstream: "example.com/other/tool"})   // first one wins
	fs.add(Fork{Fork: "example.com/org/tool/sub", Upstream: "example.com/org/tool"}) // upstream inside: ignored
	fs.sort()
	for path, want := range map[string]string{
		"example.com/you/tool/v2/kv": "example.com/org/tool/v2/kv",
		"example.com/you/tool/kv":    "example.com/org/tool/kv",
		"example.com/you/toolbox":    "",
		"example.com/org/tool/sub/x": "",
	} {
		if got, _, _ := fs.upstreamOf(path); got != want {
			t.Errorf("upstreamOf(%q) = %q, want %q", path, got, want)
		}
	}
}
