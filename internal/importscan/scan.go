// Package importscan reads the import section of a Go source file (the
// package clause, an import comment, every import spec) with byte offsets,
// from as little of the file as holds it, and rewrites import path literals
// byte for byte, re-sorting a group gofmt would sort. It is a lexer of its
// own rather than go/parser because check reads only each file's head: on
// ten thousand files that is what makes check faster than git grep.
package importscan

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ImportSection is what ScanImports reads from a Go source file: the package
// clause, its import comment and every import spec, with byte offsets so a
// rewrite can change exactly the bytes of a path literal.
type ImportSection struct {
	Package string
	// Comment is the path of an import comment (package x // import "p"),
	// nil when there is none.
	Comment *Literal
	Imports []ImportSpec
}

// Literal is a string literal in the source: Path is its value, Start and End
// the byte offsets of the literal including its quotes, Line and Col (1-based,
// Col counted in bytes like go/token) where it starts.
type Literal struct {
	Path       string
	Raw        bool // a `raw` literal rather than an "interpreted" one
	Start, End int
	Line, Col  int
	EndLine    int // line of the closing quote; differs from Line only for raw literals
}

// ImportSpec is one import: an optional name ("_", ".", or an identifier) and
// its path literal.
type ImportSpec struct {
	Name string
	Literal
	// SpecStart is the offset of the spec's first token (its name, or the
	// path when unnamed).
	SpecStart int
	// Group numbers the parenthesised import declaration the spec belongs
	// to, from 0 in file order; -1 for a single `import "p"`.
	Group int
}

// SyntaxError is a file that does not parse as far as its import section.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// ErrNeedMore is returned by ScanImports when src ended inside the import
// section and more was promised (partial is true): the caller reads more of
// the file and scans again.
var ErrNeedMore = errors.New("import section continues past the bytes read")

// ScanImports reads the import section of the Go source src: the package
// clause and the import declarations that follow, stopping at the first other
// declaration. It never looks further, so it costs the same for a file of ten
// lines as for one of ten thousand. partial says src is only the start of the
// file; running off its end then yields ErrNeedMore rather than a verdict. A
// malformed import section yields a *SyntaxError.
func ScanImports(src []byte, partial bool) (*ImportSection, error) {
	return scanImports(&ImportSection{}, src, partial)
}

// A Scanner scans one file after another, as ScanImports does, reusing the
// storage of the section it returns: that section holds only until the next
// Scan. Reading ten thousand files, check keeps what it found, not every
// import it read.
type Scanner struct{ sec ImportSection }

// Scan is ScanImports into the Scanner's storage.
func (sc *Scanner) Scan(src []byte, partial bool) (*ImportSection, error) {
	sc.sec = ImportSection{Imports: sc.sec.Imports[:0]}
	return scanImports(&sc.sec, src, partial)
}

func scanImports(sec *ImportSection, src []byte, partial bool) (*ImportSection, error) {
	s := &scanner{src: src, partial: partial, line: 1, lineStart: 0, sec: sec}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		s.pos = 3
	}
	sec, err := s.file()
	if errors.Is(err, errEOF) {
		if partial {
			return nil, ErrNeedMore
		}
		return nil, s.errorf(s.tok, "unexpected end of file")
	}
	return sec, err
}

// errEOF is the scanner running off the end of the bytes it was given.
var errEOF = errors.New("end of input")

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokString
	tokLParen
	tokRParen
	tokSemi // explicit, or inserted at a newline as the spec says
	tokDot
	tokOther
)

// lexeme is a token by its offsets: its text is made a string only when
// it is kept (a path, a name) or reported, so that the tokens of ten
// thousand files cost no allocations.
type lexeme struct {
	kind      tokenKind
	start     int
	end       int
	line, col int
	endLine   int
}

type scanner struct {
	src       []byte
	partial   bool
	pos       int
	line      int
	lineStart int
	// insertSemi: a newline here ends the statement (after an identifier,
	// a literal or a closing parenthesis).
	insertSemi bool
	tok        lexeme         // the current token
	sec        *ImportSection // filled as the tokens come
	// The first // comment seen since the last token, with the line it
	// was on, for the import comment: lineCommentStart is the offset of its
	// "//" (-1 when there is none), lineCommentEnd of the end of its line.
	lineCommentStart     int
	lineCommentEnd       int
	lineCommentLine      int
	lineCommentLineStart int // offset of the start of its line
}

// text is the source of the token t.
func (s *scanner) text(t lexeme) string { return string(s.src[t.start:t.end]) }

// isWord reports whether the token t is the identifier w.
func (s *scanner) isWord(t lexeme, w string) bool {
	return t.kind == tokIdent && string(s.src[t.start:t.end]) == w
}

func (s *scanner) errorf(t lexeme, format string, args ...any) error {
	return &SyntaxError{Line: t.line, Col: t.col, Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) newline(at int) {
	s.line++
	s.lineStart = at + 1
}

// next advances to the next token.
func (s *scanner) next() error {
	s.lineCommentStart = -1
	for {
		if s.pos >= len(s.src) {
			if s.partial {
				return errEOF
			}
			if s.insertSemi {
				s.insertSemi = false
				s.tok = lexeme{kind: tokSemi, start: s.pos, end: s.pos, line: s.line, col: s.pos - s.lineStart + 1}
				return nil
			}
			s.tok = lexeme{kind: tokEOF, start: s.pos, end: s.pos, line: s.line, col: s.pos - s.lineStart + 1}
			return nil
		}
		c := s.src[s.pos]
		switch {
		case c == '\n':
			if s.insertSemi {
				s.insertSemi = false
				s.tok = lexeme{kind: tokSemi, start: s.pos, end: s.pos + 1, line: s.line, col: s.pos - s.lineStart + 1}
				s.newline(s.pos)
				s.pos++
				return nil
			}
			s.newline(s.pos)
			s.pos++
			continue
		case c == ' ' || c == '\t' || c == '\r':
			s.pos++
			continue
		case c == '/' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '/':
			end := indexByteFrom(s.src, s.pos, '\n')
			if end < 0 {
				if s.partial {
					return errEOF
				}
				end = len(s.src)
			}
			if s.lineCommentStart < 0 {
				s.lineCommentStart, s.lineCommentEnd = s.pos, end
				s.lineCommentLine = s.line
				s.lineCommentLineStart = s.lineStart
			}
			s.pos = end // the newline is handled as a newline
			continue
		case c == '/' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '*':
			start := lexeme{line: s.line, col: s.pos - s.lineStart + 1}
			end := bytes.Index(s.src[s.pos+2:], []byte("*/"))
			if end < 0 {
				if s.partial {
					return errEOF
				}
				return s.errorf(start, "comment not terminated")
			}
			end += s.pos + 2
			hadNewline := false
			for i := s.pos; i < end; i++ {
				if s.src[i] == '\n' {
					s.newline(i)
					hadNewline = true
				}
			}
			s.pos = end + 2
			if hadNewline && s.insertSemi {
				// A comment spanning lines acts like a newline.
				s.insertSemi = false
				s.tok = lexeme{kind: tokSemi, start: s.pos, end: s.pos, line: s.line, col: s.pos - s.lineStart + 1}
				return nil
			}
			continue
		}
		if c == '/' && s.partial && s.pos+1 == len(s.src) {
			return errEOF // maybe the start of a comment
		}
		return s.scanToken()
	}
}

func indexByteFrom(b []byte, from int, c byte) int {
	if i := bytes.IndexByte(b[from:], c); i >= 0 {
		return from + i
	}
	return -1
}

func isLetter(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (s *scanner) scanToken() error {
	start := s.pos
	t := lexeme{start: start, line: s.line, col: start - s.lineStart + 1}
	c := s.src[start]
	s.insertSemi = false
	switch {
	case isLetter(c):
		end := start + 1
		for end < len(s.src) && (isLetter(s.src[end]) || isDigit(s.src[end])) {
			end++
		}
		if end == len(s.src) && s.partial {
			return errEOF
		}
		t.kind, t.end = tokIdent, end
		s.insertSemi = true
	case c == '"':
		end := start + 1
		for {
			if end >= len(s.src) {
				if s.partial {
					return errEOF
				}
				return s.errorf(t, "string literal not terminated")
			}
			b := s.src[end]
			if b == '\n' {
				return s.errorf(t, "string literal not terminated")
			}
			end++
			if b == '\\' && end < len(s.src) {
				end++
			} else if b == '"' {
				break
			}
		}
		t.kind, t.end = tokString, end
		s.insertSemi = true
	case c == '`':
		end := indexByteFrom(s.src, start+1, '`')
		if end < 0 {
			if s.partial {
				return errEOF
			}
			return s.errorf(t, "raw string literal not terminated")
		}
		for i := start; i < end; i++ {
			if s.src[i] == '\n' {
				s.newline(i)
			}
		}
		t.kind, t.end = tokString, end+1
		s.insertSemi = true
	case c == '(':
		t.kind, t.end = tokLParen, start+1
	case c == ')':
		t.kind, t.end = tokRParen, start+1
		s.insertSemi = true
	case c == ';':
		t.kind, t.end = tokSemi, start+1
	case c == '.':
		t.kind, t.end = tokDot, start+1
	default:
		t.kind, t.end = tokOther, start+1
	}
	t.endLine = s.line
	s.pos = t.end
	s.tok = t
	return nil
}

func (s *scanner) describe(t lexeme) string {
	text := s.text(t)
	switch t.kind {
	case tokEOF:
		return "EOF"
	case tokSemi:
		if text != ";" {
			return "newline"
		}
	}
	return strconv.Quote(text)
}

func (s *scanner) file() (*ImportSection, error) {
	if err := s.next(); err != nil {
		return nil, err
	}
	if !s.isWord(s.tok, "package") {
		return nil, s.errorf(s.tok, "expected 'package', found %s", s.describe(s.tok))
	}
	if err := s.next(); err != nil {
		return nil, err
	}
	if s.tok.kind != tokIdent {
		return nil, s.errorf(s.tok, "expected package name, found %s", s.describe(s.tok))
	}
	sec := s.sec
	sec.Package = s.text(s.tok)
	nameLine := s.tok.line
	if err := s.next(); err != nil {
		return nil, err
	}
	if s.lineCommentStart >= 0 && s.lineCommentLine == nameLine {
		sec.Comment = s.importComment(nameLine)
	}
	if s.tok.kind != tokSemi && s.tok.kind != tokEOF {
		return nil, s.errorf(s.tok, "expected ';', found %s", s.describe(s.tok))
	}
	group := 0
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		if s.tok.kind == tokSemi {
			continue
		}
		if !s.isWord(s.tok, "import") {
			return sec, nil // the first other declaration ends the section
		}
		if err := s.next(); err != nil {
			return nil, err
		}
		if s.tok.kind != tokLParen {
			spec, err := s.spec(-1)
			if err != nil {
				return nil, err
			}
			sec.Imports = append(sec.Imports, spec)
			continue
		}
		// Room for a spec per line up to the group's end, so that the
		// specs are not copied as they come.
		if end := bytes.IndexByte(s.src[s.pos:], ')'); end >= 0 {
			sec.Imports = slices.Grow(sec.Imports, bytes.Count(s.src[s.pos:s.pos+end], []byte{'\n'}))
		}
		for {
			if err := s.next(); err != nil {
				return nil, err
			}
			if s.tok.kind == tokSemi {
				continue
			}
			if s.tok.kind == tokRParen {
				break
			}
			spec, err := s.spec(group)
			if err != nil {
				return nil, err
			}
			sec.Imports = append(sec.Imports, spec)
			if s.tok.kind == tokRParen {
				break
			}
		}
		group++
	}
}

// spec parses an import spec starting at the current token and leaves the
// scanner on the token after it, which must end the spec.
func (s *scanner) spec(group int) (ImportSpec, error) {
	spec := ImportSpec{Group: group, SpecStart: s.tok.start}
	if s.tok.kind == tokIdent || s.tok.kind == tokDot {
		spec.Name = s.text(s.tok)
		if err := s.next(); err != nil {
			return spec, err
		}
	}
	if s.tok.kind != tokString {
		return spec, s.errorf(s.tok, "expected import path, found %s", s.describe(s.tok))
	}
	lit, err := s.literal(s.tok)
	if err != nil {
		return spec, err
	}
	spec.Literal = lit
	if err := s.next(); err != nil {
		return spec, err
	}
	if k := s.tok.kind; k != tokSemi && k != tokRParen && k != tokEOF {
		return spec, s.errorf(s.tok, "expected ';' after import path, found %s", s.describe(s.tok))
	}
	return spec, nil
}

func (s *scanner) literal(t lexeme) (Literal, error) {
	text := s.text(t)
	raw := text[0] == '`'
	if raw {
		text = strings.ReplaceAll(text, "\r", "")
	}
	path, err := strconv.Unquote(text)
	if err != nil {
		return Literal{}, s.errorf(t, "invalid import path literal %s", s.text(t))
	}
	return Literal{Path: path, Raw: raw, Start: t.start, End: t.end, Line: t.line, Col: t.col, EndLine: t.endLine}, nil
}

// importComment recognises `// import "p"` after the package name on line
// and locates the literal in the source.
func (s *scanner) importComment(line int) *Literal {
	comment := string(s.src[s.lineCommentStart+2 : s.lineCommentEnd])
	body := strings.TrimSpace(comment)
	rest, ok := strings.CutPrefix(body, "import")
	if !ok {
		return nil
	}
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || rest[0] != '"' {
		return nil
	}
	end := strings.IndexByte(rest[1:], '"')
	if end < 0 {
		return nil
	}
	quoted := rest[:end+2]
	path, err := strconv.Unquote(quoted)
	if err != nil {
		return nil
	}
	// The literal is in the comment, after its "//".
	start := s.lineCommentStart + 2 + strings.Index(comment, quoted)
	return &Literal{Path: path, Start: start, End: start + len(quoted), Line: line, Col: start - s.lineCommentLineStart + 1, EndLine: line}
}
