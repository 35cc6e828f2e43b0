package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/gofork/gofork/internal/cli"
	"github.com/gofork/gofork/internal/clone"
)

func newCloneCmd() *cobra.Command {
	opts := clone.Options{Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "clone [flags] <upstream> [DIR]",
		Short: "Clone upstream with your fork as the push remote, so import paths stay upstream",
		Long: `clone clones <upstream> into DIR (default ./<repo>) and sets up a triangular
workflow: remote "upstream" is the upstream repository and what the default
branch tracks, so git pull brings upstream; remote "origin" is your fork and
remote.pushDefault, so git push goes to the fork. No source is rewritten: the
module keeps its upstream import path.

<upstream> is owner/repo on the forge, a module path (github.com/owner/repo,
github.com/owner/repo/v2, gopkg.in/yaml.v3, or any path the go command can
resolve through ?go-get=1), or a git URL (https://, ssh://, git@host:owner/repo).

The fork is <fork owner>/<repo> on the same host. The fork owner is
--fork-owner, else $GOFORK_OWNER, else git config github.user, else the user
of the token in $GOFORK_TOKEN, $GH_TOKEN or $GITHUB_TOKEN. With --create a
missing fork is created through the forge's API and waited for.

The module path of every module in the repository goes into git config next
to its fork's (the same path with the fork owner): gofork.upstream and
gofork.fork for the root module, gofork.module for the others. Unless you set
them yourself, push.default=current and branch.autoSetupMerge=inherit make a
bare git push of any branch go to the fork under the branch's name, and a
branch started from the default branch pull from upstream.

A fork that shares no commit with upstream is refused (it is another project
of the same name): --force sets it up anyway.

Run again in a clone of the same upstream, clone repairs remotes and config.
A non-empty DIR holding anything else is an error and left untouched; on any
failure or Ctrl-C, what clone created is removed.

The transfer uses the git binary when it is on PATH (it is faster than go-git
and brings your credential helpers), else go-git; --transport or
$GOFORK_TRANSPORT (git or go-git) forces one.`,
		Example: `  gofork clone awesome-org/tool
  gofork clone --create github.com/awesome-org/tool/v2 ~/src/tool
  gofork clone --forge file:///srv/forge --fork-owner awesome-you awesome-org/tool
  gofork clone --gopath git@github.com:awesome-org/tool.git`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Upstream = args[0]
			if len(args) == 2 {
				opts.Dir = args[1]
			}
			opts.Stdout = cmd.OutOrStdout()
			opts.Stderr = cmd.ErrOrStderr()
			opts.Progress = cli.IsTerminal(opts.Stderr)
			// Ctrl-C cancels cmd.Context (see main), and Run removes the
			// half clone before the program exits.
			return clone.Run(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Forge, "forge", "", forgeUsage)
	f.StringVar(&opts.API, "api", "", "forge API URL (default $GOFORK_API, else https://api.github.com for github.com, <forge>/api/v3, /api/v4 or /api/v1 by --forge-kind)")
	f.StringVar(&opts.ForgeKind, "forge-kind", "", "the forge's API: github, gitlab or gitea (Forgejo too); default $GOFORK_FORGE_KIND, else guessed from the host")
	_ = cmd.RegisterFlagCompletionFunc("forge-kind", cobra.FixedCompletions([]string{"github", "gitlab", "gitea"}, cobra.ShellCompDirectiveNoFileComp))
	f.StringVar(&opts.ForkOwner, "fork-owner", "", "owner of your fork (default $GOFORK_OWNER, git config github.user, or the token's user)")
	f.BoolVar(&opts.Create, "create", false, "create the fork through the forge API when it does not exist (token in $GOFORK_TOKEN, else $GH_TOKEN/$GITHUB_TOKEN, $GITLAB_TOKEN or $GITEA_TOKEN/$FORGEJO_TOKEN by kind)")
	f.DurationVar(&opts.ForkWait, "wait", clone.DefaultForkWait, "with --create, how long to wait for a new fork to be ready")
	f.BoolVar(&opts.GOPATH, "gopath", false, "clone into $GOPATH/src/<module path>")
	f.StringVar(&opts.UpstreamName, "upstream-name", "upstream", "name of the upstream remote")
	f.StringVar(&opts.ForkName, "fork-name", "origin", "name of the fork remote")
	f.StringVar(&opts.Transport, "transport", "", "git or go-git (default $GOFORK_TRANSPORT, else git when on PATH)")
	_ = cmd.RegisterFlagCompletionFunc("transport", cobra.FixedCompletions([]string{clone.TransportGit, clone.TransportGoGit}, cobra.ShellCompDirectiveNoFileComp))
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	f.BoolVar(&opts.Force, "force", false, "set up the fork even when it shares no commit with upstream")
	return cmd
}
