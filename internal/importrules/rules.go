// Package importrules decides which import paths undo the fork workflow: an
// import of a known fork's path (stray-import), one that only looks like a
// fork of a module in play (suspicious-import) and an import comment naming a
// fork (import-comment). gofork check and the forkimport analyzer (go vet,
// golangci-lint) both ask it, so they report the same findings.
package importrules

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/importscan"
)

// The rules, as they appear in the output.
const (
	StrayImport      = "stray-import"
	SuspiciousImport = "suspicious-import"
	ImportComment    = "import-comment"
)

// Fixable reports whether a finding of rule names a path known to be a
// fork's, so that rewriting it to upstream's is safe. A suspicious-import
// is a guess, and rewriting a guess could turn a correct import into one
// that does not resolve.
func Fixable(rule string) bool { return rule == StrayImport || rule == ImportComment }

// Facts are what the forks are learnt from.
type Facts struct {
	// Flags are --fork values: FORK or FORK=UPSTREAM module paths.
	Flags []string
	// Declared are the module paths the tree's go.mod files declare.
	Declared []string
	// Modules are the module paths the tree requires (Declared need not
	// be repeated).
	Modules []string
	// Replaced are module replacements (replace U => F v: F is U's fork).
	Replaced []Fork
	// Evidence is what tells who is upstream (see Upstream).
	Evidence Evidence
	// NoHeuristics turns suspicious-import off.
	NoHeuristics bool
}

// ReplacementForks are the forks module replacements name: in replace
// U => F v, F is U's fork and not to be imported. A directory replacement
// names none.
func ReplacementForks(replaces []*modfile.Replace) []Fork {
	var out []Fork
	for _, r := range replaces {
		if r.New.Version != "" {
			out = append(out, Fork{Fork: r.New.Path, Upstream: r.Old.Path, Basis: "replace " + r.Old.Path + " => " + r.New.Path})
		}
	}
	return out
}

// Rules answers for one tree.
type Rules struct {
	upstream     Upstream
	forks        forks
	noHeuristics bool
	known        map[string]bool // module paths declared or required
	// lookalikes maps host and repository name to the modules declared or
	// required with them, for suspicious-import.
	lookalikes map[forklayout.LookalikeKey][]string
}

// Learn builds the rules from facts; an error is a --fork value it cannot
// read.
func Learn(facts Facts) (*Rules, error) {
	known := slices.Concat(facts.Declared, facts.Modules)
	slices.Sort(known)
	known = slices.Compact(known)
	r := &Rules{noHeuristics: facts.NoHeuristics, known: map[string]bool{}, lookalikes: map[forklayout.LookalikeKey][]string{}}
	for _, flag := range facts.Flags {
		f, err := parseForkFlag(flag, known)
		if err != nil {
			return nil, err
		}
		r.forks.add(f)
	}
	up, fromEvidence := decideUpstream(facts.Evidence, facts.Declared)
	r.upstream = up
	for _, f := range fromEvidence {
		r.forks.add(f)
	}
	for _, f := range facts.Replaced {
		r.forks.add(f)
	}
	r.forks.sort()
	for _, k := range known {
		r.known[k] = true
		if up, _, ok := r.forks.upstreamOf(k); ok {
			// A module line naming a fork is reported; upstream is the
			// norm, and imports inside it are upstream's own.
			k = up
			r.known[k] = true
		}
		if key, ok := forklayout.Lookalike(k); ok {
			r.lookalikes[key] = append(r.lookalikes[key], k)
		}
	}
	return r, nil
}

// Upstream returns the canonical path for path when it is a known fork's,
// with what showed it.
func (r *Rules) Upstream(path string) (want, basis string, ok bool) {
	want, f, ok := r.forks.upstreamOf(path)
	return want, f.Basis, ok
}

// WhoIsUpstream says who was taken for upstream, and by which rule.
func (r *Rules) WhoIsUpstream() Upstream { return r.upstream }

// Verdict is one finding about a path literal in a file's import section.
type Verdict struct {
	Rule    string
	At      importscan.Literal
	Want    string // the upstream path it should be
	Basis   string // what showed the path to be a fork's
	Message string
}

// Check returns the verdicts on a file's import section, in source order.
func (r *Rules) Check(sec *importscan.ImportSection) []Verdict {
	var out []Verdict
	if lit := sec.Comment; lit != nil {
		if want, basis, _, ok := r.upstreamOf(lit.Path); ok {
			out = append(out, Verdict{Rule: ImportComment, At: *lit, Want: want, Basis: basis,
				Message: fmt.Sprintf("import comment names the fork path %q", lit.Path)})
		}
	}
	for _, imp := range sec.Imports {
		want, basis, lookalike, ok := r.upstreamOf(imp.Path)
		switch {
		case !ok:
		case lookalike == "":
			out = append(out, Verdict{Rule: StrayImport, At: imp.Literal, Want: want, Basis: basis,
				Message: fmt.Sprintf("import of fork path %q", imp.Path)})
		default:
			out = append(out, Verdict{Rule: SuspiciousImport, At: imp.Literal, Want: want,
				Message: fmt.Sprintf("import of %q looks like a fork of %s: same host and repository name, another owner", imp.Path, lookalike)})
		}
	}
	return out
}

// upstreamOf returns the canonical path for an import path that names a
// fork: known from the forks, or, unless heuristics are off, a lookalike of
// a module in play (same host and repository name, another owner, on a host
// whose paths are host/owner/repo) that is not itself in a module in play:
// an import inside a declared or required module resolves to that module,
// however it looks. basis is what showed a known fork; lookalike is the
// module a lookalike looks like.
func (r *Rules) upstreamOf(path string) (want, basis, lookalike string, ok bool) {
	if up, f, ok := r.forks.upstreamOf(path); ok {
		return up, f.Basis, "", true
	}
	if r.noHeuristics {
		return "", "", "", false
	}
	key, ok := forklayout.Lookalike(path)
	if !ok {
		return "", "", "", false
	}
	candidates := r.lookalikes[key]
	if len(candidates) == 0 || r.inKnownModule(path) {
		return "", "", "", false
	}
	for _, m := range candidates {
		if up, ok := forklayout.SwapOwner(path, m); ok {
			return up, "", m, true
		}
	}
	return "", "", "", false
}

// inKnownModule reports whether path lies in a module declared or required
// in the tree: path itself or one of its prefixes is such a module.
func (r *Rules) inKnownModule(path string) bool {
	for p := path; ; {
		if r.known[p] {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}
