package forklayout

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"golang.org/x/mod/module"
)

// isOwnerHost reports the hosts whose module paths are host/owner/repo[/rest]
// with the repository always the third element, so that a fork's path is
// upstream's with another owner. Elsewhere the go command finds the
// repository root through ?go-get=1 (gitlab.com nests subgroups, a vanity
// host maps paths as it likes), and no owner can be swapped by guesswork.
//
// A switch, not a map: a map variable is built at start-up, and this
// package is on the prompt's path.
func isOwnerHost(host string) bool {
	switch host {
	case "github.com", "bitbucket.org", "codeberg.org", "gitea.com":
		return true
	}
	return false
}

// ErrNoOwner is returned by ForkModulePath for module paths with no owner
// element to swap, such as vanity paths (go.uber.org/zap): their fork's
// module path comes from the fork's URL instead (VanityForkPath).
var ErrNoOwner = errors.New("module path has no owner element")

// ownerPath is a module or import path split around its owner.
type ownerPath struct {
	host, owner, repo, rest string // rest is "" or starts with "/"
}

func (p ownerPath) String() string {
	if p.host == "gopkg.in" && p.owner == "" {
		return "gopkg.in/" + p.repo + p.rest
	}
	return p.host + "/" + p.owner + "/" + p.repo + p.rest
}

// isGopkgRepo reports whether elem is gopkg.in's name.vN (or
// name.vN-unstable). No regexp: this package is on the prompt's path, where
// compiling one at start costs every prompt.
func isGopkgRepo(elem string) bool {
	elem = strings.TrimSuffix(elem, "-unstable")
	i := strings.LastIndex(elem, ".v")
	if i <= 0 || i+2 == len(elem) {
		return false
	}
	return strings.Trim(elem[i+2:], "0123456789") == ""
}

// splitOwner splits a path on an owner host, or on gopkg.in, whose
// gopkg.in/name.vN has an implied owner ("" here) and gopkg.in/owner/name.vN
// an explicit one.
func splitOwner(p string) (ownerPath, bool) {
	// Cut rather than Split, and rest sliced rather than joined: check asks
	// this of every import it reads.
	host, afterHost, _ := strings.Cut(p, "/")
	first, _, _ := strings.Cut(afterHost, "/")
	afterFirst := afterHost[len(first):] // "" or "/…"
	second, _, _ := strings.Cut(strings.TrimPrefix(afterFirst, "/"), "/")
	afterSecond := strings.TrimPrefix(afterFirst, "/")[len(second):]
	if host == "gopkg.in" {
		switch {
		case isGopkgRepo(first):
			return ownerPath{host: host, repo: first, rest: afterFirst}, true
		case second != "" && isGopkgRepo(second):
			return ownerPath{host: host, owner: first, repo: second, rest: afterSecond}, true
		}
		return ownerPath{}, false
	}
	if !isOwnerHost(host) || first == "" || second == "" {
		return ownerPath{}, false
	}
	return ownerPath{host: host, owner: first, repo: second, rest: afterSecond}, true
}

// ForkModulePath returns the module path of forkOwner's fork of
// upstreamModule: the owner element swapped, everything after it (repo,
// subdirectory, major version suffix) carried over.
//
//	github.com/awesome-org/tool     → github.com/awesome-you/tool
//	github.com/awesome-org/tool/v2  → github.com/awesome-you/tool/v2
//	github.com/org/repo/sub         → github.com/awesome-you/repo/sub
//	gopkg.in/yaml.v3                → gopkg.in/awesome-you/yaml.v3
//	gopkg.in/owner/name.v1          → gopkg.in/awesome-you/name.v1
func ForkModulePath(upstreamModule, forkOwner string) (string, error) {
	if forkOwner == "" || strings.ContainsAny(forkOwner, "/") || strings.HasPrefix(forkOwner, "-") || strings.HasPrefix(forkOwner, ".") {
		return "", fmt.Errorf("fork owner %q: want one path element that starts with a letter or digit", forkOwner)
	}
	p, ok := splitOwner(upstreamModule)
	if !ok {
		return "", fmt.Errorf("fork module path of %q: %w (its host does not lay paths out as host/owner/repo)", upstreamModule, ErrNoOwner)
	}
	p.owner = forkOwner
	return p.String(), nil
}

// VanityForkPath is the fork's path of a module whose own path has no owner
// to swap: the fork's repository root (its module path by URL, such as
// github.com/you/zap) joined with the module's directory in the repository,
// and the module's major version suffix when the directory does not already
// end in it. That is the path by which the go command would find the same
// module in the fork.
func VanityForkPath(forkRoot, dir, modulePath string) string {
	p := forkRoot
	if dir != "." && dir != "" {
		p += "/" + dir
	}
	if _, major, ok := module.SplitPathVersion(modulePath); ok && major != "" && !strings.HasPrefix(major, ".") && path.Base(dir) != major[1:] {
		p += major
	}
	return p
}

// SwapOwner returns p with its host/owner/repo replaced by module's when
// both have the same host and repository name and different owners: the
// upstream path p stands for when p names a fork of module.
func SwapOwner(p, module string) (string, bool) {
	pp, ok1 := splitOwner(p)
	mp, ok2 := splitOwner(module)
	if !ok1 || !ok2 || pp.host != mp.host || pp.repo != mp.repo || pp.owner == mp.owner {
		return "", false
	}
	mp.rest = pp.rest
	return mp.String(), true
}

// LookalikeKey is what paths of all owners' copies of one repository
// share: host and repository name.
type LookalikeKey struct{ Host, Repo string }

// Lookalike returns p's LookalikeKey, for finding imports that look like
// another owner's copy of a module; ok is false for a path whose host does
// not lay out host/owner/repo. The key is made of p's bytes, not joined: it
// is asked of every import check reads.
func Lookalike(p string) (key LookalikeKey, ok bool) {
	op, ok := splitOwner(p)
	if !ok {
		return LookalikeKey{}, false
	}
	return LookalikeKey{op.host, op.repo}, true
}

// Within reports whether p is prefix or a path below it.
func Within(p, prefix string) bool {
	return strings.HasPrefix(p, prefix) && (len(p) == len(prefix) || p[len(prefix)] == '/')
}
