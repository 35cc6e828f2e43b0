package gitstatus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofork/gofork/internal/rawfile"
)

// gitConfig is the merged configuration git reads, every value of each
// variable in file order, keyed by canonical name: lower-case section and
// key around a case-kept subsection ("branch.Main.remote").
//
// It is read here rather than through go-git's config package: that
// package's parser (gcfg) pulls in encoding/gob, whose initialisation alone
// cost gitprompt about a millisecond per prompt, a tenth of what `git status`
// takes on a small repository.
type gitConfig map[string][]string

// loadConfig merges the configuration files git would read, lowest
// precedence first, so that the last value of a variable wins. include.path
// is followed; includeIf is not.
func loadConfig(gitdir, commondir string) (gitConfig, error) {
	var files []string
	if os.Getenv("GIT_CONFIG_NOSYSTEM") == "" {
		files = append(files, "/etc/gitconfig")
	}
	if global := os.Getenv("GIT_CONFIG_GLOBAL"); global != "" {
		files = append(files, global)
	} else {
		files = append(files, filepath.Join(xdgConfigHome(), "git", "config"))
		if home, err := os.UserHomeDir(); err == nil {
			files = append(files, filepath.Join(home, ".gitconfig"))
		}
	}
	files = append(files, filepath.Join(commondir, "config"))
	cfg := gitConfig{}
	for i, name := range files {
		if err := cfg.readFile(name, 0); err != nil {
			return nil, err
		}
		if i == len(files)-1 && cfg.boolean("extensions", "", "worktreeConfig", false) {
			if err := cfg.readFile(filepath.Join(gitdir, "config.worktree"), 0); err != nil {
				return nil, err
			}
		}
	}
	return cfg, nil
}

// maxIncludeDepth is git's limit on nested include.path files.
const maxIncludeDepth = 10

// readFile adds the variables of one file; a missing file adds nothing.
func (c gitConfig) readFile(name string, depth int) error {
	data, err := rawfile.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read git config %q: %w", name, err)
	}
	include := func(path string) error {
		if depth >= maxIncludeDepth {
			return fmt.Errorf("read git config %q: include.path nested more than %d deep", name, maxIncludeDepth)
		}
		if rest, ok := strings.CutPrefix(path, "~/"); ok {
			home, _ := os.UserHomeDir()
			path = filepath.Join(home, rest)
		} else if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(name), path)
		}
		return c.readFile(path, depth+1)
	}
	if err := c.parse(string(data), include); err != nil {
		return fmt.Errorf("parse git config %q: %w; check it with `git config --file %s --list`", name, err, name)
	}
	return nil
}

// parse reads git's configuration syntax: [section] and [section "sub"]
// headers (and the old [section.sub]), "key = value" lines whose values may
// be quoted, escaped and continued with a trailing backslash, a bare "key"
// meaning true, and # or ; comments.
func (c gitConfig) parse(text string, include func(path string) error) error {
	section := ""
	line := 1
	p := &configScanner{text: text}
	for {
		p.skipSpace()
		if p.done() {
			return nil
		}
		switch ch := p.peek(); {
		case ch == '\n':
			p.pos++
			line++
		case ch == '#' || ch == ';':
			p.skipLine()
		case ch == '[':
			s, err := p.header()
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			section = s
		case isAlpha(ch):
			key := p.name()
			value, lines, err := p.value()
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			line += lines
			name := strings.ToLower(key) // git accepts variables before any section
			if section != "" {
				name = section + "." + name
			}
			c[name] = append(c[name], value)
			if name == "include.path" && include != nil {
				if err := include(value); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("line %d: unexpected %q", line, ch)
		}
	}
}

type configScanner struct {
	text string
	pos  int
}

func (p *configScanner) done() bool { return p.pos >= len(p.text) }
func (p *configScanner) peek() byte { return p.text[p.pos] }

func (p *configScanner) skipSpace() {
	for !p.done() && (p.peek() == ' ' || p.peek() == '\t' || p.peek() == '\r') {
		p.pos++
	}
}

func (p *configScanner) skipLine() {
	for !p.done() && p.peek() != '\n' {
		p.pos++
	}
}

// header reads "[section]", "[section "sub"]" or "[section.sub]" and
// returns the canonical prefix of its variables.
func (p *configScanner) header() (string, error) {
	p.pos++ // '['
	start := p.pos
	for !p.done() && (isAlnum(p.peek()) || p.peek() == '-' || p.peek() == '.') {
		p.pos++
	}
	section := strings.ToLower(p.text[start:p.pos])
	if section == "" {
		return "", errors.New("empty section name")
	}
	p.skipSpace()
	if !p.done() && p.peek() == '"' {
		p.pos++
		var sub strings.Builder
		for {
			if p.done() || p.peek() == '\n' {
				return "", errors.New("unterminated subsection name")
			}
			ch := p.peek()
			p.pos++
			if ch == '"' {
				break
			}
			if ch == '\\' && !p.done() && p.peek() != '\n' {
				ch = p.peek()
				p.pos++
			}
			sub.WriteByte(ch)
		}
		section += "." + sub.String()
	}
	if p.done() || p.peek() != ']' {
		return "", errors.New("malformed section header")
	}
	p.pos++
	return section, nil
}

func (p *configScanner) name() string {
	start := p.pos
	for !p.done() && (isAlnum(p.peek()) || p.peek() == '-') {
		p.pos++
	}
	return p.text[start:p.pos]
}

// value reads what follows a variable name up to the end of the line: none
// means true, and "= value" the unquoted, unescaped value. It reports how
// many continued lines it consumed.
func (p *configScanner) value() (string, int, error) {
	p.skipSpace()
	if p.done() || p.peek() == '\n' || p.peek() == '#' || p.peek() == ';' {
		p.skipLine()
		return "true", 0, nil
	}
	if p.peek() != '=' {
		return "", 0, fmt.Errorf("expected '=' after the variable name, found %q", p.peek())
	}
	p.pos++
	p.skipSpace()
	var b strings.Builder
	lines, quoted, kept := 0, false, 0 // kept: length without trailing unquoted space
	for !p.done() {
		ch := p.peek()
		if ch == '\n' {
			break
		}
		p.pos++
		switch {
		case ch == '"':
			quoted = !quoted
			kept = b.Len()
		case !quoted && (ch == '#' || ch == ';'):
			p.skipLine()
		case ch == '\\':
			if p.done() {
				return "", lines, errors.New("backslash at end of file")
			}
			esc := p.peek()
			p.pos++
			switch esc {
			case '\n':
				lines++
				continue
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case '\\', '"':
				b.WriteByte(esc)
			default:
				return "", lines, fmt.Errorf("invalid escape \\%c in a value", esc)
			}
			kept = b.Len()
		default:
			b.WriteByte(ch)
			if quoted || (ch != ' ' && ch != '\t' && ch != '\r') {
				kept = b.Len()
			}
		}
	}
	if quoted {
		return "", lines, errors.New("unterminated quote in a value")
	}
	return b.String()[:kept], lines, nil
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }

func configKey(section, subsection, key string) string {
	if subsection == "" {
		return strings.ToLower(section) + "." + strings.ToLower(key)
	}
	return strings.ToLower(section) + "." + subsection + "." + strings.ToLower(key)
}

// value returns the last value of section[.subsection].key and whether it
// is set.
func (c gitConfig) value(section, subsection, key string) (string, bool) {
	all := c[configKey(section, subsection, key)]
	if len(all) == 0 {
		return "", false
	}
	return all[len(all)-1], true
}

func (c gitConfig) all(section, subsection, key string) []string {
	return c[configKey(section, subsection, key)]
}

// boolean reads a variable as git's --type=bool does; unset or
// unparseable gives def.
func (c gitConfig) boolean(section, subsection, key string, def bool) bool {
	v, ok := c.value(section, subsection, key)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true
	case "", "false", "no", "off", "0":
		return false
	}
	return def
}

// parseConfigInt reads a variable as git's --type=int does: a decimal
// number with an optional k, m or g suffix (powers of 1024).
func parseConfigInt(v string) (int64, bool) {
	mult := int64(1)
	switch strings.ToLower(v[len(v)-min(len(v), 1):]) {
	case "k":
		mult = 1 << 10
	case "m":
		mult = 1 << 20
	case "g":
		mult = 1 << 30
	}
	if mult != 1 {
		v = v[:len(v)-1]
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	return n * mult, true
}

func xdgConfigHome() string {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		return x
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".config")
}
