// Command gogitstatus prints how many paths go-git's Worktree.Status finds
// changed, so that go-git can be timed as a whole process next to `git
// status` and gitprompt's engine in the status benchmark.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/go-git/go-git/v5"
)

func main() {
	dir := flag.String("C", ".", "work tree `dir`ectory")
	flag.Parse()
	n, err := changedPaths(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gogitstatus:", err)
		os.Exit(2)
	}
	fmt.Println(n, "changed paths")
}

func changedPaths(dir string) (int, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return 0, err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return 0, err
	}
	status, err := wt.Status()
	if err != nil {
		return 0, err
	}
	return len(status), nil
}
