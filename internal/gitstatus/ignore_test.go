package gitstatus

import (
	"slices"
	"strings"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

// TestIgnorePatternsMatchGit checks each pattern on its own, read from a
// file as .gitignore lines are (comments, trailing spaces), against `git
// ls-files --others --ignored --exclude-from=FILE` over one tree of paths:
// wildcards, character classes, "**" forms, anchoring, directory-only
// patterns and escapes; each once as written and once under core.ignoreCase,
// where git folds case its own way.
func TestIgnorePatternsMatchGit(t *testing.T) {
	gittest.Isolate(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	paths := []string{
		"foo", "foo.c", "foo.h", "bar/foo", "bar/foo.c", "bar/baz/foo.c", "a/b/c/d.txt",
		"a/x/b/c.txt", "ab", "abc/def", "x1", "x12", "[x]", "#hash", "!bang", "sp ace",
		"deep/a/b/c/d/e.go", "deep/e.go", "Makefile", "makefile", "docs/a.md", "docs/sub/b.md",
		"logs/2024/01.log", "build/out", "src/build/out", "a*b", "q?", "tab\tname",
	}
	for _, p := range paths {
		writeFile(t, dir, p, "x")
	}
	patterns := []string{
		"foo", "foo*", "*.c", "/foo", "bar/", "bar/*", "bar/**", "**/foo", "**/foo.c",
		"bar/**/foo.c", "a/**/d.txt", "a/*/d.txt", "a/**/b/**", "**/b/c", "x?", "x[0-9]",
		"x[!0-9]*", "[Mm]akefile", "\\#hash", "\\!bang", "#hash", "sp ace", "sp\\ ace ",
		"deep/**/e.go", "deep/*/e.go", "*/e.go", "docs/**/*.md", "docs/*.md", "logs/**",
		"**/*.log", "build/", "/build/", "src/**/out", "a\\*b", "a[*]b", "q\\?", "[[:upper:]]*",
		"[[:digit:]]", "[a-c]b*", "[^a]*", "ab/", "abc", "abc/", "tab[[:space:]]name", "**",
		"MAKEFILE", "*.C", "[A-Z]akefile", "[M]akefile", "[m]akefile", "\\Makefile", "\\makefile",
		"BAR/", "Bar/*.c", "[[:lower:]]akefile", "[[:upper:]]akefile", "DEEP/**/E.GO", "*FILE",
	}
	for _, tc := range []struct {
		fold   wmFlags
		config string
	}{{0, "core.ignoreCase=false"}, {wmCasefold, "core.ignoreCase=true"}} {
		for _, pattern := range patterns {
			writeFile(t, dir, ".git/patterns", pattern+"\n")
			out := git(t, dir, "-c", tc.config, "ls-files", "--others", "--ignored", "--exclude-from=.git/patterns")
			var want []string
			if out != "" {
				want = strings.Split(out, "\n")
			}
			for i := range want {
				want[i] = unquoteGitPath(want[i])
			}
			rules := (*ignoreStack)(nil).push(parseIgnoreFile([]byte(pattern+"\n"), ""))
			var got []string
			for _, p := range paths {
				if ignoredWithParents(rules, p, tc.fold) {
					got = append(got, p)
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: pattern %q ignores %q, git ignores %q", tc.config, pattern, got, want)
			}
		}
	}
}

// ignoredWithParents applies git's rule that nothing below an excluded
// directory can be re-included.
func ignoredWithParents(rules *ignoreStack, path string, fold wmFlags) bool {
	parts := strings.Split(path, "/")
	for i := range parts {
		if isExcluded(rules, strings.Join(parts[:i+1], "/"), parts[i], i < len(parts)-1, fold) {
			return true
		}
	}
	return false
}

// unquoteGitPath undoes git's C-style quoting of unusual path names.
func unquoteGitPath(p string) string {
	if !strings.HasPrefix(p, `"`) {
		return p
	}
	return strings.NewReplacer(`\t`, "\t", `\"`, `"`, `\\`, `\`).Replace(strings.Trim(p, `"`))
}
