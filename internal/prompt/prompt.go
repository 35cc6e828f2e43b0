// Package prompt renders a git status as a shell prompt segment that looks
// like
//
//	[tool/raft](main ↑1 +2 !1 ?3)
//
// with the part in parentheses coloured by how urgent the state is: red when
// anything is uncommitted, yellow when ahead of upstream, green when clean and
// in sync, ochre (256-colour 95) otherwise (behind, detached, an operation in
// progress, or counts unknown because the time budget ran out).
//
// The segment is text for one shell. Colour sequences are wrapped in that
// shell's zero-width markers (bash \001…\002, zsh %{…%}, fish none) so line
// editing keeps the cursor right, and every name that comes from the
// repository or the file system (branch, tag, directory) is made inert: control
// characters are shown escaped (\x1b) instead of reaching the terminal, and for
// zsh a % is doubled so it is never read as a prompt escape. For a tmux status
// bar (#(gitprompt … --shell tmux)) colours are tmux styles (#[fg=red]) and
// every # in text is doubled, so no name can start a style, a format or a
// #(command). Shell syntax such
// as $(…), backticks or ${HOME} is left as it is on purpose: the init scripts
// in shell/ store the segment in a variable that the prompt references, and
// neither bash nor zsh expands what a referenced variable holds, nor what a
// command substitution prints, a second time.
package prompt

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gofork/gofork/internal/gitstatus"
)

// Segment is everything a prompt shows. Its JSON form is gitprompt's --json
// output: the Status fields plus fork_behind and local_replace.
type Segment struct {
	gitstatus.Status

	// Dir is the work tree's directory name, followed by the path from the
	// top of the work tree to where the user stands: "tool" or "tool/raft".
	Dir string `json:"-"`

	// ForkBehind is how many commits the current branch lacks from the
	// default branch of the remote named upstream; -1 when there is no such
	// remote (or it was not fetched).
	ForkBehind int `json:"fork_behind"`

	// LocalReplace is true when the root go.mod replaces a module with a
	// directory (=> ../x): a line that must not be committed.
	LocalReplace bool `json:"local_replace"`
}

// Shell names the shell a segment is for.
type Shell string

// The shells a segment can be rendered for; None is plain text.
const (
	None Shell = "none"
	Bash Shell = "bash"
	Zsh  Shell = "zsh"
	Fish Shell = "fish"
	// Tmux is a status bar's #(…) rather than a shell.
	Tmux Shell = "tmux"
)

// Shells are the --shell values, in the order help lists them.
var Shells = []Shell{Bash, Zsh, Fish, Tmux, None}

// ParseShell checks a --shell value.
func ParseShell(name string) (Shell, error) {
	if s := Shell(name); slices.Contains(Shells, s) {
		return s, nil
	}
	return "", fmt.Errorf("unknown shell %q: use bash, zsh, fish, tmux or none", name)
}

// DefaultFormat reproduces the look described in the package doc.
const DefaultFormat = "[{dir}]{color}({branch}{state}{status}){reset}"

// The SGR sequences of the four branch colours.
const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	green  = "\x1b[32m"
	ochre  = "\x1b[38;5;95m"
	reset  = "\x1b[0m"
)

// Options says how to render.
type Options struct {
	Shell  Shell
	Color  bool
	Format Format // nil means DefaultFormat
}

// defaultFormat is DefaultFormat parsed, when a caller gives no format.
var defaultFormat = sync.OnceValue(func() Format {
	f, err := ParseFormat(DefaultFormat)
	if err != nil {
		panic(err)
	}
	return f
})

// Render returns the segment as text for opts.Shell.
func Render(seg *Segment, opts Options) string {
	parts := opts.Format
	if parts == nil {
		parts = defaultFormat()
	}
	r := renderer{seg: seg, opts: opts}
	var b strings.Builder
	for _, p := range parts {
		if p.literal {
			b.WriteString(r.text(p.text))
			continue
		}
		b.WriteString(r.placeholder(p.text))
	}
	return b.String()
}

type renderer struct {
	seg  *Segment
	opts Options
}

// text makes a name or a piece of the user's format inert for the shell.
func (r renderer) text(s string) string {
	s = escapeControls(s)
	switch r.opts.Shell {
	case Zsh:
		s = strings.ReplaceAll(s, "%", "%%")
	case Tmux:
		s = strings.ReplaceAll(s, "#", "##")
	}
	return s
}

// zeroWidth wraps a terminal sequence so the shell does not count it as
// printed columns.
func (r renderer) zeroWidth(seq string) string {
	if !r.opts.Color {
		return ""
	}
	switch r.opts.Shell {
	case Bash:
		return "\001" + seq + "\002"
	case Zsh:
		return "%{" + seq + "%}"
	case Tmux:
		return tmuxStyle(seq)
	}
	return seq
}

// tmuxStyle is a colour as a tmux style: tmux draws its status bar itself
// and shows SGR sequences as text. A switch, not a map, so that nothing is
// built when gitprompt starts.
func tmuxStyle(seq string) string {
	switch seq {
	case red:
		return "#[fg=red]"
	case yellow:
		return "#[fg=yellow]"
	case green:
		return "#[fg=green]"
	case ochre:
		return "#[fg=colour95]"
	}
	return "#[fg=default]"
}

func (r renderer) placeholder(name string) string {
	s := r.seg
	switch name {
	case "dir":
		return r.text(s.Dir)
	case "branch":
		return r.text(branchLabel(&s.Status))
	case "color":
		return r.zeroWidth(Color(s))
	case "reset":
		return r.zeroWidth(reset)
	case "state":
		return r.text(stateLabel(&s.Status))
	case "status":
		return r.text(statusLabel(s))
	case "replace":
		if s.LocalReplace {
			return r.text(replaceMarker)
		}
		return ""
	case "upstream":
		return r.text(upstreamLabel(s))
	}
	for _, c := range counters {
		if c.name == name {
			return r.text(c.label(c.count(s)))
		}
	}
	panic("prompt: placeholder " + name + " passed ParseFormat but has no renderer")
}

// branchLabel names what HEAD is on: the branch (also when unborn), else a tag
// at HEAD, else the short hash.
func branchLabel(st *gitstatus.Status) string {
	switch {
	case !st.Detached:
		return st.Branch
	case st.Tag != "":
		return st.Tag
	case len(st.Commit) >= 7:
		return st.Commit[:7]
	}
	return st.Commit
}

// stateLabel shows an operation in progress the way git's own prompt does.
func stateLabel(st *gitstatus.Status) string {
	var label string
	switch st.State {
	case "":
		return ""
	case "rebase", "rebase-i", "rebase-m", "am/rebase":
		label = "REBASE"
	case "am":
		label = "AM"
	case "merge":
		label = "MERGING"
	case "cherry-pick":
		label = "CHERRY-PICKING"
	case "revert":
		label = "REVERTING"
	case "bisect":
		label = "BISECTING"
	default:
		label = strings.ToUpper(st.State)
	}
	if st.Total > 0 {
		label += " " + strconv.Itoa(st.Step) + "/" + strconv.Itoa(st.Total)
	}
	return "|" + label
}

const (
	replaceMarker = "⚠replace"
	unknownMarker = "?"
	// A branch with no upstream, and one whose upstream is configured but
	// gone (git's [gone]): neither is "in sync", which shows nothing.
	noUpstreamMarker   = "∅"
	goneUpstreamMarker = "gone"
)

// upstreamLabel is ∅ for a branch without upstream, gone for one whose
// upstream is gone, "" otherwise (detached HEAD has no branch to track).
func upstreamLabel(s *Segment) string {
	switch {
	case s.Detached:
		return ""
	case s.UpstreamGone:
		return goneUpstreamMarker
	case s.Upstream == "":
		return noUpstreamMarker
	}
	return ""
}

// A counter is one compact indicator: shown as symbol+N when N > 0, hidden
// when 0, and symbol+"?" when unknown (-1).
type counter struct {
	name   string
	symbol string
	count  func(*Segment) int
}

// counters are in the order {status} shows them.
var counters = []counter{
	{"ahead", "↑", func(s *Segment) int { return s.Ahead }},
	{"behind", "↓", func(s *Segment) int { return s.Behind }},
	{"fork", "⑂↓", func(s *Segment) int { return max(s.ForkBehind, 0) }},
	{"staged", "+", func(s *Segment) int { return s.Staged }},
	{"unstaged", "!", func(s *Segment) int { return s.Unstaged }},
	{"untracked", "?", func(s *Segment) int { return s.Untracked }},
	{"conflicted", "=", func(s *Segment) int { return s.Conflicted }},
	{"stash", "$", func(s *Segment) int { return s.Stash }},
}

func (c counter) label(n int) string {
	switch {
	case n < 0:
		return c.symbol + unknownMarker
	case n == 0:
		return ""
	}
	return c.symbol + strconv.Itoa(n)
}

// statusLabel is every non-zero indicator, each after a space; counts that
// are unknown collapse into one "?" so a slow repository shows " ?" rather
// than a row of question marks.
func statusLabel(s *Segment) string {
	var b strings.Builder
	if l := upstreamLabel(s); l != "" {
		b.WriteString(" " + l)
	}
	unknown := false
	for _, c := range counters {
		n := c.count(s)
		if n < 0 {
			// Counts left out on purpose (gitprompt.showDirty=false) are
			// not unknown: they are not shown at all.
			unknown = unknown || s.Skipped == ""
			continue
		}
		if l := c.label(n); l != "" {
			b.WriteString(" " + l)
		}
	}
	if unknown {
		b.WriteString(" " + unknownMarker)
	}
	if s.LocalReplace {
		b.WriteString(" " + replaceMarker)
	}
	return b.String()
}

// Color returns the SGR sequence for the state: red when anything is
// uncommitted, else yellow when ahead of upstream, else green when clean and
// in sync, else ochre.
func Color(s *Segment) string {
	st := &s.Status
	uncommitted := []int{st.Staged, st.Unstaged, st.Untracked, st.Conflicted}
	known := true
	for _, n := range uncommitted {
		if n > 0 {
			return red
		}
		if n < 0 {
			known = false
		}
	}
	switch {
	case st.Ahead > 0:
		return yellow
	case known && st.Complete && st.Behind == 0 && !st.Detached && st.State == "":
		return green
	}
	return ochre
}

// escapeControls shows control characters, Unicode bidirectional overrides
// and invalid UTF-8 as Go-style escapes, so a name can never move the cursor,
// change colours or reorder what the terminal shows.
func escapeControls(s string) string {
	clean := true
	for _, r := range s {
		if needsEscape(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && needsEscape(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return r == utf8.RuneError
}
