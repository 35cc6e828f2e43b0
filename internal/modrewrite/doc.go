// Package modrewrite edits what ties a Go module to its dependencies, in two
// halves.
//
// Module files (replace.go, work.go, pseudo.go): replace directives in go.mod
// and go.work, edited through golang.org/x/mod/modfile so comments and layout
// survive, and written atomically (temporary file + rename, mode kept). The
// directives gofork writes carry an end-of-line marker, "// gofork", or
// "// gofork: was <old directive>" when they displaced a replace of the user's,
// so dropping them restores the file as it was. ResolveVersion names a commit
// of a module's repository exactly as the go command would (a tag, or a
// pseudo-version from golang.org/x/mod/module), reading the repository
// through go-git.
//
// Imports (imports.go, fix.go): scanning the import section of Go files and
// rewriting import paths and module lines byte for byte, for `gofork check`
// and `gofork fix`.
package modrewrite
