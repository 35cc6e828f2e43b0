package importcheck

import (
	"io"

	"github.com/gofork/gofork/internal/cli"
)

// RunCheck is `gofork check`: it checks opts.Dir and writes the findings to
// stdout in format. The error is nil for a clean tree, an *cli.ExitError with
// code 1 when there are findings and 2 when a file could not be checked.
func RunCheck(opts Options, format string, stdout io.Writer) error {
	if err := validFormat(format); err != nil {
		return err
	}
	findings, err := Check(opts)
	if err != nil {
		return err
	}
	if err := Write(stdout, format, findings); err != nil {
		return err
	}
	return exitFor(findings)
}

// RunFix is `gofork fix`: it rewrites what check reports, then writes the
// files it could not read to stdout like check does, with check's exit codes.
// local-replace and go-work are check's to report: fix does not touch them.
func RunFix(opts Options, dryRun bool, stdout io.Writer) error {
	opts.AllowLocalReplace, opts.AllowGoWork = true, true
	res, err := Fix(opts, dryRun, stdout)
	if err != nil {
		return err
	}
	if err := Write(stdout, FormatText, res.Remaining); err != nil {
		return err
	}
	return exitFor(res.Remaining)
}

func exitFor(findings []Finding) error {
	code := cli.ExitOK
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
