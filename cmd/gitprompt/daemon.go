package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofork/gofork/internal/promptd"
)

const daemonUsage = `gitprompt daemon answers prompt requests, one JSON object per line on stdin,
with one JSON line each on stdout, until stdin closes. A shell (or another
prompt) starts it once as its coprocess and so pays for gitprompt's start-up
once rather than at every prompt.

Usage:
  gitprompt daemon
  gitprompt daemon --spool DIR --signal PID

Request:  {"dir":"/abs/path","id":1,"shell":"zsh","format":"{branch}","timeout":"150ms"}
          dir is required and absolute; the rest is optional.
Answer:   the fields of gitprompt --json, "id" as given and "segment", the
          prompt for that shell and format ("" outside a work tree), or
          {"id":…,"error":"…"} for a request that is not valid. With
          "brief":true in the request, only "id" and "segment".

--spool DIR --signal PID is for a shell that cannot hold a coprocess's
pipes (fish): each request is a file DIR/NAME.req holding one request line,
ending in a newline; the answer is the segment alone, put into DIR/NAME
whole, and then PID is sent SIGUSR1, again after 50 ms, 200 ms and 1 s
until the shell writes DIR/NAME.seen. Of several requests waiting only the
newest is answered. DIR must be writable by you alone (mktemp -d); the
daemon ends when PID exits or DIR is removed. Linux only.

It keeps each work tree it is asked about (at most 8, each dropped after 30
minutes unasked): its index, and on Linux every directory's counts, watched
with inotify from the second request on, so an answer after no change reads
no directory. Where it cannot watch, it scans on every request.

GITPROMPT_FORMAT, GITPROMPT_TIMEOUT, GITPROMPT_NO_CACHE, XDG_CACHE_HOME,
NO_COLOR and CLICOLOR_FORCE, as the daemon starts with them, set the
defaults, as for the one-shot gitprompt.
`

// daemonRun serves requests from stdin. Unlike a prompt it follows the
// usual exit-code contract: whoever started it can tell why it ended.
func daemonRun(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, args []string, getenv func(string) string) error {
	flags := flag.NewFlagSet("daemon", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	spool := promptd.Spool{Errors: stderr}
	flags.StringVar(&spool.Dir, "spool", "", "")
	flags.IntVar(&spool.Notify, "signal", 0, "")
	switch err := flags.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		_, err := io.WriteString(stdout, daemonUsage)
		return err
	case err != nil:
		return fmt.Errorf("daemon: %v; see gitprompt daemon --help", err)
	case flags.NArg() > 0:
		return fmt.Errorf("daemon: unexpected argument %q; see gitprompt daemon --help", flags.Arg(0))
	case (spool.Dir == "") != (spool.Notify == 0):
		return errors.New("daemon: --spool DIR and --signal PID go together; see gitprompt daemon --help")
	case spool.Notify < 0:
		return fmt.Errorf("daemon: --signal %d: want the pid of the shell to signal", spool.Notify)
	}
	timeout, err := envTimeout(getenv)
	if err != nil {
		return fmt.Errorf("daemon: %w", err)
	}
	cfg := promptd.Config{
		Format:   getenv("GITPROMPT_FORMAT"),
		Timeout:  timeout,
		Budget:   withBudget,
		CacheDir: listingCacheDir(getenv),
		// As for the one-shot gitprompt: NO_COLOR and CLICOLOR_FORCE,
		// read when the daemon starts, and naming a shell turns colour on.
		Color: func(shellGiven bool) bool { return colorEnabled(shellGiven, false, stdout, getenv) },
	}
	if cfg.Delay, err = testDelay(getenv); err != nil {
		return fmt.Errorf("daemon: %w", err)
	}
	// The shell's Ctrl-C reaches its coprocess too: the daemon keeps
	// serving, and ends when the shell closes its stdin.
	signal.Ignore(os.Interrupt, syscall.SIGQUIT)
	// Requests name absolute directories; the daemon's own would keep one
	// of the user's busy.
	os.Chdir("/")
	if spool.Dir != "" {
		err = promptd.ServeSpool(ctx, spool, cfg)
	} else {
		err = promptd.Serve(ctx, stdin, stdout, cfg)
	}
	if err != nil {
		return fmt.Errorf("daemon: %w", err)
	}
	return nil
}

// testDelay is a test hook: GITPROMPT_TEST_DELAY slows every answer, the
// daemon's and the one-shot's, so the shells' tests can see their prompt
// appear before it.
func testDelay(getenv func(string) string) (time.Duration, error) {
	v := getenv("GITPROMPT_TEST_DELAY")
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("GITPROMPT_TEST_DELAY=%q: %w", v, err)
	}
	return d, nil
}
