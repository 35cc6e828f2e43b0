package demo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/forkuse"
	"github.com/gofork/gofork/internal/palette"
)

// A program that needs what only the fork has: (*kv.Store).Keys.
const (
	consumerGoMod = "module example.com/consumer\n\ngo 1.24\n\nrequire " + forge.UpstreamModule + " " + forge.Tag + "\n"
	consumerMain  = `package main

import (
	"fmt"

	"` + forge.UpstreamModule + `/kv"
)

func main() {
	s := kv.NewStore()
	s.Put("answer", "42")
	fmt.Println(s.Keys()) // only the fork's feature branch has Keys
}
`
)

// useFork points a consumer module at the fork's feature branch, shows the
// status, and drops the replace again.
func useFork(s *session) error {
	dir := filepath.Join(s.dir, "consumer")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, content := range map[string]string{"go.mod": consumerGoMod, "main.go": consumerMain} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	s.say("A module in %s imports %s/kv and calls Keys,", dir, forge.UpstreamModule)
	s.say("which only your fork's %q branch has. Point it at the fork, imports unchanged:", forge.FeatureBranch)
	s.command("cd", dir)
	s.command("gofork", "use", forge.UpstreamModule, "--fork", forge.ForkOwner, "--rev", forge.FeatureBranch, "--forge", s.forge.URL(), "--no-download")
	var out bytes.Buffer
	err := forkuse.Use(s.ctx, forkuse.UseOptions{
		Dir: dir, Module: forge.UpstreamModule, Fork: forge.ForkOwner, Rev: forge.FeatureBranch,
		Forge: s.forge.URL(), NoDownload: true, Getenv: s.getenv, Stdout: &out, Stderr: &out,
	})
	s.sayLines(&out)
	if err != nil {
		return err
	}
	s.say("The version is the one the go command gives that commit, so go build")
	s.say("fetches the fork as is (here --no-download, as github.com does not know this forge).")
	s.command("gofork", "status")
	rep, err := forkuse.Status(s.ctx, dir, "", s.getenv)
	if err != nil {
		return err
	}
	if err := rep.WriteText(&out, palette.Palette{}); err != nil {
		return err
	}
	s.sayLines(&out)
	s.say("Done with the fork? drop puts go.mod back byte for byte:")
	s.command("gofork", "drop", forge.UpstreamModule)
	err = forkuse.Drop(forkuse.DropOptions{Dir: dir, Module: forge.UpstreamModule, Getenv: s.getenv, Stdout: &out})
	s.sayLines(&out)
	return err
}

// sayLines prints what a command wrote to buf, indented, and empties buf.
func (s *session) sayLines(buf *bytes.Buffer) {
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		if line != "" {
			fmt.Fprintf(s.out, "  %s\n", line)
		}
	}
	buf.Reset()
}
