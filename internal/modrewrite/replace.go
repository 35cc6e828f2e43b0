package modrewrite

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/atomicfile"
	"golang.org/x/mod/module"
)

// The marker gofork leaves on the replace directives it writes, as an
// end-of-line comment, so drop can tell its own lines from the user's and
// restore what a line said before gofork rewrote it, and update can follow
// the revision the line was made from:
//
//	// gofork[ rev=REV][ forge=URL][ with=MODULE][: was DIRECTIVE]
//
// REV is a branch, tag or commit of the fork (absent: its default branch);
// git allows neither spaces nor colons in those. URL is the forge the fork
// was read from when it is not the default (--forge, $GOFORK_FORGE), so
// that status and update ask the same one; a forge URL carries no spaces
// and no credentials. MODULE names the replace this one was written with:
// a sibling module the fork's go.mod replaces by directory, which drop and
// update handle with it.
const (
	markAdded = "// gofork"
	markRev   = " rev="
	markForge = " forge="
	markWith  = " with="
	markWas   = ": was "
)

// Doc is a go.mod or go.work file being edited. Its edits go through
// golang.org/x/mod/modfile, so comments and layout survive; Write replaces the
// file atomically.
type Doc struct {
	Path string // the file on disk

	orig     []byte
	syntax   *modfile.FileSyntax
	replaces *[]*modfile.Replace // the parsed file's own list, which Cleanup reslices
	file     editable
}

// editable is what *modfile.File and *modfile.WorkFile share.
type editable interface {
	AddReplace(oldPath, oldVers, newPath, newVers string) error
	DropReplace(oldPath, oldVers string) error
	Cleanup()
}

// Replace is one replace directive as status and drop report it.
type Replace struct {
	Old    module.Version
	New    module.Version // Version is "" for a directory replacement
	Line   int
	Gofork bool   // written by gofork use
	Was    string // the directive gofork's line replaced, "" if none
	// Rev is the fork's branch, tag or commit the replacement was made
	// from, "" for its default branch (or a line written without it).
	Rev string
	// Forge is the forge the fork was read from, "" for the default one
	// (or a line written without it).
	Forge string
	// With is the module whose replace this one was written with, "" for
	// a replace of its own.
	With string
}

// IsDir reports whether the replacement is a directory on disk.
func (r Replace) IsDir() bool { return r.New.Version == "" }

func (r Replace) String() string {
	return formatReplace(r.Old, r.New)
}

func formatReplace(old, new module.Version) string {
	s := modfile.AutoQuote(old.Path)
	if old.Version != "" {
		s += " " + old.Version
	}
	s += " => " + modfile.AutoQuote(new.Path)
	if new.Version != "" {
		s += " " + new.Version
	}
	return s
}

// ReadModFile reads and parses the go.mod at path. A malformed file is an
// error naming file:line.
func ReadModFile(path string) (*Doc, *modfile.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read go.mod: %w", err)
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("parse %w; fix the file and run gofork again", err)
	}
	return &Doc{Path: path, orig: data, syntax: f.Syntax, replaces: &f.Replace, file: f}, f, nil
}

// Replaces lists the file's replace directives in file order.
func (d *Doc) Replaces() []Replace {
	var out []Replace
	for _, r := range *d.replaces {
		if r.Old.Path == "" {
			continue // dropped, awaiting cleanup
		}
		m, ok := goforkMark(r.Syntax)
		out = append(out, Replace{Old: r.Old, New: r.New, Line: r.Syntax.Start.Line, Gofork: ok, Was: m.was, Rev: m.Rev, Forge: m.Forge, With: m.With})
	}
	return out
}

// Origin is where a replacement was made from, as the marker records it.
type Origin struct {
	Rev   string // the fork's branch, tag or commit; "" for its default branch
	Forge string // the forge's URL; "" for the default forge
	With  string // the module whose replace this one comes with; "" for none
}

// mark is what gofork's marker on a line records.
type mark struct {
	Origin
	was string
}

func (m mark) String() string {
	s := markAdded
	if m.Rev != "" {
		s += markRev + m.Rev
	}
	if m.Forge != "" {
		s += markForge + m.Forge
	}
	if m.With != "" {
		s += markWith + m.With
	}
	if m.was != "" {
		s += markWas + m.was
	}
	return s
}

// goforkMark reports whether line carries gofork's marker and what it
// records.
func goforkMark(line *modfile.Line) (m mark, ok bool) {
	for _, c := range line.Suffix {
		rest, ok := strings.CutPrefix(c.Token, markAdded)
		if !ok {
			continue
		}
		m = mark{}
		for _, field := range []struct {
			prefix string
			value  *string
		}{{markRev, &m.Rev}, {markForge, &m.Forge}, {markWith, &m.With}} {
			r, ok := strings.CutPrefix(rest, field.prefix)
			if !ok {
				continue
			}
			// A value ends at a space or at ": was "; a rev holds no
			// colon at all (git allows none), a forge URL does.
			end := len(r)
			if i := strings.IndexByte(r, ' '); i >= 0 {
				end = i
			}
			if i := strings.Index(r, ": "); i >= 0 && i < end {
				end = i
			}
			if field.prefix == markRev {
				if i := strings.IndexByte(r, ':'); i >= 0 && i < end {
					end = i
				}
			}
			*field.value, rest = r[:end], r[end:]
		}
		if rest == "" {
			return m, true
		}
		if was, ok := strings.CutPrefix(rest, markWas); ok {
			m.was = was
			return m, true
		}
	}
	return mark{}, false
}

// SetReplace makes every version of modPath resolve to newPath (a directory
// when newVers is "", else a module at that version, made from the fork
// revision and forge from names, which the marker records). An existing replace of modPath written by
// the user is rewritten in place and remembered in a "// gofork: was …"
// comment that DropReplace restores; one gofork wrote is simply updated. It
// returns the directive it displaced, "" if none.
func (d *Doc) SetReplace(modPath, newPath, newVers string, from Origin) (was string, err error) {
	var existing []*modfile.Replace
	for _, r := range *d.replaces {
		if r.Old.Path == modPath {
			existing = append(existing, r)
		}
	}
	if len(existing) > 1 {
		var lines []string
		for _, r := range existing {
			lines = append(lines, fmt.Sprint(r.Syntax.Start.Line))
		}
		return "", fmt.Errorf("%s replaces %s %d times (lines %s); keep at most one (go mod edit -dropreplace=%s@VERSION) and run the command again",
			d.Path, modPath, len(existing), strings.Join(lines, ", "), modPath)
	}
	if len(existing) == 1 {
		line := existing[0].Syntax
		if m, marked := goforkMark(line); marked {
			was = m.was
		} else {
			was = lineText(line)
		}
	}
	marker := mark{Origin: from, was: was}.String()
	if err := d.file.AddReplace(modPath, "", newPath, newVers); err != nil {
		return "", fmt.Errorf("replace %s in %s: %w", modPath, d.Path, err)
	}
	for _, r := range *d.replaces {
		if r.Old.Path == modPath {
			r.Old.Version = ""
			r.Syntax.Suffix = []modfile.Comment{{Token: marker, Suffix: true}}
		}
	}
	return was, nil
}

// lineText is a replace line as it would follow the "replace" keyword,
// end-of-line comment included.
func lineText(line *modfile.Line) string {
	tokens := line.Token
	if !line.InBlock {
		tokens = tokens[1:]
	}
	text := strings.Join(tokens, " ")
	for _, c := range line.Suffix {
		text += " " + c.Token
	}
	return text
}

// ErrNotGofork is returned by DropReplace for a replace gofork did not write.
var ErrNotGofork = errors.New("not written by gofork")

// DropReplace removes the replace of modPath that gofork wrote, restoring the
// directive it displaced, if any, in place. found is false when the file has
// no replace of modPath at all.
func (d *Doc) DropReplace(modPath string) (found bool, err error) {
	for _, r := range *d.replaces {
		if r.Old.Path != modPath {
			continue
		}
		m, marked := goforkMark(r.Syntax)
		if !marked {
			return true, fmt.Errorf("%s:%d: replace %s: %w; remove it with go mod edit -dropreplace=%s",
				d.Path, r.Syntax.Start.Line, modPath, ErrNotGofork, modPath)
		}
		if m.was == "" {
			if err := d.file.DropReplace(r.Old.Path, r.Old.Version); err != nil {
				return true, err
			}
			d.file.Cleanup()
			return true, nil
		}
		return true, d.restore(r, m.was)
	}
	return false, nil
}

func (d *Doc) restore(r *modfile.Replace, was string) error {
	prev, err := modfile.Parse("was", []byte("replace "+was+"\n"), nil)
	if err != nil || len(prev.Replace) != 1 {
		return fmt.Errorf("%s:%d: cannot read back %q: %v; edit the replace by hand", d.Path, r.Syntax.Start.Line, mark{was: was}, err)
	}
	p := prev.Replace[0]
	tokens := p.Syntax.Token[1:]
	if !r.Syntax.InBlock {
		tokens = p.Syntax.Token
	}
	r.Syntax.Token = tokens
	r.Syntax.Suffix = p.Syntax.Suffix
	r.Old, r.New = p.Old, p.New
	return nil
}

// Write saves the file if it changed, atomically and keeping its mode and
// its line endings: modfile formats with LF, and a file that ended its
// first line with CRLF gets CRLF throughout.
func (d *Doc) Write() error {
	d.file.Cleanup()
	data := modfile.Format(d.syntax)
	if usesCRLF(d.orig) {
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	}
	if d.orig != nil && string(data) == string(d.orig) {
		return nil
	}
	write := atomicfile.Replace
	if d.orig == nil {
		write = atomicfile.Create
	}
	if err := write(d.Path, data); err != nil {
		return err
	}
	d.orig = data
	return nil
}

// usesCRLF reports whether data's first line ends in CRLF.
func usesCRLF(data []byte) bool {
	i := bytes.IndexByte(data, '\n')
	return i > 0 && data[i-1] == '\r'
}
