package gitstatus

import (
	"bytes"
	"io"
	"strings"

	"github.com/gofork/gofork/internal/sysfs"

	"github.com/gofork/gofork/internal/rawfile"
)

// ignorePattern is one line of a .gitignore-style file, parsed like git's
// parse_path_pattern.
type ignorePattern struct {
	pattern  string // without the leading '!' , trailing '/' and leading '/'
	base     string // directory of the file that holds it, "" for the top
	negative bool
	mustDir  bool // trailing '/': matches directories only
	noDir    bool // no '/' inside: matches the base name at any depth
}

// ignoreList is the patterns of one file, in file order.
type ignoreList []ignorePattern

// parseIgnoreFile parses the patterns of a .gitignore, info/exclude or
// core.excludesFile; base is the directory holding it relative to the work
// tree ("" for the top level and the non-.gitignore files).
func parseIgnoreFile(data []byte, base string) ignoreList {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var list ignoreList
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if p, ok := parseIgnoreLine(trimTrailingSpaces(string(line)), base); ok {
			list = append(list, p)
		}
	}
	return list
}

// trimTrailingSpaces drops unescaped trailing spaces, as git does.
func trimTrailingSpaces(s string) string {
	end := len(s)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			if end == len(s) {
				end = i
			}
			continue
		case '\\':
			i++
		}
		end = len(s)
	}
	if end < len(s) {
		return s[:end]
	}
	return s
}

func parseIgnoreLine(s, base string) (ignorePattern, bool) {
	p := ignorePattern{base: base}
	if strings.HasPrefix(s, "!") {
		p.negative = true
		s = s[1:]
	}
	if strings.HasSuffix(s, "/") {
		p.mustDir = true
		s = s[:len(s)-1]
	}
	if s == "" {
		return p, false
	}
	p.noDir = strings.IndexByte(s, '/') < 0
	s = strings.TrimPrefix(s, "/")
	p.pattern = s
	return p, true
}

// match reports whether the pattern matches path (relative to the work tree),
// whose last component is name; fold is wmCasefold under core.ignoreCase,
// where git compares the pattern's directory case-insensitively too.
func (p *ignorePattern) match(path, name string, isDir bool, fold wmFlags) bool {
	if p.mustDir && !isDir {
		return false
	}
	if p.noDir {
		return wildmatch(p.pattern, name, fold)
	}
	rel := path
	if p.base != "" {
		if len(path) <= len(p.base) || path[len(p.base)] != '/' {
			return false
		}
		if dir := path[:len(p.base)]; dir != p.base && (fold == 0 || !strings.EqualFold(dir, p.base)) {
			return false
		}
		rel = path[len(p.base)+1:]
	}
	return wildmatch(p.pattern, rel, wmPathname|fold)
}

// layered is the rule files in effect in one directory, one layer a file,
// the highest precedence on top. It is immutable, so directories scanned in
// parallel share their parents' layers.
type layered[T any] struct {
	list   []T
	parent *layered[T]
}

func (s *layered[T]) push(list []T) *layered[T] {
	if len(list) == 0 {
		return s
	}
	return &layered[T]{list: list, parent: s}
}

// ignoreStack is the exclusion rules in effect in one directory, from the
// highest precedence down: the .gitignore files from that directory up to the
// top, then .git/info/exclude, then core.excludesFile.
type ignoreStack = layered[ignorePattern]

// isExcluded reports whether path is ignored by the rules' own patterns; the
// caller handles excluded parent directories, which git never looks into.
// fold is wmCasefold under core.ignoreCase.
func isExcluded(s *ignoreStack, path, name string, isDir bool, fold wmFlags) bool {
	for ; s != nil; s = s.parent {
		for i := len(s.list) - 1; i >= 0; i-- {
			if s.list[i].match(path, name, isDir, fold) {
				return !s.list[i].negative
			}
		}
	}
	return false
}

// readIgnoreFile reads a pattern file, treating a missing or unreadable one
// as empty like git does.
func readIgnoreFile(path, base string) ignoreList {
	data, err := rawfile.ReadFile(path)
	if err != nil {
		return nil
	}
	return parseIgnoreFile(data, base)
}

// readTreeIgnoreFile reads the .gitignore in the work-tree directory dirfd.
// Since 2.32 git does not follow a .gitignore that is a symlink in the work
// tree (it warns and ignores it), hence O_NOFOLLOW. opened is false when
// the file could not be opened, when git turns to the index's copy.
func readTreeIgnoreFile(dirfd int, base string) (list ignoreList, opened bool) {
	fd, err := sysfs.Openat(dirfd, ".gitignore", sysfs.O_RDONLY|sysfs.O_CLOEXEC|sysfs.O_NOFOLLOW, 0)
	if err != nil {
		return nil, false
	}
	f := rawfile.File(fd)
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, true
	}
	return parseIgnoreFile(data, base), true
}
