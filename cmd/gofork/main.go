package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gofork/gofork/internal/cli"
)

func main() {
	// Ctrl-C cancels the command's context: a clone removes what it made, a
	// go command it runs is stopped, and the exit is 130, "interrupted".
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout, os.Stderr, os.Args[1:])
	stop()
	os.Exit(cli.Exit(os.Stderr, paletteFor(os.Stderr).Bad("gofork"), err))
}
