package importscan

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// RewriteFunc maps an import path to the one it should be; ok is false for a
// path to leave alone.
type RewriteFunc func(path string) (to string, ok bool)

// RewriteImports returns src with the path literals of the import section sec
// (scanned from src) and its import comment rewritten by rewrite. Only the
// bytes of the literals change, except that a run of imports gofmt would sort
// (consecutive lines of one parenthesised group) is put back in order when it
// was sorted before and the rewrite unsorted it, so gofmt stays content.
// changed reports whether anything was rewritten.
func RewriteImports(src []byte, sec *ImportSection, rewrite RewriteFunc) (out []byte, changed bool) {
	var edits []edit
	if c := sec.Comment; c != nil {
		if to, ok := rewrite(c.Path); ok && to != c.Path {
			edits = append(edits, edit{c.Start, c.End, requote(*c, to)})
		}
	}
	specs := sec.Imports
	newPaths := make([]string, len(specs))
	for i, spec := range specs {
		newPaths[i] = spec.Path
		if to, ok := rewrite(spec.Path); ok {
			newPaths[i] = to
		}
	}
	for start := 0; start < len(specs); {
		end := runEnd(specs, start)
		edits = append(edits, rewriteRun(src, specs[start:end], newPaths[start:end])...)
		start = end
	}
	if len(edits) == 0 {
		return src, false
	}
	return applyEdits(src, edits), true
}

type edit struct {
	start, end int
	text       string
}

func applyEdits(src []byte, edits []edit) []byte {
	slices.SortFunc(edits, func(a, b edit) int { return cmp.Compare(a.start, b.start) })
	var out bytes.Buffer
	out.Grow(len(src))
	at := 0
	for _, e := range edits {
		out.Write(src[at:e.start])
		out.WriteString(e.text)
		at = e.end
	}
	out.Write(src[at:])
	return out.Bytes()
}

// requote writes path as a literal of the same kind as lit.
func requote(lit Literal, path string) string {
	if lit.Raw && !strings.Contains(path, "`") {
		return "`" + path + "`"
	}
	return strconv.Quote(path)
}

// runEnd returns the end of the run starting at specs[start]: gofmt sorts
// the specs of a parenthesised group that follow each other line after line,
// and a blank or comment line starts a new run.
func runEnd(specs []ImportSpec, start int) int {
	end := start + 1
	if specs[start].Group < 0 {
		return end
	}
	for end < len(specs) && specs[end].Group == specs[start].Group && specs[end].Line <= specs[end-1].EndLine+1 {
		end++
	}
	return end
}

func rewriteRun(src []byte, run []ImportSpec, newPaths []string) []edit {
	var edits []edit
	for i, spec := range run {
		if newPaths[i] != spec.Path {
			edits = append(edits, edit{spec.Start, spec.End, requote(spec.Literal, newPaths[i])})
		}
	}
	if len(edits) == 0 || !specsSorted(run, func(i int) string { return run[i].Path }) ||
		specsSorted(run, func(i int) string { return newPaths[i] }) {
		return edits
	}
	lines, ok := specLines(src, run)
	if !ok {
		return edits // not one spec per line: gofmt will have its say
	}
	order := make([]int, len(run))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(newPaths[a], newPaths[b]), cmp.Compare(run[a].Name, run[b].Name))
	})
	var text strings.Builder
	for n, i := range order {
		if n > 0 {
			text.WriteByte('\n')
		}
		line := lines[i]
		spec := run[i]
		text.Write(src[line.start:spec.Start])
		text.WriteString(requote(spec.Literal, newPaths[i]))
		text.Write(src[spec.End:line.end])
	}
	return []edit{{lines[0].start, lines[len(lines)-1].end, text.String()}}
}

func specsSorted(run []ImportSpec, path func(int) string) bool {
	for i := 1; i < len(run); i++ {
		if c := cmp.Or(cmp.Compare(path(i-1), path(i)), cmp.Compare(run[i-1].Name, run[i].Name)); c > 0 {
			return false
		}
	}
	return true
}

type span struct{ start, end int }

// specLines returns the line of each spec (without its newline) when each
// spec has a line of its own: only blanks before it and at most a // comment
// after it.
func specLines(src []byte, run []ImportSpec) ([]span, bool) {
	lines := make([]span, len(run))
	for i, spec := range run {
		if spec.Line != spec.EndLine || i > 0 && spec.Line == run[i-1].EndLine {
			return nil, false
		}
		start := bytes.LastIndexByte(src[:spec.SpecStart], '\n') + 1
		end := indexByteFrom(src, spec.End, '\n')
		if end < 0 {
			end = len(src)
		}
		after := strings.TrimSpace(string(src[spec.End:end]))
		if len(bytes.TrimLeft(src[start:spec.SpecStart], " \t")) > 0 || after != "" && !strings.HasPrefix(after, "//") {
			return nil, false
		}
		lines[i] = span{start, end}
	}
	return lines, true
}
