package main

import (
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

const completionUsage = `Usage: gitprompt completion bash|zsh|fish

completion prints a script that completes gitprompt's flags, their values
and its subcommands:

  source <(gitprompt completion bash)      # ~/.bashrc
  source <(gitprompt completion zsh)       # ~/.zshrc, after compinit
  gitprompt completion fish | source       # ~/.config/fish/config.fish
`

// scriptShells are the shells with init and completion scripts in shell/.
var scriptShells = []prompt.Shell{prompt.Bash, prompt.Zsh, prompt.Fish}

// scriptUsage is the help of each subcommand that prints a script.
var scriptUsage = map[string]string{"init": initUsage, "completion": completionUsage}

// scriptRun prints the script of kind (init or completion) for the shell
// named in args.
func scriptRun(kind string, stdout io.Writer, args []string) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		_, err := io.WriteString(stdout, scriptUsage[kind])
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%s: name one shell, as in `gitprompt %s bash` (bash, zsh or fish)", kind, kind)
	}
	if !slices.Contains(scriptShells, prompt.Shell(args[0])) {
		hint := ""
		if kind == "init" && args[0] == string(prompt.Tmux) {
			hint = "; for tmux put #(gitprompt -C /proc/#{pane_pid}/cwd --shell tmux) in status-right (Linux; see the README)"
		}
		return fmt.Errorf("%s: no %s script for shell %q: use bash, zsh or fish%s", kind, kind, args[0], hint)
	}
	script, err := shell.Scripts.ReadFile(kind + "." + args[0])
	if err != nil {
		return fmt.Errorf("%s: %w", kind, err)
	}
	_, err = stdout.Write(script)
	return err
}
