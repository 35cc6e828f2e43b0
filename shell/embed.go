// Package shell holds the scripts `gitprompt init` and `gitprompt
// completion` print, init.SHELL and completion.SHELL for bash, zsh and fish,
// embedded so the binary needs no files beside it. The
// Go that chooses among them lives in cmd/gitprompt, which uses it; it is
// here only because go:embed reaches no file above a package's directory.
package shell

import "embed"

// Scripts holds init.bash, init.zsh and init.fish, and completion.bash,
// completion.zsh and completion.fish.
//
//go:embed init.bash init.zsh init.fish completion.bash completion.zsh completion.fish
var Scripts embed.FS
