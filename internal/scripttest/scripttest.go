// Package scripttest prepares the world a testscript script runs in: a
// local forge served over file:// and HTTP, git isolated from the user's
// configuration, and the go command kept offline.
package scripttest

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/gittest"
)

// Update is -update: testscript rewrites the scripts' cmp golden files from
// what the commands printed (go test ./cmd/... -run Scripts -update), as
// gofumpt's UpdateScripts does. Review the diff before committing it.
var Update = flag.Bool("update", false, "rewrite the golden files of testscript scripts")

// Setup is a testscript Params.Setup. Scripts see:
//
//	$FORGE       file:// URL of a fresh forge (awesome-org/tool, awesome-you/tool)
//	$FORGEDIR    its directory
//	$FORGE_HTTP  the same forge over smart HTTP (git http-backend on loopback)
//	$HOME        $WORK/home, whose .gitconfig (GIT_CONFIG_GLOBAL) sets an identity
//	$VETTOOL     the absolute path of gofork-vet when the test binary provides it,
//	             as go vet -vettool wants one
//
// and GOFLAGS=-mod=mod, GOPROXY=off, GOMODCACHE under $WORK, the real GOCACHE.
func Setup(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	gitconfig := filepath.Join(home, ".gitconfig")
	if err := os.WriteFile(gitconfig, []byte(gittest.Config), 0o644); err != nil {
		return err
	}
	f, err := forge.Create(filepath.Join(env.WorkDir, "forge"))
	if err != nil {
		return err
	}
	srv, err := forge.Serve(f.Root)
	if err != nil {
		return err
	}
	env.Defer(func() { srv.Close() })

	gocache := os.Getenv("GOCACHE")
	if gocache == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			gocache = filepath.Join(dir, "go-build")
		}
	}
	for _, dir := range filepath.SplitList(env.Getenv("PATH")) {
		if p := filepath.Join(dir, "gofork-vet"); filepath.IsAbs(p) {
			if _, err := os.Stat(p); err == nil {
				env.Setenv("VETTOOL", p)
				break
			}
		}
	}
	for _, dir := range filepath.SplitList(env.Getenv("PATH")) {
		if p := filepath.Join(dir, "gofork-vet"); filepath.IsAbs(p) {
			if _, err := os.Stat(p); err == nil {
				env.Setenv("VETTOOL", p)
				break
			}
		}
	}
	for k, v := range map[string]string{
		"FORGE":               f.URL(),
		"FORGEDIR":            f.Root,
		"FORGE_HTTP":          srv.URL,
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, ".config"),
		"GIT_CONFIG_GLOBAL":   gitconfig,
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_TERMINAL_PROMPT": "0",
		"GOFLAGS":             "-mod=mod -modcacherw",
		"GOPROXY":             "off",
		"GOTOOLCHAIN":         "local",
		"GOCACHE":             gocache,
		"GOMODCACHE":          filepath.Join(env.WorkDir, "modcache"),
		"GOPATH":              filepath.Join(env.WorkDir, "gopath"),
	} {
		env.Setenv(k, v)
	}
	return nil
}

// Cmds are the commands scripts have beyond testscript's own:
//
//	publish DIR OWNER/REPO [TAG...]
//	    commit DIR's files (but a .git of its own) as the next commit on main of the forge's
//	    repository OWNER/REPO (a bare repository, created when missing),
//	    tag it with each TAG and push: a project of any shape on the forge.
var Cmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"publish": publish,
}

func publish(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: publish DIR OWNER/REPO [TAG...]")
	}
	src := ts.MkAbs(args[0])
	bare := filepath.Join(ts.Getenv("FORGEDIR"), filepath.FromSlash(args[1])+".git")
	git := func(args ...string) { ts.Check(ts.Exec("git", args...)) }
	if _, err := os.Stat(bare); err != nil {
		git("init", "-q", "--bare", "-b", "main", bare)
	}
	work, err := os.MkdirTemp(ts.Getenv("WORK"), ".publish-*")
	ts.Check(err)
	defer os.RemoveAll(work)
	git("clone", "-q", bare, work)
	entries, err := os.ReadDir(work)
	ts.Check(err)
	for _, e := range entries {
		if e.Name() != ".git" {
			ts.Check(os.RemoveAll(filepath.Join(work, e.Name())))
		}
	}
	// DIR's own .git, when it is a repository too, is not part of the project.
	top, err := os.ReadDir(src)
	ts.Check(err)
	for _, e := range top {
		if e.Name() == ".git" {
			continue
		}
		if e.IsDir() {
			ts.Check(os.CopyFS(filepath.Join(work, e.Name()), os.DirFS(filepath.Join(src, e.Name()))))
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		ts.Check(err)
		ts.Check(os.WriteFile(filepath.Join(work, e.Name()), data, 0o644))
	}
	git("-C", work, "add", "-A")
	git("-C", work, "commit", "-q", "--allow-empty", "-m", "publish "+args[0])
	for _, tag := range args[2:] {
		git("-C", work, "tag", tag)
	}
	git(append([]string{"-C", work, "push", "-q", "origin", "HEAD:main"}, args[2:]...)...)
}
