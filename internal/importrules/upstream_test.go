package importrules

import (
	"testing"

	"github.com/gofork/gofork/internal/forklayout"
)

func TestForkRootOf(t *testing.T) {
	for _, tt := range []struct{ p, repo, want string }{
		{"github.com/you/tool", "github.com/org/tool", "github.com/you/tool"},
		{"github.com/you/tool/v2/kv", "github.com/org/tool", "github.com/you/tool"},
		{"github.com/org/tool/kv", "github.com/org/tool", ""},
		{"github.com/you/toolbox", "github.com/org/tool", ""},
		{"github.com/you/other/tool", "github.com/org/tool", ""}, // owner hosts are host/owner/repo
		{"gitlab.com/you/project/sub", "gitlab.com/group/sub/project", "gitlab.com/you/project"},
		{"github.com/you/zap", "github.com/uber-go/zap", "github.com/you/zap"},
		{"go.uber.org/zap", "github.com/uber-go/zap", ""},
		{"example.com/x", "", ""},
	} {
		if got := forkRootOf(tt.p, tt.repo); got != tt.want {
			t.Errorf("forkRootOf(%q, %q) = %q, want %q", tt.p, tt.repo, got, tt.want)
		}
	}
}

// The ladder: each rung beats the ones below it, and the module line being
// checked never decides.
func TestDecideUpstreamLadder(t *testing.T) {
	remotes := func(kv ...string) forklayout.Config {
		c := forklayout.Config{}
		for i := 0; i < len(kv); i += 2 {
			c["remote."+kv[i]+".url"] = []string{kv[i+1]}
		}
		return c
	}
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	rewritten := []string{"github.com/you/tool"}
	for _, tt := range []struct {
		name       string
		ev         Evidence
		declared   []string
		rule, root string
		forks      int // distinct fork paths learnt
	}{
		{"flag beats everything", Evidence{Flag: "github.com/org/tool", Git: remotes("origin", "https://github.com/you/tool"), Getenv: env("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "you/tool")},
			rewritten, UpstreamFlag, "github.com/org/tool", 1},
		{"a vanity path named, origin a fork's", Evidence{Flag: "go.example.dev/tool", Git: remotes("origin", "https://github.com/you/tool")},
			[]string{"github.com/you/tool/sub"}, UpstreamFlag, "go.example.dev/tool", 1},
		{"upstream remote beats CI", Evidence{Git: remotes("origin", "https://github.com/you/tool", "upstream", "https://github.com/org/tool"), Getenv: env("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "you/tool")},
			rewritten, UpstreamRemote, "github.com/org/tool", 1},
		{"CI beats origin", Evidence{Git: remotes("origin", "https://github.com/elsewhere/tool"), Getenv: env("CI", "true", "GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "org/tool")},
			rewritten, UpstreamGitHubActions, "github.com/org/tool", 2},
		{"a fork's own CI", Evidence{Git: remotes("origin", "https://github.com/you/tool"), Getenv: env("CI", "true", "GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "you/tool", "GITHUB_EVENT_PATH", "testdata/fork-event.json")},
			[]string{"github.com/org/tool"}, UpstreamGitHubActions, "", 0},
		{"origin in CI", Evidence{Git: remotes("origin", "https://github.com/org/tool"), Getenv: env("CI", "true")},
			rewritten, UpstreamCIOrigin, "github.com/org/tool", 1},
		{"origin on a laptop, a clone of the fork", Evidence{Git: remotes("origin", "https://github.com/you/tool")},
			[]string{"github.com/org/tool"}, UpstreamOrigin, "", 0},
		{"hard fork", Evidence{HardFork: true, Git: remotes("origin", "https://github.com/you/tool", "upstream", "https://github.com/org/tool")},
			rewritten, UpstreamNone, "", 0},
		{"nothing", Evidence{}, rewritten, UpstreamNone, "", 0},
	} {
		u, forks := decideUpstream(tt.ev, tt.declared)
		distinct := map[string]bool{}
		for _, f := range forks {
			distinct[f.Fork] = true
		}
		if u.Rule != tt.rule || u.root() != tt.root || len(distinct) != tt.forks {
			t.Errorf("%s: rule %q, root %q, forks %v; want %q, %q, %d", tt.name, u.Rule, u.root(), forks, tt.rule, tt.root, tt.forks)
		}
	}
}
