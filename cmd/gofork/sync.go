package main

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/cli"
	"github.com/gofork/gofork/internal/forksync"
)

func newSyncCmd() *cobra.Command {
	var opts forksync.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sync [--branch B] [--force] [--dry-run] [--json] [DIR]",
		Short: "Bring the fork's default branch (or --branch) up to upstream's",
		Long: `sync works in a clone that gofork clone set up (DIR, default .): it fetches the
branch from upstream and from the fork, moves your local branch to upstream's
commit when that loses nothing (a fast-forward of the checked-out branch in a
clean work tree, or of the ref when no work tree has it), and pushes
upstream's commit to the fork's branch with git, so it works with any forge.

It refuses, changing nothing, when the fork's branch has commits upstream
lacks (it lists them; --force pushes over them) and when the branch is
checked out with uncommitted changes. A local branch with commits of its own
is left as it is, and so is every other branch. --dry-run fetches and says
what sync would do; --json prints the result as JSON.

Exit status: 0 synced (or nothing to do), 1 refused, 2 an error.`,
		Example: `  gofork sync
  gofork sync --branch release-1.x --dry-run`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			res, err := forksync.Sync(cmd.Context(), opts)
			if res != nil {
				if writeErr := writeSync(cmd.OutOrStdout(), res, asJSON); writeErr != nil {
					return writeErr
				}
			}
			if errors.Is(err, forksync.ErrDiverged) {
				return &cli.ExitError{Code: cli.ExitFindings, Err: err}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&opts.Branch, "branch", "", "the branch to sync (default: the default branch)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "push over fork commits that upstream lacks")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "say what would be done; change no branch")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func writeSync(w io.Writer, res *forksync.Result, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return res.WriteText(w)
}
