// Package shell holds the scripts `gitprompt init` prints, one per shell,
// embedded so the binary needs no files beside it.
package shell

import (
	"embed"
	"fmt"
)

//go:embed bash.sh zsh.zsh fish.fish
var scripts embed.FS

// files maps a shell's name to its script.
var files = map[string]string{
	"bash": "bash.sh",
	"zsh":  "zsh.zsh",
	"fish": "fish.fish",
}

// Init returns the init script for shell (bash, zsh or fish).
func Init(shell string) ([]byte, error) {
	name, ok := files[shell]
	if !ok {
		return nil, fmt.Errorf("no init script for shell %q: use bash, zsh or fish", shell)
	}
	return scripts.ReadFile(name)
}
