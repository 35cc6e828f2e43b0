// Package remote is gofork's vocabulary for where code lives: the forge that
// hosts repositories, the upstream a user names on the command line, the git
// URLs of upstream and fork, and the module paths they stand for.
//
// The forge is a URL under which repositories are laid out as
// <forge>/<owner>/<repo>.git: https://github.com by default, a GitHub
// Enterprise host, or a file:// directory (tests and `gofork demo`). It is
// chosen by --forge, else $GOFORK_FORGE, else the default; its REST API by
// --api, else $GOFORK_API, else https://api.github.com for github.com and
// <forge>/api/v3 for any other forge.
//
// An upstream may be named as
//
//	owner/repo                      a repository on the forge
//	github.com/owner/repo[/vN]      a module path on github.com (on the forge)
//	gopkg.in/name.vN                github.com/go-name/name
//	gopkg.in/owner/name.vN          github.com/owner/name
//	https://host/owner/repo.git     any git URL: https, http, ssh://, git://,
//	git@host:owner/repo.git         file://, or scp-like
//	example.org/any/path            any other module path, resolved like the go
//	                                command does, through ?go-get=1 and
//	                                <meta name="go-import">
//
// Owner and repository names are checked before they reach a URL or a path:
// no "." or "..", nothing that starts with "-", only letters, digits, '.',
// '_' and '-'.
//
// The fork of owner/repo for fork owner you is you/repo on the same host;
// package forklayout says what the fork's module paths are.
package remote

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/gofork/gofork/internal/forgeapi"
)

// Defaults when neither flags nor the environment choose a forge.
const (
	DefaultForge = "https://github.com"
	DefaultAPI   = "https://api.github.com"
)

// Environment variables read by ForgeFromEnv, and the fork owner's, which
// clone and use fall back on when no flag names one.
const (
	EnvForge     = "GOFORK_FORGE"
	EnvAPI       = "GOFORK_API"
	EnvForgeKind = "GOFORK_FORGE_KIND"
	EnvOwner     = "GOFORK_OWNER"
)

// Forge is where repositories are hosted.
type Forge struct {
	URL string // scheme://host[/prefix] without a trailing slash, e.g. https://github.com or file:///srv/forge
	API string // REST API base without a trailing slash, e.g. https://api.github.com
	// Kind is the API it speaks.
	Kind forgeapi.Kind
}

// ForgeFromEnv picks the forge from the --forge, --api and --forge-kind flag
// values (empty when not given), then $GOFORK_FORGE, $GOFORK_API and
// $GOFORK_FORGE_KIND, then the defaults: github.com, its API, and the kind
// the host's name suggests (forgeapi.KindFor) with that kind's API path.
// getenv is os.Getenv in production.
func ForgeFromEnv(forgeFlag, apiFlag, kindFlag string, getenv func(string) string) (Forge, error) {
	raw := firstNonEmpty(forgeFlag, getenv(EnvForge), DefaultForge)
	forgeURL, err := parseForgeURL(raw)
	if err != nil {
		return Forge{}, err
	}
	kind := forgeapi.KindFor(forgeURL.Hostname())
	if k := firstNonEmpty(kindFlag, getenv(EnvForgeKind)); k != "" {
		if kind, err = forgeapi.ParseKind(k); err != nil {
			return Forge{}, fmt.Errorf("%w; set it with --forge-kind or $%s", err, EnvForgeKind)
		}
	}
	api := firstNonEmpty(apiFlag, getenv(EnvAPI))
	switch {
	case api != "":
		u, err := url.Parse(api)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Forge{}, fmt.Errorf("forge API %q: want an http(s) URL such as %s; set it with --api or $%s", api, DefaultAPI, EnvAPI)
		}
		api = strings.TrimSuffix(api, "/")
	case forgeURL.Scheme == "file":
		// A directory has no API; only --create needs one and says so.
	case kind == forgeapi.GitHub && strings.EqualFold(forgeURL.Host, "github.com"):
		api = DefaultAPI
	default:
		api = forgeURL.String() + kind.APIPath()
	}
	return Forge{URL: forgeURL.String(), API: api, Kind: kind}, nil
}

func parseForgeURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("forge %q: %w; set it with --forge or $%s", raw, err, EnvForge)
	}
	switch u.Scheme {
	case "https", "http", "ssh", "git":
		if u.Host == "" {
			return nil, fmt.Errorf("forge %q has no host; want a URL such as %s", raw, DefaultForge)
		}
	case "file":
		if u.Host != "" || !path.IsAbs(u.Path) {
			return nil, fmt.Errorf("forge %q: a file forge needs an absolute path, as in file:///srv/forge", raw)
		}
	default:
		return nil, fmt.Errorf("forge %q: want an https://, http://, ssh://, git:// or file:/// URL such as %s; set it with --forge or $%s", raw, DefaultForge, EnvForge)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User.String() != "" && u.Scheme != "ssh" {
		return nil, fmt.Errorf("forge %q: a forge URL carries no query, fragment or credentials", raw)
	}
	return u, nil
}

// RepoURL returns the git URL of owner/repo on the forge.
func (f Forge) RepoURL(owner, repo string) string {
	return f.URL + "/" + owner + "/" + repo + ".git"
}

// Host returns the forge's host name without a port ("github.com"), or ""
// for a file:// forge.
func (f Forge) Host() string {
	u, err := url.Parse(f.URL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

var (
	// Compiled when first used, not at start: every gofork run, check's
	// included, would pay for them.
	namePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`) })
	hostPattern = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$`)
	})
)

// ValidateName checks an owner or repository name (kind says which, for the
// message) before it is put into a URL or a path.
func ValidateName(kind, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%s name is empty", kind)
	case name == "." || name == "..":
		return fmt.Errorf("%s name %q is not allowed: it would escape the forge's layout", kind, name)
	case strings.HasPrefix(name, "-"):
		return fmt.Errorf("%s name %q starts with '-': it would read as an option", kind, name)
	case !namePattern().MatchString(name):
		return fmt.Errorf("%s name %q: use at most 100 letters, digits, '.', '_' or '-'", kind, name)
	}
	return nil
}

// SplitURL returns the host (lower case, without port; "" for file://) and
// the last two path elements, owner and repo (without ".git"), of a git URL:
// https, http, ssh://, git://, file:// or scp-like [user@]host:owner/repo.
func SplitURL(rawURL string) (host, owner, repo string, err error) {
	host, p, err := hostAndPath(rawURL)
	if err != nil {
		return "", "", "", err
	}
	elems := strings.Split(strings.Trim(strings.TrimSuffix(strings.TrimSuffix(p, "/"), ".git"), "/"), "/")
	if len(elems) < 2 {
		return "", "", "", fmt.Errorf("git URL %q: want a path ending in owner/repo", rawURL)
	}
	owner, repo = elems[len(elems)-2], elems[len(elems)-1]
	if err := ValidateName("owner", owner); err != nil {
		return "", "", "", fmt.Errorf("git URL %q: %w", rawURL, err)
	}
	if err := ValidateName("repository", repo); err != nil {
		return "", "", "", fmt.Errorf("git URL %q: %w", rawURL, err)
	}
	return host, owner, repo, nil
}

// IsURL reports whether s is written as a git URL rather than a module path
// or owner/repo.
func IsURL(s string) bool {
	if strings.Contains(s, "://") {
		return true
	}
	_, _, ok := splitSCP(s)
	return ok
}

// splitSCP splits scp-like syntax, [user@]host:path, which git accepts when
// there is no "://" and the colon comes before any slash.
func splitSCP(s string) (host, p string, ok bool) {
	colon := strings.Index(s, ":")
	if colon <= 0 || strings.Contains(s[:colon], "/") || strings.Contains(s, "://") {
		return "", "", false
	}
	host = s[:colon]
	if at := strings.LastIndex(host, "@"); at >= 0 {
		host = host[at+1:]
	}
	return host, s[colon+1:], host != ""
}

func hostAndPath(rawURL string) (host, p string, err error) {
	if strings.HasPrefix(rawURL, "-") {
		return "", "", fmt.Errorf("git URL %q starts with '-': it would read as an option", rawURL)
	}
	if strings.Contains(rawURL, "::") {
		// transport::address hands the URL to a remote helper; ext:: runs
		// a command.
		return "", "", fmt.Errorf("git URL %q: remote-helper syntax (transport::address) is not supported; use https, ssh, git or file", rawURL)
	}
	if h, p, ok := splitSCP(rawURL); ok {
		if !hostPattern().MatchString(h) {
			return "", "", fmt.Errorf("git URL %q: %q is not a host name", rawURL, h)
		}
		return strings.ToLower(h), p, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", "", fmt.Errorf("git URL %q: %w", rawURL, err)
	}
	switch u.Scheme {
	case "https", "http", "ssh", "git", "git+ssh", "ssh+git":
		if u.Host == "" {
			return "", "", fmt.Errorf("git URL %q has no host", rawURL)
		}
	case "file":
	default:
		return "", "", fmt.Errorf("git URL %q: scheme %q is not supported; use https, ssh, git or file", rawURL, u.Scheme)
	}
	if _, hasPassword := u.User.Password(); hasPassword {
		return "", "", fmt.Errorf("git URL %s carries a password, which would be stored in git config; drop it and let a credential helper supply it", u.Redacted())
	}
	for _, elem := range strings.Split(u.Path, "/") {
		if elem == ".." {
			return "", "", fmt.Errorf("git URL %q: \"..\" is not allowed in its path", rawURL)
		}
	}
	return strings.ToLower(u.Hostname()), u.Path, nil
}

// ModulePathFromURL returns the module path a git remote URL stands for, the
// go command's view of the repository root: https://github.com/o/r.git,
// ssh://git@github.com/o/r and git@github.com:o/r.git all give
// github.com/o/r. A module in a subdirectory or with a major version suffix
// has a longer path than its repository. A file:// URL
// names no host and gives an error.
//
// A remote already in a config may carry credentials (CI puts a job token
// in origin's URL): they are dropped unread, and never quoted in an error.
func ModulePathFromURL(rawURL string) (string, error) {
	if u, err := url.Parse(rawURL); err == nil && u.Scheme != "" && u.User != nil {
		u.User = nil
		rawURL = u.String()
	}
	host, p, err := hostAndPath(rawURL)
	if err != nil {
		return "", err
	}
	if host == "" {
		return "", fmt.Errorf("git URL %q names no host, so no module path; read it from the clone's go.mod or `git config gofork.upstream`", rawURL)
	}
	p = strings.Trim(strings.TrimSuffix(strings.TrimSuffix(p, "/"), ".git"), "/")
	if p == "" {
		return "", fmt.Errorf("git URL %q names no repository", rawURL)
	}
	return host + "/" + p, nil
}

// ForkURL returns the URL of forkOwner's fork of the repository at
// upstreamURL: the same URL with forkOwner as the whole namespace, so the
// fork of git@github.com:awesome-org/tool.git is
// git@github.com:awesome-you/tool.git and the fork of a GitLab project in a
// subgroup (https://gitlab.com/group/sub/project.git) is
// https://gitlab.com/awesome-you/project.git: a fork lives in its owner's
// namespace. A file:// URL keeps its directory, the forge's root.
func ForkURL(upstreamURL, forkOwner string) (string, error) {
	if err := ValidateName("fork owner", forkOwner); err != nil {
		return "", err
	}
	_, owner, repo, err := SplitURL(upstreamURL)
	if err != nil {
		return "", err
	}
	trimmed := strings.TrimSuffix(upstreamURL, "/")
	suffix := ""
	if strings.HasSuffix(trimmed, ".git") {
		suffix = ".git"
		trimmed = strings.TrimSuffix(trimmed, ".git")
	}
	prefix, ok := strings.CutSuffix(trimmed, owner+"/"+repo)
	if !ok {
		return "", fmt.Errorf("git URL %q: cannot find %s/%s in it to swap the owner", upstreamURL, owner, repo)
	}
	if !strings.HasPrefix(prefix, "file://") {
		prefix = prefix[:pathStart(prefix)]
	}
	return prefix + forkOwner + "/" + repo + suffix, nil
}

// pathStart is where the repository path begins in the front part of a
// git URL: after scheme://host/ or after scp-like host:.
func pathStart(front string) int {
	if i := strings.Index(front, "://"); i >= 0 {
		if j := strings.IndexByte(front[i+3:], '/'); j >= 0 {
			return i + 3 + j + 1
		}
		return len(front)
	}
	if i := strings.IndexByte(front, ':'); i >= 0 {
		return i + 1
	}
	return len(front)
}

// isMajorSuffix reports whether elem is a major version suffix, vN.
func isMajorSuffix(elem string) bool {
	return len(elem) > 1 && elem[0] == 'v' && strings.Trim(elem[1:], "0123456789") == ""
}
