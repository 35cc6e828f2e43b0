package main

import (
	"encoding/json"
	"os"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/forkuse"
)

func newStatusCmd() *cobra.Command {
	var asJSON bool
	var forge string
	cmd := &cobra.Command{
		Use:   "status [--json] [--forge URL]",
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

Each replace gofork use --fork wrote is looked up on the forge it was read
from, which the replace records (--forge, else $GOFORK_FORGE, else
https://github.com, when the replace records none): how far its branch has
moved, and which upstream release contains it.

--json prints the same as one JSON object with "clone" and "consumer" keys.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := forkuse.Status(cmd.Context(), ".", forge, os.Getenv)
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
	cmd.Flags().StringVar(&forge, "forge", "", "the forge to ask about --fork replaces, instead of the one each records")
	return cmd
}
