package clone

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	format "github.com/go-git/go-git/v5/plumbing/format/config"

	"github.com/gofork/gofork/internal/forgeapi"
	"github.com/gofork/gofork/internal/remote"
)

// forkOwner decides whose fork to use: --fork-owner, $GOFORK_OWNER,
// `git config --global github.user`, then the login of the token's user.
func forkOwner(ctx context.Context, flag string, getenv func(string) string, api *forgeapi.Client) (string, error) {
	owner := flag
	if owner == "" {
		owner = getenv(remote.EnvOwner)
	}
	if owner == "" {
		owner = globalGitConfig(getenv, "github", "user")
	}
	if owner == "" && api.Base != "" && api.Token != "" {
		login, err := api.User(ctx)
		if err != nil {
			return "", fmt.Errorf("find the fork owner: %w; or pass --fork-owner", err)
		}
		owner = login
	}
	if owner == "" {
		return "", errors.New("find the fork owner: pass --fork-owner NAME, set $" + remote.EnvOwner +
			", run `git config --global github.user NAME`, or set $GOFORK_TOKEN so gofork can ask the forge")
	}
	if err := remote.ValidateName("fork owner", owner); err != nil {
		return "", err
	}
	return owner, nil
}

// globalGitConfig reads section.key from the user's global git config the
// way git finds it ($GIT_CONFIG_GLOBAL, else ~/.gitconfig, else
// $XDG_CONFIG_HOME/git/config), without running git; "" when unset.
func globalGitConfig(getenv func(string) string, section, key string) string {
	var paths []string
	if p := getenv("GIT_CONFIG_GLOBAL"); p != "" {
		paths = []string{p}
	} else {
		home := getenv("HOME")
		xdg := getenv("XDG_CONFIG_HOME")
		if xdg == "" && home != "" {
			xdg = filepath.Join(home, ".config")
		}
		if home != "" {
			paths = append(paths, filepath.Join(home, ".gitconfig"))
		}
		if xdg != "" {
			paths = append(paths, filepath.Join(xdg, "git", "config"))
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cfg := format.New()
		if format.NewDecoder(bytes.NewReader(data)).Decode(cfg) != nil {
			continue
		}
		if v := cfg.Section(section).Option(key); v != "" {
			return v
		}
	}
	return ""
}
