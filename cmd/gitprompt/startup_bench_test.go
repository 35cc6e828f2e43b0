package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/gittest"
)

// BenchmarkStartup times whole processes, as a prompt runs them: a gitprompt
// binary built for the benchmark, `git status --porcelain=v2 --branch` for
// reference, and two floors: an empty Go program and one that only links
// the go-git decoders gitprompt reads objects with. Each iteration runs all
// of them, rotating which goes first, so all see the same machine load;
// the medians and gitprompt's ratio to git are reported.
//
//	go test -run '^$' -bench Startup -benchtime 300x ./cmd/gitprompt
func BenchmarkStartup(b *testing.B) {
	tmp := b.TempDir()
	bins := map[string]string{}
	// Build before Isolate moves HOME, which would move the module and
	// build caches with it.
	for name, pkg := range map[string]string{"gitprompt": ".", "empty": "../../bench/startupfloor/empty", "gogit": "../../bench/startupfloor/gogit"} {
		bins[name] = filepath.Join(tmp, name)
		if out, err := exec.Command("go", "build", "-o", bins[name], pkg).CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	gittest.Isolate(b)
	f, err := forge.Create(filepath.Join(tmp, "forge"))
	if err != nil {
		b.Fatal(err)
	}
	sample := filepath.Join(tmp, "tool")
	gittest.Git(b, tmp, "clone", "-q", f.URL()+"/"+forge.UpstreamOwner+"/"+forge.RepoName+".git", sample)
	outside := b.TempDir()

	commands := []struct {
		metric string
		argv   []string
	}{
		{"gitprompt-ms", []string{bins["gitprompt"], "--shell", "bash"}},
		{"git-status-ms", []string{"git", "status", "--porcelain=v2", "--branch"}},
		{"empty-go-ms", []string{bins["empty"]}},
		{"go-git-linked-ms", []string{bins["gogit"]}},
	}
	for _, where := range []struct{ name, dir string }{{"sample-repo", sample}, {"outside-repo", outside}} {
		b.Run(where.name, func(b *testing.B) {
			times := make([][]time.Duration, len(commands))
			for i := 0; b.Loop(); i++ {
				for k := range commands {
					c := (i + k) % len(commands)
					times[c] = append(times[c], timeProcess(b, where.dir, commands[c].argv))
				}
			}
			for c, cmd := range commands {
				b.ReportMetric(ms(median(times[c])), cmd.metric)
			}
			b.ReportMetric(float64(median(times[0]))/float64(median(times[1])), "ratio")
		})
	}
}

// timeProcess runs argv in dir and returns its wall time. git status exits
// 128 outside a repository, which is still the time it took to find out.
func timeProcess(b *testing.B, dir string, argv []string) time.Duration {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		b.Fatalf("%v: %v", argv, err)
	}
	return elapsed
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
