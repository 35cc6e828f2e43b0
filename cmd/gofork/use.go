package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/forkuse"
)

func newUseCmd() *cobra.Command {
	opts := forkuse.UseOptions{Dir: ".", Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "use <module> (--dir PATH | --fork OWNER [--rev REV]) [--work]",
		Short: "Build this module against your fork of <module>, imports unchanged",
		Long: `use points the module in the current directory at a fork of <module> with a
replace directive, so every import keeps saying <module> while the code comes
from the fork.

With neither --dir nor --fork, $GOFORK_OWNER is the fork owner, as for
gofork clone. With --dir PATH the replacement is a local checkout: PATH's go.mod must
declare <module>. With --fork OWNER (or the fork's module path) it is the fork
on the forge (--forge, else $GOFORK_FORGE, else https://github.com) at REV, a
branch, tag or commit (default: the fork's default branch), written as the
version the go command gives that commit (a tag or a pseudo-version). The
fork's go.mod at REV must declare <module>; a module in a sub-directory of its
repository is read there, and named by its own tags (sub/dir/v1.2.0).

Then the go command makes the build work at once (--no-download skips it):
go get <module>@<required version> raises the requirements the replacement
needs (each raised one is printed), go mod download completes go.sum, and a
consumer that vendors is re-vendored. gofork drop puts go.mod and go.sum back
as they were before, unless something else changed them since.

A replace of <module> you wrote yourself is kept in a "// gofork: was …"
comment, and gofork drop puts it back. With --work the replace goes into
go.work (created with "use ." when missing; $GOWORK is honoured) and go.mod is
left alone: the mode for changes you will never commit.`,
		Example: `  gofork use github.com/awesome-org/tool --dir ../tool
  gofork use github.com/awesome-org/tool --fork awesome-you --rev feature
  gofork use github.com/awesome-org/tool/v2 --fork github.com/awesome-you/tool/v2 --work`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return forkuse.Required("."), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Module = args[0]
			opts.Stdout, opts.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			return forkuse.Use(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Path, "dir", "", "use the checkout of the fork in this directory")
	f.StringVar(&opts.Fork, "fork", "", "use the fork owned by OWNER on the forge, or the fork with this module path")
	f.StringVar(&opts.Rev, "rev", "", "with --fork, the branch, tag or commit to use (default: the fork's default branch)")
	f.BoolVar(&opts.Work, "work", false, "write the replace into go.work instead of go.mod")
	f.BoolVar(&opts.NoDownload, "no-download", false, "do not run go mod download afterwards")
	f.StringVar(&opts.Forge, "forge", "", forgeUsage)
	return cmd
}
