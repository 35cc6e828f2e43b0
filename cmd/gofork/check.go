package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gofork/gofork/internal/cli"
	"github.com/gofork/gofork/internal/importcheck"
)

func newCheckCmd() *cobra.Command {
	var opts importcheck.Options
	var format string
	cmd := &cobra.Command{
		Use:   "check [flags] [DIR]",
		Short: "Report imports rewritten to a fork's path, and other fork leftovers (CI gate)",
		Long: `check scans every module under DIR (default .) and reports what undoes the
fork workflow:

` + ruleList() + `
--release is the gate before tagging a release (run it, then git tag): it adds
release-replace and makes go-work report any committed go.work;
--allow-local-replace and --allow-go-work do not apply to them.

Who is upstream comes from the strongest evidence at hand, never from the
module line being checked (a rewrite changes it along with the imports):

  flag             --upstream MODULE
  gofork-config    git config gofork.upstream, set by gofork clone
  upstream-remote  the remote gh marked as base, else the remote "upstream"
  github-actions   GITHUB_REPOSITORY (upstream's own name in upstream's CI,
                   pull requests from forks included; in a fork's own runs
                   it is taken as origin is on a laptop)
  gitlab-ci        CI_MERGE_REQUEST_PROJECT_PATH, else CI_PROJECT_PATH
  ci-origin        in another CI (CI set), the remote origin
  origin           on a laptop, origin; when the module line is another
                   owner's copy of it, origin is taken for your fork and
                   nothing is reported of the module line
  none             none of these: in CI that is an error (give --upstream)

Then a go.mod declaring another owner's copy of upstream's repository (same
host and repository name) is a module-line finding, and imports of that copy,
or of any remote's copy, are stray-imports. --hard-fork (or git config
gofork.hardFork true) says the tree took its own module path on purpose.
Forks are also known from --fork, from the modules gofork clone recorded, and
from module replacements in go.mod and go.work (replace U => F v: F is U's
fork). --format json tells in each finding's "basis" what showed it.

Every .go file counts whatever its build constraints, including cgo, tests
and generated files; vendor/ and testdata/ are skipped unless asked for, as are
directories starting with "." or "_". In a git work tree the files are the
ones git tracks, taken from the index (--untracked adds the others; a tracked
file deleted from the work tree is not checked); elsewhere the directories
are listed. Only the import section of each file is
read. A file that cannot be checked is reported (syntax, unreadable) and the
rest still checked.

Output is one line per finding, sorted: path:line:col: rule: message (want "…"),
paths relative to the current directory. --format github writes GitHub Actions
annotations, --format json a JSON array of {rule,file,line,col,got,want,message},
--format sarif a SARIF 2.1.0 log for code scanning (every rule, with its help);
these name files relative to the repository's top, as GitHub resolves them.

Exit status: 0 clean (and no output), 1 findings, 2 a file or the tree could
not be checked.`,
		Example: `  gofork check
  gofork check --format github
  gofork check --release && git tag v1.2.0
  gofork check --fork github.com/awesome-you/tool=github.com/awesome-org/tool ~/src/app`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if err := importcheck.ValidFormat(format); err != nil {
				return err
			}
			defer withoutGC()()
			findings, err := importcheck.Check(opts)
			if err != nil {
				return err
			}
			if err := importcheck.Write(cmd.OutOrStdout(), format, findings, paletteFor(cmd.OutOrStdout())); err != nil {
				return err
			}
			return findingsExit(findings, false)
		},
	}
	addTreeFlags(cmd.Flags(), &opts)
	cmd.Flags().BoolVar(&opts.Release, "release", false, "also report every replace, exclude and go.work a release must not carry")
	cmd.Flags().StringVar(&format, "format", importcheck.FormatText, "output format: "+strings.Join(importcheck.Formats, ", "))
	_ = cmd.RegisterFlagCompletionFunc("format", formatCompletion)
	return cmd
}

// findingsExit is check's exit status, which fix shares: 2 when a file could
// not be checked, 1 for findings (or, for fix --dry-run, changes it would
// make), 0 for a clean tree.
func findingsExit(findings []importcheck.Finding, changes bool) error {
	code := cli.ExitOK
	if changes {
		code = cli.ExitFindings
	}
	for _, f := range findings {
		if f.Failed() {
			return &cli.ExitError{Code: cli.ExitFailure}
		}
		code = cli.ExitFindings
	}
	if code == cli.ExitOK {
		return nil
	}
	return &cli.ExitError{Code: code}
}

// addTreeFlags adds the flags check and fix share: which files to read and
// how forks are known.
func addTreeFlags(f *pflag.FlagSet, opts *importcheck.Options) {
	opts.Getenv = os.Getenv
	f.StringArrayVar(&opts.Forks, "fork", nil, "a fork's module path, FORK or FORK=UPSTREAM (repeatable)")
	f.StringVar(&opts.Upstream, "upstream", "", "upstream's root module path (the strongest evidence of who upstream is)")
	f.BoolVar(&opts.HardFork, "hard-fork", false, "the tree's module path is its own on purpose: never report a module line (git config gofork.hardFork true says it once)")
	f.BoolVar(&opts.IncludeVendor, "include-vendor", false, "also check vendor/ directories")
	f.BoolVar(&opts.IncludeTestdata, "include-testdata", false, "also check testdata/ directories")
	f.BoolVar(&opts.Untracked, "untracked", false, "in a git work tree, also check files git does not track (the others come from the index)")
	f.BoolVar(&opts.NoHeuristics, "no-heuristics", false, "do not report suspicious-import")
	f.BoolVar(&opts.AllowLocalReplace, "allow-local-replace", false, "allow directory replaces that point outside the repository in committed go.mod files")
	f.BoolVar(&opts.AllowGoWork, "allow-go-work", false, "allow a committed go.work that uses directories outside the repository")
}

// ruleList is the rules block of check's help, from importcheck.RuleDocs.
func ruleList() string {
	const indent, width = 21, 88
	var b strings.Builder
	for _, r := range importcheck.RuleDocs {
		line := fmt.Sprintf("  %-*s", indent-2, r.Name)
		for i, word := range strings.Fields(r.Summary) {
			switch {
			case i == 0:
			case len(line)+1+len(word) > width:
				b.WriteString(line + "\n")
				line = strings.Repeat(" ", indent)
			default:
				line += " "
			}
			line += word
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

var formatCompletion = cobra.FixedCompletions(importcheck.Formats, cobra.ShellCompDirectiveNoFileComp)
