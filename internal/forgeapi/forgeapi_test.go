package forgeapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const token = "ghp_secret123"

// github answers like api.github.com for the token above and the user
// awesome-you; other tokens get 401, unknown repositories 404.
func github(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	authorized := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") != "Bearer "+token || r.Header.Get("Accept") != "application/vnd.github+json" {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`))
			return false
		}
		return true
	}
	mux.HandleFunc("GET /user", func(w http.ResponseWriter, r *http.Request) {
		if authorized(w, r) {
			w.Write([]byte(`{"login":"awesome-you","id":1}`))
		}
	})
	mux.HandleFunc("POST /repos/{owner}/{repo}/forks", func(w http.ResponseWriter, r *http.Request) {
		if !authorized(w, r) {
			return
		}
		if r.PathValue("owner") != "awesome-org" || r.PathValue("repo") != "tool" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"message":"Not Found"}`))
			return
		}
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte(`{"full_name":"awesome-you/tool","clone_url":"https://github.com/awesome-you/tool.git","owner":{"login":"awesome-you"}}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestUserAndCreateFork(t *testing.T) {
	c := &Client{Base: github(t).URL, Token: token}
	login, err := c.User(context.Background())
	if err != nil || login != "awesome-you" {
		t.Fatalf("User() = %q, %v; want awesome-you", login, err)
	}
	fork, err := c.CreateFork(context.Background(), "awesome-org", "tool")
	if err != nil {
		t.Fatal(err)
	}
	if fork.FullName != "awesome-you/tool" || fork.Owner != "awesome-you" {
		t.Errorf("CreateFork() = %+v", fork)
	}
}

func TestErrorsNeverShowTheToken(t *testing.T) {
	srv := github(t)
	for _, tt := range []struct {
		name   string
		client *Client
		call   func(*Client) error
		want   error
		text   string
	}{
		{"bad token", &Client{Base: srv.URL, Token: "ghp_wrong"}, func(c *Client) error { _, err := c.User(context.Background()); return err },
			ErrUnauthorized, "401 Unauthorized: Bad credentials"},
		{"no token", &Client{Base: srv.URL}, func(c *Client) error { _, err := c.CreateFork(context.Background(), "awesome-org", "tool"); return err },
			ErrUnauthorized, "set $GOFORK_TOKEN"},
		{"unknown repo", &Client{Base: srv.URL, Token: token}, func(c *Client) error { _, err := c.CreateFork(context.Background(), "awesome-org", "nope"); return err },
			ErrNotFound, "404 Not Found"},
		{"unreachable", &Client{Base: "http://127.0.0.1:1", Token: token}, func(c *Client) error { _, err := c.User(context.Background()); return err },
			nil, "connection refused"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(tt.client)
			if err == nil {
				t.Fatal("want an error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v is not %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not say %q", err, tt.text)
			}
			if tt.client.Token != "" && strings.Contains(err.Error(), tt.client.Token) {
				t.Errorf("error %q shows the token", err)
			}
		})
	}
}

func TestTokenFromEnv(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"GITHUB_TOKEN": "c"}, "c"},
		{map[string]string{"GH_TOKEN": "b", "GITHUB_TOKEN": "c"}, "b"},
		{map[string]string{"GOFORK_TOKEN": " a\n", "GH_TOKEN": "b"}, "a"},
	} {
		if got := TokenFromEnv(GitHub, func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("TokenFromEnv(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}
