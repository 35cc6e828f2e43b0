package forkuse

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// WriteText writes the report as gofork status prints it for people.
func (rep *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	rep.writeText(bw)
	return bw.Flush()
}

func (rep *Report) writeText(w io.Writer) {
	if c := rep.Clone; c != nil {
		fmt.Fprintf(w, "clone %s\n", c.Dir)
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
			against = append(against, divergence(c.AheadUpstream, c.BehindUpstream, c.UpstreamRef))
		}
		if c.ForkRef != "" {
			against = append(against, divergence(c.AheadFork, c.BehindFork, c.ForkRef))
		} else if c.Branch != "" {
			against = append(against, "not pushed to the fork yet")
		}
		fmt.Fprintf(w, "  %s: %s\n", branch, strings.Join(against, "; "))
	}
	if c := rep.Consumer; c != nil {
		fmt.Fprintf(w, "module %s (%s)\n", c.Module, c.GoMod)
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
				notes = append(notes, "fork "+r.Fork)
			}
			if r.Gofork {
				notes = append(notes, "by gofork")
			}
			if r.Overridden {
				notes = append(notes, "overridden by go.work")
			}
			fmt.Fprintf(w, "  %s:%d: %s => %s", filepath.Base(r.File), r.Line, old, strings.TrimSpace(target))
			if len(notes) > 0 {
				fmt.Fprintf(w, " (%s)", strings.Join(notes, ", "))
			}
			fmt.Fprintln(w)
			if fw := r.Forward; fw != nil {
				writeForward(w, r, fw)
			}
		}
	}
}

// writeForward says what the forge says of a gofork --fork replace.
func writeForward(w io.Writer, r ReplaceReport, fw *Forward) {
	rev := strings.Trim(revName(r.Rev), `"`)
	switch {
	case fw.Moved:
		fmt.Fprintf(w, "    %s has moved: %s (gofork update)\n", rev, fw.Latest)
	case fw.Latest != "":
		fmt.Fprintf(w, "    %s has not moved\n", rev)
	}
	if fw.Released != "" {
		fmt.Fprintf(w, "    upstream %s contains it: the replace can go (gofork drop %s; go get %s@%s)\n", fw.Released, r.Module, r.Module, fw.Released)
	}
	if fw.Error != "" {
		fmt.Fprintf(w, "    the forge could not say more: %s\n", fw.Error)
	}
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func divergence(ahead, behind int, ref string) string {
	short := plumbing.ReferenceName(ref).Short()
	if ahead == 0 && behind == 0 {
		return "even with " + short
	}
	return fmt.Sprintf("%d ahead, %d behind %s", ahead, behind, short)
}
