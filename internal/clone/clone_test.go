package clone

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/gittest"
	"github.com/gofork/gofork/internal/remote"
)

var transports = []string{TransportGit, TransportGoGit}

// world is one test's local forge, served over file:// and HTTP.
type world struct {
	forge   *forge.Forge
	httpURL string
	work    string // a directory to clone into
}

func newWorld(t *testing.T) *world {
	t.Helper()
	gittest.Isolate(t)
	f, err := forge.Create(filepath.Join(t.TempDir(), "forge"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := forge.Serve(f.Root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &world{forge: f, httpURL: srv.URL, work: t.TempDir()}
}

// options for a clone of awesome-org/tool from forgeURL into w.work/tool.
func (w *world) options(forgeURL, transport string) Options {
	return Options{
		Upstream:  "awesome-org/tool",
		Dir:       filepath.Join(w.work, "tool"),
		Forge:     forgeURL,
		ForkOwner: forge.ForkOwner,
		Transport: transport,
		Getenv:    func(string) string { return "" },
	}
}

func gitConfig(t *testing.T, dir, key string) string {
	t.Helper()
	return gittest.Git(t, dir, "config", "--default", "", "--get", key)
}

func TestCloneTriangularWorkflow(t *testing.T) {
	for _, transport := range transports {
		for _, protocol := range []string{"file", "http"} {
			t.Run(transport+"/"+protocol, func(t *testing.T) {
				w := newWorld(t)
				forgeURL := w.forge.URL()
				if protocol == "http" {
					forgeURL = w.httpURL
				}
				opts := w.options(forgeURL, transport)
				var stdout, stderr strings.Builder
				opts.Stdout, opts.Stderr = &stdout, &stderr
				// Progress shows only on a terminal, which the caller decides.
				opts.Progress = protocol == "http"
				if err := Run(context.Background(), opts); err != nil {
					t.Fatal(err)
				}
				if gotProgress := strings.Contains(stderr.String(), "objects"); gotProgress != opts.Progress {
					t.Errorf("progress %v, but stderr is:\n%s", opts.Progress, stderr.String())
				}
				dir := opts.Dir
				upstreamURL := forgeURL + "/awesome-org/tool.git"
				forkURL := forgeURL + "/awesome-you/tool.git"
				remotes := gittest.Git(t, dir, "remote", "-v")
				for _, want := range []string{"upstream\t" + upstreamURL + " (fetch)", "origin\t" + forkURL + " (push)"} {
					if !strings.Contains(remotes, want) {
						t.Errorf("git remote -v:\n%s\nwant a line %q", remotes, want)
					}
				}
				for key, want := range map[string]string{
					"remote.pushDefault":          "origin",
					"remote.upstream.gh-resolved": "base",
					"branch.main.remote":          "upstream",
					"branch.main.merge":           "refs/heads/main",
					"gofork.upstream":             forge.UpstreamModule,
					"gofork.fork":                 "github.com/awesome-you/tool",
				} {
					if got := gitConfig(t, dir, key); got != want {
						t.Errorf("git config %s = %q, want %q", key, got, want)
					}
				}
				if got := gittest.Git(t, dir, "rev-parse", "origin/"+forge.FeatureBranch); got != w.forge.FeatureHead.String() {
					t.Errorf("origin/feature = %s, want the fork's %s", got, w.forge.FeatureHead)
				}
				if !strings.Contains(stdout.String(), "Cloned awesome-org/tool into") {
					t.Errorf("stdout %q does not report the clone", stdout.String())
				}

				// git pull brings upstream's new commit.
				upstreamDir := w.forge.RepoDir(forge.UpstreamOwner, forge.RepoName)
				scratch := filepath.Join(t.TempDir(), "scratch")
				gittest.Git(t, "", "clone", "-q", upstreamDir, scratch)
				gittest.Git(t, scratch, "commit", "-q", "--allow-empty", "-m", "upstream moves on")
				gittest.Git(t, scratch, "push", "-q", "origin", "main")
				gittest.Git(t, dir, "pull", "-q", "--ff-only")
				if got := gittest.Git(t, dir, "log", "-1", "--format=%s"); got != "upstream moves on" {
					t.Errorf("after git pull, HEAD is %q, want upstream's new commit", got)
				}

				// git push lands in the fork, not upstream.
				gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "my change")
				gittest.Git(t, dir, "push", "-q")
				forkDir := w.forge.RepoDir(forge.ForkOwner, forge.RepoName)
				if got := gittest.Git(t, "", "--git-dir", forkDir, "log", "-1", "--format=%s", "main"); got != "my change" {
					t.Errorf("fork's main is at %q after git push, want %q", got, "my change")
				}
				if got := gittest.Git(t, "", "--git-dir", upstreamDir, "log", "-1", "--format=%s", "main"); got != "upstream moves on" {
					t.Errorf("upstream's main moved to %q: git push went upstream", got)
				}
			})
		}
	}
}

func TestCloneRepairsAnExistingClone(t *testing.T) {
	for _, transport := range transports {
		t.Run(transport, func(t *testing.T) {
			w := newWorld(t)
			opts := w.options(w.forge.URL(), transport)
			upstreamURL := w.forge.URL() + "/awesome-org/tool.git"
			// A plain clone: origin is upstream, no fork remote.
			gittest.Git(t, "", "clone", "-q", upstreamURL, opts.Dir)
			notes := filepath.Join(opts.Dir, "NOTES.txt")
			if err := os.WriteFile(notes, []byte("mine\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			configPath := filepath.Join(opts.Dir, ".git", "config")
			userConfig, err := os.ReadFile(configPath)
			if err != nil {
				t.Fatal(err)
			}
			const comment = "# my own note on this clone\n"
			if err := os.WriteFile(configPath, append([]byte(comment), userConfig...), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout strings.Builder
			opts.Stdout = &stdout
			if err := Run(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if got := gittest.Git(t, opts.Dir, "remote", "get-url", "origin"); got != w.forge.URL()+"/awesome-you/tool.git" {
				t.Errorf("origin = %q, want the fork", got)
			}
			if got := gittest.Git(t, opts.Dir, "remote", "get-url", "upstream"); got != upstreamURL {
				t.Errorf("upstream = %q, want %q", got, upstreamURL)
			}
			if got := gitConfig(t, opts.Dir, "branch.main.remote"); got != "upstream" {
				t.Errorf("branch.main.remote = %q, want upstream", got)
			}
			if got := gitConfig(t, opts.Dir, "remote.origin.gh-resolved"); got != "" {
				t.Errorf("remote.origin.gh-resolved = %q, want it unset", got)
			}
			if data, err := os.ReadFile(notes); err != nil || string(data) != "mine\n" {
				t.Errorf("repair touched an untracked file: %q, %v", data, err)
			}
			if data, _ := os.ReadFile(configPath); !strings.HasPrefix(string(data), comment+string(userConfig[:strings.Index(string(userConfig), "\n")+1])) {
				t.Errorf("repair did not keep .git/config's other lines as they were:\n%s", data)
			}
			if !strings.HasPrefix(stdout.String(), "Repaired awesome-org/tool") {
				t.Errorf("stdout %q does not report a repair", stdout.String())
			}

			// A second run changes nothing, and -q prints nothing.
			before, _ := os.ReadFile(filepath.Join(opts.Dir, ".git", "config"))
			stdout.Reset()
			opts.Quiet = true
			if err := Run(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if stdout.Len() > 0 {
				t.Errorf("quiet repair printed %q", stdout.String())
			}
			after, _ := os.ReadFile(filepath.Join(opts.Dir, ".git", "config"))
			if string(before) != string(after) {
				t.Errorf("second run changed .git/config:\n%s\n---\n%s", before, after)
			}
		})
	}
}

func TestCloneIntoEmptyDirKeepsIt(t *testing.T) {
	w := newWorld(t)
	opts := w.options(w.forge.URL(), TransportAuto)
	if err := os.Mkdir(opts.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(opts.Dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("DIR mode after clone: %v, %v; want 0700 kept", info.Mode(), err)
	}
	if _, err := os.Stat(filepath.Join(opts.Dir, "go.mod")); err != nil {
		t.Errorf("no checkout in DIR: %v", err)
	}
	assertNoLeftovers(t, w.work, "tool")
}

func TestCloneLeavesOtherDirectoriesAlone(t *testing.T) {
	w := newWorld(t)
	opts := w.options(w.forge.URL(), TransportAuto)

	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	precious := filepath.Join(opts.Dir, "precious.txt")
	if err := os.WriteFile(precious, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Run(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "not empty and holds no git repository") {
		t.Fatalf("clone into a non-empty directory: %v", err)
	}
	if data, _ := os.ReadFile(precious); string(data) != "keep me" {
		t.Errorf("precious.txt now holds %q", data)
	}

	other := filepath.Join(w.work, "other")
	gittest.Git(t, "", "init", "-q", other)
	gittest.Git(t, other, "remote", "add", "origin", "https://github.com/someone/else.git")
	opts.Dir = other
	err = Run(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "a clone of another repository") {
		t.Fatalf("clone into another repository: %v", err)
	}
	if got := gittest.Git(t, other, "remote"); got != "origin" {
		t.Errorf("remotes of the other repository are now %q", got)
	}
}

// corruptUpstream removes a blob from upstream, so a clone fails while
// objects are being transferred.
func corruptUpstream(t *testing.T, f *forge.Forge) {
	t.Helper()
	repo := f.RepoDir(forge.UpstreamOwner, forge.RepoName)
	blob := gittest.Git(t, "", "--git-dir", repo, "rev-parse", "main:go.mod")
	if err := os.Remove(filepath.Join(repo, "objects", blob[:2], blob[2:])); err != nil {
		t.Fatalf("corrupt upstream: %v (is the object packed?)", err)
	}
}

func TestCloneFailingTransferLeavesNothing(t *testing.T) {
	for _, transport := range transports {
		for _, protocol := range []string{"file", "http"} {
			t.Run(transport+"/"+protocol, func(t *testing.T) {
				w := newWorld(t)
				corruptUpstream(t, w.forge)
				forgeURL := w.forge.URL()
				if protocol == "http" {
					forgeURL = w.httpURL
				}
				opts := w.options(forgeURL, transport)
				// --gopath with directories to create: all of them must go.
				opts.Dir = ""
				opts.GOPATH = true
				gopath := filepath.Join(w.work, "gopath")
				opts.Getenv = func(k string) string { return map[string]string{"GOPATH": gopath}[k] }
				opts.Upstream = "github.com/awesome-org/tool"
				err := Run(context.Background(), opts)
				if err == nil {
					t.Fatal("clone of a corrupt upstream succeeded")
				}
				if !strings.Contains(err.Error(), "clone "+forgeURL) {
					t.Errorf("error %q does not name the clone", err)
				}
				assertNoLeftovers(t, w.work, "")
			})
		}
	}
}

// TestCloneCutOffMidTransfer interrupts the clone once the transfer has
// begun (the forge is answering the first request that wants objects): by
// Ctrl-C (the context is cancelled), or by the server dying after sending
// part of the pack. Either way nothing is left behind.
func TestCloneCutOffMidTransfer(t *testing.T) {
	for _, transport := range transports {
		for _, cut := range []string{"ctrl-c", "server dies"} {
			t.Run(transport+"/"+cut, func(t *testing.T) {
				w := newWorld(t)
				target, _ := url.Parse(w.httpURL)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				proxy := httputil.NewSingleHostReverseProxy(target)
				srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					r.Body = io.NopCloser(bytes.NewReader(body))
					if !bytes.Contains(body, []byte("want ")) { // a listing of refs (ls-remote)
						proxy.ServeHTTP(rw, r)
						return
					}
					if cut == "server dies" {
						proxy.ServeHTTP(&dyingWriter{ResponseWriter: rw, left: 512}, r)
						return
					}
					cancel()
					select { // until the client hangs up
					case <-r.Context().Done():
					case <-time.After(20 * time.Second):
						t.Error("the interrupted clone kept its connection open")
					}
				}))
				defer srv.Close()
				err := Run(ctx, w.options(srv.URL, transport))
				switch {
				case cut == "ctrl-c" && !errors.Is(err, context.Canceled):
					t.Fatalf("interrupted clone: %v, want context.Canceled", err)
				case err == nil || !strings.Contains(err.Error(), "clone "+srv.URL):
					t.Fatalf("clone cut off: %v, want an error naming the clone", err)
				}
				assertNoLeftovers(t, w.work, "")
			})
		}
	}
}

// dyingWriter passes on left bytes of a response, then drops the
// connection the way a crashing server does.
type dyingWriter struct {
	http.ResponseWriter
	left int
}

func (d *dyingWriter) Write(p []byte) (int, error) {
	if len(p) > d.left {
		d.ResponseWriter.Write(p[:d.left])
		d.ResponseWriter.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	d.left -= len(p)
	return d.ResponseWriter.Write(p)
}

// assertNoLeftovers fails unless dir holds exactly the entries want names
// ("" for none): no hidden build directory, no half clone.
func assertNoLeftovers(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if want[0] == "" {
		want = nil
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s holds %v, want %v", dir, got, want)
	}
}

func TestCloneRejects(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		name   string
		modify func(*Options)
		want   string
	}{
		{"traversal", func(o *Options) { o.Upstream = "../tool" }, "escape"},
		{"option-like upstream", func(o *Options) { o.Upstream = "--upload-pack=touch /tmp/pwned" }, "would read as an option"},
		{"option-like owner", func(o *Options) { o.ForkOwner = "-oops" }, "would read as an option"},
		{"option-like remote", func(o *Options) { o.ForkName = "--mirror" }, "would read as an option"},
		{"same remote names", func(o *Options) { o.ForkName = "upstream" }, "give them different names"},
		{"own fork", func(o *Options) { o.ForkOwner = "awesome-org" }, "owns upstream"},
		{"unknown upstream", func(o *Options) { o.Upstream = "awesome-org/nope" }, "reach upstream"},
		{"unreachable forge", func(o *Options) { o.Forge = "http://127.0.0.1:1" }, "reach upstream http://127.0.0.1:1/awesome-org/tool.git"},
		{"no fork", func(o *Options) { o.ForkOwner = "nobody" }, "create it with --create"},
		{"no owner", func(o *Options) { o.ForkOwner = "" }, "pass --fork-owner NAME"},
		{"bad transport", func(o *Options) { o.Transport = "rsync" }, `transport "rsync"`},
		{"dir and gopath", func(o *Options) { o.GOPATH = true }, "not both"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := w.options(w.forge.URL(), TransportAuto)
			tt.modify(&opts)
			err := Run(context.Background(), opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run: %v, want an error containing %q", err, tt.want)
			}
			assertNoLeftovers(t, w.work, "")
		})
	}
}

func TestForkOwnerFromGitConfig(t *testing.T) {
	w := newWorld(t)
	cfg := filepath.Join(t.TempDir(), "gitconfig")
	if err := os.WriteFile(cfg, []byte("[github]\n\tuser = awesome-you\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := w.options(w.forge.URL(), TransportGoGit)
	opts.ForkOwner = ""
	opts.Getenv = func(k string) string { return map[string]string{"GIT_CONFIG_GLOBAL": cfg}[k] }
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if got := gitConfig(t, opts.Dir, "remote.origin.url"); !strings.HasSuffix(got, "/awesome-you/tool.git") {
		t.Errorf("origin = %q, want awesome-you's fork", got)
	}
}

// fakeGitHub answers like api.github.com for token "good": GET /user is
// awesome-you; POST /repos/awesome-org/tool/forks answers 202 at once and
// makes the fork fetchable only after delay, like GitHub copying in the
// background. With delay < 0 the fork never appears.
func fakeGitHub(t *testing.T, f *forge.Forge, delay time.Duration) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	auth := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") != "Bearer good" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Bad credentials"}`)
			return false
		}
		return true
	}
	mux.HandleFunc("GET /user", func(w http.ResponseWriter, r *http.Request) {
		if auth(w, r) {
			fmt.Fprint(w, `{"login":"awesome-you"}`)
		}
	})
	mux.HandleFunc("POST /repos/{owner}/{repo}/forks", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		if r.PathValue("owner") != forge.UpstreamOwner || r.PathValue("repo") != forge.RepoName {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Not Found"}`)
			return
		}
		if delay >= 0 {
			time.AfterFunc(delay, func() {
				src := f.RepoDir(forge.UpstreamOwner, forge.RepoName)
				out, err := exec.Command("git", "clone", "-q", "--bare", src, f.RepoDir(forge.ForkOwner, forge.RepoName)).CombinedOutput()
				if err != nil {
					t.Errorf("fake GitHub: make the fork: %v\n%s", err, out)
				}
			})
		}
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, `{"full_name":"awesome-you/tool","owner":{"login":"awesome-you"}}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestCloneCreatesTheFork(t *testing.T) {
	for _, transport := range transports {
		t.Run(transport, func(t *testing.T) {
			w := newWorld(t)
			if err := os.RemoveAll(w.forge.RepoDir(forge.ForkOwner, forge.RepoName)); err != nil {
				t.Fatal(err)
			}
			api := fakeGitHub(t, w.forge, 700*time.Millisecond)
			opts := w.options(w.forge.URL(), transport)
			opts.ForkOwner = "" // from GET /user
			opts.API = api.URL
			opts.Create = true
			opts.Getenv = func(k string) string { return map[string]string{"GH_TOKEN": "good"}[k] }
			var stderr strings.Builder
			opts.Stderr = &stderr
			if err := Run(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if got := gitConfig(t, opts.Dir, "remote.origin.url"); got != w.forge.URL()+"/awesome-you/tool.git" {
				t.Errorf("origin = %q, want the new fork", got)
			}
			gittest.Git(t, opts.Dir, "rev-parse", "--verify", "-q", "origin/main")
			if !strings.Contains(stderr.String(), "Created fork awesome-you/tool") {
				t.Errorf("stderr %q does not say the fork was created", stderr.String())
			}
			if strings.Contains(stderr.String(), "good") || strings.Contains(readAll(t, opts.Dir), "good") {
				t.Error("the token shows in stderr or in the clone's git files")
			}
		})
	}
}

// readAll returns the text of dir's .git/config.
func readAll(t *testing.T, dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, ".git", "config"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestCloneCreateFailures(t *testing.T) {
	w := newWorld(t)
	if err := os.RemoveAll(w.forge.RepoDir(forge.ForkOwner, forge.RepoName)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		token string
		delay time.Duration
		want  string
	}{
		{"bad token", "ghp_bad_secret", 0, "401 Unauthorized: Bad credentials"},
		{"no token", "", 0, "set $GOFORK_TOKEN"},
		{"fork never appears", "good", -1, "could not be fetched within 600ms"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			api := fakeGitHub(t, w.forge, tt.delay)
			opts := w.options(w.forge.URL(), TransportGoGit)
			opts.API = api.URL
			opts.Create = true
			opts.ForkWait = 600 * time.Millisecond
			opts.Getenv = func(k string) string { return map[string]string{"GOFORK_TOKEN": tt.token}[k] }
			err := Run(context.Background(), opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run: %v, want an error containing %q", err, tt.want)
			}
			if tt.token != "" && strings.Contains(err.Error(), tt.token) {
				t.Errorf("error %q shows the token", err)
			}
			assertNoLeftovers(t, w.work, "")
		})
	}
}

func TestGOPATHLayout(t *testing.T) {
	gopath := t.TempDir()
	for _, tt := range []struct{ module, want string }{
		{"github.com/awesome-org/tool", "src/github.com/awesome-org/tool"},
		{"github.com/awesome-org/tool/v2", "src/github.com/awesome-org/tool"},
		{"gopkg.in/yaml.v3", "src/gopkg.in/yaml.v3"},
	} {
		opts := Options{GOPATH: true, Getenv: func(k string) string { return map[string]string{"GOPATH": gopath}[k] }}
		got, err := opts.targetDir(remote.Upstream{Module: tt.module})
		if want := filepath.Join(gopath, tt.want); err != nil || got != want {
			t.Errorf("--gopath for %s: %q, %v; want %q", tt.module, got, err, want)
		}
	}
}

// TestForkModulePaths covers the shapes of real multi-module repositories:
// sub-modules, a /vN root, a sub-module that still declares the project's
// old path, vanity paths with a fork URL that has a host and one without.
func TestForkModulePaths(t *testing.T) {
	mods := func(pairs ...string) []forklayout.Module {
		var m []forklayout.Module
		for i := 0; i < len(pairs); i += 2 {
			m = append(m, forklayout.Module{Dir: pairs[i], Upstream: pairs[i+1]})
		}
		return m
	}
	for _, tt := range []struct {
		name    string
		up      remote.Upstream
		forkURL string
		mods    []forklayout.Module
		want    []string
	}{
		{"sub-modules", remote.Upstream{Module: "github.com/org/mono"}, "https://github.com/you/mono.git",
			mods(".", "github.com/org/mono", "providers/prom", "github.com/org/mono/providers/prom"),
			[]string{"github.com/you/mono", "github.com/you/mono/providers/prom"}},
		{"a /v2 root and an old path", remote.Upstream{}, "file:///srv/forge/you/moby.git",
			mods(".", "github.com/moby/moby/v2", "api", "github.com/moby/moby/api", "man", "github.com/docker/docker/man"),
			[]string{"github.com/you/moby/v2", "github.com/you/moby/api", "github.com/you/moby/man"}},
		{"vanity", remote.Upstream{Module: "go.uber.org/zap"}, "https://github.com/you/zap.git",
			mods(".", "go.uber.org/zap", "exp", "go.uber.org/zap/exp", "v2", "go.uber.org/zap/v2"),
			[]string{"github.com/you/zap", "github.com/you/zap/exp", "github.com/you/zap/v2"}},
		{"vanity on a forge without host names", remote.Upstream{}, "file:///srv/forge/you/zap.git",
			mods(".", "go.uber.org/zap", "exp", "go.uber.org/zap/exp"),
			[]string{"", ""}},
		{"gopkg.in", remote.Upstream{Module: "gopkg.in/yaml.v3"}, "https://github.com/you/yaml.git",
			mods(".", "gopkg.in/yaml.v3"),
			[]string{"gopkg.in/you/yaml.v3"}},
	} {
		upRoot, forkRoot := repoRoots(tt.up, tt.mods, tt.forkURL, "you")
		for i, m := range tt.mods {
			if got := forkModule(m, upRoot, forkRoot, "you"); got != tt.want[i] {
				t.Errorf("%s: fork of %s in %s = %q, want %q", tt.name, m.Upstream, m.Dir, got, tt.want[i])
			}
		}
	}
}

// fakeGitLab answers like GitLab's API v4 for $GITLAB_TOKEN "good": POST
// /projects/awesome-org%2Ftool/fork answers 201 with the import scheduled
// and makes the fork fetchable after delay.
func fakeGitLab(t *testing.T, f *forge.Forge, delay time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("PRIVATE-TOKEN") != "good" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"401 Unauthorized"}`)
			return
		}
		switch path := r.URL.EscapedPath(); {
		case r.Method == http.MethodGet && path == "/api/v4/user":
			fmt.Fprint(w, `{"username":"awesome-you"}`)
		case r.Method == http.MethodPost && path == "/api/v4/projects/awesome-org%2Ftool/fork":
			time.AfterFunc(delay, func() {
				src := f.RepoDir(forge.UpstreamOwner, forge.RepoName)
				if out, err := exec.Command("git", "clone", "-q", "--bare", src, f.RepoDir(forge.ForkOwner, forge.RepoName)).CombinedOutput(); err != nil {
					t.Errorf("fake GitLab: make the fork: %v\n%s", err, out)
				}
			})
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"path_with_namespace":"awesome-you/tool","namespace":{"full_path":"awesome-you"},"import_status":"scheduled"}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"404 Not Found"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestCloneCreatesTheForkOnGitLab: --forge-kind gitlab speaks GitLab's API
// at <api>/api/v4 with $GITLAB_TOKEN, and waits for the background import.
func TestCloneCreatesTheForkOnGitLab(t *testing.T) {
	w := newWorld(t)
	if err := os.RemoveAll(w.forge.RepoDir(forge.ForkOwner, forge.RepoName)); err != nil {
		t.Fatal(err)
	}
	api := fakeGitLab(t, w.forge, 500*time.Millisecond)
	opts := w.options(w.forge.URL(), TransportGoGit)
	opts.ForkOwner = "" // from GET /user
	opts.API = api.URL + "/api/v4"
	opts.ForgeKind = "gitlab"
	opts.Create = true
	opts.Getenv = func(k string) string { return map[string]string{"GITLAB_TOKEN": "good", "GH_TOKEN": "wrong"}[k] }
	var stderr strings.Builder
	opts.Stderr = &stderr
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if got := gitConfig(t, opts.Dir, "remote.origin.url"); got != w.forge.URL()+"/awesome-you/tool.git" {
		t.Errorf("origin = %q, want the new fork", got)
	}
	if !strings.Contains(stderr.String(), "Created fork awesome-you/tool") {
		t.Errorf("stderr %q does not say the fork was created", stderr.String())
	}
}
