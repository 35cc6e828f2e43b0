package forkuse

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/palette"
)

// WriteText writes the report as gofork status prints it for people,
// coloured by pal.
func (rep *Report) WriteText(w io.Writer, pal palette.Palette) error {
	bw := bufio.NewWriter(w)
	rep.writeText(bw, pal)
	return bw.Flush()
}

func (rep *Report) writeText(w io.Writer, pal palette.Palette) {
	if c := rep.Clone; c != nil {
		fmt.Fprintf(w, "%s\n", pal.Heading("clone "+c.Dir))
		if c.UpstreamModule != "" || c.ForkModule != "" {
			fmt.Fprintf(w, "  module %s, fork %s\n", orNone(c.UpstreamModule), orNone(c.ForkModule))
		}
		for _, r := range c.Remotes {
			fmt.Fprintf(w, "  remote %-9s %s\n", r.Name, r.URL)
			if r.PushURL != "" {
				fmt.Fprintf(w, "  remote %-9s %s (push)\n", r.Name, r.PushURL)
			}
		}
		tracks := "nothing"
		if c.Tracks != "" {
			tracks = c.Tracks
		}
		fmt.Fprintf(w, "  default branch %s tracks %s\n", c.DefaultBranch, tracks)
		branch := c.Branch
		if branch == "" {
			branch = "HEAD (detached)"
		}
		var against []string
		if c.UpstreamRef != "" {
			against = append(against, divergence(pal, c.AheadUpstream, c.BehindUpstream, c.UpstreamRef))
		}
		if c.ForkRef != "" {
			against = append(against, divergence(pal, c.AheadFork, c.BehindFork, c.ForkRef))
		} else if c.Branch != "" {
			against = append(against, pal.Warn("not pushed to the fork yet"))
		}
		fmt.Fprintf(w, "  %s: %s\n", branch, strings.Join(against, "; "))
	}
	if c := rep.Consumer; c != nil {
		fmt.Fprintf(w, "%s (%s)\n", pal.Heading("module "+c.Module), c.GoMod)
		if c.GoWork != "" {
			fmt.Fprintf(w, "  workspace %s\n", c.GoWork)
		}
		if len(c.Replaces) == 0 {
			fmt.Fprintln(w, "  no replace directives: every module comes from its own path")
		}
		for _, r := range c.Replaces {
			old := r.Module
			if r.OldVersion != "" {
				old += " " + r.OldVersion
			}
			target := r.Path + " " + r.Version
			var notes []string
			if r.Dir {
				target = r.Path
				notes = append(notes, "directory")
			}
			if r.Fork != "" {
				notes = append(notes, pal.Good("fork "+r.Fork))
			}
			if r.Gofork {
				notes = append(notes, "by gofork")
			}
			if r.With != "" {
				notes = append(notes, "with "+r.With)
			}
			if r.Overridden {
				notes = append(notes, pal.Warn("overridden by go.work"))
			}
			fmt.Fprintf(w, "  %s:%d: %s => %s", filepath.Base(r.File), r.Line, old, strings.TrimSpace(target))
			if len(notes) > 0 {
				fmt.Fprintf(w, " (%s)", strings.Join(notes, ", "))
			}
			fmt.Fprintln(w)
			if fw := r.Forward; fw != nil {
				writeForward(w, pal, r, fw)
			}
		}
	}
}

// writeForward says what the forge says of a gofork --fork replace.
func writeForward(w io.Writer, pal palette.Palette, r ReplaceReport, fw *Forward) {
	rev := strings.Trim(revName(r.Rev), `"`)
	switch {
	case fw.Moved:
		fmt.Fprintf(w, "    %s %s: %s (gofork update)\n", rev, pal.Warn("has moved"), fw.Latest)
	case fw.Latest != "":
		fmt.Fprintf(w, "    %s %s\n", rev, pal.Good("has not moved"))
	}
	if fw.Released != "" {
		fmt.Fprintf(w, "    upstream %s contains it: %s (gofork drop %s; go get %s@%s)\n", fw.Released, pal.Good("the replace can go"), r.Module, r.Module, fw.Released)
	}
	if fw.Error != "" {
		fmt.Fprintf(w, "    %s: %s\n", pal.Bad("the forge could not say more"), fw.Error)
	}
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func divergence(pal palette.Palette, ahead, behind int, ref string) string {
	short := plumbing.ReferenceName(ref).Short()
	if ahead == 0 && behind == 0 {
		return pal.Good("even with " + short)
	}
	return pal.Warn(fmt.Sprintf("%d ahead, %d behind", ahead, behind)) + " " + short
}
