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
