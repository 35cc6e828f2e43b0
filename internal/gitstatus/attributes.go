package gitstatus

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"

	"github.com/gofork/gofork/internal/sysfs"

	"github.com/gofork/gofork/internal/rawfile"
)

// The values an attribute takes besides a string: set ("text"), unset
// ("-text") and unspecified ("!text"), spelled so that no value read from a
// file can take them.
const (
	attrSet         = "\x00set"
	attrUnset       = "\x00unset"
	attrUnspecified = "\x00unspecified"
)

type attrState struct{ name, value string }

// attrRule is one line of a gitattributes file: a pattern, or the name of
// the macro it defines, and the states it assigns in line order.
type attrRule struct {
	pattern ignorePattern
	macro   string
	states  []attrState
}

// attrList is the rules of one file, in file order.
type attrList []attrRule

// Git (since 2.39) ignores longer lines and larger files.
const (
	attrMaxLine = 2048
	attrMaxFile = 100 << 20
)

const attrBlank = " \t\r\n"

// parseAttributes parses a gitattributes file as git's attr.c does; base is
// the directory holding it relative to the work tree ("" for the top level
// and the files that apply everywhere). Only those may define macros
// (macrosOK): git refuses "[attr]" lines in a subdirectory's file. A blob
// from the index ends at its first NUL byte, as in git.
func parseAttributes(data []byte, base string, macrosOK, fromBlob bool) attrList {
	if len(data) >= attrMaxFile {
		return nil
	}
	if fromBlob {
		if nul := bytes.IndexByte(data, 0); nul >= 0 {
			data = data[:nul]
		}
	} else {
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	}
	var list attrList
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte("\n"))
		if nul := bytes.IndexByte(line, 0); nul >= 0 {
			line = line[:nul]
		}
		if r, ok := parseAttrLine(string(line), base, macrosOK); ok {
			list = append(list, r)
		}
	}
	return list
}

func parseAttrLine(line, base string, macrosOK bool) (attrRule, bool) {
	cp := strings.TrimLeft(line, attrBlank)
	if cp == "" || cp[0] == '#' || len(line) >= attrMaxLine {
		return attrRule{}, false
	}
	name, states, quoted := "", "", false
	if cp[0] == '"' {
		name, states, quoted = unquoteC(cp)
	}
	if !quoted {
		n := strcspn(cp, attrBlank)
		name, states = cp[:n], cp[n:]
	}
	var r attrRule
	if rest, ok := strings.CutPrefix(name, "[attr]"); ok && rest != "" {
		if !macrosOK {
			return r, false
		}
		rest = strings.TrimLeft(rest, attrBlank)
		r.macro = rest[:strcspn(rest, attrBlank)]
		if !attrNameValid(r.macro) {
			return r, false
		}
	} else {
		p, ok := parseIgnoreLine(name, base)
		if !ok || p.negative {
			return r, false // git warns: negative patterns are ignored
		}
		r.pattern = p
	}
	for cp = strings.TrimLeft(states, attrBlank); cp != ""; {
		end := strcspn(cp, attrBlank)
		token := cp[:end]
		cp = strings.TrimLeft(cp[end:], attrBlank)
		s := attrState{value: attrSet}
		switch {
		case token[0] == '-':
			s.name, _, _ = strings.Cut(token[1:], "=")
			s.value = attrUnset
		case token[0] == '!':
			s.name, _, _ = strings.Cut(token[1:], "=")
			s.value = attrUnspecified
		default:
			var hasValue bool
			if s.name, s.value, hasValue = strings.Cut(token, "="); !hasValue {
				s.value = attrSet
			}
		}
		if !attrNameValid(s.name) {
			return r, false // one bad name drops the line
		}
		r.states = append(r.states, s)
	}
	return r, true
}

// attrNameValid is git's rule: [-A-Za-z0-9_.], not starting with '-', and
// not reserved ("builtin_").
func attrNameValid(name string) bool {
	if name == "" || name[0] == '-' || strings.HasPrefix(name, "builtin_") {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '-' || c == '.' || c == '_' || c >= '0' && c <= '9' || isAlpha(c)) {
			return false
		}
	}
	return true
}

func strcspn(s, chars string) int {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return i
	}
	return len(s)
}

// unquoteC reads the C-quoted string at the start of s as git's
// unquote_c_style does, returning it and what follows the closing quote;
// ok is false when s is not properly quoted, and git then takes the
// pattern as written.
func unquoteC(s string) (unquoted, rest string, ok bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return b.String(), s[i+1:], true
		case '\\':
		default:
			b.WriteByte(c)
			continue
		}
		if i++; i == len(s) {
			return "", "", false
		}
		switch c = s[i]; c {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\', '"':
			b.WriteByte(c)
		case '0', '1', '2', '3':
			if i+2 >= len(s) || s[i+1] < '0' || s[i+1] > '7' || s[i+2] < '0' || s[i+2] > '7' {
				return "", "", false
			}
			b.WriteByte((c-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0'))
			i += 2
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// attrStack is the gitattributes files of a directory and of those above
// it in the work tree, the deepest on top.
type attrStack = layered[attrRule]

// attrFiles are the gitattributes files outside the work tree: info is
// $GIT_DIR/info/attributes, above every work-tree file; global
// (core.attributesFile) and system (/etc/gitattributes) below them, and
// git's built-in "binary" macro at the bottom.
type attrFiles struct {
	info, global, system attrList
}

var builtinAttributes = attrList{{macro: "binary", states: []attrState{
	{"diff", attrUnset}, {"merge", attrUnset}, {"text", attrUnset},
}}}

// readAttrFiles reads the gitattributes files outside the work tree.
func (r *repo) readAttrFiles() *attrFiles {
	read := func(path string) attrList {
		data, err := rawfile.ReadFile(path)
		if err != nil {
			return nil
		}
		return parseAttributes(data, "", true, false)
	}
	f := &attrFiles{
		info:   read(filepath.Join(r.commondir, "info", "attributes")),
		global: read(r.configPath("attributesFile", "attributes")),
	}
	if !envBool("GIT_ATTR_NOSYSTEM") {
		f.system = read("/etc/gitattributes")
	}
	return f
}

// empty reports whether no attribute can be set but by the built-in macro.
func (f *attrFiles) empty(dirs *attrStack) bool {
	return dirs == nil && len(f.info) == 0 && len(f.global) == 0 && len(f.system) == 0
}

// lookup computes the attributes of the file path (relative to the work
// tree) as git's collect_some_attrs does: from the highest precedence down
// (info/attributes, the .gitattributes files from the path's directory up
// to the top, core.attributesFile, the system file, the built-ins), the
// first rule to give an attribute a state wins; within a file the last
// line counts first, within a line the last state. A macro set on a path
// then assigns its own states where still unassigned, depth first as git
// 2.39 does. Macros come from the files that may define them, the
// highest-precedence definition winning. fold is wmCasefold under
// core.ignoreCase.
func (f *attrFiles) lookup(path string, dirs *attrStack, fold wmFlags) map[string]string {
	frames := []attrList{f.info}
	for s := dirs; s != nil; s = s.parent {
		frames = append(frames, s.list)
	}
	frames = append(frames, f.global, f.system, builtinAttributes)
	macros := map[string][]attrState{}
	for _, frame := range frames {
		for i := len(frame) - 1; i >= 0; i-- {
			if m := frame[i].macro; m != "" {
				if _, seen := macros[m]; !seen {
					macros[m] = frame[i].states
				}
			}
		}
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	known := map[string]string{}
	var fill func(states []attrState)
	fill = func(states []attrState) {
		for i := len(states) - 1; i >= 0; i-- {
			s := states[i]
			if _, done := known[s.name]; done {
				continue
			}
			known[s.name] = s.value
			if m, ok := macros[s.name]; ok && s.value == attrSet {
				fill(m)
			}
		}
	}
	for _, frame := range frames {
		for i := len(frame) - 1; i >= 0; i-- {
			if r := &frame[i]; r.macro == "" && r.pattern.match(path, name, false, fold) {
				fill(r.states)
			}
		}
	}
	return known
}

// readTreeAttrFile reads the .gitattributes in the work-tree directory
// dirfd (base relative to the top). Like git, it does not follow a symlink;
// opened is false when the file could not be opened, when git turns to the
// index's copy.
func readTreeAttrFile(dirfd int, base string) (list attrList, opened bool) {
	fd, err := sysfs.Openat(dirfd, ".gitattributes", sysfs.O_RDONLY|sysfs.O_CLOEXEC|sysfs.O_NOFOLLOW|sysfs.O_NONBLOCK, 0)
	if err != nil {
		return nil, false
	}
	f := rawfile.File(fd)
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, attrMaxFile))
	if err != nil {
		return nil, true
	}
	return parseAttributes(data, base, base == "", false), true
}
