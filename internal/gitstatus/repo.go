package gitstatus

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	gitconfig "github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// repo is an opened work tree: where it lives, its merged configuration and
// go-git's storage over its git directory.
type repo struct {
	workdir   string
	gitdir    string // per-worktree directory (HEAD, index, rebase state)
	commondir string // shared directory (objects, refs, config)
	config    *gitconfig.Config
	storage   *filesystem.Storage
}

// errNotRepo is returned when no work tree encloses the directory.
var errNotRepo = errors.New("not inside a git work tree")

// discover finds the work tree that contains dir, walking up like git: a
// ".git" directory, or a ".git" file naming the git directory (linked
// worktrees and submodules), whose "commondir" file points at shared state.
func discover(dir string) (workdir, gitdir, commondir string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", "", fmt.Errorf("find repository from %q: %w", dir, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", "", "", fmt.Errorf("find repository from %q: %w", dir, err)
	}
	for d := abs; ; {
		if gd, ok := gitDirOf(d); ok {
			return d, gd, commonDirOf(gd), nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", "", fmt.Errorf("find repository from %q: %w", dir, errNotRepo)
		}
		d = parent
	}
}

// gitDirOf returns the git directory of the work tree at dir, when dir/.git
// is a valid repository (a directory, or a "gitdir:" file pointing at one).
func gitDirOf(dir string) (string, bool) {
	dotgit := filepath.Join(dir, ".git")
	fi, err := os.Stat(dotgit)
	if err != nil {
		return "", false
	}
	gd := dotgit
	if !fi.IsDir() {
		data, err := os.ReadFile(dotgit)
		if err != nil {
			return "", false
		}
		target, ok := strings.CutPrefix(strings.TrimRight(string(data), "\r\n"), "gitdir: ")
		if !ok {
			return "", false
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		gd = filepath.Clean(target)
	}
	return gd, isGitDirectory(gd)
}

// isGitDirectory mirrors git's is_git_directory: objects and refs exist in
// the common directory and HEAD is a symbolic ref or an object id.
func isGitDirectory(gd string) bool {
	common := commonDirOf(gd)
	for _, sub := range []string{"objects", "refs"} {
		if _, err := os.Stat(filepath.Join(common, sub)); err != nil {
			return false
		}
	}
	head, err := os.ReadFile(filepath.Join(gd, "HEAD"))
	if err != nil {
		return false
	}
	h := strings.TrimSpace(string(head))
	return strings.HasPrefix(h, "ref: refs/") || plumbing.IsHash(h)
}

func commonDirOf(gitdir string) string {
	data, err := os.ReadFile(filepath.Join(gitdir, "commondir"))
	if err != nil {
		return gitdir
	}
	common := strings.TrimSpace(string(data))
	if !filepath.IsAbs(common) {
		common = filepath.Join(gitdir, common)
	}
	return filepath.Clean(common)
}

func openRepo(dir string) (*repo, error) {
	workdir, gitdir, commondir, err := discover(dir)
	if err != nil {
		return nil, err
	}
	r := &repo{workdir: workdir, gitdir: gitdir, commondir: commondir}
	if r.config, err = loadConfig(gitdir, commondir); err != nil {
		return nil, err
	}
	r.storage = openStorage(gitdir, commondir)
	return r, nil
}

// openStorage opens go-git's storage over a git directory, routing shared
// files (objects, refs, config) to the common directory of a linked worktree.
func openStorage(gitdir, commondir string) *filesystem.Storage {
	var common billy.Filesystem
	if commondir != gitdir {
		common = osfs.New(commondir)
	}
	fs := dotgit.NewRepositoryFilesystem(osfs.New(gitdir), common)
	return filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(4*cache.MiByte), filesystem.Options{})
}

// loadConfig merges the configuration files git would read, lowest
// precedence first, so that the last value of a key wins. include.path is
// not followed.
func loadConfig(gitdir, commondir string) (*gitconfig.Config, error) {
	var files []string
	if os.Getenv("GIT_CONFIG_NOSYSTEM") == "" {
		files = append(files, "/etc/gitconfig")
	}
	if global := os.Getenv("GIT_CONFIG_GLOBAL"); global != "" {
		files = append(files, global)
	} else {
		files = append(files, filepath.Join(xdgConfigHome(), "git", "config"))
		if home, err := os.UserHomeDir(); err == nil {
			files = append(files, filepath.Join(home, ".gitconfig"))
		}
	}
	files = append(files, filepath.Join(commondir, "config"))
	cfg := gitconfig.New()
	for i, name := range files {
		if err := decodeConfigFile(cfg, name); err != nil {
			return nil, err
		}
		if i == len(files)-1 && configBool(cfg, "extensions", "", "worktreeConfig", false) {
			if err := decodeConfigFile(cfg, filepath.Join(gitdir, "config.worktree")); err != nil {
				return nil, err
			}
		}
	}
	return cfg, nil
}

func decodeConfigFile(cfg *gitconfig.Config, name string) error {
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read git config %q: %w", name, err)
	}
	if err := gitconfig.NewDecoder(bytes.NewReader(data)).Decode(cfg); err != nil {
		return fmt.Errorf("parse git config %q: %w; fix it with `git config --file %s --list`", name, err, name)
	}
	return nil
}

func xdgConfigHome() string {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		return x
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".config")
}

// configValue returns the last value of section[.subsection].key and whether
// it is set.
func configValue(cfg *gitconfig.Config, section, subsection, key string) (string, bool) {
	if !cfg.HasSection(section) {
		return "", false
	}
	opts := cfg.Section(section).Options
	if subsection != "" {
		s := cfg.Section(section)
		if !s.HasSubsection(subsection) {
			return "", false
		}
		opts = s.Subsection(subsection).Options
	}
	if !opts.Has(key) {
		return "", false
	}
	return opts.Get(key), true
}

func configBool(cfg *gitconfig.Config, section, subsection, key string, def bool) bool {
	v, ok := configValue(cfg, section, subsection, key)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "", "true", "yes", "on", "1":
		return true
	case "false", "no", "off", "0":
		return false
	}
	return def
}

// excludesFile is core.excludesFile, or git's XDG default.
func (r *repo) excludesFile() string {
	v, ok := configValue(r.config, "core", "", "excludesFile")
	if !ok {
		return filepath.Join(xdgConfigHome(), "git", "ignore")
	}
	if rest, ok := strings.CutPrefix(v, "~/"); ok {
		home, _ := os.UserHomeDir()
		return filepath.Join(home, rest)
	}
	return v
}

// resolve follows a reference name (symbolic refs included) to an object id.
func (r *repo) resolve(name plumbing.ReferenceName) (plumbing.Hash, error) {
	for range 10 {
		ref, err := r.storage.Reference(name)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if ref.Type() == plumbing.HashReference {
			if ref.Hash().IsZero() {
				// go-git reads a broken ref file as the zero id
				return plumbing.ZeroHash, fmt.Errorf("ref %q does not hold an object id; repair it with `git update-ref`", name)
			}
			return ref.Hash(), nil
		}
		name = ref.Target()
	}
	return plumbing.ZeroHash, fmt.Errorf("resolve %q: too many levels of symbolic references", name)
}

// readHead returns HEAD's branch (short name, "" when detached) and commit
// (zero when the branch is unborn).
func (r *repo) readHead() (branch string, commit plumbing.Hash, err error) {
	data, err := os.ReadFile(filepath.Join(r.gitdir, "HEAD"))
	if err != nil {
		return "", plumbing.ZeroHash, fmt.Errorf("read HEAD: %w", err)
	}
	head := strings.TrimSpace(string(data))
	if target, ok := strings.CutPrefix(head, "ref: "); ok {
		name := plumbing.ReferenceName(target)
		branch = strings.TrimPrefix(target, "refs/heads/")
		commit, err := r.resolve(name)
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			return branch, plumbing.ZeroHash, nil
		}
		if err != nil {
			return branch, plumbing.ZeroHash, fmt.Errorf("read HEAD: resolve %q: %w", target, err)
		}
		return branch, commit, nil
	}
	if !plumbing.IsHash(head) {
		return "", plumbing.ZeroHash, fmt.Errorf("read HEAD: %q is neither a symbolic ref nor an object id", head)
	}
	return "", plumbing.NewHash(head), nil
}

// trackingRef maps a remote's branch to its remote-tracking ref through the
// remote's fetch refspecs, like git's branch.<b>.merge handling. Remote "."
// means the local repository.
func (r *repo) trackingRef(remote, merge string) string {
	if remote == "." {
		return merge
	}
	sub, ok := r.config.Section("remote"), r.config.HasSection("remote")
	if !ok || !sub.HasSubsection(remote) {
		return ""
	}
	for _, spec := range sub.Subsection(remote).Options.GetAll("fetch") {
		spec = strings.TrimPrefix(spec, "+")
		src, dst, ok := strings.Cut(spec, ":")
		if !ok {
			continue
		}
		if prefix, ok := strings.CutSuffix(src, "*"); ok {
			if rest, ok := strings.CutPrefix(merge, prefix); ok {
				dprefix, _ := strings.CutSuffix(dst, "*")
				return dprefix + rest
			}
		} else if src == merge {
			return dst
		}
	}
	return ""
}

// shortRef shortens a full ref name like git's shorten_unambiguous_ref does
// in the common cases.
func shortRef(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/remotes/", "refs/tags/"} {
		if s, ok := strings.CutPrefix(ref, p); ok {
			return s
		}
	}
	return ref
}
