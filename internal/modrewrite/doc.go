// Package modrewrite edits go.mod and go.work files: replace directives,
// edited through golang.org/x/mod/modfile so comments, layout and line
// endings survive, and written atomically (temporary file + rename, mode
// kept), and a go.mod's module line, rewritten byte for byte. The
// directives gofork writes carry an end-of-line marker, "// gofork", or
// "// gofork: was <old directive>" when they displaced a replace of the
// user's, so dropping them restores the file as it was.
package modrewrite
