package main

import (
	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/importcheck"
)

func newFixCmd() *cobra.Command {
	var opts importcheck.Options
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "fix [--dry-run] [DIR]",
		Short: "Rewrite the imports, import comments and module lines check reports back to upstream",
		Long: `fix rewrites what gofork check reports under DIR (default .) back to the
upstream path: import paths, import comments and go.mod module lines. Only the
bytes of the path literals change; a sorted import group is re-sorted so gofmt
stays content. Files keep their mode and are written atomically. Run twice,
the second run does nothing.

With --dry-run fix prints a unified diff of what it would change and changes
nothing.

Findings fix leaves alone (local-replace, go-work, files that do not parse)
are printed like check prints them, with check's exit status.`,
		Example: `  gofork fix --dry-run
  gofork fix && gofork check && go build ./...`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return importcheck.RunFix(opts, dryRun, cmd.OutOrStdout())
		},
	}
	addTreeFlags(cmd.Flags(), &opts)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print a unified diff and change nothing")
	return cmd
}
