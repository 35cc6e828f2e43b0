package forgeapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// fakeGitLab answers as GitLab's REST API v4 documents it, for the token
// glpat-secret (glpat-readonly may read but not create: 403). The project
// awesome-org/sub/tool is in a subgroup; POST .../fork answers 201 with an
// import still scheduled, or 409 once forked, when the fork is found on
// the second page of GET .../forks (X-Next-Page).
func fakeGitLab(t *testing.T) (*httptest.Server, *int) {
	forks := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v4/", func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("PRIVATE-TOKEN") {
		case "glpat-secret", "glpat-readonly":
		default:
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"401 Unauthorized"}`)
			return
		}
		path := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v4")
		switch {
		case r.Method == http.MethodGet && path == "/user":
			fmt.Fprint(w, `{"id":7,"username":"awesome-you"}`)
		case r.Method == http.MethodPost && path == "/projects/awesome-org%2Fsub%2Ftool/fork":
			if r.Header.Get("PRIVATE-TOKEN") == "glpat-readonly" {
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"403 Forbidden"}`)
				return
			}
			if forks++; forks > 1 {
				w.WriteHeader(http.StatusConflict)
				fmt.Fprint(w, `{"message":{"name":["has already been taken"],"path":["has already been taken"]}}`)
				return
			}
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"path_with_namespace":"awesome-you/tool","http_url_to_repo":"https://gitlab.example/awesome-you/tool.git","namespace":{"full_path":"awesome-you"},"import_status":"scheduled"}`)
		case r.Method == http.MethodGet && path == "/projects/awesome-org%2Fsub%2Ftool/forks":
			if r.URL.Query().Get("owned") != "true" {
				t.Errorf("forks listed without owned=true: %s", r.URL)
			}
			switch r.URL.Query().Get("page") {
			case "1":
				w.Header().Set("X-Next-Page", "2")
				fmt.Fprint(w, `[{"path_with_namespace":"someone/tool","namespace":{"full_path":"someone"}}]`)
			case "2":
				fmt.Fprint(w, `[{"path_with_namespace":"awesome-you/tool","http_url_to_repo":"https://gitlab.example/awesome-you/tool.git","namespace":{"full_path":"awesome-you"}}]`)
			default:
				fmt.Fprint(w, `[]`)
			}
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"404 Project Not Found"}`)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &forks
}

func TestGitLab(t *testing.T) {
	srv, _ := fakeGitLab(t)
	c := &Client{Kind: GitLab, Base: srv.URL + "/api/v4", Token: "glpat-secret"}
	if login, err := c.User(context.Background()); err != nil || login != "awesome-you" {
		t.Fatalf("User() = %q, %v", login, err)
	}
	for i, what := range []string{"created (201)", "exists already (409), found on page 2"} {
		fork, err := c.CreateFork(context.Background(), "awesome-org/sub", "tool")
		if err != nil || fork.FullName != "awesome-you/tool" || fork.Owner != "awesome-you" || fork.CloneURL == "" {
			t.Fatalf("fork %d, %s: %+v, %v", i, what, fork, err)
		}
	}
	for _, tc := range []struct {
		token, project string
		want           error
		text           string
	}{
		{"glpat-wrong", "tool", ErrUnauthorized, "401 Unauthorized"},
		{"glpat-readonly", "tool", ErrForbidden, "403 Forbidden"},
		{"glpat-secret", "nope", ErrNotFound, "404 Project Not Found"},
	} {
		c := &Client{Kind: GitLab, Base: srv.URL + "/api/v4", Token: tc.token}
		_, err := c.CreateFork(context.Background(), "awesome-org/sub", tc.project)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) || strings.Contains(err.Error(), tc.token) {
			t.Errorf("token %s, project %s: %v; want %v with %q and no token", tc.token, tc.project, err, tc.want, tc.text)
		}
	}
}

// fakeGitea answers as Gitea's (and Forgejo's) API v1 documents it, for
// "token gta-secret": POST /repos/{owner}/{repo}/forks answers 202, then
// 409 once forked; the fork is then on the second page of GET .../forks,
// which a Link rel="next" header announces.
func fakeGitea(t *testing.T) *httptest.Server {
	forks := 0
	mux := http.NewServeMux()
	auth := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") != "token gta-secret" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"token is required"}`)
			return false
		}
		return true
	}
	mux.HandleFunc("GET /api/v1/user", func(w http.ResponseWriter, r *http.Request) {
		if auth(w, r) {
			fmt.Fprint(w, `{"login":"awesome-you"}`)
		}
	})
	mux.HandleFunc("POST /api/v1/repos/awesome-org/tool/forks", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		if forks++; forks > 1 {
			w.WriteHeader(http.StatusConflict)
			fmt.Fprint(w, `{"message":"repository is already forked by user"}`)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, `{"full_name":"awesome-you/tool","clone_url":"https://codeberg.example/awesome-you/tool.git","owner":{"login":"awesome-you"}}`)
	})
	mux.HandleFunc("GET /api/v1/repos/awesome-org/tool/forks", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		switch page {
		case 1:
			w.Header().Set("Link", `<`+r.URL.Path+`?page=2&limit=50>; rel="next"`)
			fmt.Fprint(w, `[{"full_name":"someone/tool","owner":{"login":"someone"}}]`)
		case 2:
			fmt.Fprint(w, `[{"full_name":"awesome-you/tool","clone_url":"https://codeberg.example/awesome-you/tool.git","owner":{"login":"awesome-you"}}]`)
		default:
			fmt.Fprint(w, `[]`)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestGitea(t *testing.T) {
	srv := fakeGitea(t)
	c := &Client{Kind: Gitea, Base: srv.URL + "/api/v1", Token: "gta-secret"}
	for i := range 2 { // created, then exists already
		fork, err := c.CreateFork(context.Background(), "awesome-org", "tool")
		if err != nil || fork.FullName != "awesome-you/tool" || fork.Owner != "awesome-you" {
			t.Fatalf("fork %d: %+v, %v", i, fork, err)
		}
	}
	bad := &Client{Kind: Gitea, Base: srv.URL + "/api/v1", Token: "gta-wrong"}
	if _, err := bad.CreateFork(context.Background(), "awesome-org", "tool"); !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), "gta-wrong") || !strings.Contains(err.Error(), "$GOFORK_TOKEN, $GITEA_TOKEN, $FORGEJO_TOKEN") {
		t.Errorf("bad token: %v", err)
	}
}

func TestKindFor(t *testing.T) {
	for host, want := range map[string]Kind{
		"github.com": GitHub, "ghe.example.com": GitHub, "gitlab.com": GitLab, "gitlab.example.org": GitLab,
		"codeberg.org": Gitea, "gitea.com": Gitea, "forgejo.example.net": Gitea, "git.example.org": GitHub,
	} {
		if got := KindFor(host); got != want {
			t.Errorf("KindFor(%s) = %s, want %s", host, got, want)
		}
	}
	if k, err := ParseKind("GitLab"); err != nil || k != GitLab {
		t.Errorf("ParseKind(GitLab) = %v, %v", k, err)
	}
	if _, err := ParseKind("bitbucket"); err == nil {
		t.Error("ParseKind(bitbucket) accepted")
	}
}

func TestTokenEnvPerKind(t *testing.T) {
	env := map[string]string{"GITLAB_TOKEN": "gl", "FORGEJO_TOKEN": "fj", "GH_TOKEN": "gh"}
	getenv := func(k string) string { return env[k] }
	for kind, want := range map[Kind]string{GitHub: "gh", GitLab: "gl", Gitea: "fj"} {
		if got := TokenFromEnv(kind, getenv); got != want {
			t.Errorf("TokenFromEnv(%s) = %q, want %q", kind, got, want)
		}
	}
}
