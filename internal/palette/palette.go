// Package palette colours gofork's human output with fatih/color. Whether
// to colour is decided elsewhere, once (cli.ColorEnabled): a Palette only
// applies the decision, so libraries take one and stay plain by default.
package palette

import "github.com/fatih/color"

// Palette styles pieces of text by their role, one look per role wherever
// gofork prints it. The zero Palette leaves them plain.
type Palette struct {
	path, rule, want, heading, good, warn, bad *color.Color
}

// New returns a palette that colours when on.
func New(on bool) Palette {
	if !on {
		return Palette{}
	}
	// fatih/color decides by itself from os.Stdout and NO_COLOR; the
	// decision made is ours, so each colour is forced on.
	c := func(attrs ...color.Attribute) *color.Color {
		col := color.New(attrs...)
		col.EnableColor()
		return col
	}
	return Palette{
		path:    c(color.Bold),
		rule:    c(color.FgYellow),
		want:    c(color.FgGreen),
		heading: c(color.Bold),
		good:    c(color.FgGreen),
		warn:    c(color.FgYellow),
		bad:     c(color.FgRed, color.Bold),
	}
}

func paint(c *color.Color, s string) string {
	if c == nil || s == "" {
		return s
	}
	return c.Sprint(s)
}

// Path is a file name in a finding.
func (p Palette) Path(s string) string { return paint(p.path, s) }

// Rule is a rule's name.
func (p Palette) Rule(s string) string { return paint(p.rule, s) }

// Want is what a finding asks for instead.
func (p Palette) Want(s string) string { return paint(p.want, s) }

// Heading starts a block of a report.
func (p Palette) Heading(s string) string { return paint(p.heading, s) }

// Good is a state that needs nothing done.
func (p Palette) Good(s string) string { return paint(p.good, s) }

// Warn is a state worth acting on.
func (p Palette) Warn(s string) string { return paint(p.warn, s) }

// Bad is an error.
func (p Palette) Bad(s string) string { return paint(p.bad, s) }
