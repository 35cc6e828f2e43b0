package importrules

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gofork/gofork/internal/forklayout"
	"github.com/gofork/gofork/internal/remote"
)

// How upstream was decided (Upstream.Rule), strongest evidence first. The
// ladder is the whole of it: who is upstream never follows from the module
// line being checked, which a rewrite changes along with the imports.
const (
	// UpstreamFlag: --upstream MODULE named it.
	UpstreamFlag = "flag"
	// UpstreamGoforkConfig: git config gofork.upstream, which gofork clone
	// records.
	UpstreamGoforkConfig = "gofork-config"
	// UpstreamRemote: the remote gh marked as base
	// (remote.NAME.gh-resolved=base), else the remote named "upstream".
	UpstreamRemote = "upstream-remote"
	// UpstreamGitHubActions: GITHUB_REPOSITORY, the repository under test,
	// which is upstream's own name in upstream's CI, pull requests from forks
	// included. In a fork's own CI (the event says the repository is a
	// fork) it is taken as UpstreamOrigin takes origin.
	UpstreamGitHubActions = "github-actions"
	// UpstreamGitLabCI: CI_MERGE_REQUEST_PROJECT_PATH (a merge request's
	// target), else CI_PROJECT_PATH.
	UpstreamGitLabCI = "gitlab-ci"
	// UpstreamCIOrigin: in another CI (CI is set), the remote origin: a CI
	// checkout's origin is the repository under test.
	UpstreamCIOrigin = "ci-origin"
	// UpstreamOrigin: on a laptop, origin alone, which is usually the
	// user's own fork: a module line of another owner's copy of origin's
	// repository is taken for upstream's (a plain clone of a fork keeps
	// upstream's module line), origin for its fork, and no module line is
	// reported.
	UpstreamOrigin = "origin"
	// UpstreamNone: no evidence (no repository, no remote with a host, no
	// flag, no CI variable): only the forks flags and replacements name, and
	// suspicious-import, are checked.
	UpstreamNone = "none"
)

// Upstream is who check takes for upstream, and why.
type Upstream struct {
	// Module is upstream's root module path when the evidence names it
	// (--upstream, gofork config): the prefix of every import of upstream's
	// packages, vanity paths included.
	Module string `json:"module,omitempty"`
	// Repo is upstream's repository as a module path
	// ("github.com/awesome-org/tool"), when the evidence names a repository.
	Repo string `json:"repository,omitempty"`
	Rule string `json:"rule"`
	// From says where the evidence was read, safe to print: a remote by
	// its name, never its URL, which may carry a token.
	From string `json:"from,omitempty"`
	// HardFork says the tree's module path is its own on purpose
	// (--hard-fork, git config gofork.hardFork): module lines are never
	// reported, and remotes say nothing of forks.
	HardFork bool `json:"hardFork,omitempty"`
}

// root is the prefix upstream's import paths share: its root module path
// without a /vN suffix (imports of every major version start with it), or,
// when only the repository is known, the repository's path, which is the
// module path of every module not on a vanity host.
func (u Upstream) root() string {
	if u.Module == "" {
		return u.Repo
	}
	if prefix, major, ok := module.SplitPathVersion(u.Module); ok && strings.HasPrefix(major, "/") {
		return prefix
	}
	return u.Module
}

// repo is the repository whose other owners' copies are forks: Repo, or
// the repository Module lives at when its host lays paths out as
// host/owner/repo.
func (u Upstream) repo() string {
	if u.Repo != "" {
		return u.Repo
	}
	if _, ok := forklayout.Lookalike(u.Module); ok {
		return ownerRepoRoot(u.Module)
	}
	return ""
}

// ownerRepoRoot is host/owner/repo of a path on an owner host.
func ownerRepoRoot(p string) string {
	elems := strings.SplitN(p, "/", 4)
	return strings.Join(elems[:min(3, len(elems))], "/")
}

// Evidence is what upstream is decided from, strongest first.
type Evidence struct {
	Flag     string            // --upstream: upstream's root module path
	HardFork bool              // --hard-fork
	Git      forklayout.Config // the repository's config; nil outside one
	// Getenv reads the environment (CI's variables); nil reads none.
	Getenv func(string) string
}

// InCI reports whether getenv shows a CI service: CI (set by GitHub
// Actions, GitLab CI and most others), GITHUB_ACTIONS or GITLAB_CI.
func InCI(getenv func(string) string) bool {
	if getenv == nil {
		return false
	}
	ci := strings.ToLower(getenv("CI"))
	return ci != "" && ci != "false" && ci != "0" || getenv("GITHUB_ACTIONS") == "true" || getenv("GITLAB_CI") == "true"
}

// decideUpstream climbs the ladder of evidence and returns who is upstream
// with the forks it shows: the layout's recorded modules, the remotes for
// other owners' copies of upstream's repository, and every declared module
// line that is such a copy (a whole-repository rewrite). declared are the
// module paths the tree's go.mod files declare.
func decideUpstream(ev Evidence, declared []string) (Upstream, []Fork) {
	getenv := ev.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	l := forklayout.Read(ev.Git)
	u := Upstream{Rule: UpstreamNone, HardFork: ev.HardFork || isTrue(ev.Git.Last("gofork.hardfork"))}
	var forks []Fork
	for _, m := range l.Modules {
		forks = append(forks, Fork{Fork: m.Fork, Upstream: m.Upstream, Basis: "git config gofork (set by gofork clone)"})
	}
	remoteRepo := func(name string) string {
		p, err := remote.ModulePathFromURL(ev.Git.Last("remote." + name + ".url"))
		if err != nil {
			return ""
		}
		return p
	}
	// underTest is a repository that may be the user's fork rather than
	// upstream: origin on a laptop, a fork's own CI.
	underTest := false
	if m, ok := l.RootModule(); ev.Flag == "" && ok {
		u.Module, u.Rule, u.From = m.Upstream, UpstreamGoforkConfig, "git config gofork.upstream"
	} else if ev.Flag != "" {
		u.Module, u.Rule, u.From = ev.Flag, UpstreamFlag, "--upstream"
	}
	if u.HardFork {
		return u, forks
	}
	// The repository the remotes or CI name: the rule and source are
	// upstream's only when no module path was named outright.
	var repoRule, repoFrom string
	ciRepo, ciRule, ciFrom, ciFork := repoUnderCI(getenv)
	switch {
	case l.Triangular() && remoteRepo(l.UpstreamRemote) != "":
		u.Repo, repoRule, repoFrom = remoteRepo(l.UpstreamRemote), UpstreamRemote, fmt.Sprintf("remote %q", l.UpstreamRemote)
	case ciRepo != "":
		u.Repo, repoRule, repoFrom, underTest = ciRepo, ciRule, ciFrom, ciFork
	case remoteRepo("origin") != "":
		underTest = !InCI(getenv)
		u.Repo, repoRule, repoFrom = remoteRepo("origin"), UpstreamCIOrigin, `remote "origin"`
		if underTest {
			repoRule = UpstreamOrigin
		}
	}
	if u.Module == "" && repoRule != "" {
		u.Rule, u.From = repoRule, repoFrom
	}
	if u.Module != "" && u.Repo != "" && !forklayout.Within(u.Module, u.Repo) {
		// The repository's own path is not upstream's module path: a fork's
		// (origin on a laptop, a fork's CI, a flag naming another owner's
		// repository), or the home of a vanity path. Either way, importing
		// it is wrong.
		forks = append(forks, Fork{Fork: u.Repo, Upstream: u.root(), Basis: fmt.Sprintf("%s names %s, not upstream's module path %s (%s)", repoFrom, u.Repo, u.Module, u.From)})
		if underTest || forkRootOf(u.Module, u.Repo) != "" {
			u.Repo = "" // not upstream's repository
		}
	}
	if underTest && u.Module == "" && slices.ContainsFunc(declared, func(m string) bool { return forkRootOf(m, u.Repo) != "" }) {
		// The repository under test is another owner's copy of the module
		// line's: a clone of the user's own fork, whose module lines stay
		// upstream's, and nothing says otherwise.
		u.From += ", another owner's copy of the module line's repository: taken for your fork"
		u.Repo = ""
		return u, forks
	}
	root, repo := u.root(), u.repo()
	if root == "" || repo == "" {
		return u, forks
	}
	basis := "upstream is " + repo + " (" + u.From + ")"
	for _, m := range declared {
		if f := forkRootOf(m, repo); f != "" {
			forks = append(forks, Fork{Fork: f, Upstream: root, Basis: basis})
		}
	}
	for _, name := range ev.Git.Remotes() {
		if f := remoteRepo(name); f != "" && forkRootOf(f, repo) == f {
			forks = append(forks, Fork{Fork: f, Upstream: root, Basis: fmt.Sprintf("remote %q is a fork; %s", name, basis)})
		}
	}
	return u, forks
}

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true
	}
	return false
}

// repoUnderCI is the repository CI names as under test, as a module path,
// with the rule and the variable it came from; fork is true when the CI
// says the repository is itself a fork (a fork's own workflow run).
func repoUnderCI(getenv func(string) string) (repo, rule, from string, fork bool) {
	if name := getenv("GITHUB_REPOSITORY"); name != "" && getenv("GITHUB_ACTIONS") == "true" {
		host := "github.com"
		if u, err := url.Parse(getenv("GITHUB_SERVER_URL")); err == nil && u.Hostname() != "" {
			host = strings.ToLower(u.Hostname())
		}
		return host + "/" + name, UpstreamGitHubActions, "GITHUB_REPOSITORY=" + name, eventRepositoryIsFork(getenv("GITHUB_EVENT_PATH"))
	}
	if getenv("GITLAB_CI") == "true" && getenv("CI_SERVER_HOST") != "" {
		for _, v := range []string{"CI_MERGE_REQUEST_PROJECT_PATH", "CI_PROJECT_PATH"} {
			if name := getenv(v); name != "" {
				return strings.ToLower(getenv("CI_SERVER_HOST")) + "/" + name, UpstreamGitLabCI, v + "=" + name, false
			}
		}
	}
	return "", "", "", false
}

// eventRepositoryIsFork reads GitHub's event payload: repository.fork is
// true in a fork's own runs (a push to the fork), false in upstream's, pull
// requests from forks included.
func eventRepositoryIsFork(p string) bool {
	if p == "" {
		return false
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	var event struct {
		Repository struct {
			Fork bool `json:"fork"`
		} `json:"repository"`
	}
	return json.Unmarshal(data, &event) == nil && event.Repository.Fork
}

// forkRootOf returns the root of another owner's copy of repository repo
// that p lies in: on p's host, the first prefix of p with at least an owner
// and a name whose last element is repo's name, when that prefix is not
// repo. "" when p is in repo itself or in no copy of it.
//
//	forkRootOf("github.com/you/tool/v2", "github.com/org/tool") = "github.com/you/tool"
//	forkRootOf("github.com/you/zap", "github.com/uber-go/zap")  = "github.com/you/zap"
//	forkRootOf("go.uber.org/zap", "github.com/uber-go/zap")     = ""
func forkRootOf(p, repo string) string {
	if repo == "" || forklayout.Within(p, repo) {
		return ""
	}
	host, _, _ := strings.Cut(repo, "/")
	name := path.Base(repo)
	elems := strings.Split(p, "/")
	if elems[0] != host {
		return ""
	}
	last := len(elems) - 1
	if _, ok := forklayout.Lookalike(repo); ok {
		last = min(last, 2) // host/owner/repo, always
	}
	for i := 2; i <= last; i++ {
		if elems[i] == name {
			root := strings.Join(elems[:i+1], "/")
			if root == repo || slices.Contains(elems[1:i], "") {
				return ""
			}
			return root
		}
	}
	return ""
}
