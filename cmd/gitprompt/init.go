package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/gofork/gofork/internal/prompt"
	"github.com/gofork/gofork/shell"
)

const initUsage = `Usage: gitprompt init bash|zsh|fish

init prints a script that puts the gitprompt segment into the prompt of
bash, zsh or fish. Load it last in your shell's startup file:

  eval "$(gitprompt init bash)"    # ~/.bashrc
  eval "$(gitprompt init zsh)"     # ~/.zshrc
  gitprompt init fish | source     # ~/.config/fish/config.fish

Inside a git work tree the prompt becomes the segment followed by "$ " ("# "
for root); outside, your own prompt is left exactly as it was. Your
PROMPT_COMMAND, precmd functions and fish_prompt keep working and still see
the exit status of your last command.
`

// initRun prints the init script for the shell named in args.
func initRun(stdout io.Writer, args []string) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		_, err := io.WriteString(stdout, initUsage)
		return err
	}
	if len(args) != 1 {
		return errors.New("init: name one shell, as in `gitprompt init bash` (bash, zsh or fish)")
	}
	sh, err := prompt.ParseShell(args[0])
	if err != nil || sh == prompt.None {
		return fmt.Errorf("init: no init script for shell %q: use bash, zsh or fish", args[0])
	}
	script, err := shell.Scripts.ReadFile("init." + string(sh))
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	_, err = stdout.Write(script)
	return err
}
