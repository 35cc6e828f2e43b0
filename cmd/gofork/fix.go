package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/importcheck"
)

func newFixCmd() *cobra.Command {
	var opts importcheck.Options
	var dryRun bool
	var format string
	cmd := &cobra.Command{
		Use:   "fix [--dry-run] [DIR]",
		Short: "Rewrite the imports, import comments and module lines check reports back to upstream",
		Long: `fix rewrites what gofork check reports under DIR (default .) back to the
upstream path: import paths, import comments and go.mod module lines. Only the
bytes of the path literals change; a sorted import group is re-sorted so gofmt
stays content. Files keep their mode and are written atomically. Run twice,
the second run does nothing.

Only paths known to be a fork's are rewritten (from --fork, git config and
remotes, and replace directives); a suspicious-import is a guess, and fix
leaves it, like local-replace and go-work, for you to look at.

Findings fix leaves alone are printed like check prints them, and the exit
status is check's for what is left: 0 when nothing is left, 1 when findings
are, 2 when a file could not be read.

With --dry-run fix prints a unified diff of what it would change on stdout
(git apply takes it), what it would leave on stderr, and changes nothing; it
exits 1 when it would change anything or leave findings, so CI can run it as
a gate.`,
		Example: `  gofork fix --dry-run
  gofork fix && gofork check && go build ./...`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if err := importcheck.ValidFormat(format); err != nil {
				return err
			}
			defer withoutGC()()
			res, err := importcheck.Fix(opts, dryRun, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			left := cmd.OutOrStdout()
			if dryRun {
				left = cmd.ErrOrStderr() // stdout is a patch
			}
			if err := importcheck.Write(left, format, res.Remaining, paletteFor(left)); err != nil {
				return err
			}
			return findingsExit(res.Remaining, dryRun && res.Files > 0)
		},
	}
	addTreeFlags(cmd.Flags(), &opts)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print a unified diff and change nothing; exit 1 if there is anything to do")
	cmd.Flags().StringVar(&format, "format", importcheck.FormatText, "output format of the findings left: "+strings.Join(importcheck.Formats, ", "))
	_ = cmd.RegisterFlagCompletionFunc("format", formatCompletion)
	return cmd
}
