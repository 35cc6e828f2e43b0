package gitconfig

import (
	"bytes"
	"strings"
)

// configText is a git config file as its lines, edited in place as `git
// config` edits it: a variable set replaces that variable's lines and every
// other line (comments, blank lines, layout, includes, line endings) stays
// as it was. go-git's encoder writes a file anew and loses the comments.
type configText struct {
	lines []configLine
	eol   string // the file's line ending, for lines it gains
}

// configLine is one physical line with what it means: a section header,
// the first line of a variable (continuations belong to it), or anything
// else (comments, blank lines, continuations).
type configLine struct {
	text string // with its line ending
	// section is the header's or the variable's section: lower-case name,
	// "." and the case-kept subsection when there is one.
	section string
	header  bool
	key     string // the variable's lower-case name; "" for a header or other line
	cont    bool   // a line the value of the variable before it goes on to
}

func parseConfigText(data []byte) *configText {
	c := &configText{eol: "\n"}
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		c.eol = "\r\n"
	}
	section, continued := "", false
	for len(data) > 0 {
		n := bytes.IndexByte(data, '\n') + 1
		if n == 0 {
			n = len(data)
		}
		text := string(data[:n])
		data = data[n:]
		line := configLine{text: text, section: section, cont: continued}
		trimmed := strings.TrimLeft(strings.TrimRight(text, "\r\n"), " \t")
		switch {
		case continued:
		case strings.HasPrefix(trimmed, "["):
			if s, ok := parseHeader(trimmed); ok {
				section = s
				line.section, line.header = s, true
			}
		default:
			line.key = strings.ToLower(keyName(trimmed))
		}
		continued = !line.header && endsInBackslash(strings.TrimRight(text, "\r\n"))
		c.lines = append(c.lines, line)
	}
	return c
}

// parseHeader reads [name], [name "sub"] and the old [name.sub].
func parseHeader(s string) (string, bool) {
	s = strings.TrimPrefix(s, "[")
	name, rest, quoted := strings.Cut(s, "\"")
	if !quoted {
		name, _, ok := strings.Cut(s, "]")
		if !ok {
			return "", false
		}
		if sec, sub, ok := strings.Cut(name, "."); ok {
			return strings.ToLower(sec) + "." + strings.ToLower(sub), true
		}
		return strings.ToLower(strings.TrimSpace(name)), true
	}
	var sub strings.Builder
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c == '\\' && i+1 < len(rest):
			i++
			sub.WriteByte(rest[i])
		case c == '"':
			return strings.ToLower(strings.TrimSpace(name)) + "." + sub.String(), true
		default:
			sub.WriteByte(c)
		}
	}
	return "", false
}

// keyName is the variable name a line starts with: letters, digits and
// '-'; "" for a comment or blank line.
func keyName(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
	})
	if end < 0 {
		return s
	}
	return s[:end]
}

// endsInBackslash reports whether a line's value goes on to the next line:
// it ends in an odd number of backslashes.
func endsInBackslash(s string) bool {
	n := len(s) - len(strings.TrimRight(s, "\\"))
	return n%2 == 1
}

func sectionName(section, sub string) string {
	if sub == "" {
		return strings.ToLower(section)
	}
	return strings.ToLower(section) + "." + sub
}

// has reports whether the variable is set.
func (c *configText) has(section, sub, key string) bool {
	name, key := sectionName(section, sub), strings.ToLower(key)
	for _, l := range c.lines {
		if l.section == name && l.key == key {
			return true
		}
	}
	return false
}

// set gives the variable exactly values (none: unset), as git config
// --replace-all does: where its first line was, else after the last
// variable of its last section, else in a new section at the end.
func (c *configText) set(section, sub, key string, values []string) {
	name, lower := sectionName(section, sub), strings.ToLower(key)
	kept := c.lines[:0]
	dropping, first := false, -1
	for _, l := range c.lines {
		if !l.cont {
			dropping = !l.header && l.section == name && l.key == lower
			if dropping && first < 0 {
				first = len(kept) // git's --replace-all writes there
			}
		}
		if !dropping {
			kept = append(kept, l)
		}
	}
	c.lines = kept
	if len(values) == 0 {
		return
	}
	var add []configLine
	for _, v := range values {
		add = append(add, configLine{text: "\t" + key + " = " + quoteValue(v) + c.eol, section: name, key: lower})
	}
	at := first
	for i, l := range c.lines {
		if first < 0 && l.section == name && (l.header || l.key != "" || l.cont) {
			at = i + 1
		}
	}
	if at < 0 {
		if n := len(c.lines); n > 0 && !strings.HasSuffix(c.lines[n-1].text, "\n") {
			c.lines[n-1].text += c.eol
		}
		header := "[" + section + "]"
		if sub != "" {
			header = "[" + section + ` "` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(sub) + `"]`
		}
		c.lines = append(c.lines, configLine{text: header + c.eol, section: name, header: true})
		at = len(c.lines)
	} else if !strings.HasSuffix(c.lines[at-1].text, "\n") {
		c.lines[at-1].text += c.eol
	}
	c.lines = append(c.lines[:at], append(add, c.lines[at:]...)...)
}

// quoteValue writes a value so git reads it back as itself: quoted when it
// has a comment character or edge spaces, with '"' and '\' escaped.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, "#;\"\\\n\t") && strings.TrimSpace(v) == v {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(v) + `"`
}

func (c *configText) bytes() []byte {
	var b strings.Builder
	for _, l := range c.lines {
		b.WriteString(l.text)
	}
	return []byte(b.String())
}
