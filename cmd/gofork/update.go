package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/forkuse"
)

func newUpdateCmd() *cobra.Command {
	opts := forkuse.UpdateOptions{Dir: ".", Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "update [--no-download] [MODULE...]",
		Short: "Move the replaces gofork use --fork wrote to their branch's current commit",
		Long: `update re-resolves each replace that gofork use --fork wrote, in go.mod and in
the go.work the go command uses (or only those of the MODULEs named), to the
commit of the fork that the line's branch, tag or commit names now (recorded
in its "// gofork rev=…" marker; none: the fork's default branch), and writes
the new version as gofork use does: requirements the fork needs raised,
go.sum completed, vendor/ refreshed. It prints old -> new for each, and says
so when the old commit is gone from the fork (force-pushed away). A branch
that is gone is an error that says what to do. gofork drop still puts
back go.mod and go.sum as they were before the first gofork use.`,
		Example: `  gofork update
  gofork update github.com/awesome-org/tool`,
		ValidArgsFunction: func(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			return forkuse.Replaced(".", os.Getenv), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Modules = args
			opts.Stdout, opts.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			return forkuse.Update(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.NoDownload, "no-download", false, "do not run the go command afterwards")
	cmd.Flags().StringVar(&opts.Forge, "forge", "", "forge URL, instead of the one each replace records (none recorded: $GOFORK_FORGE, else https://github.com)")
	return cmd
}
