// Command gitprompt prints a coloured, injection-safe git segment for a shell
// prompt. See README.md for the manual.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gofork/gofork/internal/cli"
	"github.com/gofork/gofork/internal/prompt"
	"github.com/gofork/gofork/internal/version"
	"github.com/spf13/cobra"
)

// run is the whole program minus the process and returns its exit code. A
// prompt must never show an error or a failing status, so in prompt mode (no
// subcommand) run exits 0 whatever happens and reports errors on stderr only
// with --debug; `gitprompt init` follows the usual exit-code contract.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) int {
	root := newRootCmd(stdout, stderr, os.Getenv)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && cmd == root {
		// Flag parsing may have failed before --debug was read.
		if slices.Contains(args, "--debug") {
			fmt.Fprintf(stderr, "gitprompt: %v\n", err)
		}
		return cli.ExitOK
	}
	return cli.Exit(stderr, "gitprompt", err)
}

// promptOptions are the root command's flags; promptRun does the work.
type promptOptions struct {
	Dir     string
	Shell   prompt.Shell
	Format  string
	JSON    bool
	Timeout time.Duration
	Color   bool

	Stdout io.Writer
}

func newRootCmd(stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	opts := promptOptions{Stdout: stdout}
	var shell string
	var noColor bool
	root := &cobra.Command{
		Use:   "gitprompt",
		Short: "Print a git status segment for a shell prompt",
		Long: `gitprompt prints the git status of the work tree it runs in as a prompt
segment, [tool/raft](main ↑1 +2 !1 ?3), coloured red when anything is
uncommitted, yellow when ahead of upstream, green when clean and in sync and
ochre otherwise. Outside a work tree it prints nothing. It reads the
repository through go-git, never writes to it and never runs git.

Set it up with one of
  eval "$(gitprompt init bash)"    # ~/.bashrc
  eval "$(gitprompt init zsh)"     # ~/.zshrc
  gitprompt init fish | source     # ~/.config/fish/config.fish

It always exits 0 and keeps errors off the prompt; add --debug to see them.

--format placeholders:
` + placeholderHelp(),
		Version:       version.String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Shell, err = prompt.ParseShell(shell); err != nil {
				return err
			}
			if _, err := prompt.ParseFormat(opts.Format); err != nil {
				return err
			}
			opts.Color = colorEnabled(cmd.Flags().Changed("shell"), noColor, stdout, getenv)
			return promptRun(cmd.Context(), opts)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	flags := root.Flags()
	flags.StringVarP(&opts.Dir, "directory", "C", ".", "show the work tree `DIR` is in")
	flags.StringVar(&shell, "shell", "none", "quote the segment for `SHELL`: bash, zsh, fish or none")
	flags.StringVar(&opts.Format, "format", prompt.DefaultFormat, "what to show, with {placeholders}")
	flags.BoolVar(&opts.JSON, "json", false, "print the status as JSON instead of a segment")
	flags.DurationVar(&opts.Timeout, "timeout", 150*time.Millisecond, "time budget; past it the cheap parts still print")
	flags.BoolVar(&noColor, "no-color", false, "no colour (also when NO_COLOR is set)")
	flags.Bool("debug", false, "report errors on stderr")
	root.AddCommand(newInitCmd())
	return root
}

// colorEnabled is the one place gitprompt decides about colour. A prompt
// reads gitprompt through a pipe, so naming a shell turns colour on where a
// terminal check would turn it off; --no-color and NO_COLOR still win.
func colorEnabled(shellGiven, noColor bool, stdout io.Writer, getenv func(string) string) bool {
	switch {
	case noColor || getenv("NO_COLOR") != "":
		return false
	case shellGiven:
		return true
	}
	return cli.ColorEnabled(stdout, getenv)
}

func promptRun(ctx context.Context, opts promptOptions) error {
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	seg, err := prompt.Collect(ctx, opts.Dir)
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
	out, renderErr := prompt.Render(seg, prompt.Options{Shell: opts.Shell, Color: opts.Color, Format: opts.Format})
	if renderErr != nil {
		return renderErr
	}
	if _, writeErr := io.WriteString(opts.Stdout, out); writeErr != nil {
		return writeErr
	}
	return err
}

func placeholderHelp() string {
	var b strings.Builder
	for _, p := range prompt.Placeholders {
		fmt.Fprintf(&b, "  {%s}%s%s\n", p.Name, strings.Repeat(" ", 12-len(p.Name)), p.Shows)
	}
	return b.String()
}
