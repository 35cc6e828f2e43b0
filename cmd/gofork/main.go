package main

import (
	"context"
	"os"

	"github.com/gofork/gofork/internal/cli"
)

func main() {
	os.Exit(cli.Exit(os.Stderr, "gofork", run(context.Background(), os.Stdout, os.Stderr, os.Args[1:])))
}
