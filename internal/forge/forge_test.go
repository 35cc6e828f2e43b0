package forge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

func newForge(t *testing.T) *Forge {
	t.Helper()
	gittest.Isolate(t)
	f, err := Create(filepath.Join(t.TempDir(), "forge"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCreateOverFile(t *testing.T) {
	f := newForge(t)
	for _, repo := range []string{f.RepoDir(UpstreamOwner, RepoName), f.RepoDir(ForkOwner, RepoName)} {
		gittest.Git(t, repo, "fsck", "--strict")
		if got := gittest.Git(t, repo, "symbolic-ref", "HEAD"); got != "refs/heads/main" {
			t.Errorf("%s: HEAD = %q, want refs/heads/main", repo, got)
		}
	}

	work := t.TempDir()
	gittest.Git(t, work, "clone", "-q", f.URL()+"/awesome-org/tool.git", "up")
	up := filepath.Join(work, "up")
	if got := gittest.Git(t, up, "rev-list", "--count", "HEAD"); got != "3" {
		t.Errorf("upstream has %s commits on main, want 3", got)
	}
	if got := gittest.Git(t, up, "describe", "--tags", "--exact-match", "HEAD"); got != Tag {
		t.Errorf("upstream main is tagged %q, want %q", got, Tag)
	}
	if got := gittest.Git(t, up, "rev-parse", "HEAD"); got != f.UpstreamHead.String() {
		t.Errorf("upstream main = %s, Forge.UpstreamHead = %s", got, f.UpstreamHead)
	}
	if got := gittest.Git(t, up, "branch", "-r"); strings.Contains(got, FeatureBranch) {
		t.Errorf("upstream has the fork's branch:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(up, "kv", "keys.go")); err == nil {
		t.Error("upstream has kv/keys.go, which only the fork should have")
	}
	if mod, err := os.ReadFile(filepath.Join(up, "go.mod")); err != nil || !strings.HasPrefix(string(mod), "module "+UpstreamModule+"\n") {
		t.Errorf("upstream go.mod = %q, %v; want module %s", mod, err, UpstreamModule)
	}

	gittest.Git(t, work, "clone", "-q", "--branch", FeatureBranch, f.URL()+"/awesome-you/tool.git", "fork")
	fork := filepath.Join(work, "fork")
	if got := gittest.Git(t, fork, "rev-parse", "HEAD~1"); got != f.UpstreamHead.String() {
		t.Errorf("fork feature's parent = %s, want upstream main %s", got, f.UpstreamHead)
	}
	if got := gittest.Git(t, fork, "rev-parse", "HEAD"); got != f.FeatureHead.String() {
		t.Errorf("fork feature = %s, Forge.FeatureHead = %s", got, f.FeatureHead)
	}
	if _, err := os.Stat(filepath.Join(fork, "kv", "keys.go")); err != nil {
		t.Errorf("fork feature lacks kv/keys.go: %v", err)
	}
}

func TestCreateIsDeterministic(t *testing.T) {
	a, b := newForge(t), newForge(t)
	if a.UpstreamHead != b.UpstreamHead || a.FeatureHead != b.FeatureHead {
		t.Errorf("two forges differ: %s/%s and %s/%s", a.UpstreamHead, a.FeatureHead, b.UpstreamHead, b.FeatureHead)
	}
}

func TestCreateRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "precious.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Create(dir)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Create(non-empty dir) error = %v, want one saying it is not empty", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("Create changed a non-empty directory: %d entries", len(entries))
	}
}

// TestCloneFetchPush drives the real git binary against the forge over
// file:// and over smart HTTP: clone, fetch a branch, push a new one.
func TestCloneFetchPush(t *testing.T) {
	f := newForge(t)
	srv, err := Serve(f.Root)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	}()
	for _, transport := range []struct{ name, url string }{
		{"file", f.URL()},
		{"http", srv.URL},
	} {
		t.Run(transport.name, func(t *testing.T) {
			work := t.TempDir()
			gittest.Git(t, work, "clone", "-q", transport.url+"/awesome-you/tool.git", "fork")
			fork := filepath.Join(work, "fork")
			gittest.Git(t, fork, "fetch", "-q", "origin", FeatureBranch)
			if got := gittest.Git(t, fork, "rev-parse", "FETCH_HEAD"); got != f.FeatureHead.String() {
				t.Errorf("fetched feature = %s, want %s", got, f.FeatureHead)
			}

			if err := os.WriteFile(filepath.Join(fork, "NOTES"), []byte("pushed over "+transport.name+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			gittest.Git(t, fork, "add", "NOTES")
			gittest.Git(t, fork, "commit", "-q", "-m", "notes")
			branch := "refs/heads/notes-" + transport.name
			gittest.Git(t, fork, "push", "-q", "origin", "HEAD:"+branch)
			want := gittest.Git(t, fork, "rev-parse", "HEAD")
			if got := gittest.Git(t, f.RepoDir(ForkOwner, RepoName), "rev-parse", branch); got != want {
				t.Errorf("pushed branch in the fork's bare repo = %s, want %s", got, want)
			}
		})
	}
}
