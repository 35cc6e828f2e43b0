package main

import (
	"encoding/json"
	"os"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/forkuse"
)

func newStatusCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status [--json]",
		Short: "Show where a fork clone stands and which replaces a module builds with",
		Long: `status reports on the current directory.

In a clone (as gofork clone makes it): the remotes, the module paths of
upstream and fork, what the default branch tracks, and how many commits the
checked-out branch is ahead of and behind upstream's default branch and the
fork's copy of the branch.

In a Go module: every replace directive in effect, from go.mod and from the
go.work the go command would use ($GOWORK honoured), marking directory
replacements, the ones gofork wrote, go.mod replaces that go.work overrides,
and whether each replacement is a fork of its module.

--json prints the same as one JSON object with "clone" and "consumer" keys.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := forkuse.Status(cmd.Context(), ".", os.Getenv)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return rep.WriteText(cmd.OutOrStdout(), paletteFor(cmd.OutOrStdout()))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
