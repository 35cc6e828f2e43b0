package importcheck

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// diffContext is how many unchanged lines surround a change, as in diff -u.
const diffContext = 3

// writeUnifiedDiff writes the unified diff turning old into new for the file
// at path. Fix changes only a few lines near the top of a file, so the lines
// both share at the start and end are set aside first and the longest common
// subsequence is computed only over what is left.
func writeUnifiedDiff(w io.Writer, path string, old, new []byte) error {
	a, b := splitLines(string(old)), splitLines(string(new))
	ops := diffLines(a, b)
	bw := bufio.NewWriter(w)
	if filepath.IsAbs(path) {
		fmt.Fprintf(bw, "--- %s\n+++ %s\n", path, path)
	} else {
		fmt.Fprintf(bw, "--- a/%s\n+++ b/%s\n", path, path)
	}
	for start := 0; start < len(ops); {
		if ops[start].kind == ' ' {
			start++
			continue
		}
		// A hunk runs from diffContext lines before this change to
		// diffContext lines after the last change that is closer than
		// 2*diffContext to the one before it.
		end := start
		for i := start; i < len(ops); i++ {
			if ops[i].kind != ' ' {
				end = i + 1
			} else if i-end >= 2*diffContext {
				break
			}
		}
		from, to := max(start-diffContext, 0), min(end+diffContext, len(ops))
		aStart, bStart, aLen, bLen := ops[from].aLine, ops[from].bLine, 0, 0
		for _, op := range ops[from:to] {
			if op.kind != '+' {
				aLen++
			}
			if op.kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(bw, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, op := range ops[from:to] {
			bw.WriteByte(op.kind)
			bw.WriteString(op.text)
			if !strings.HasSuffix(op.text, "\n") {
				bw.WriteString("\n\\ No newline at end of file\n")
			}
		}
		start = to
	}
	return bw.Flush()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines splits s after each newline, keeping them.
func splitLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n') + 1
		if i == 0 {
			i = len(s)
		}
		lines = append(lines, s[:i])
		s = s[i:]
	}
	return lines
}

type diffOp struct {
	kind         byte // ' ', '-' or '+'
	text         string
	aLine, bLine int // 0-based line numbers in old and new before this op
}

func diffLines(a, b []string) []diffOp {
	prefix := 0
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	midA, midB := a[prefix:len(a)-suffix], b[prefix:len(b)-suffix]
	// lcs[i][j] is the length of the longest common subsequence of
	// midA[i:] and midB[j:].
	lcs := make([][]int, len(midA)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(midB)+1)
	}
	for i := len(midA) - 1; i >= 0; i-- {
		for j := len(midB) - 1; j >= 0; j-- {
			if midA[i] == midB[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	ops := make([]diffOp, 0, len(a)+len(b)-prefix-suffix)
	ai, bi := 0, 0
	emit := func(kind byte, text string) {
		ops = append(ops, diffOp{kind, text, ai, bi})
		if kind != '+' {
			ai++
		}
		if kind != '-' {
			bi++
		}
	}
	for _, line := range a[:prefix] {
		emit(' ', line)
	}
	i, j := 0, 0
	for i < len(midA) || j < len(midB) {
		switch {
		case i < len(midA) && j < len(midB) && midA[i] == midB[j]:
			emit(' ', midA[i])
			i, j = i+1, j+1
		case i < len(midA) && (j == len(midB) || lcs[i+1][j] >= lcs[i][j+1]):
			emit('-', midA[i])
			i++
		default:
			emit('+', midB[j])
			j++
		}
	}
	for _, line := range a[len(a)-suffix:] {
		emit(' ', line)
	}
	return ops
}
