// Package shell holds the scripts `gitprompt init` prints, one per shell,
// embedded so the binary needs no files beside it.
package shell

import (
	"embed"
	"fmt"
)

//go:embed bash.sh zsh.zsh fish.fish
var scripts embed.FS

// Init returns the init script for shell (bash, zsh or fish). A switch
// rather than a map keeps package initialisation empty: gitprompt starts
// before every prompt.
func Init(shell string) ([]byte, error) {
	var name string
	switch shell {
	case "bash":
		name = "bash.sh"
	case "zsh":
		name = "zsh.zsh"
	case "fish":
		name = "fish.fish"
	default:
		return nil, fmt.Errorf("no init script for shell %q: use bash, zsh or fish", shell)
	}
	return scripts.ReadFile(name)
}
