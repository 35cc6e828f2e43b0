package forkuse

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/gittest"
)

// status finds the upstream release that contains a fork's commit for a
// vanity upstream (through its go-import page, as use resolves one) and
// for a /vN module (whose tags carry no directory).
func TestReleaseWith(t *testing.T) {
	gittest.Isolate(t)
	f, err := forge.Create(filepath.Join(t.TempDir(), "forge"))
	if err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, "", "--git-dir", f.RepoDir(forge.UpstreamOwner, forge.RepoName), "tag", "v2.0.0", f.UpstreamHead.String())
	upstreamURL := f.URL() + "/awesome-org/tool.git"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<html><head><meta name="go-import" content="go.awesome.dev/tool git ` + upstreamURL + `"></head></html>`))
	}))
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = target.Scheme, target.Host
		return http.DefaultTransport.RoundTrip(r)
	})}
	noEnv := func(string) string { return "" }
	for module, want := range map[string]string{
		"go.awesome.dev/tool":            "v1.2.0",
		"github.com/awesome-org/tool":    "v1.2.0",
		"github.com/awesome-org/tool/v2": "v2.0.0",
	} {
		got, err := releaseWith(t.Context(), module, f.UpstreamHead, f.URL(), noEnv, client)
		if err != nil || got != want {
			t.Errorf("releaseWith(%s) = %q, %v; want %q", module, got, err, want)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
