package remote

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestForgeFromEnv(t *testing.T) {
	tests := []struct {
		name             string
		forgeFlag, api   string
		env              map[string]string
		wantURL, wantAPI string
	}{
		{name: "default", wantURL: "https://github.com", wantAPI: "https://api.github.com"},
		{name: "env forge, enterprise API", env: map[string]string{"GOFORK_FORGE": "https://ghe.example.com/"},
			wantURL: "https://ghe.example.com", wantAPI: "https://ghe.example.com/api/v3"},
		{name: "flag beats env", forgeFlag: "https://git.example.org", env: map[string]string{"GOFORK_FORGE": "https://ghe.example.com"},
			wantURL: "https://git.example.org", wantAPI: "https://git.example.org/api/v3"},
		{name: "api env", env: map[string]string{"GOFORK_API": "http://127.0.0.1:8080/"},
			wantURL: "https://github.com", wantAPI: "http://127.0.0.1:8080"},
		{name: "api flag beats env", api: "http://127.0.0.1:1", env: map[string]string{"GOFORK_API": "http://127.0.0.1:2"},
			wantURL: "https://github.com", wantAPI: "http://127.0.0.1:1"},
		{name: "file forge has no API", forgeFlag: "file:///srv/forge", wantURL: "file:///srv/forge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ForgeFromEnv(tt.forgeFlag, tt.api, "", env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if f.URL != tt.wantURL || f.API != tt.wantAPI {
				t.Errorf("got {%s %s}, want {%s %s}", f.URL, f.API, tt.wantURL, tt.wantAPI)
			}
		})
	}
}

func TestForgeFromEnvRejects(t *testing.T) {
	for _, tt := range []struct{ forge, api, want string }{
		{forge: "github.com", want: "want an https://"},
		{forge: "file://relative/dir", want: "absolute path"},
		{forge: "https://", want: "no host"},
		{forge: "https://user:secret@github.com", want: "no query, fragment or credentials"},
		{forge: "ftp://example.com", want: "want an https://"},
		{api: "api.github.com", want: "want an http(s) URL"},
	} {
		_, err := ForgeFromEnv(tt.forge, tt.api, "", env(nil))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ForgeFromEnv(%q, %q) = %v, want error containing %q", tt.forge, tt.api, err, tt.want)
		}
	}
}

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"awesome-org", "tool", "go.uber", "a_b", ".github", "A1"} {
		if err := ValidateName("owner", ok); err != nil {
			t.Errorf("ValidateName(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "-x", "--upload-pack=evil", "a/b", "a b", "a\x00", "ä", strings.Repeat("a", 101)} {
		if err := ValidateName("owner", bad); err == nil {
			t.Errorf("ValidateName(%q) = nil, want an error", bad)
		}
	}
}

func TestResolve(t *testing.T) {
	github := Forge{URL: "https://github.com", API: "https://api.github.com"}
	local := Forge{URL: "file:///srv/forge"}
	tests := []struct {
		spec  string
		forge Forge
		want  Upstream
	}{
		{"awesome-org/tool", github, Upstream{Owner: "awesome-org", Repo: "tool", URL: "https://github.com/awesome-org/tool.git", Module: "github.com/awesome-org/tool", OnForge: true}},
		{"awesome-org/tool.git", github, Upstream{Owner: "awesome-org", Repo: "tool", URL: "https://github.com/awesome-org/tool.git", Module: "github.com/awesome-org/tool", OnForge: true}},
		{"awesome-org/tool", local, Upstream{Owner: "awesome-org", Repo: "tool", URL: "file:///srv/forge/awesome-org/tool.git", OnForge: true}},
		{"github.com/awesome-org/tool", local, Upstream{Owner: "awesome-org", Repo: "tool", URL: "file:///srv/forge/awesome-org/tool.git", Module: "github.com/awesome-org/tool", OnForge: true}},
		{"github.com/awesome-org/tool/v2", github, Upstream{Owner: "awesome-org", Repo: "tool", URL: "https://github.com/awesome-org/tool.git", Module: "github.com/awesome-org/tool/v2", OnForge: true}},
		{"github.com/awesome-org/tool/kv", github, Upstream{Owner: "awesome-org", Repo: "tool", URL: "https://github.com/awesome-org/tool.git", Module: "github.com/awesome-org/tool", OnForge: true}},
		{"gopkg.in/yaml.v3", github, Upstream{Owner: "go-yaml", Repo: "yaml", URL: "https://github.com/go-yaml/yaml.git", Module: "gopkg.in/yaml.v3", OnForge: true}},
		{"gopkg.in/src-d/go-git.v4", github, Upstream{Owner: "src-d", Repo: "go-git", URL: "https://github.com/src-d/go-git.git", Module: "gopkg.in/src-d/go-git.v4", OnForge: true}},
		{"ghe.example.com/team/svc", Forge{URL: "https://ghe.example.com"}, Upstream{Owner: "team", Repo: "svc", URL: "https://ghe.example.com/team/svc.git", Module: "ghe.example.com/team/svc", OnForge: true}},
		{"https://github.com/awesome-org/tool", local, Upstream{Owner: "awesome-org", Repo: "tool", URL: "https://github.com/awesome-org/tool", Module: "github.com/awesome-org/tool"}},
		{"ssh://git@github.com:22/awesome-org/tool.git", github, Upstream{Owner: "awesome-org", Repo: "tool", URL: "ssh://git@github.com:22/awesome-org/tool.git", Module: "github.com/awesome-org/tool", OnForge: true}},
		{"git@github.com:awesome-org/tool.git", github, Upstream{Owner: "awesome-org", Repo: "tool", URL: "git@github.com:awesome-org/tool.git", Module: "github.com/awesome-org/tool", OnForge: true}},
		{"git@gitlab.com:group/tool.git", github, Upstream{Owner: "group", Repo: "tool", URL: "git@gitlab.com:group/tool.git", Module: "gitlab.com/group/tool"}},
		{"file:///tmp/forge/awesome-org/tool.git", github, Upstream{Owner: "awesome-org", Repo: "tool", URL: "file:///tmp/forge/awesome-org/tool.git"}},
		{"file:///srv/forge/awesome-org/tool.git", local, Upstream{Owner: "awesome-org", Repo: "tool", URL: "file:///srv/forge/awesome-org/tool.git", OnForge: true}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := Resolve(context.Background(), tt.spec, tt.forge, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestResolveRejects(t *testing.T) {
	github := Forge{URL: "https://github.com"}
	for _, tt := range []struct{ spec, want string }{
		{"", "upstream is empty"},
		{"-oops", "would read as an option"},
		{"--upload-pack=touch /tmp/x", "would read as an option"},
		{"../tool", "escape"},
		{"awesome-org/..", "escape"},
		{"-x/tool", "would read as an option"},
		{"awesome-org/-tool", "would read as an option"},
		{"tool", "want owner/repo"},
		{"a/b/c", "want owner/repo"},
		{"github.com/awesome-org", "want github.com/owner/repo"},
		{"github.com/../tool", "escape"},
		{"gopkg.in/yaml", "want gopkg.in/name.vN"},
		{"https://github.com/awesome-org/../x/tool", `".." is not allowed`},
		{"https://github.com/tool", "owner/repo"},
		{"ftp://github.com/a/b", "not supported"},
		{"https://github.com/a%20b/tool", "use at most 100 letters"},
		{"ext::sh -c touch% /tmp/pwned", "remote-helper syntax"},
		{"git@ho st:owner/repo.git", "is not a host name"},
		{"https://me:ghp_secret@github.com/awesome-org/tool.git", "carries a password"},
	} {
		_, err := Resolve(context.Background(), tt.spec, github, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Resolve(%q) = %v, want error containing %q", tt.spec, err, tt.want)
		}
	}
}

// vanityClient sends every request to srv, whatever host it names, so
// https://example.org/…?go-get=1 reaches the test server.
func vanityClient(srv *httptest.Server) *http.Client {
	target, _ := url.Parse(srv.URL)
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = target.Scheme, target.Host
		return http.DefaultTransport.RoundTrip(r)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestResolveVanity(t *testing.T) {
	pages := map[string]string{
		"/zap":    `<html><head><meta name="go-import" content="go.example.org/zap git https://github.com/example/zap"></head></html>`,
		"/multi":  `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="go-import" content="go.example.org/other git https://github.com/example/other"><meta name="go-import" content="go.example.org/multi git https://git.example.org/team/multi.git"></head><body>hi</body></html>`,
		"/proxy":  `<meta name="go-import" content="go.example.org/proxy mod https://proxy.example.org">`,
		"/hg":     `<meta name="go-import" content="go.example.org/hg hg https://hg.example.org/hg">`,
		"/none":   `<html><head><title>nothing</title></head></html>`,
		"/twice":  `<meta name="go-import" content="go.example.org/twice git https://github.com/a/twice"><meta name="go-import" content="go.example.org/twice git https://github.com/b/twice">`,
		"/badurl": `<meta name="go-import" content="go.example.org/badurl git https://github.com/../x">`,
		// gitlab.com answers ?go-get=1 for any depth of subgroup.
		"/group": `<meta name="go-import" content="gitlab.com/group/sub/project git https://gitlab.com/group/sub/project.git"><meta name="go-import" content="gitlab.com/group/proj git https://gitlab.com/group/proj.git">`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("go-get") != "1" {
			http.Error(w, "want ?go-get=1", http.StatusBadRequest)
			return
		}
		top := "/" + strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0]
		page, ok := pages[top]
		if !ok {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	client := vanityClient(srv)
	github := Forge{URL: "https://github.com"}

	for _, tt := range []struct {
		spec string
		want Upstream
	}{
		{"go.example.org/zap", Upstream{Owner: "example", Repo: "zap", URL: "https://github.com/example/zap", Module: "go.example.org/zap"}},
		{"go.example.org/zap/v2", Upstream{Owner: "example", Repo: "zap", URL: "https://github.com/example/zap", Module: "go.example.org/zap/v2"}},
		{"go.example.org/zap/zapcore", Upstream{Owner: "example", Repo: "zap", URL: "https://github.com/example/zap", Module: "go.example.org/zap"}},
		{"go.example.org/multi", Upstream{Owner: "team", Repo: "multi", URL: "https://git.example.org/team/multi.git", Module: "go.example.org/multi"}},
		{"gitlab.com/group/sub/project", Upstream{Owner: "sub", Repo: "project", URL: "https://gitlab.com/group/sub/project.git", Module: "gitlab.com/group/sub/project"}},
		{"gitlab.com/group/proj/v3", Upstream{Owner: "group", Repo: "proj", URL: "https://gitlab.com/group/proj.git", Module: "gitlab.com/group/proj/v3"}},
		{"gitlab.com/group/sub/project/pkg/v2", Upstream{Owner: "sub", Repo: "project", URL: "https://gitlab.com/group/sub/project.git", Module: "gitlab.com/group/sub/project"}},
	} {
		got, err := Resolve(context.Background(), tt.spec, github, client)
		if err != nil {
			t.Errorf("Resolve(%q): %v", tt.spec, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Resolve(%q)\ngot  %+v\nwant %+v", tt.spec, got, tt.want)
		}
	}
	for _, tt := range []struct{ spec, want string }{
		{"go.example.org/proxy", `only by a module proxy (go-import vcs "mod")`},
		{"go.example.org/hg", "is hg, not git"},
		{"go.example.org/none", `no <meta name="go-import">`},
		{"go.example.org/twice", "more than one go-import"},
		{"go.example.org/badurl", `".." is not allowed`},
		{"go.example.org/bad path", "invalid char"},
		{"go.example.org/missing", "404 Not Found"},
	} {
		_, err := Resolve(context.Background(), tt.spec, github, client)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Resolve(%q) = %v, want error containing %q", tt.spec, err, tt.want)
		}
	}
}

func TestModulePathFromURL(t *testing.T) {
	for _, tt := range []struct{ url, want string }{
		{"https://github.com/awesome-org/tool.git", "github.com/awesome-org/tool"},
		{"https://GitHub.com/awesome-org/tool/", "github.com/awesome-org/tool"},
		{"ssh://git@github.com:22/awesome-org/tool.git", "github.com/awesome-org/tool"},
		{"git@github.com:awesome-org/tool.git", "github.com/awesome-org/tool"},
		{"http://127.0.0.1:8080/awesome-you/tool.git", "127.0.0.1/awesome-you/tool"},
		// GitLab CI's origin, with the job's token in it.
		{"https://gitlab-ci-token:glcbt-SECRET@gitlab.com/group/sub/project.git", "gitlab.com/group/sub/project"},
	} {
		got, err := ModulePathFromURL(tt.url)
		if err != nil || got != tt.want {
			t.Errorf("ModulePathFromURL(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
	for _, bad := range []string{"file:///srv/forge/awesome-org/tool.git", "https://github.com/", "-u/x", "ftp://x/y/z", "https://u:SECRET@github.com/"} {
		got, err := ModulePathFromURL(bad)
		if err == nil {
			t.Errorf("ModulePathFromURL(%q) = %q, want an error", bad, got)
		} else if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("ModulePathFromURL(%q): error %q quotes the password", bad, err)
		}
	}
}

func TestForkURL(t *testing.T) {
	for _, tt := range []struct{ url, want string }{
		{"https://github.com/awesome-org/tool.git", "https://github.com/awesome-you/tool.git"},
		{"https://github.com/awesome-org/tool", "https://github.com/awesome-you/tool"},
		{"git@github.com:awesome-org/tool.git", "git@github.com:awesome-you/tool.git"},
		{"file:///srv/awesome-org/forge/awesome-org/tool.git", "file:///srv/awesome-org/forge/awesome-you/tool.git"},
		// A fork lives in its owner's namespace, not in upstream's group.
		{"https://gitlab.com/group/sub/project.git", "https://gitlab.com/awesome-you/project.git"},
		{"git@gitlab.com:group/sub/project.git", "git@gitlab.com:awesome-you/project.git"},
		{"ssh://git@gitlab.example.org:2222/group/project", "ssh://git@gitlab.example.org:2222/awesome-you/project"},
	} {
		got, err := ForkURL(tt.url, "awesome-you")
		if err != nil || got != tt.want {
			t.Errorf("ForkURL(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
	if _, err := ForkURL("https://github.com/awesome-org/tool.git", "../x"); err == nil {
		t.Error("ForkURL with a bad owner: want an error")
	}
}

func TestPasswordNeverQuoted(t *testing.T) {
	_, err := Resolve(context.Background(), "https://me:ghp_secret@github.com/awesome-org/tool.git", Forge{URL: DefaultForge}, nil)
	if err == nil || strings.Contains(err.Error(), "ghp_secret") {
		t.Errorf("Resolve of a URL with a password: %v; want an error that does not quote it", err)
	}
}
