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
// binary built for the benchmark, and `git status --porcelain=v2 --branch`
// for reference. Each iteration runs both, alternating which goes first, so
// both see the same machine load; the medians and their ratio are reported.
//
//	go test -run '^$' -bench Startup -benchtime 300x ./cmd/gitprompt
func BenchmarkStartup(b *testing.B) {
	tmp := b.TempDir()
	bin := filepath.Join(tmp, "gitprompt")
	// Build before Isolate moves HOME, which would move the module and
	// build caches with it.
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	gittest.Isolate(b)
	f, err := forge.Create(filepath.Join(tmp, "forge"))
	if err != nil {
		b.Fatal(err)
	}
	sample := filepath.Join(tmp, "tool")
	gittest.Git(b, tmp, "clone", "-q", f.URL()+"/"+forge.UpstreamOwner+"/"+forge.RepoName+".git", sample)
	outside := b.TempDir()

	for _, where := range []struct{ name, dir string }{{"sample-repo", sample}, {"outside-repo", outside}} {
		b.Run(where.name, func(b *testing.B) {
			gitprompt := []string{bin, "--shell", "bash"}
			git := []string{"git", "status", "--porcelain=v2", "--branch"}
			var ours, theirs []time.Duration
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					ours = append(ours, timeProcess(b, where.dir, gitprompt))
					theirs = append(theirs, timeProcess(b, where.dir, git))
				} else {
					theirs = append(theirs, timeProcess(b, where.dir, git))
					ours = append(ours, timeProcess(b, where.dir, gitprompt))
				}
			}
			g, t := median(ours), median(theirs)
			b.ReportMetric(ms(g), "gitprompt-ms")
			b.ReportMetric(ms(t), "git-status-ms")
			b.ReportMetric(float64(g)/float64(t), "ratio")
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
