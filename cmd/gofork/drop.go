package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/forkuse"
)

func newDropCmd() *cobra.Command {
	opts := forkuse.DropOptions{Dir: ".", Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "drop (<module> | --all)",
		Short: "Undo gofork use: remove its replace directives, restore the ones they displaced",
		Long: `drop removes the replace directive gofork use wrote for <module>, from go.mod
and from the go.work in effect, and puts back a replace of yours it had
displaced. With --all it does so for every replace gofork wrote. Replaces
gofork did not write are left alone (drop <module> says so). A go.work that
use --work created is deleted (with its go.work.sum) once nothing else is in
it. When the last replace gofork wrote in go.mod goes and nothing else has
changed go.mod or go.sum since gofork use, both are put back byte for byte as
they were before, requirements use raised included.`,
		Example: `  gofork drop github.com/awesome-org/tool
  gofork drop --all`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return forkuse.Replaced(".", os.Getenv), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Module = args[0]
			}
			opts.Stdout = cmd.OutOrStdout()
			return forkuse.Drop(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "drop every replace gofork wrote")
	return cmd
}
