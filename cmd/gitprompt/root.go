// Command gitprompt prints a coloured, injection-safe git segment for a shell
// prompt. See README.md for the manual.
//
// Unlike gofork, gitprompt parses its flags with the standard library rather
// than cobra: it runs before every prompt, and linking cobra (text/template
// and net come with it) added 3-6 ms to each start, measured side by side
// with the same binary built without it — about a third of the whole run on
// a small repository.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofork/gofork/internal/cli"
	"github.com/gofork/gofork/internal/prompt"
	"github.com/gofork/gofork/internal/version"
)

// run is the whole program minus the process and returns its exit code. A
// prompt must never show an error or a failing status, so in prompt mode
// run exits 0 whatever happens and reports errors on stderr only with
// --debug; `gitprompt init` follows the usual exit-code contract.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) int {
	if len(args) > 0 && (args[0] == "init" || args[0] == "completion") {
		return cli.Exit(stderr, "gitprompt", scriptRun(args[0], stdout, args[1:]))
	}
	if len(args) > 0 && args[0] == "daemon" {
		return cli.Exit(stderr, "gitprompt", daemonRun(ctx, os.Stdin, stdout, stderr, args[1:], os.Getenv))
	}
	opts, err := parsePromptFlags(args, stdout, os.Getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
		io.WriteString(stdout, usage())
		return cli.ExitOK
	case err == nil && opts.Version:
		fmt.Fprintf(stdout, "gitprompt version %s\n", version.String())
		return cli.ExitOK
	case err == nil:
		err = promptRunSafely(ctx, opts)
	}
	if err != nil && opts.Debug {
		fmt.Fprintf(stderr, "gitprompt: %v\n", err)
	}
	return cli.ExitOK
}

// promptOptions are the prompt's flags; promptRun does the work.
type promptOptions struct {
	Dir     string
	Shell   prompt.Shell
	Format  prompt.Format
	JSON    bool
	Timeout time.Duration
	Color   bool
	Debug   bool
	Version bool
	// CacheDir keeps directory listings between runs; "" for none.
	CacheDir string

	Stdout io.Writer
}

// parsePromptFlags parses args into options. --debug is honoured even when
// another flag is wrong, so the user can learn what is.
func parsePromptFlags(args []string, stdout io.Writer, getenv func(string) string) (promptOptions, error) {
	opts := promptOptions{Stdout: stdout}
	for _, a := range args {
		opts.Debug = opts.Debug || a == "--debug" || a == "-debug"
	}
	// The init scripts run plain `gitprompt --shell SHELL`, so the format
	// and the budget can also be set in the environment.
	timeout, err := envTimeout(getenv)
	if err != nil {
		return opts, err
	}
	var raw rawFlags
	fs := promptFlagSet(&opts, &raw, timeout, getenv)
	if err := fs.Parse(args); err != nil {
		return opts, fmt.Errorf("%w; see gitprompt --help", err)
	}
	if fs.NArg() > 0 {
		return opts, fmt.Errorf("unexpected argument %q: gitprompt takes only flags (and the init and completion subcommands)", fs.Arg(0))
	}
	if opts.Shell, err = prompt.ParseShell(raw.shell); err != nil {
		return opts, err
	}
	if opts.Format, err = prompt.ParseFormat(raw.format); err != nil {
		return opts, err
	}
	shellGiven := false
	fs.Visit(func(f *flag.Flag) { shellGiven = shellGiven || f.Name == "shell" })
	opts.Color = colorEnabled(shellGiven, raw.noColor, stdout, getenv)
	if !raw.noCache {
		opts.CacheDir = listingCacheDir(getenv)
	}
	return opts, nil
}

// rawFlags are the flags parsed into promptOptions only after checking.
type rawFlags struct {
	shell, format    string
	noColor, noCache bool
}

// promptFlagSet defines the prompt's flags: the one list that parsing,
// and the tests holding the completion scripts and the manual to it, read.
func promptFlagSet(opts *promptOptions, raw *rawFlags, timeout time.Duration, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("gitprompt", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&opts.Dir, "C", ".", "")
	fs.StringVar(&raw.shell, "shell", string(prompt.None), "")
	fs.StringVar(&raw.format, "format", envOr(getenv, "GITPROMPT_FORMAT", prompt.DefaultFormat), "")
	fs.BoolVar(&opts.JSON, "json", false, "")
	fs.DurationVar(&opts.Timeout, "timeout", timeout, "")
	fs.BoolVar(&raw.noColor, "no-color", false, "")
	fs.BoolVar(&raw.noCache, "no-cache", false, "")
	fs.BoolVar(&opts.Debug, "debug", opts.Debug, "")
	fs.BoolVar(&opts.Version, "version", false, "")
	return fs
}

const defaultTimeout = 150 * time.Millisecond

// envTimeout is the time budget GITPROMPT_TIMEOUT sets, else the default.
func envTimeout(getenv func(string) string) (time.Duration, error) {
	v := getenv("GITPROMPT_TIMEOUT")
	if v == "" {
		return defaultTimeout, nil
	}
	timeout, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("GITPROMPT_TIMEOUT=%q: want a duration such as 150ms: %w", v, err)
	}
	return timeout, nil
}

// listingCacheDir is where the status engine keeps directory listings:
// $XDG_CACHE_HOME/gitprompt, else ~/.cache/gitprompt; "" (no cache) when
// GITPROMPT_NO_CACHE is set or neither is known.
func listingCacheDir(getenv func(string) string) string {
	if getenv("GITPROMPT_NO_CACHE") != "" {
		return ""
	}
	if dir := getenv("XDG_CACHE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "gitprompt")
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".cache", "gitprompt")
	}
	return ""
}

func envOr(getenv func(string) string, name, fallback string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return fallback
}

// colorEnabled: --no-color wins, then cli.ColorEnabled, told that naming a
// shell means the output is for a terminal.
func colorEnabled(shellGiven, noColor bool, stdout io.Writer, getenv func(string) string) bool {
	return !noColor && cli.ColorEnabled(stdout, getenv, shellGiven)
}

// promptRunSafely turns a panic (a repository corrupted in a way the status
// engine did not foresee) into an error, so the prompt still just shows
// nothing.
func promptRunSafely(ctx context.Context, opts promptOptions) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error, please report it with this message: %v", p)
		}
	}()
	return promptRun(ctx, opts)
}

func promptRun(ctx context.Context, opts promptOptions) error {
	delay, err := testDelay(os.Getenv)
	if err != nil {
		return err
	}
	time.Sleep(delay)
	ctx, cancel := withBudget(ctx, opts.Timeout)
	defer cancel()
	seg, err := prompt.Collect(ctx, opts.Dir, prompt.Memory{CacheDir: opts.CacheDir})
	if seg == nil {
		// Outside a work tree too: the prompt shows nothing, --debug says why.
		return err
	}
	// A segment with an error (an unreadable go.mod) is still worth
	// showing; the error goes to --debug.
	if opts.JSON {
		enc := json.NewEncoder(opts.Stdout)
		enc.SetIndent("", "  ")
		if encErr := enc.Encode(seg); encErr != nil {
			return encErr
		}
		return err
	}
	out := prompt.Render(seg, prompt.Options{Shell: opts.Shell, Color: opts.Color, Format: opts.Format})
	if _, writeErr := io.WriteString(opts.Stdout, out); writeErr != nil {
		return writeErr
	}
	return err
}

func usage() string {
	var b strings.Builder
	b.WriteString(`gitprompt prints the git status of the work tree it runs in as a prompt
segment, [tool/raft](main ↑1 +2 !1 ?3), coloured red when anything is
uncommitted, yellow when ahead of upstream, green when clean and in sync and
ochre otherwise. Outside a work tree it prints nothing. It reads the
repository through go-git, never writes to it and never runs git. It always
exits 0 and keeps errors off the prompt; add --debug to see them.

Usage:
  gitprompt [-C DIR] [--shell bash|zsh|fish|tmux|none] [--format FMT] [--json]
            [--timeout DUR] [--no-color] [--no-cache] [--debug]
  gitprompt init bash|zsh|fish
  gitprompt completion bash|zsh|fish
  gitprompt daemon                 (requests as JSON lines on stdin; see gitprompt daemon --help)

Set it up with one of
  eval "$(gitprompt init bash)"    # ~/.bashrc
  eval "$(gitprompt init zsh)"     # ~/.zshrc
  gitprompt init fish | source     # ~/.config/fish/config.fish

Flags:
  -C DIR           show the work tree DIR is in (default .)
  --shell SHELL    quote the segment for bash, zsh, fish, a tmux status bar or none; turns colour on
  --format FMT     what to show, with the placeholders below (default "` + prompt.DefaultFormat + `")
  --json           print the status as JSON instead of a segment
  --timeout DUR    time budget; past it the cheap parts still print (default 150ms)
  --no-color       no colour (also when NO_COLOR is set)
  --no-cache       read every directory; keep no listings in the cache
  --debug          report errors on stderr
  --version        print the version

Environment:
  GITPROMPT_FORMAT   default for --format, e.g. for the init scripts
  GITPROMPT_TIMEOUT  default for --timeout
  NO_COLOR           turns colour off when not empty
  GITPROMPT_NO_CACHE as --no-cache when not empty
  XDG_CACHE_HOME     the cache is $XDG_CACHE_HOME/gitprompt (else ~/.cache/gitprompt)

Placeholders:
`)
	for _, p := range prompt.Placeholders {
		fmt.Fprintf(&b, "  {%s}%s%s\n", p.Name, strings.Repeat(" ", 12-len(p.Name)), p.Shows)
	}
	return b.String()
}
