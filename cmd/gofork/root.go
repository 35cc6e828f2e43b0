// Command gofork works on a fork of a Go project while every import path
// stays upstream: it clones upstream and pushes to your fork, points consumer
// modules at the fork with replace directives, and catches stray import
// rewrites in CI. See README.md for the manual.
package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"
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
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newVersionCmd(),
		newDemoCmd(),
		newCloneCmd(),
		newCheckCmd(),
		newFixCmd(),
		newUseCmd(),
		newDropCmd(),
		newStatusCmd(),
	)
	return root
}
