//go:build unix

// Command statusbench measures gitprompt's status engine against `git status`
// and go-git's Worktree.Status as whole processes.
//
//	statusbench -gen DIR                   generate the small, medium and large trees under DIR
//	statusbench -rounds N TREE CMD...      time commands alternating, N rounds
//
// Trees are generated deterministically (fixed seed) and committed with the
// real git, then refreshed once by `git status` so that no index entry is
// racily clean. Each round runs every command once, in rotating order, so
// that load from other processes hits them alike; the report gives the
// median wall time and the peak resident set size of each command, and the
// ratio of each to the first command's.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

func main() {
	gen := flag.String("gen", "", "generate the benchmark trees under `dir` and exit")
	sample := flag.String("sample", "testdata/tool", "`dir`ectory copied as the small tree")
	rounds := flag.Int("rounds", 15, "rounds of alternating runs")
	flag.Parse()
	var err error
	if *gen != "" {
		err = generateAll(*gen, *sample)
	} else {
		err = compare(*rounds, flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "statusbench:", err)
		os.Exit(2)
	}
}

func generateAll(root, sample string) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	small := filepath.Join(root, "small")
	if err := os.CopyFS(small, os.DirFS(sample)); err != nil {
		return fmt.Errorf("copy the sample project %q: %w", sample, err)
	}
	if err := commit(small); err != nil {
		return err
	}
	medium := filepath.Join(root, "medium")
	if err := generate(medium, tree{files: 13000, dirs: 2700, gitignores: 5, ignored: 300, seed: 1}); err != nil {
		return err
	}
	large := filepath.Join(root, "large")
	return generate(large, tree{files: 100000, dirs: 9000, gitignores: 5, ignoredDir: 20000, untracked: 50, seed: 2})
}

// tree describes a generated work tree: tracked files spread over
// directories of varied depth, .gitignore files with ignored files next to
// them, an ignored directory, and untracked files.
type tree struct {
	files, dirs, gitignores, ignored, ignoredDir, untracked int
	seed                                                    uint64
}

func generate(dir string, t tree) error {
	rng := rand.New(rand.NewPCG(t.seed, t.seed))
	dirs := []string{""}
	for len(dirs) < t.dirs {
		parent := dirs[rng.IntN(len(dirs))]
		if strings.Count(parent, "/") >= 7 {
			continue
		}
		dirs = append(dirs, filepath.Join(parent, fmt.Sprintf("d%04d", len(dirs))))
	}
	write := func(name, content string) error {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, []byte(content), 0o644)
	}
	for i := range t.files {
		d := dirs[rng.IntN(len(dirs))]
		content := fmt.Sprintf("file %d\n%s", i, strings.Repeat("x", rng.IntN(2000)))
		if err := write(filepath.Join(d, fmt.Sprintf("f%06d.go", i)), content); err != nil {
			return err
		}
	}
	var ignoreLines = []string{"*.o", "build/", "*.tmp", "!keep.tmp", "/cache"}
	for i := range t.gitignores {
		d := dirs[rng.IntN(len(dirs))]
		if err := write(filepath.Join(d, ".gitignore"), strings.Join(ignoreLines[:1+i%len(ignoreLines)], "\n")+"\n"); err != nil {
			return err
		}
	}
	for i := range t.ignored {
		if err := write(filepath.Join(dirs[rng.IntN(len(dirs))], fmt.Sprintf("obj%d.o", i)), "o"); err != nil {
			return err
		}
	}
	if t.ignoredDir > 0 {
		if err := write(".gitignore", "node_modules/\n"); err != nil {
			return err
		}
		for i := range t.ignoredDir {
			if err := write(fmt.Sprintf("node_modules/p%03d/m%05d.js", i%200, i), "js"); err != nil {
				return err
			}
		}
	}
	if err := commit(dir); err != nil {
		return err
	}
	for i := range t.untracked {
		if err := write(filepath.Join(dirs[rng.IntN(len(dirs))], fmt.Sprintf("new%02d.txt", i)), "new"); err != nil {
			return err
		}
	}
	// Wait out the racy-git second, then let git refresh the index once.
	time.Sleep(1100 * time.Millisecond)
	return run(dir, "git", "status", "--porcelain=v2")
}

func commit(dir string) error {
	for _, args := range [][]string{
		{"git", "init", "-q", "-b", "main"},
		{"git", "add", "-A"},
		{"git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "generated"},
	} {
		if err := run(dir, args...); err != nil {
			return err
		}
	}
	return nil
}

func run(dir string, args ...string) error {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s in %s: %w", strings.Join(args, " "), dir, err)
	}
	return nil
}

// compare runs each command (a shell-free argument list joined by spaces)
// rounds times in dir, alternating, and prints median times and peak RSS.
func compare(rounds int, args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("give a tree directory and at least one command")
	}
	dir, commands := args[0], args[1:]
	wall := make([][]time.Duration, len(commands))
	rss := make([]int64, len(commands))
	for round := range rounds {
		for k := range commands {
			i := (k + round) % len(commands)
			argv := strings.Fields(commands[i])
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Dir = dir
			start := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("%s: %w\n%s", commands[i], err, out)
			}
			wall[i] = append(wall[i], time.Since(start))
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && int64(ru.Maxrss) > rss[i] {
				rss[i] = int64(ru.Maxrss)
			}
		}
	}
	fmt.Printf("%s (%d rounds)\n", dir, rounds)
	base := median(wall[0])
	for i, c := range commands {
		m := median(wall[i])
		fmt.Printf("  %-60s median %8.1f ms  ×%5.2f   peak RSS %6.1f MiB  ×%5.2f\n", c,
			float64(m.Microseconds())/1000, float64(m)/float64(base),
			float64(rss[i])/1024, float64(rss[i])/float64(rss[0]))
	}
	return nil
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
