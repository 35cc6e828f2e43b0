package importcheck

import "testing"

func TestSwapOwner(t *testing.T) {
	for _, tc := range []struct{ path, module, want string }{
		{"github.com/awesome-you/tool/kv", "github.com/awesome-org/tool", "github.com/awesome-org/tool/kv"},
		{"github.com/awesome-you/tool/v2/kv", "github.com/awesome-org/tool/v2", "github.com/awesome-org/tool/v2/kv"},
		{"github.com/awesome-you/toolbox", "github.com/awesome-org/tool", ""},
		{"gitlab.com/awesome-you/tool", "github.com/awesome-org/tool", ""},
		{"github.com/awesome-org/tool/kv", "github.com/awesome-org/tool", ""},
		{"net/http/x", "net/http/y", ""},
	} {
		got, ok := swapOwner(tc.path, tc.module)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("swapOwner(%q, %q) = %q, %v; want %q", tc.path, tc.module, got, ok, tc.want)
		}
	}
}

func TestForksLongestFirst(t *testing.T) {
	var fs forks
	fs.add(fork{Fork: "example.com/you/tool", Upstream: "example.com/org/tool"})
	fs.add(fork{Fork: "example.com/you/tool/v2", Upstream: "example.com/org/tool/v2"})
	fs.add(fork{Fork: "example.com/you/tool", Upstream: "example.com/other/tool"})   // first one wins
	fs.add(fork{Fork: "example.com/org/tool/sub", Upstream: "example.com/org/tool"}) // upstream inside: ignored
	fs.sort()
	for path, want := range map[string]string{
		"example.com/you/tool/v2/kv": "example.com/org/tool/v2/kv",
		"example.com/you/tool/kv":    "example.com/org/tool/kv",
		"example.com/you/toolbox":    "",
		"example.com/org/tool/sub/x": "",
	} {
		if got, _ := fs.upstreamOf(path); got != want {
			t.Errorf("upstreamOf(%q) = %q, want %q", path, got, want)
		}
	}
}
