package main

import (
	"github.com/gofork/gofork/internal/demo"
	"github.com/spf13/cobra"
)

func newDemoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "demo [DIR]",
		Short: "Build a local forge and walk through the fork workflow against it, offline",
		Long: `demo builds a local forge (bare repos awesome-org/tool.git and
awesome-you/tool.git) in DIR, a new temporary directory by default, and runs
each step of the fork workflow against it, printing the commands so you can
re-run them by hand.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := demo.Options{Stdout: cmd.OutOrStdout()}
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return demo.Run(cmd.Context(), opts)
		},
	}
}
