package main

import (
	"errors"
	"fmt"
	"io"
	"slices"

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

// initShells are the shells with an init script in shell/.
var initShells = []prompt.Shell{prompt.Bash, prompt.Zsh, prompt.Fish}

// initRun prints the init script for the shell named in args.
func initRun(stdout io.Writer, args []string) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		_, err := io.WriteString(stdout, initUsage)
		return err
	}
	if len(args) != 1 {
		return errors.New("init: name one shell, as in `gitprompt init bash` (bash, zsh or fish)")
	}
	if !slices.Contains(initShells, prompt.Shell(args[0])) {
		hint := ""
		if args[0] == string(prompt.Tmux) {
			hint = `; for tmux put #(gitprompt -C '#{pane_current_path}' --shell tmux) in status-right`
		}
		return fmt.Errorf("init: no init script for shell %q: use bash, zsh or fish%s", args[0], hint)
	}
	script, err := shell.Scripts.ReadFile("init." + args[0])
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	_, err = stdout.Write(script)
	return err
}
