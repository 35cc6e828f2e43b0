package gitstatus

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
// is followed, and includeIf.<condition>.path when the condition holds for
// this repository: gitdir: and gitdir/i: (the per-worktree git directory,
// as git matches it), onbranch: (HEAD's branch) and hasconfig:remote.*.url:
// (any remote's URL, from the configuration without such includes, as git
// evaluates it). files are the paths it looked at, those that are missing
// too.
func loadConfig(gitdir, commondir string) (cfg gitConfig, files []string, err error) {
	top := protectedConfigFiles()
	top = append(top, filepath.Join(commondir, "config"))
	conds := &includeConditions{gitdir: gitdir}
	load := func() (gitConfig, error) {
		cfg := gitConfig{}
		conds.files = conds.files[:0]
		files := top
		for i, name := range files {
			if err := cfg.readFile(name, conds, nil); err != nil {
				return nil, err
			}
			if i == len(files)-1 && cfg.boolean("extensions", "", "worktreeConfig", false) {
				if err := cfg.readFile(filepath.Join(gitdir, "config.worktree"), conds, nil); err != nil {
					return nil, err
				}
			}
		}
		// Last and strongest, what git -c and the environment give.
		cfg.addEnvironment()
		return cfg, nil
	}
	cfg, err = load()
	if err == nil && conds.askedRemotes {
		// hasconfig:remote.*.url: conditions are decided on the remotes of
		// the configuration read without them: read it all again knowing
		// those.
		conds.remoteURLs = cfg.remoteURLs()
		cfg, err = load()
	}
	return cfg, conds.files, err
}

// protectedConfigFiles are the configuration files outside the repository,
// lowest precedence first: the system's and the user's, which alone (with
// the environment) may say safe.directory.
func protectedConfigFiles() []string {
	var files []string
	if !envBool("GIT_CONFIG_NOSYSTEM") {
		files = append(files, cmp.Or(os.Getenv("GIT_CONFIG_SYSTEM"), "/etc/gitconfig"))
	}
	if global := os.Getenv("GIT_CONFIG_GLOBAL"); global != "" {
		return append(files, global)
	}
	files = append(files, filepath.Join(xdgConfigHome(), "git", "config"))
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".gitconfig"))
	}
	return files
}

// protectedConfig is the configuration from protectedConfigFiles and the
// environment.
func protectedConfig() gitConfig {
	cfg := gitConfig{}
	conds := &includeConditions{}
	for _, name := range protectedConfigFiles() {
		if cfg.readFile(name, conds, nil) != nil {
			return cfg
		}
	}
	cfg.addEnvironment()
	return cfg
}

// addEnvironment adds the variables git takes from its environment, as
// `git -c` passes them on (GIT_CONFIG_PARAMETERS, 'name'='value' quoted as
// the shell does) and as GIT_CONFIG_COUNT and GIT_CONFIG_KEY_n /
// GIT_CONFIG_VALUE_n give them, in that order (git's
// git_config_from_parameters then its count).
func (c gitConfig) addEnvironment() {
	for params := os.Getenv("GIT_CONFIG_PARAMETERS"); params != ""; {
		var name, value string
		var ok bool
		if name, params, ok = sqUnquote(params); !ok {
			return
		}
		if rest, found := strings.CutPrefix(params, "="); found {
			if value, params, ok = sqUnquote(rest); !ok {
				return
			}
		} else if n, v, found := strings.Cut(name, "="); found {
			name, value = n, v // the form of git before 2.31: 'name=value'
		}
		c.addVariable(name, value)
		params = strings.TrimLeft(params, " ")
	}
	count, err := strconv.Atoi(os.Getenv("GIT_CONFIG_COUNT"))
	if err != nil {
		return
	}
	for i := range count {
		n := strconv.Itoa(i)
		if name := os.Getenv("GIT_CONFIG_KEY_" + n); name != "" {
			c.addVariable(name, os.Getenv("GIT_CONFIG_VALUE_"+n))
		}
	}
}

// addVariable adds a value for name, section.key or section.sub.key.
func (c gitConfig) addVariable(name, value string) {
	first, last := strings.IndexByte(name, '.'), strings.LastIndexByte(name, '.')
	if first <= 0 || last == len(name)-1 {
		return
	}
	key := configKey(name[:first], "", name[last+1:])
	if first != last {
		key = configKey(name[:first], name[first+1:last], name[last+1:])
	}
	c[key] = append(c[key], value)
}

// sqUnquote reads one word quoted as git's sq_quote writes it ('…', a
// quote inside as '\”), returning it and the rest.
func sqUnquote(s string) (word, rest string, ok bool) {
	var b strings.Builder
	for {
		if !strings.HasPrefix(s, "'") {
			return "", "", false
		}
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", "", false
		}
		b.WriteString(s[1 : 1+end])
		s = s[2+end:]
		if !strings.HasPrefix(s, "\\'") {
			return b.String(), s, true
		}
		b.WriteByte('\'')
		s = s[2:]
	}
}

// headBranch is the branch HEAD names in gitdir, "" when detached or
// unreadable.
func headBranch(gitdir string) string {
	data, err := rawfile.ReadFile(filepath.Join(gitdir, "HEAD"))
	if err != nil {
		return ""
	}
	ref, _ := strings.CutPrefix(strings.TrimSpace(string(data)), "ref: ")
	branch, _ := strings.CutPrefix(ref, "refs/heads/")
	if branch == ref {
		return ""
	}
	return branch
}

func (c gitConfig) remoteURLs() []string {
	var urls []string
	for name, values := range c {
		if strings.HasPrefix(name, "remote.") && strings.HasSuffix(name, ".url") {
			urls = append(urls, values...)
		}
	}
	return urls
}

// includeConditions decides includeIf conditions for one repository.
type includeConditions struct {
	gitdir string
	// files are the configuration files looked at.
	files []string
	// branch is HEAD's branch, read on the first onbranch: condition: the
	// prompt reads HEAD anyway, but later, and most configs have none.
	branch     string
	readBranch bool
	// remoteURLs are every remote's URLs once known; askedRemotes is set
	// when a hasconfig:remote.*.url: condition was met before they were.
	remoteURLs   []string
	askedRemotes bool
}

// holds reports whether the includeIf condition cond, read from the file
// configFile, holds.
func (ic *includeConditions) holds(cond, configFile string) bool {
	switch kind, pattern, _ := strings.Cut(cond, ":"); kind {
	case "gitdir", "gitdir/i":
		flags := wmPathname
		if kind == "gitdir/i" {
			flags |= wmCasefold
		}
		pattern = gitdirPattern(pattern, configFile)
		for _, dir := range ic.gitdirForms() {
			if wildmatch(pattern, dir, flags) {
				return true
			}
		}
	case "onbranch":
		if strings.HasSuffix(pattern, "/") {
			pattern += "**"
		}
		if !ic.readBranch {
			ic.branch, ic.readBranch = headBranch(ic.gitdir), true
		}
		return ic.branch != "" && wildmatch(pattern, ic.branch, wmPathname)
	case "hasconfig":
		urlPattern, ok := strings.CutPrefix(pattern, "remote.*.url:")
		if !ok {
			return false
		}
		if ic.remoteURLs == nil {
			ic.askedRemotes = true
			return false
		}
		for _, u := range ic.remoteURLs {
			if wildmatch(urlPattern, u, wmPathname) {
				return true
			}
		}
	}
	return false
}

// gitdirForms are the git directory as git matches it: as found, and with
// symbolic links resolved.
func (ic *includeConditions) gitdirForms() []string {
	dir, err := filepath.Abs(ic.gitdir)
	if err != nil {
		dir = ic.gitdir
	}
	forms := []string{dir}
	if real, err := filepath.EvalSymlinks(dir); err == nil && real != dir {
		forms = append(forms, real)
	}
	return forms
}

// gitdirPattern expands a gitdir: pattern as git does: ~/ is the home
// directory, ./ the directory of the file it is in, a relative pattern may
// match at any depth (**/ before it), and a trailing / matches everything
// below (** after it).
func gitdirPattern(pattern, configFile string) string {
	if rest, ok := strings.CutPrefix(pattern, "~/"); ok {
		home, _ := os.UserHomeDir()
		pattern = filepath.ToSlash(home) + "/" + rest
	} else if rest, ok := strings.CutPrefix(pattern, "./"); ok {
		pattern = filepath.ToSlash(filepath.Dir(configFile)) + "/" + rest
	}
	if !strings.HasPrefix(pattern, "/") {
		pattern = "**/" + pattern
	}
	if strings.HasSuffix(pattern, "/") {
		pattern += "**"
	}
	return pattern
}

// maxIncludeDepth is git's limit on nested include.path files.
const maxIncludeDepth = 10

// includeError is an error in an included file, already naming it: the
// files that include it pass it on as it is, so a deep chain gives one
// message rather than one prefix per level.
type includeError struct{ err error }

func (e includeError) Error() string { return e.err.Error() }
func (e includeError) Unwrap() error { return e.err }

// readFile adds the variables of one file; a missing file adds nothing.
// including are the files whose include.path led here, outermost first.
func (c gitConfig) readFile(name string, conds *includeConditions, including []string) error {
	if conds != nil {
		conds.files = append(conds.files, name)
	}
	data, err := rawfile.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read git config %q: %w", name, err)
	}
	including = append(including, name)
	include := func(path string) error {
		if rest, ok := strings.CutPrefix(path, "~/"); ok {
			home, _ := os.UserHomeDir()
			path = filepath.Join(home, rest)
		} else if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(name), path)
		}
		if slices.Contains(including, path) {
			return includeError{fmt.Errorf("read git config: include.path loops: %s; remove one of those includes", strings.Join(append(including, path), " includes "))}
		}
		if len(including) > maxIncludeDepth {
			return includeError{fmt.Errorf("read git config: include.path nested more than %d deep: %s", maxIncludeDepth, strings.Join(including, " includes "))}
		}
		return c.readFile(path, conds, including)
	}
	holds := func(cond string) bool { return conds != nil && conds.holds(cond, name) }
	if err := c.parse(string(data), include, holds); err != nil {
		var inc includeError
		if errors.As(err, &inc) {
			return err
		}
		return includeError{fmt.Errorf("parse git config %q: %w; check it with `git config --file %s --list`", name, err, name)}
	}
	return nil
}

// parse reads git's configuration syntax: [section] and [section "sub"]
// headers (and the old [section.sub]), "key = value" lines whose values may
// be quoted, escaped and continued with a trailing backslash, a bare "key"
// meaning true, and # or ; comments.
func (c gitConfig) parse(text string, include func(path string) error, holds func(cond string) bool) error {
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
			if include == nil {
				continue
			}
			follow := name == "include.path"
			if cond, ok := strings.CutPrefix(section, "includeif."); ok && strings.EqualFold(key, "path") {
				follow = holds(cond)
			}
			if follow {
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
	if b, ok := parseBool(v); ok {
		return b
	}
	return def
}

// parseBool reads a value as git's --type=bool does, but for numbers other
// than 0 and 1.
func parseBool(v string) (b, ok bool) {
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true, true
	case "", "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// envBool reads an environment variable as git's git_env_bool does, false
// when unset.
func envBool(name string) bool {
	b, _ := parseBool(os.Getenv(name))
	return b
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
