package remote

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/mod/module"
)

// Upstream is the repository a user named, resolved to a git URL.
type Upstream struct {
	Owner string // owner element of the repository, e.g. "awesome-org"
	Repo  string // repository name without ".git", e.g. "tool"
	URL   string // git URL to clone

	// Module is the module path the name implies ("github.com/o/r/v2"), or
	// "" when the name says nothing about it (owner/repo on a forge that is
	// not a Go module host, a file:// URL). The clone's go.mod has the final
	// word.
	Module string

	// OnForge says the repository is on the forge (its host, or under its
	// file:// directory), so its fork can be created through the forge's API.
	OnForge bool
}

// codeHosts are hosts whose module paths are host/owner/repo[/…] without a
// go-get lookup, as the go command knows them (cmd/go's vcsPaths). Not
// gitlab.com: its paths nest subgroups (gitlab.com/group/sub/project), and
// the go command asks it through ?go-get=1 like any other host.
var codeHosts = map[string]bool{"github.com": true, "bitbucket.org": true}

var gopkgIn = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^gopkg\.in/(?:([A-Za-z0-9][-A-Za-z0-9]*)/)?([A-Za-z0-9][-.A-Za-z0-9]*)\.(v[0-9]+)(?:-unstable)?$`)
})

// Resolve turns what a user typed into an Upstream (see the package
// documentation for the accepted forms). Module paths on hosts other than
// the forge, github.com, bitbucket.org and gopkg.in are looked up with
// client through https://<path>?go-get=1.
func Resolve(ctx context.Context, spec string, forge Forge, client *http.Client) (Upstream, error) {
	if spec == "" {
		return Upstream{}, fmt.Errorf("upstream is empty; name it as owner/repo, a module path or a git URL")
	}
	if strings.HasPrefix(spec, "-") {
		return Upstream{}, fmt.Errorf("upstream %q starts with '-': it would read as an option", spec)
	}
	if IsURL(spec) {
		up, err := fromURL(spec)
		up.OnForge = err == nil && forge.hosts(up.URL)
		return up, err
	}
	spec = strings.TrimSuffix(spec, "/")
	elems := strings.Split(spec, "/")
	for _, elem := range elems {
		if elem == "." || elem == ".." {
			return Upstream{}, fmt.Errorf("upstream %q: %q is not allowed: it would escape the forge's layout", spec, elem)
		}
	}
	if len(elems) == 2 && !strings.Contains(elems[0], ".") {
		return onForge(forge, elems[0], elems[1], forge.Host(), "")
	}
	if m := gopkgIn().FindStringSubmatch(spec); m != nil {
		owner, name := m[1], m[2]
		if owner == "" {
			owner = "go-" + name
		}
		up, err := onForge(forge, owner, name, "", "")
		up.Module = spec
		return up, err
	}
	if strings.HasPrefix(spec, "gopkg.in/") {
		return Upstream{}, fmt.Errorf("upstream %q: want gopkg.in/name.vN or gopkg.in/owner/name.vN", spec)
	}
	host := strings.ToLower(elems[0])
	if !strings.Contains(host, ".") {
		return Upstream{}, fmt.Errorf("upstream %q: want owner/repo, a module path such as github.com/owner/repo, or a git URL", spec)
	}
	if err := module.CheckImportPath(spec); err != nil {
		return Upstream{}, fmt.Errorf("upstream %q: %w", spec, err)
	}
	if host == "github.com" || host == forge.Host() || codeHosts[host] {
		if len(elems) < 3 {
			return Upstream{}, fmt.Errorf("upstream %q: want %s/owner/repo", spec, host)
		}
		major := ""
		if len(elems) == 4 && isMajorSuffix(elems[3]) {
			major = "/" + elems[3]
		}
		if host == "github.com" || host == forge.Host() {
			return onForge(forge, elems[1], elems[2], host, major)
		}
		up, err := fromURL("https://" + host + "/" + elems[1] + "/" + elems[2] + ".git")
		up.Module += major
		return up, err
	}
	return resolveVanity(ctx, spec, client)
}

func onForge(forge Forge, owner, repo, moduleHost, major string) (Upstream, error) {
	repo = strings.TrimSuffix(repo, ".git")
	if err := ValidateName("owner", owner); err != nil {
		return Upstream{}, err
	}
	if err := ValidateName("repository", repo); err != nil {
		return Upstream{}, err
	}
	up := Upstream{Owner: owner, Repo: repo, URL: forge.RepoURL(owner, repo), OnForge: true}
	if moduleHost != "" {
		up.Module = moduleHost + "/" + owner + "/" + repo + major
	}
	return up, nil
}

// hosts reports whether the git URL names a repository on the forge.
func (f Forge) hosts(rawURL string) bool {
	if strings.HasPrefix(rawURL, f.URL+"/") {
		return true
	}
	host, _, err := hostAndPath(rawURL)
	return err == nil && host != "" && host == f.Host()
}

func fromURL(rawURL string) (Upstream, error) {
	host, owner, repo, err := SplitURL(rawURL)
	if err != nil {
		return Upstream{}, err
	}
	up := Upstream{Owner: owner, Repo: repo, URL: rawURL}
	if host != "" {
		up.Module = host + "/" + owner + "/" + repo
	}
	return up, nil
}

// maxMetaPage bounds how much of a go-get page is read: the go command stops
// at </head>, and real pages are a few kilobytes.
const maxMetaPage = 1 << 20

// resolveVanity finds the repository behind a module path the way the go
// command does: GET https://<path>?go-get=1 and read <meta name="go-import"
// content="<prefix> <vcs> <repo-root>">.
func resolveVanity(ctx context.Context, modulePath string, client *http.Client) (Upstream, error) {
	if client == nil {
		client = http.DefaultClient
	}
	pageURL := "https://" + modulePath + "?go-get=1"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL, nil)
	if err != nil {
		return Upstream{}, fmt.Errorf("resolve module path %q: %w", modulePath, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Upstream{}, fmt.Errorf("resolve module path %q: %w; name the upstream by its git URL instead", modulePath, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Upstream{}, fmt.Errorf("resolve module path %q: %s answered %s; name the upstream by its git URL instead", modulePath, pageURL, resp.Status)
	}
	imports, err := parseGoImports(io.LimitReader(resp.Body, maxMetaPage))
	if err != nil {
		return Upstream{}, fmt.Errorf("resolve module path %q: read %s: %w", modulePath, pageURL, err)
	}
	var match *goImport
	for i, imp := range imports {
		if modulePath != imp.prefix && !strings.HasPrefix(modulePath, imp.prefix+"/") {
			continue
		}
		if match != nil && match.prefix == imp.prefix {
			return Upstream{}, fmt.Errorf("resolve module path %q: %s has more than one go-import for %q", modulePath, pageURL, imp.prefix)
		}
		match = &imports[i]
	}
	if match == nil {
		return Upstream{}, fmt.Errorf("resolve module path %q: %s has no <meta name=\"go-import\"> for it; name the upstream by its git URL instead", modulePath, pageURL)
	}
	switch match.vcs {
	case "git":
	case "mod":
		return Upstream{}, fmt.Errorf("resolve module path %q: it is served only by a module proxy (go-import vcs \"mod\"), with no git repository to clone; name the upstream by its git URL instead", modulePath)
	default:
		return Upstream{}, fmt.Errorf("resolve module path %q: its repository is %s, not git; gofork works with git repositories only", modulePath, match.vcs)
	}
	up, err := fromURL(match.repoRoot)
	if err != nil {
		return Upstream{}, fmt.Errorf("resolve module path %q: go-import repository: %w", modulePath, err)
	}
	up.Module = match.prefix
	if rest := strings.TrimPrefix(modulePath, match.prefix); rest != "" {
		if last := rest[strings.LastIndex(rest, "/")+1:]; isMajorSuffix(last) && strings.Count(rest, "/") == 1 {
			up.Module += rest
		}
	}
	return up, nil
}

type goImport struct{ prefix, vcs, repoRoot string }

// parseGoImports reads go-import meta tags from an HTML page leniently, as
// the go command does: an XML decoder that tolerates HTML, stopping at
// </head> or <body>.
func parseGoImports(r io.Reader) ([]goImport, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "ascii") {
			return input, nil
		}
		return nil, fmt.Errorf("can't decode page in charset %q", charset)
	}
	var imports []goImport
	for {
		tok, err := d.RawToken()
		if err == io.EOF || err != nil && len(imports) > 0 {
			return imports, nil
		}
		if err != nil {
			return nil, err
		}
		if e, ok := tok.(xml.StartElement); ok && strings.EqualFold(e.Name.Local, "body") {
			return imports, nil
		}
		if e, ok := tok.(xml.EndElement); ok && strings.EqualFold(e.Name.Local, "head") {
			return imports, nil
		}
		e, ok := tok.(xml.StartElement)
		if !ok || !strings.EqualFold(e.Name.Local, "meta") || attr(e, "name") != "go-import" {
			continue
		}
		if f := strings.Fields(attr(e, "content")); len(f) == 3 {
			imports = append(imports, goImport{prefix: f[0], vcs: f[1], repoRoot: f[2]})
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}
