package modrewrite

import (
	"bytes"
	"fmt"

	"golang.org/x/mod/modfile"
)

// ModuleLine is where a go.mod's module line names the module: Path is the
// module path, Start and End the byte offsets of its token (quotes
// included), Line and Col (1-based, Col in bytes) where it starts.
type ModuleLine struct {
	Path       string
	Start, End int
	Line, Col  int
}

// ModulePath locates the module path on the module line of the go.mod data
// parsed as f, so it can be reported and rewritten byte for byte.
func ModulePath(data []byte, f *modfile.File) (ModuleLine, error) {
	if f.Module == nil || f.Module.Syntax == nil {
		return ModuleLine{}, fmt.Errorf("no module line")
	}
	syn := f.Module.Syntax
	token := syn.Token[len(syn.Token)-1]
	line := data[syn.Start.Byte:syn.End.Byte]
	at := bytes.LastIndex(line, []byte(token))
	if at < 0 {
		return ModuleLine{}, fmt.Errorf("module path %q not found on its line", token)
	}
	start, end := syn.Start.Byte+at, syn.Start.Byte+at+len(token)
	if data[start-1] == '"' && end < len(data) && data[end] == '"' {
		start, end = start-1, end+1
	}
	lineStart := bytes.LastIndexByte(data[:start], '\n') + 1
	return ModuleLine{Path: f.Module.Mod.Path, Start: start, End: end, Line: syn.Start.Line, Col: start - lineStart + 1}, nil
}

// RewriteModulePath returns the go.mod data with the module path at m
// replaced by path, quoted only if it needs to be.
func RewriteModulePath(data []byte, m ModuleLine, path string) []byte {
	out := make([]byte, 0, len(data)+len(path))
	out = append(out, data[:m.Start]...)
	out = append(out, modfile.AutoQuote(path)...)
	return append(out, data[m.End:]...)
}
