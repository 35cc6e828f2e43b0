// Package forgeapi speaks the small part of GitHub's REST API gofork needs:
// who the token belongs to (GET /user) and creating a fork
// (POST /repos/{owner}/{repo}/forks). GitHub Enterprise serves the same API
// under <host>/api/v3.
//
// The token comes from $GOFORK_TOKEN, $GH_TOKEN or $GITHUB_TOKEN, in that
// order. It is only ever sent in the Authorization header to the API base
// the client was made for: never printed, never put into an error message,
// a remote URL or git config.
package forgeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// TokenEnv lists the variables a token is read from, first set wins.
var TokenEnv = []string{"GOFORK_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"}

// TokenFromEnv returns the first token set in TokenEnv, or "".
func TokenFromEnv(getenv func(string) string) string {
	for _, name := range TokenEnv {
		if t := strings.TrimSpace(getenv(name)); t != "" {
			return t
		}
	}
	return ""
}

// ErrUnauthorized is returned (wrapped) when the API rejects the token or
// wants one.
var ErrUnauthorized = errors.New("the forge API rejected the token")

// ErrNotFound is returned (wrapped) for a 404: no such repository, or one
// the token may not see.
var ErrNotFound = errors.New("not found")

// Client calls the API at Base (e.g. https://api.github.com).
type Client struct {
	Base  string
	Token string
	HTTP  *http.Client // nil means http.DefaultClient
}

// Repo is what the API says about a repository.
type Repo struct {
	FullName string `json:"full_name"` // "awesome-you/tool"
	CloneURL string `json:"clone_url"`
	Owner    struct {
		Login string `json:"login"`
	} `json:"owner"`
}

// User returns the login of the token's user.
func (c *Client) User(ctx context.Context) (string, error) {
	var user struct {
		Login string `json:"login"`
	}
	if err := c.call(ctx, http.MethodGet, "/user", nil, &user); err != nil {
		return "", fmt.Errorf("ask the forge API who the token belongs to: %w", err)
	}
	if user.Login == "" {
		return "", fmt.Errorf("ask the forge API who the token belongs to: %s/user gave no login", c.Base)
	}
	return user.Login, nil
}

// CreateFork asks the forge to fork owner/repo into the token's account.
// GitHub answers 202 Accepted at once and copies the repository in the
// background: the fork may not be fetchable for a while.
func (c *Client) CreateFork(ctx context.Context, owner, repo string) (Repo, error) {
	var fork Repo
	err := c.call(ctx, http.MethodPost, "/repos/"+owner+"/"+repo+"/forks", map[string]any{}, &fork)
	if err != nil {
		return Repo{}, fmt.Errorf("create a fork of %s/%s: %w", owner, repo, err)
	}
	return fork, nil
}

// maxResponse bounds how much of an answer is read.
const maxResponse = 4 << 20

func (c *Client) call(ctx context.Context, method, path string, body, out any) error {
	if c.Token == "" {
		return fmt.Errorf("%w: no token; set $%s (or $%s, $%s) to a token that may create forks",
			ErrUnauthorized, TokenEnv[0], TokenEnv[1], TokenEnv[2])
	}
	var reqBody io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reqBody = bytes.NewReader(b)
	}
	endpoint := strings.TrimSuffix(c.Base, "/") + path
	req, err := http.NewRequestWithContext(ctx, method, endpoint, reqBody)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, endpoint, redact(err, c.Token))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, endpoint, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%w (%s %s: %s%s); check $%s, $%s or $%s",
			ErrUnauthorized, method, endpoint, resp.Status, apiMessage(data, c.Token), TokenEnv[0], TokenEnv[1], TokenEnv[2])
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%w (%s %s: %s%s); check the name, and that the token may see the repository",
			ErrNotFound, method, endpoint, resp.Status, apiMessage(data, c.Token))
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return fmt.Errorf("%s %s: %s%s", method, endpoint, resp.Status, apiMessage(data, c.Token))
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, endpoint, err)
	}
	return nil
}

// apiMessage returns ": <message>" from a GitHub error body, if any.
func apiMessage(body []byte, token string) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		return ""
	}
	return ": " + strings.ReplaceAll(e.Message, token, "[token]")
}

// redact keeps the token out of transport errors, which may quote a request.
func redact(err error, token string) error {
	if !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "[token]"))
}
