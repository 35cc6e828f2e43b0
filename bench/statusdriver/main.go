// Command statusdriver prints a work tree's status for the status benchmark:
// with -engine=gitstatus it prints gitstatus.Read's JSON (what `gitprompt
// --json` prints), with -engine=gogit the number of changed paths that
// go-git's Worktree.Status finds, so both can be timed as whole processes
// next to `git status`.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/go-git/go-git/v5"
	"github.com/gofork/gofork/internal/gitstatus"
)

func main() {
	dir := flag.String("C", ".", "work tree `dir`ectory")
	engine := flag.String("engine", "gitstatus", "gitstatus or gogit")
	flag.Parse()
	if err := run(*dir, *engine); err != nil {
		fmt.Fprintln(os.Stderr, "statusdriver:", err)
		os.Exit(2)
	}
}

func run(dir, engine string) error {
	switch engine {
	case "gitstatus":
		st, err := gitstatus.Read(context.Background(), dir, gitstatus.Options{})
		if err != nil {
			return err
		}
		return json.NewEncoder(os.Stdout).Encode(st)
	case "gogit":
		repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
		if err != nil {
			return err
		}
		wt, err := repo.Worktree()
		if err != nil {
			return err
		}
		status, err := wt.Status()
		if err != nil {
			return err
		}
		fmt.Println(len(status), "changed paths")
		return nil
	}
	return fmt.Errorf("unknown -engine %q: use gitstatus or gogit", engine)
}
