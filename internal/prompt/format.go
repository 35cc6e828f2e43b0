package prompt

import (
	"fmt"
	"strings"
)

// Placeholders lists what a --format may contain, each with what it shows;
// gitprompt's help prints this list.
var Placeholders = []struct{ Name, Shows string }{
	{"dir", "work tree directory name, then the path below it: tool/raft"},
	{"branch", "branch (also unborn), else a tag at HEAD, else the short hash"},
	{"state", "operation in progress: |REBASE 2/5, |MERGING, |CHERRY-PICKING, |REVERTING, |BISECTING, |AM"},
	{"status", "{upstream} and every non-zero indicator below, each after a space (counts not known in time as one ?), then ⚠replace"},
	{"upstream", "∅ when the branch has no upstream, gone when its upstream is gone; nothing when it tracks one"},
	{"ahead", "↑N commits ahead of the branch's upstream"},
	{"behind", "↓N commits behind the branch's upstream"},
	{"fork", "⑂↓N commits behind the default branch of the remote named upstream"},
	{"staged", "+N staged changes"},
	{"unstaged", "!N unstaged changes"},
	{"untracked", "?N untracked files"},
	{"conflicted", "=N conflicted files"},
	{"stash", "$N stash entries"},
	{"replace", "⚠replace when the root go.mod replaces a module with a directory outside the work tree"},
	{"color", "start of the state's colour"},
	{"reset", "end of the colour"},
}

type formatPart struct {
	literal bool
	text    string // literal text, or the placeholder's name
}

// Format is a parsed --format: literal text and {name} placeholders.
type Format []formatPart

// ParseFormat splits a format into literal text and {name} placeholders. A
// brace that does not open a known placeholder is an error, so a typo shows
// up when the user tries the format rather than as stray text in a prompt.
func ParseFormat(format string) (Format, error) {
	var parts Format
	for format != "" {
		open := strings.IndexByte(format, '{')
		if open < 0 {
			parts = append(parts, formatPart{literal: true, text: format})
			break
		}
		if open > 0 {
			parts = append(parts, formatPart{literal: true, text: format[:open]})
		}
		length := strings.IndexByte(format[open:], '}')
		if length < 0 {
			return nil, fmt.Errorf("parse format %q: %q is not closed: write {name}, e.g. {branch}", format, format[open:])
		}
		name := format[open+1 : open+length]
		if !knownPlaceholder(name) {
			return nil, fmt.Errorf("parse format %q: unknown placeholder {%s}: use one of %s", format, name, placeholderNames())
		}
		parts = append(parts, formatPart{text: name})
		format = format[open+length+1:]
	}
	return parts, nil
}

func knownPlaceholder(name string) bool {
	for _, p := range Placeholders {
		if p.Name == name {
			return true
		}
	}
	return false
}

func placeholderNames() string {
	names := make([]string, len(Placeholders))
	for i, p := range Placeholders {
		names[i] = "{" + p.Name + "}"
	}
	return strings.Join(names, " ")
}
