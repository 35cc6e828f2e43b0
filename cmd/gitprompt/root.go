// Command gitprompt prints a coloured, injection-safe git segment for a shell
// prompt. See README.md for the manual.
package main

import (
	"context"
	"io"

	"github.com/gofork/gofork/internal/cli"
	"github.com/gofork/gofork/internal/version"
	"github.com/spf13/cobra"
)

// run is the whole program minus the process and returns its exit code: in a
// prompt gitprompt exits 0 whatever happens, so it maps errors itself.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	return cli.Exit(stderr, "gitprompt", root.ExecuteContext(ctx))
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "gitprompt",
		Short:         "Print a git status segment for a shell prompt",
		Version:       version.String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	return root
}
