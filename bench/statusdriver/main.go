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
	resident := flag.String("resident", "none", "`how` to keep the work tree between reads: none, kept (one gitstatus.Resident for every read) or fresh (a new one for each)")
	flag.Parse()
	if *resident != "none" && *resident != "kept" && *resident != "fresh" {
		fmt.Fprintf(os.Stderr, "statusdriver: -resident %q: want none, kept or fresh\n", *resident)
		os.Exit(2)
	}
	if err := run(*dir, *profile, *repeat, *resident, gitstatus.Options{Workers: *workers, CacheDir: *cacheDir}); err != nil {
		fmt.Fprintln(os.Stderr, "statusdriver:", err)
		os.Exit(2)
	}
}

func run(dir, profile string, repeat int, resident string, opts gitstatus.Options) error {
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
	if resident == "kept" {
		opts.Resident = gitstatus.NewResident()
		defer opts.Resident.Close()
	}
	for range repeat {
		if resident == "fresh" {
			opts.Resident = gitstatus.NewResident()
		}
		var err error
		st, err = gitstatus.Read(context.Background(), dir, opts)
		if resident == "fresh" {
			opts.Resident.Close()
		}
		if err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(st)
}
