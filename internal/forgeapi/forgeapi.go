// Package forgeapi speaks the small part of a forge's REST API gofork
// needs: who the token belongs to, and creating a fork. Three kinds of
// forge are spoken:
//
//   - GitHub (and GitHub Enterprise under <host>/api/v3): GET /user,
//     POST /repos/{owner}/{repo}/forks (202 Accepted, copied in the
//     background);
//   - GitLab (<host>/api/v4): GET /user, POST /projects/{id}/fork with the
//     project's URL-encoded path as id, subgroups included (201 Created,
//     imported in the background); a fork that exists already (409) is
//     looked up in GET /projects/{id}/forks, page by page;
//   - Gitea and Forgejo (<host>/api/v1): GET /user,
//     POST /repos/{owner}/{repo}/forks (202); a fork that exists (409) is
//     looked up in GET /repos/{owner}/{repo}/forks, page by page.
//
// The token comes from $GOFORK_TOKEN, then the kind's usual variables
// ($GH_TOKEN and $GITHUB_TOKEN; $GITLAB_TOKEN; $GITEA_TOKEN and
// $FORGEJO_TOKEN). It is only ever sent in the authorization header to the
// API base the client was made for: never printed, never put into an error
// message, a remote URL or git config.
package forgeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Kind is the API a forge speaks.
type Kind string

const (
	GitHub Kind = "github"
	GitLab Kind = "gitlab"
	Gitea  Kind = "gitea" // Forgejo too
)

// Kinds are the values of --forge-kind.
var Kinds = []Kind{GitHub, GitLab, Gitea}

// ParseKind reads a --forge-kind value; "" means KindFor decides.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if strings.EqualFold(s, string(k)) {
			return k, nil
		}
	}
	return "", fmt.Errorf("forge kind %q: want github, gitlab or gitea", s)
}

// KindFor guesses the kind of the forge at host: GitLab for gitlab.com and
// hosts named gitlab.*, Gitea for codeberg.org, gitea.com and hosts named
// gitea.* or forgejo.*, else GitHub (Enterprise servers have any name).
func KindFor(host string) Kind {
	host = strings.ToLower(host)
	first, _, _ := strings.Cut(host, ".")
	switch {
	case host == "gitlab.com" || first == "gitlab":
		return GitLab
	case host == "codeberg.org" || host == "gitea.com" || first == "gitea" || first == "forgejo":
		return Gitea
	}
	return GitHub
}

// APIPath is where the kind's REST API lives below a self-hosted forge's
// URL; api.github.com is GitHub's own.
func (k Kind) APIPath() string {
	switch k {
	case GitLab:
		return "/api/v4"
	case Gitea:
		return "/api/v1"
	}
	return "/api/v3"
}

// TokenEnv lists the variables a token is read from for kind, first set
// wins.
func TokenEnv(kind Kind) []string {
	switch kind {
	case GitLab:
		return []string{"GOFORK_TOKEN", "GITLAB_TOKEN"}
	case Gitea:
		return []string{"GOFORK_TOKEN", "GITEA_TOKEN", "FORGEJO_TOKEN"}
	}
	return []string{"GOFORK_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"}
}

// TokenFromEnv returns the first token set in TokenEnv(kind), or "".
func TokenFromEnv(kind Kind, getenv func(string) string) string {
	for _, name := range TokenEnv(kind) {
		if t := strings.TrimSpace(getenv(name)); t != "" {
			return t
		}
	}
	return ""
}

// ErrUnauthorized is returned (wrapped) when the API rejects the token or
// wants one.
var ErrUnauthorized = errors.New("the forge API rejected the token")

// ErrForbidden is returned (wrapped) for a 403: the token may not do it.
var ErrForbidden = errors.New("the forge API refused")

// ErrNotFound is returned (wrapped) for a 404: no such repository, or one
// the token may not see.
var ErrNotFound = errors.New("not found")

// errConflict is a 409: the fork exists already.
var errConflict = errors.New("conflict")

// Client calls the API of kind at Base (e.g. https://api.github.com,
// https://gitlab.com/api/v4).
type Client struct {
	Kind  Kind // "" is GitHub
	Base  string
	Token string
	HTTP  *http.Client // nil means http.DefaultClient
}

// Repo is what the API says about a repository, in any kind's words.
type Repo struct {
	FullName string // "awesome-you/tool"
	CloneURL string
	Owner    string // the namespace it is in
}

// User returns the login of the token's user.
func (c *Client) User(ctx context.Context) (string, error) {
	var user struct {
		Login    string `json:"login"`    // GitHub, Gitea
		Username string `json:"username"` // GitLab
	}
	if _, err := c.call(ctx, http.MethodGet, "/user", nil, &user); err != nil {
		return "", fmt.Errorf("ask the forge API who the token belongs to: %w", err)
	}
	login := user.Login
	if c.Kind == GitLab {
		login = user.Username
	}
	if login == "" {
		return "", fmt.Errorf("ask the forge API who the token belongs to: %s/user gave no login", c.Base)
	}
	return login, nil
}

// CreateFork asks the forge to fork owner/repo (owner may hold GitLab
// subgroups: group/sub) into the token's account. Forges copy the
// repository in the background: the fork may not be fetchable for a
// while. A fork that exists already is returned as it is.
func (c *Client) CreateFork(ctx context.Context, owner, repo string) (Repo, error) {
	var fork Repo
	var err error
	switch c.Kind {
	case GitLab:
		fork, err = c.createGitLabFork(ctx, owner+"/"+repo)
	default:
		fork, err = c.createRepoFork(ctx, owner, repo)
	}
	if err != nil {
		return Repo{}, fmt.Errorf("create a fork of %s/%s: %w", owner, repo, err)
	}
	return fork, nil
}

// githubRepo is a repository as GitHub and Gitea describe it.
type githubRepo struct {
	FullName string `json:"full_name"`
	CloneURL string `json:"clone_url"`
	Owner    struct {
		Login string `json:"login"`
	} `json:"owner"`
}

func (r githubRepo) repo() Repo {
	return Repo{FullName: r.FullName, CloneURL: r.CloneURL, Owner: r.Owner.Login}
}

func (c *Client) createRepoFork(ctx context.Context, owner, repo string) (Repo, error) {
	var fork githubRepo
	path := "/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) + "/forks"
	_, err := c.call(ctx, http.MethodPost, path, map[string]any{}, &fork)
	if errors.Is(err, errConflict) && c.Kind == Gitea {
		return c.existingFork(ctx, func(page int) (string, func([]byte) ([]Repo, error)) {
			return fmt.Sprintf("%s?page=%d&limit=50", path, page), decodeRepos[githubRepo]
		})
	}
	return fork.repo(), err
}

// gitlabProject is a project as GitLab describes it.
type gitlabProject struct {
	PathWithNamespace string `json:"path_with_namespace"`
	HTTPURLToRepo     string `json:"http_url_to_repo"`
	Namespace         struct {
		FullPath string `json:"full_path"`
	} `json:"namespace"`
}

func (p gitlabProject) repo() Repo {
	return Repo{FullName: p.PathWithNamespace, CloneURL: p.HTTPURLToRepo, Owner: p.Namespace.FullPath}
}

func (c *Client) createGitLabFork(ctx context.Context, project string) (Repo, error) {
	id := "/projects/" + url.PathEscape(project)
	var fork gitlabProject
	_, err := c.call(ctx, http.MethodPost, id+"/fork", map[string]any{}, &fork)
	if errors.Is(err, errConflict) {
		return c.existingFork(ctx, func(page int) (string, func([]byte) ([]Repo, error)) {
			return fmt.Sprintf("%s/forks?owned=true&per_page=100&page=%d", id, page), decodeRepos[gitlabProject]
		})
	}
	return fork.repo(), err
}

// decodeRepos decodes a forge's JSON list of repositories, each as the
// forge describes one (T), into Repos.
func decodeRepos[T interface{ repo() Repo }](data []byte) ([]Repo, error) {
	var list []T
	err := json.Unmarshal(data, &list)
	out := make([]Repo, len(list))
	for i, r := range list {
		out[i] = r.repo()
	}
	return out, err
}

// maxForkPages bounds the pages of forks read to find the user's.
const maxForkPages = 50

// existingFork finds the token's user's fork in a forge's list of forks,
// read page by page (page(n) gives the request path and how to decode it)
// until a page is empty or the forge says there is no next one.
func (c *Client) existingFork(ctx context.Context, page func(int) (string, func([]byte) ([]Repo, error))) (Repo, error) {
	user, err := c.User(ctx)
	if err != nil {
		return Repo{}, err
	}
	for n := 1; n <= maxForkPages; n++ {
		path, decode := page(n)
		var raw json.RawMessage
		resp, err := c.call(ctx, http.MethodGet, path, nil, &raw)
		if err != nil {
			return Repo{}, fmt.Errorf("the fork exists already, but listing forks failed: %w", err)
		}
		list, err := decode(raw)
		if err != nil {
			return Repo{}, fmt.Errorf("GET %s: decode answer: %w", path, err)
		}
		for _, r := range list {
			if strings.EqualFold(r.Owner, user) {
				return r, nil
			}
		}
		next := hasNextPage(resp)
		if c.Kind == GitLab {
			next = resp.Header.Get("X-Next-Page") != ""
		}
		if len(list) == 0 || !next {
			break
		}
	}
	return Repo{}, fmt.Errorf("the forge says a fork exists (409), but none of its forks is %s's", user)
}

// hasNextPage reads a Link header's rel="next", as Gitea sends it.
func hasNextPage(resp *http.Response) bool {
	for _, link := range resp.Header.Values("Link") {
		if strings.Contains(link, `rel="next"`) {
			return true
		}
	}
	return false
}

// maxResponse bounds how much of an answer is read.
const maxResponse = 4 << 20

func (c *Client) call(ctx context.Context, method, path string, body, out any) (*http.Response, error) {
	if c.Token == "" {
		env := TokenEnv(c.Kind)
		return nil, fmt.Errorf("%w: no token; set $%s (or $%s) to a token that may create forks",
			ErrUnauthorized, env[0], strings.Join(env[1:], ", $"))
	}
	var reqBody io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		reqBody = bytes.NewReader(b)
	}
	endpoint := strings.TrimSuffix(c.Base, "/") + path
	req, err := http.NewRequestWithContext(ctx, method, endpoint, reqBody)
	if err != nil {
		return nil, err
	}
	switch c.Kind {
	case GitLab:
		req.Header.Set("PRIVATE-TOKEN", c.Token)
	case Gitea:
		req.Header.Set("Authorization", "token "+c.Token)
	default:
		req.Header.Set("Accept", "application/vnd.github+json")
		req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, endpoint, redact(err, c.Token))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", method, endpoint, err)
	}
	env := TokenEnv(c.Kind)
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return nil, fmt.Errorf("%w (%s %s: %s%s); check $%s", ErrUnauthorized, method, endpoint, resp.Status, apiMessage(data, c.Token), strings.Join(env, ", $"))
	case resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("%w (%s %s: %s%s); the token needs the right to create repositories", ErrForbidden, method, endpoint, resp.Status, apiMessage(data, c.Token))
	case resp.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("%w (%s %s: %s%s); check the name, and that the token may see the repository",
			ErrNotFound, method, endpoint, resp.Status, apiMessage(data, c.Token))
	case resp.StatusCode == http.StatusConflict:
		return nil, fmt.Errorf("%w (%s %s: %s%s)", errConflict, method, endpoint, resp.Status, apiMessage(data, c.Token))
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("%s %s: %s%s", method, endpoint, resp.Status, apiMessage(data, c.Token))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, fmt.Errorf("%s %s: decode answer: %w", method, endpoint, err)
	}
	return resp, nil
}

// apiMessage returns ": <message>" from an error body, if any: GitHub's and
// Gitea's "message" string, GitLab's "message" (a string or an object of
// field errors) or "error".
func apiMessage(body []byte, token string) string {
	var e struct {
		Message json.RawMessage `json:"message"`
		Error   string          `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	msg := e.Error
	if len(e.Message) > 0 {
		var s string
		if json.Unmarshal(e.Message, &s) == nil {
			msg = s
		} else {
			msg = string(e.Message)
		}
	}
	if msg == "" {
		return ""
	}
	return ": " + strings.ReplaceAll(msg, token, "[token]")
}

// redact keeps the token out of transport errors, which may quote a request.
func redact(err error, token string) error {
	if !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "[token]"))
}
