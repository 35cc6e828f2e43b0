// Package demo walks a newcomer through the fork workflow against a local
// forge, offline. Each step prints the commands a user can re-run by hand,
// then does the same work in-process through gofork's internal packages.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofork/gofork/internal/forge"
)

// Options configures Run.
type Options struct {
	Dir    string // where to build; a new temporary directory when empty
	Stdout io.Writer
}

// session is what the steps share.
type session struct {
	ctx   context.Context
	out   io.Writer
	dir   string       // the demo's root directory
	forge *forge.Forge // built by the first step
}

type step struct {
	title string
	run   func(*session) error
}

// steps run in order; each later feature adds its own.
var steps = []step{
	{"Build a local forge", buildForge},
	{"Clone upstream, push to your fork", cloneFork},
	{"See the repository in your prompt", showPrompt},
	{"Build a module against your fork", useFork},
	{"Catch an import rewritten to the fork", checkImports},
	{"Keep your fork up to date", syncFork},
	{"Follow your fork's branch", followBranch},
	{"Gate a release", gateRelease},
}

// Run builds the demo in opts.Dir and runs every step. It refuses a Dir that
// holds anything, so it never writes over a user's files.
func Run(ctx context.Context, opts Options) error {
	dir, err := prepareDir(opts.Dir)
	if err != nil {
		return err
	}
	s := &session{ctx: ctx, out: opts.Stdout, dir: dir}
	fmt.Fprintf(s.out, "gofork demo in %s\n", dir)
	for i, st := range steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		fmt.Fprintf(s.out, "\n== Step %d: %s\n", i+1, st.title)
		if err := st.run(s); err != nil {
			return fmt.Errorf("demo step %d (%s): %w", i+1, strings.ToLower(st.title), err)
		}
	}
	fmt.Fprintf(s.out, "\nDone. Everything above lives in %s; remove it when you are finished.\n", dir)
	return nil
}

func prepareDir(dir string) (string, error) {
	if dir == "" {
		d, err := os.MkdirTemp("", "gofork-demo-")
		if err != nil {
			return "", fmt.Errorf("demo: create a temporary directory: %w", err)
		}
		return d, nil
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("demo: %w", err)
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("demo: create %q: %w", dir, err)
		}
	case err != nil:
		return "", fmt.Errorf("demo: use %q: %w", dir, err)
	case len(entries) > 0:
		return "", fmt.Errorf("demo: directory %q is not empty; give a new or empty directory, or none for a temporary one", dir)
	}
	return dir, nil
}

// command prints a command line the user can copy, quoting what needs it.
func (s *session) command(args ...string) {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	fmt.Fprintf(s.out, "  $ %s\n", strings.Join(quoted, " "))
}

func (s *session) say(format string, args ...any) {
	fmt.Fprintf(s.out, "  "+format+"\n", args...)
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func buildForge(s *session) error {
	f, err := forge.Create(filepath.Join(s.dir, "forge"))
	if err != nil {
		return err
	}
	s.forge = f
	s.say("A forge on disk with two bare repositories, reachable as %s:", f.URL())
	s.say("  %s/%s  upstream, module %s, tag %s", forge.UpstreamOwner, forge.RepoName+".git", forge.UpstreamModule, forge.Tag)
	s.say("  %s/%s  your fork, with one more commit on branch %q", forge.ForkOwner, forge.RepoName+".git", forge.FeatureBranch)
	s.say("Real git can clone either:")
	s.command("git", "clone", f.URL()+"/"+forge.UpstreamOwner+"/"+forge.RepoName+".git", filepath.Join(s.dir, "try-upstream"))
	return nil
}
