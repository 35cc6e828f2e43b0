package demo

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/prompt"
)

// showPrompt clones upstream into a directory of its own, then shows the
// gitprompt segment for it clean and after a local change.
func showPrompt(s *session) error {
	url := s.forge.URL() + "/" + forge.UpstreamOwner + "/" + forge.RepoName + ".git"
	dir := filepath.Join(s.dir, "prompt", forge.RepoName)
	s.command("git", "clone", url, dir)
	if _, err := git.PlainCloneContext(s.ctx, dir, false, &git.CloneOptions{URL: url}); err != nil {
		return fmt.Errorf("clone %q into %q: %w", url, dir, err)
	}
	if err := s.printPrompt(dir); err != nil {
		return err
	}
	readme := filepath.Join(dir, "README.md")
	s.say("$ echo 'a local change' >> %s", shellQuote(readme))
	if err := appendLine(readme, "a local change"); err != nil {
		return err
	}
	if err := s.printPrompt(dir); err != nil {
		return err
	}
	s.say("In a prompt that shows red: something is uncommitted. To have it in yours,")
	s.say("add to ~/.bashrc:")
	s.say(`  eval "$(gitprompt init bash)"`)
	s.say("(or `gitprompt init zsh` / `gitprompt init fish | source`).")
	return nil
}

func (s *session) printPrompt(dir string) error {
	s.command("gitprompt", "-C", dir)
	seg, err := prompt.Collect(s.ctx, dir, prompt.Memory{})
	if err != nil {
		return fmt.Errorf("read the status of %q: %w", dir, err)
	}
	s.say("%s", prompt.Render(seg, prompt.Options{Shell: prompt.None}))
	return nil
}

func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("change %q: %w", path, err)
	}
	if _, err := fmt.Fprintln(f, line); err != nil {
		f.Close()
		return fmt.Errorf("change %q: %w", path, err)
	}
	return f.Close()
}
