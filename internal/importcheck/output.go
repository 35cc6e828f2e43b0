package importcheck

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofork/gofork/internal/palette"
	"github.com/gofork/gofork/internal/sarif"
	"github.com/gofork/gofork/internal/version"
)

// Formats Write accepts.
const (
	FormatText   = "text"
	FormatGitHub = "github"
	FormatJSON   = "json"
	FormatSARIF  = "sarif"
)

// Formats are the formats Write accepts, in the order help lists them.
var Formats = []string{FormatText, FormatGitHub, FormatJSON, FormatSARIF}

// Write writes findings to w in format: text lines
// path:line:col: rule: message (want "…") with File, or GitHub Actions error
// annotations, a JSON array or a SARIF log with Path. pal colours the text
// format.
func Write(w io.Writer, format string, findings []Finding, pal palette.Palette) error {
	bw := bufio.NewWriter(w)
	switch format {
	case FormatText, "":
		for _, f := range findings {
			fmt.Fprintf(bw, "%s:%d:%d: %s: %s\n", pal.Path(displayPath(f.File)), f.Line, f.Col, pal.Rule(f.Rule), f.text(pal))
		}
	case FormatGitHub:
		for _, f := range findings {
			if !githubCarries(f.Path) {
				// The runner unescapes only %, CR, LF, ':' and ',': a name
				// with another control character or bytes that are not
				// UTF-8 cannot be a file property. The annotation goes on
				// the run instead, naming the file quoted.
				fmt.Fprintf(bw, "::error title=gofork %s::%s:%d:%d: %s\n",
					f.Rule, escapeData(strconv.Quote(f.Path)), f.Line, f.Col, escapeData(f.text(palette.Palette{})))
				continue
			}
			fmt.Fprintf(bw, "::error file=%s,line=%d,col=%d,title=gofork %s::%s\n",
				escapeProperty(f.Path), f.Line, f.Col, f.Rule, escapeData(f.text(palette.Palette{})))
		}
	case FormatJSON:
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // messages say "=>" and "<", for people and tools alike
		out := make([]jsonFinding, len(findings))
		for i, f := range findings {
			out[i].Finding = f
			if !utf8.ValidString(f.Path) {
				// JSON strings are Unicode: "file" then shows U+FFFD
				// where the name has bytes that are not UTF-8, and
				// "file_bytes" (base64) is the name itself.
				out[i].FileBytes = []byte(f.Path)
			}
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	case FormatSARIF:
		if err := writeSARIF(bw, findings); err != nil {
			return err
		}
	default:
		return ValidFormat(format)
	}
	return bw.Flush()
}

// jsonFinding is a finding as --format json writes it.
type jsonFinding struct {
	Finding
	FileBytes []byte `json:"file_bytes,omitempty"`
}

// githubCarries reports whether a workflow command's property can carry
// the name p through the runner's unescaping.
func githubCarries(p string) bool {
	return utf8.ValidString(p) && strings.IndexFunc(p, func(r rune) bool { return unicode.IsControl(r) && r != '\r' && r != '\n' }) < 0
}

// ValidFormat checks a --format value before any work is done.
func ValidFormat(format string) error {
	if format == "" || slices.Contains(Formats, format) {
		return nil
	}
	return fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
}

// helpURI is the manual's section on check, for code scanning's rule help.
const helpURI = "https://github.com/gofork/gofork#catch-rewritten-imports-in-ci-gofork-check"

func writeSARIF(w io.Writer, findings []Finding) error {
	tool := sarif.Tool{Name: "gofork", Version: version.String(), InformationURI: "https://github.com/gofork/gofork"}
	for _, r := range RuleDocs {
		tool.Rules = append(tool.Rules, sarif.Rule{ID: r.Name, ShortDescription: r.Summary, Help: r.Help, HelpURI: helpURI})
	}
	results := make([]sarif.Result, len(findings))
	for i, f := range findings {
		results[i] = sarif.Result{RuleID: f.Rule, Message: f.text(palette.Palette{}), Path: f.Path, Line: f.Line, Col: f.Col}
	}
	return sarif.Write(w, tool, results)
}

func (f Finding) text(pal palette.Palette) string {
	if f.Want == "" {
		return f.Message
	}
	return fmt.Sprintf("%s (want %s)", f.Message, pal.Want(strconv.Quote(f.Want)))
}

// displayPath quotes a path that would not print as itself (invalid UTF-8,
// control characters), so a hostile file name cannot forge output lines or
// drive the terminal.
func displayPath(p string) string {
	if utf8.ValidString(p) && strings.IndexFunc(p, unicode.IsControl) < 0 {
		return p
	}
	return strconv.Quote(p)
}

// GitHub's workflow command escaping: data escapes %, CR and LF; property
// values also ':' and ','.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
