// Package cli holds what gofork and gitprompt share at their edges: the exit
// code contract and the one place that decides whether output is coloured.
// It never imports cobra; the commands in cmd/ stay thin over internal/.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// Exit codes are a documented contract (see README): scripts and CI depend on
// them.
const (
	ExitOK       = 0 // success; for `gofork check`, a clean tree
	ExitFindings = 1 // `gofork check` found something to fix
	ExitFailure  = 2 // bad usage or an operation that failed
	// ExitInterrupted is the shell's code for a command ended by SIGINT
	// (128 + 2), so scripts tell Ctrl-C from a failure.
	ExitInterrupted = 130
)

// ExitError asks the program to exit with Code. A nil Err means the command
// has already told the user everything (check's findings), so nothing more is
// printed.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Exit reports err on stderr as "prog: err" and returns the exit code for it.
func Exit(stderr io.Writer, prog string, err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, context.Canceled) {
		// The context is cancelled only by the interrupt signal (see the
		// mains): say so in the user's words.
		fmt.Fprintf(stderr, "%s: %s\n", prog, strings.ReplaceAll(err.Error(), context.Canceled.Error(), "interrupted"))
		return ExitInterrupted
	}
	code := ExitFailure
	var exitErr *ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.Code
		if exitErr.Err == nil {
			return code
		}
	}
	fmt.Fprintf(stderr, "%s: %v\n", prog, err)
	return code
}

// ColorEnabled is the one place gofork and gitprompt decide whether output
// written to w is coloured: never when NO_COLOR is set and non-empty
// (no-color.org), always when CLICOLOR_FORCE is set to anything but "0",
// always when assumeTerminal (a prompt reads gitprompt through a pipe, but
// for a terminal), otherwise only when w is a terminal and TERM is not
// "dumb". getenv is os.Getenv in production and a map lookup in tests.
func ColorEnabled(w io.Writer, getenv func(string) string, assumeTerminal bool) bool {
	if getenv("NO_COLOR") != "" {
		return false
	}
	if v := getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if assumeTerminal {
		return true
	}
	if getenv("TERM") == "dumb" {
		return false
	}
	return IsTerminal(w)
}

// IsTerminal reports whether w is a terminal (used for progress output too).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
