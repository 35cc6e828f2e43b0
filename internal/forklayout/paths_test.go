package forklayout

import (
	"errors"
	"testing"
)

func TestForkModulePath(t *testing.T) {
	for _, tt := range []struct{ module, want string }{
		{"github.com/awesome-org/tool", "github.com/awesome-you/tool"},
		{"github.com/awesome-org/tool/v2", "github.com/awesome-you/tool/v2"},
		{"github.com/awesome-org/tool/sub/v3", "github.com/awesome-you/tool/sub/v3"},
		{"gopkg.in/yaml.v3", "gopkg.in/awesome-you/yaml.v3"},
		{"gopkg.in/src-d/go-git.v4", "gopkg.in/awesome-you/go-git.v4"},
	} {
		got, err := ForkModulePath(tt.module, "awesome-you")
		if err != nil || got != tt.want {
			t.Errorf("ForkModulePath(%q) = %q, %v; want %q", tt.module, got, err, tt.want)
		}
	}
	// Hosts whose paths are not host/owner/repo have no owner to swap:
	// gitlab.com nests subgroups, vanity hosts map paths as they like.
	for _, vanity := range []string{"go.uber.org/zap", "example.com/zap/v2", "gitlab.com/group/sub/project", "google.golang.org/grpc", "tool", "gopkg.in/a/b/c"} {
		if got, err := ForkModulePath(vanity, "awesome-you"); !errors.Is(err, ErrNoOwner) {
			t.Errorf("ForkModulePath(%q) = %q, %v; want ErrNoOwner", vanity, got, err)
		}
	}
	for _, bad := range []string{"-x", "", "a/b", ".x"} {
		if got, err := ForkModulePath("github.com/a/b", bad); err == nil {
			t.Errorf("ForkModulePath with owner %q = %q, want an error", bad, got)
		}
	}
}

func TestVanityForkPath(t *testing.T) {
	for _, tt := range []struct{ dir, module, want string }{
		{".", "go.uber.org/zap", "github.com/you/zap"},
		{"exp", "go.uber.org/zap/exp", "github.com/you/zap/exp"},
		{".", "go.uber.org/zap/v2", "github.com/you/zap/v2"},
		{"v2", "go.uber.org/zap/v2", "github.com/you/zap/v2"},
		{"providers/prom", "example.org/mw/providers/prom/v3", "github.com/you/zap/providers/prom/v3"},
	} {
		if got := VanityForkPath("github.com/you/zap", tt.dir, tt.module); got != tt.want {
			t.Errorf("VanityForkPath(%q, %q) = %q, want %q", tt.dir, tt.module, got, tt.want)
		}
	}
}

func TestSwapOwner(t *testing.T) {
	for _, tc := range []struct{ path, module, want string }{
		{"github.com/awesome-you/tool/kv", "github.com/awesome-org/tool", "github.com/awesome-org/tool/kv"},
		{"github.com/awesome-you/tool/v2/kv", "github.com/awesome-org/tool/v2", "github.com/awesome-org/tool/v2/kv"},
		{"github.com/awesome-you/toolbox", "github.com/awesome-org/tool", ""},
		{"gitlab.com/awesome-you/tool", "github.com/awesome-org/tool", ""},
		{"github.com/awesome-org/tool/kv", "github.com/awesome-org/tool", ""},
		{"gopkg.in/you/yaml.v3", "gopkg.in/yaml.v3", "gopkg.in/yaml.v3"},
		{"gopkg.in/you/yaml.v3/sub", "gopkg.in/go-yaml/yaml.v3", "gopkg.in/go-yaml/yaml.v3/sub"},
		{"gopkg.in/yaml.v3", "gopkg.in/yaml.v3", ""},
		// Not host/owner/repo: the "owner" is part of the repository's name.
		{"google.golang.org/protobuf/cmd/protoc-gen-go", "google.golang.org/grpc/cmd/protoc-gen-go-grpc", ""},
		{"golang.org/y/net", "golang.org/x/net", ""},
		{"net/http/x", "net/http/y", ""},
	} {
		got, ok := SwapOwner(tc.path, tc.module)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("SwapOwner(%q, %q) = %q, %v; want %q", tc.path, tc.module, got, ok, tc.want)
		}
	}
}
