// Package forklayout owns the shape of a clone set up for working on a fork:
// which remote is upstream and which the fork, the default branch, and the
// module path of every module in the repository next to its fork's path. It
// also owns the algebra of fork module paths: how a fork's path follows from
// upstream's and an owner, and how to tell that a path is another owner's
// copy of a module.
//
// `gofork clone` writes a Layout into the repository's .git/config; `gofork
// status`, check, fix and the prompt read it back through Read, so every
// reader agrees on one rule for each question:
//
//	the upstream remote   the one gh marked as base (remote.NAME.gh-resolved=base,
//	                      which clone writes), else the remote named "upstream",
//	                      else the fork remote (a plain clone: one remote is both)
//	the fork remote       remote.pushDefault, else "origin"
//	the default branch    gofork.branch, else what refs/remotes/UPSTREAM/HEAD
//	                      names, else main or master (see UpstreamRefs)
//	the modules           gofork.upstream and gofork.fork for the repository's
//	                      root module, one gofork.module "DIR UPSTREAM FORK" line
//	                      for each other module
//
// The package reads configuration as flat canonical names (lower-case section
// and key around a case-kept subsection: "remote.up.gh-resolved"), so both the
// prompt's own config reader and go-git's can feed it; it imports nothing that
// would slow the prompt's start.
package forklayout

import (
	"slices"
	"strings"
)

// Config is a repository's git configuration: every value of each variable,
// in file order, keyed by canonical name.
type Config map[string][]string

// Last returns the value that wins for name, "" when unset.
func (c Config) Last(name string) string {
	v := c[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// Remotes lists the names of the remotes that have a URL, sorted.
func (c Config) Remotes() []string {
	var names []string
	for name := range c {
		rest, ok := strings.CutPrefix(name, "remote.")
		if !ok {
			continue
		}
		if sub, ok := strings.CutSuffix(rest, ".url"); ok && sub != "" {
			names = append(names, sub)
		}
	}
	slices.Sort(names)
	return names
}

// Layout is the triangular workflow of one clone.
type Layout struct {
	UpstreamRemote string // remote to pull from
	UpstreamURL    string
	ForkRemote     string // remote to push to
	ForkURL        string
	// DefaultBranch is upstream's default branch, "" when the config does
	// not say (a clone that gofork did not set up).
	DefaultBranch string
	// Modules are the modules of the repository, the root module first,
	// each with its fork's module path.
	Modules []Module
}

// Module is one module of the repository.
type Module struct {
	Dir      string `json:"dir"`      // slash-separated, relative to the work tree's top; "." for the root
	Upstream string `json:"upstream"` // the module path its go.mod declares
	Fork     string `json:"fork"`     // the same module's path in the fork
}

// Canonical names of the variables Layout is stored in.
const (
	keyUpstream   = "gofork.upstream"
	keyFork       = "gofork.fork"
	keyModule     = "gofork.module"
	keyBranch     = "gofork.branch"
	keyPushRemote = "remote.pushdefault"
)

// Setting is one variable of the layout with the values it should have;
// no values means the variable is to be removed. A Default setting is the
// workflow's choice for a variable the user may have set otherwise: it is
// written only where the variable is unset.
type Setting struct {
	Section, Subsection, Key string
	Values                   []string
	Default                  bool
}

// Settings are the variables Write stores l in, for a writer of the config
// file: the remotes and their refspecs are the writer's own, because
// adding a refspec depends on what the remote had before.
func (l Layout) Settings() []Setting {
	s := []Setting{
		{Section: "remote", Subsection: l.UpstreamRemote, Key: "gh-resolved", Values: []string{"base"}},
		// gh asks which remote is the base repository for pull requests;
		// only one may say so, or the rule above would have two answers.
		{Section: "remote", Subsection: l.ForkRemote, Key: "gh-resolved"},
		{Section: "remote", Key: "pushDefault", Values: []string{l.ForkRemote}},
		// git push from any branch, tracking or not, goes to the fork
		// under the branch's own name...
		{Section: "push", Key: "default", Values: []string{"current"}, Default: true},
		// ...and a branch started from the default branch pulls from
		// where it pulls: upstream.
		{Section: "branch", Key: "autoSetupMerge", Values: []string{"inherit"}, Default: true},
	}
	if l.DefaultBranch != "" {
		s = append(s,
			Setting{Section: "branch", Subsection: l.DefaultBranch, Key: "remote", Values: []string{l.UpstreamRemote}},
			Setting{Section: "branch", Subsection: l.DefaultBranch, Key: "merge", Values: []string{"refs/heads/" + l.DefaultBranch}},
			Setting{Section: "gofork", Key: "branch", Values: []string{l.DefaultBranch}},
		)
	}
	var root *Module
	var others []string
	for i, m := range l.Modules {
		if m.Fork == "" {
			continue // nothing to tell check
		}
		if m.Dir == "." && root == nil {
			root = &l.Modules[i]
			continue
		}
		others = append(others, m.Dir+" "+m.Upstream+" "+m.Fork)
	}
	if root != nil {
		s = append(s,
			Setting{Section: "gofork", Key: "upstream", Values: []string{root.Upstream}},
			Setting{Section: "gofork", Key: "fork", Values: []string{root.Fork}})
	}
	if len(l.Modules) > 0 {
		s = append(s, Setting{Section: "gofork", Key: "module", Values: others})
	}
	return s
}

// Read reads the layout of the repository whose configuration is cfg. A
// repository that gofork did not set up still has one: its remotes, and no
// modules.
func Read(cfg Config) Layout {
	var l Layout
	remotes := cfg.Remotes()
	l.ForkRemote = cfg.Last(keyPushRemote)
	if l.ForkRemote == "" {
		l.ForkRemote = "origin"
	}
	for _, name := range remotes {
		if cfg.Last("remote."+name+".gh-resolved") == "base" {
			l.UpstreamRemote = name
			break
		}
	}
	if l.UpstreamRemote == "" {
		l.UpstreamRemote = "upstream"
		if !slices.Contains(remotes, "upstream") {
			l.UpstreamRemote = l.ForkRemote
		}
	}
	l.UpstreamURL = cfg.Last("remote." + l.UpstreamRemote + ".url")
	l.ForkURL = cfg.Last("remote." + l.ForkRemote + ".url")
	l.DefaultBranch = cfg.Last(keyBranch)
	if up, fork := cfg.Last(keyUpstream), cfg.Last(keyFork); up != "" && fork != "" {
		l.Modules = append(l.Modules, Module{Dir: ".", Upstream: up, Fork: fork})
	}
	for _, line := range cfg[keyModule] {
		f := strings.Fields(line)
		if len(f) == 3 {
			l.Modules = append(l.Modules, Module{Dir: f[0], Upstream: f[1], Fork: f[2]})
		}
	}
	return l
}

// Triangular reports whether the clone pulls from one remote and pushes to
// another, as a fork's clone does; a plain clone's one remote is both.
func (l Layout) Triangular() bool { return l.UpstreamRemote != l.ForkRemote }

// UpstreamRefs are the refs that may hold upstream's default branch, most
// certain first: the recorded default branch, else what the remote's HEAD
// names, else the usual names.
func (l Layout) UpstreamRefs() []string {
	prefix := "refs/remotes/" + l.UpstreamRemote + "/"
	if l.DefaultBranch != "" {
		return []string{prefix + l.DefaultBranch}
	}
	return []string{prefix + "HEAD", prefix + "main", prefix + "master"}
}

// RootModule returns the module at the top of the work tree, if the layout
// knows one.
func (l Layout) RootModule() (Module, bool) {
	for _, m := range l.Modules {
		if m.Dir == "." {
			return m, true
		}
	}
	return Module{}, false
}

// ForkOf returns the fork's path of the layout's module upstreamPath.
func (l Layout) ForkOf(upstreamPath string) (string, bool) {
	for _, m := range l.Modules {
		if m.Upstream == upstreamPath {
			return m.Fork, true
		}
	}
	return "", false
}
