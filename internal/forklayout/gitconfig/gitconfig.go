// Package gitconfig stores a forklayout.Layout in a repository's config file
// and reads it back, through go-git's config format package. It is apart
// from forklayout so that the prompt, which reads configuration with its own
// fast parser, does not link go-git's.
package gitconfig

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/go-git/go-git/v5"
	format "github.com/go-git/go-git/v5/plumbing/format/config"

	"github.com/gofork/gofork/internal/atomicfile"
	"github.com/gofork/gofork/internal/forklayout"
)

// Flatten turns a parsed config into forklayout's canonical names.
func Flatten(cfg *format.Config) forklayout.Config {
	out := forklayout.Config{}
	add := func(prefix string, opts format.Options) {
		for _, o := range opts {
			name := prefix + strings.ToLower(o.Key)
			out[name] = append(out[name], o.Value)
		}
	}
	for _, s := range cfg.Sections {
		section := strings.ToLower(s.Name) + "."
		add(section, s.Options)
		for _, sub := range s.Subsections {
			add(section+sub.Name+".", sub.Options)
		}
	}
	return out
}

// OpenRepository opens the repository holding dir as git finds it: the
// first .git upward from dir, and for a linked worktree (git worktree add)
// its config, refs and objects read through the main repository's common
// directory, so that a worktree knows the clone's remotes and layout.
func OpenRepository(dir string) (*git.Repository, error) {
	return git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
}

// RepositoryConfig is the flattened config of the repository holding dir
// (see OpenRepository), nil when dir is in none or its config cannot be
// read: such a repository has no layout to tell.
func RepositoryConfig(dir string) forklayout.Config {
	repo, err := OpenRepository(dir)
	if err != nil {
		return nil
	}
	cfg, err := repo.Config()
	if err != nil {
		return nil
	}
	return Flatten(cfg.Raw)
}

// Read reads the layout stored in the config file at path.
func Read(path string) (forklayout.Layout, error) {
	cfg, err := decode(path)
	if err != nil {
		return forklayout.Layout{}, err
	}
	return forklayout.Read(Flatten(cfg)), nil
}

// Write stores l in the config file at path (a repository's .git/config),
// keeping every other line as it was, comments and layout included: the two
// remotes (git's default refspec unless the remote has its own), then
// l.Settings(). The file is replaced atomically with its mode kept, so an
// interrupted repair never leaves half a config.
func Write(path string, l forklayout.Layout) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read git config: %w", err)
	}
	cfg := parseConfigText(data)
	setRemote(cfg, l.UpstreamRemote, l.UpstreamURL)
	setRemote(cfg, l.ForkRemote, l.ForkURL)
	for _, s := range l.Settings() {
		if s.Default && cfg.has(s.Section, s.Subsection, s.Key) {
			continue
		}
		cfg.set(s.Section, s.Subsection, s.Key, s.Values)
	}
	return atomicfile.Replace(path, cfg.bytes())
}

func decode(path string) (*format.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read git config: %w", err)
	}
	cfg := format.New()
	if err := format.NewDecoder(bytes.NewReader(data)).Decode(cfg); err != nil {
		return nil, fmt.Errorf("read git config %s: %w; check it with git config --file %s --list", path, err, path)
	}
	return cfg, nil
}

// setRemote points remote name at url, giving it git's default refspec
// unless it already has one of its own.
func setRemote(cfg *configText, name, url string) {
	cfg.set("remote", name, "url", []string{url})
	if !cfg.has("remote", name, "fetch") {
		cfg.set("remote", name, "fetch", []string{"+refs/heads/*:refs/remotes/" + name + "/*"})
	}
}
