// Package shell holds the scripts `gitprompt init` prints, init.SHELL for
// bash, zsh and fish, embedded so the binary needs no files beside it. The
// Go that chooses among them lives in cmd/gitprompt, which uses it; it is
// here only because go:embed reaches no file above a package's directory.
package shell

import "embed"

// Scripts holds init.bash, init.zsh and init.fish.
//
//go:embed init.bash init.zsh init.fish
var Scripts embed.FS
