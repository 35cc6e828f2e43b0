package main

import (
	"github.com/gofork/gofork/shell"
	"github.com/spf13/cobra"
)

func newInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init bash|zsh|fish",
		Short: "Print the script that puts gitprompt into your shell's prompt",
		Long: `init prints a script that puts the gitprompt segment into the prompt of
bash, zsh or fish. Load it last in your shell's startup file:

  eval "$(gitprompt init bash)"    # ~/.bashrc
  eval "$(gitprompt init zsh)"     # ~/.zshrc
  gitprompt init fish | source     # ~/.config/fish/config.fish

Inside a git work tree the prompt becomes the segment followed by "$ " ("# "
for root); outside, your own prompt is left exactly as it was. Your
PROMPT_COMMAND, precmd functions and fish_prompt keep working and still see
the exit status of your last command.`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"bash", "zsh", "fish"},
		RunE: func(cmd *cobra.Command, args []string) error {
			script, err := shell.Init(args[0])
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(script)
			return err
		},
	}
}
