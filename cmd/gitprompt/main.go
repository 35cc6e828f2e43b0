// gitprompt runs for a few milliseconds before every prompt, so the
// runtime's goroutine that follows changes to the CPU quota (Go 1.25's
// updatemaxprocs) would only add the cost of starting it: 40 µs, measured
// side by side on the small benchmark tree.

//go:debug updatemaxprocs=0
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Stdout, os.Stderr, os.Args[1:]))
}
