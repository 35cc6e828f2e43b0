// Command statusdriver prints gitstatus.Read's JSON for a work tree, what
// `gitprompt --json` prints, for the status benchmark; -cpuprofile writes a
// pprof profile of the whole run.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/gofork/gofork/internal/gitstatus"
)

func main() {
	dir := flag.String("C", ".", "work tree `dir`ectory")
	profile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	repeat := flag.Int("repeat", 1, "read the status `n` times (for profiling)")
	workers := flag.Int("workers", 0, "goroutines scanning the work tree (0: GOMAXPROCS)")
	cacheDir := flag.String("cache", "", "keep directory listings in `dir` (gitstatus.Options.CacheDir)")
	flag.Parse()
	if err := run(*dir, *profile, *repeat, gitstatus.Options{Workers: *workers, CacheDir: *cacheDir}); err != nil {
		fmt.Fprintln(os.Stderr, "statusdriver:", err)
		os.Exit(2)
	}
}

func run(dir, profile string, repeat int, opts gitstatus.Options) error {
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var st *gitstatus.Status
	for range repeat {
		var err error
		if st, err = gitstatus.Read(context.Background(), dir, opts); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(st)
}
