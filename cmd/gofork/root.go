// Command gofork works on a fork of a Go project while every import path
// stays upstream: it clones upstream and pushes to your fork, points consumer
// modules at the fork with replace directives, and catches stray import
// rewrites in CI. See README.md for the manual.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/cli"
	"github.com/gofork/gofork/internal/palette"
	"github.com/gofork/gofork/internal/version"
)

// run is the whole program minus the process: tests call it directly.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "gofork",
		Short: "Work on a fork of a Go module without rewriting its import paths",
		Long: `gofork clones upstream and pushes to your fork (a triangular workflow), points
consumer modules at your fork with replace directives or go.work, and checks
that no import was rewritten to the fork's path.`,
		Version:       version.String(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("gofork {{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError(cmd, err) })
	root.AddCommand(
		newVersionCmd(),
		newDemoCmd(),
		newCloneCmd(),
		newCheckCmd(),
		newFixCmd(),
		newUseCmd(),
		newDropCmd(),
		newStatusCmd(),
		newSyncCmd(),
		newUpdateCmd(),
	)
	for _, cmd := range root.Commands() {
		if args := cmd.Args; args != nil {
			cmd.Args = func(cmd *cobra.Command, a []string) error {
				if err := args(cmd, a); err != nil {
					return usageError(cmd, err)
				}
				return nil
			}
		}
	}
	return root
}

// forgeUsage is the help of --forge, which clone and use share.
const forgeUsage = "forge URL, as in https://github.com or file:///srv/forge (default $GOFORK_FORGE, else https://github.com)"

// usageError adds the command's usage line to an error in its arguments or
// flags, so the user sees what was expected without asking for --help.
func usageError(cmd *cobra.Command, err error) error {
	return fmt.Errorf("%w\nusage: %s (see %s --help)", err, cmd.UseLine(), cmd.CommandPath())
}

// paletteFor colours what gofork writes to w as cli.ColorEnabled decides
// for gofork and gitprompt alike: on a terminal, never with NO_COLOR,
// always with CLICOLOR_FORCE.
func paletteFor(w io.Writer) palette.Palette {
	return palette.New(cli.ColorEnabled(w, os.Getenv, false))
}
