package gitstatus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/rawfile"
	"github.com/gofork/gofork/internal/sysfs"
)

// repo is an opened work tree: where it lives, its merged configuration,
// its refs and its objects.
type repo struct {
	workdir   string
	dir       string // where Read was asked to look: git's working directory, for relative $GIT_* paths
	gitdir    string // per-worktree directory (HEAD, index, rebase state)
	commondir string // shared directory (objects, refs, config)
	config    gitConfig
	// configFiles are the configuration files loaded, or looked for.
	configFiles []string
	refs        *refStore
	objects     *objectDB
}

// errNotRepo is returned when no work tree encloses the directory.
var errNotRepo = errors.New("not inside a git work tree")

// discover finds the work tree that contains dir (physical: Read resolves
// it, as git's getcwd does), walking up like git: a
// ".git" directory, or a ".git" file naming the git directory (linked
// worktrees and submodules), whose "commondir" file points at shared state.
// $GIT_DIR, when set, names the git directory instead (relative to dir, as
// git takes it relative to the directory it runs in); workdir is then dir,
// until workTree says otherwise. $GIT_COMMON_DIR and $GIT_OBJECT_DIRECTORY
// stand in for the common and objects directories, as in git.
func discover(dir string) (workdir, gitdir, commondir string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", "", fmt.Errorf("find repository from %q: %w", dir, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", "", "", fmt.Errorf("find repository from %q: %w", dir, err)
	}
	commonOf := func(gd string) string {
		if env := os.Getenv("GIT_COMMON_DIR"); env != "" {
			return absFrom(abs, env)
		}
		return commonDirOf(gd)
	}
	if env := os.Getenv("GIT_DIR"); env != "" {
		gd := absFrom(abs, env)
		common := commonOf(gd)
		if !isGitDirectory(gd, common, objectsDir(abs, common)) {
			return "", "", "", fmt.Errorf("find repository: GIT_DIR=%q is not a git directory; unset it or fix it", env)
		}
		return abs, gd, common, nil
	}
	for d := abs; ; {
		if gd, ok := dotGitTarget(d); ok {
			if common := commonOf(gd); isGitDirectory(gd, common, objectsDir(abs, common)) {
				return d, gd, common, nil
			}
		}
		// Inside a git directory (or a bare repository) git has no work
		// tree, and says so, as git status does.
		if filepath.Base(d) == ".git" || strings.HasSuffix(d, ".git") {
			if common := commonOf(d); isGitDirectory(d, common, objectsDir(abs, common)) {
				return "", "", "", fmt.Errorf("find repository from %q: inside the git directory %q: %w", dir, d, errNotRepo)
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", "", fmt.Errorf("find repository from %q: %w", dir, errNotRepo)
		}
		d = parent
	}
}

// gitDirOf returns the git directory of the work tree at dir and its common
// directory, when dir/.git is a valid repository (a directory, or a
// "gitdir:" file pointing at one).
func gitDirOf(dir string) (gitdir, commondir string, ok bool) {
	gd, ok := dotGitTarget(dir)
	if !ok {
		return "", "", false
	}
	common := commonDirOf(gd)
	return gd, common, isGitDirectory(gd, common, filepath.Join(common, "objects"))
}

// dotGitTarget is the git directory dir/.git names: itself, or where its
// "gitdir:" line points.
func dotGitTarget(dir string) (gitdir string, ok bool) {
	dotgit := filepath.Join(dir, ".git")
	fi, err := os.Stat(dotgit)
	if err != nil {
		return "", false
	}
	if fi.IsDir() {
		return dotgit, true
	}
	data, err := rawfile.ReadFile(dotgit)
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
	return filepath.Clean(target), true
}

// objectsDir is $GIT_OBJECT_DIRECTORY (relative to dir), else the common
// directory's objects.
func objectsDir(dir, common string) string {
	if env := os.Getenv("GIT_OBJECT_DIRECTORY"); env != "" {
		return absFrom(dir, env)
	}
	return filepath.Join(common, "objects")
}

// isGitDirectory mirrors git's is_git_directory: the objects directory and
// the common directory's refs exist and HEAD is a symbolic ref or an object
// id.
func isGitDirectory(gd, common, objects string) bool {
	for _, d := range []string{objects, filepath.Join(common, "refs")} {
		if _, err := os.Stat(d); err != nil {
			return false
		}
	}
	head, err := rawfile.ReadFile(filepath.Join(gd, "HEAD"))
	if err != nil {
		return false
	}
	h := strings.TrimSpace(string(head))
	return strings.HasPrefix(h, "ref: refs/") || isHexObjectID(h)
}

// isHexObjectID reports whether s is a SHA-1 or SHA-256 object id in hex,
// either of which git takes for a detached HEAD.
func isHexObjectID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// absFrom makes path absolute against dir.
func absFrom(dir, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}

// workTree is the work tree git uses for the repository at r.gitdir: as
// found, unless $GIT_WORK_TREE (relative to dir) or core.worktree
// (relative to the git directory) names another. With $GIT_DIR set and
// neither, git takes the directory it runs in as the top: discover already
// did.
func (r *repo) workTree(dir string) string {
	if env := os.Getenv("GIT_WORK_TREE"); env != "" {
		return absFrom(dir, env)
	}
	if wt, ok := r.config.value("core", "", "worktree"); ok && wt != "" {
		return absFrom(r.gitdir, wt)
	}
	return r.workdir
}

func commonDirOf(gitdir string) string {
	data, err := rawfile.ReadFile(filepath.Join(gitdir, "commondir"))
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
	if err := checkOwnership(workdir, gitdir); err != nil {
		return nil, err
	}
	if r.config, r.configFiles, err = loadConfig(gitdir, commondir); err != nil {
		return nil, err
	}
	if r.dir, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	r.workdir = r.workTree(r.dir)
	storage, _ := r.config.value("extensions", "", "refStorage")
	if storage != "" && storage != "files" && storage != "reftable" {
		return nil, fmt.Errorf("open repository %q: extensions.refStorage %q is not supported: only the files and reftable backends are read", gitdir, storage)
	}
	// git's files ref backend finds its common directory through the
	// commondir file alone, ignoring $GIT_COMMON_DIR (refs/files-backend.c).
	r.refs = &refStore{gitdir: gitdir, commondir: commonDirOf(gitdir), reftable: storage == "reftable"}
	r.objects = newObjectDB(objectsDir(r.dir, commondir), envAlternates(r.dir))
	r.objects.replacements = sync.OnceValue(r.replaceRefs)
	r.objects.shallow = sync.OnceValue(func() map[plumbing.Hash]bool { return readShallow(commondir) })
	return r, nil
}

// readShallow reads the commits a shallow clone lists in commondir/shallow,
// one object id a line; nil when the repository is not shallow.
func readShallow(commondir string) map[plumbing.Hash]bool {
	data, err := rawfile.ReadFile(filepath.Join(commondir, "shallow"))
	if err != nil {
		return nil
	}
	set := map[plumbing.Hash]bool{}
	for line := range strings.Lines(string(data)) {
		if id := strings.TrimSpace(line); plumbing.IsHash(id) {
			set[plumbing.NewHash(id)] = true
		}
	}
	return set
}

// checkOwnership refuses, as git does since 2.35.2, a repository whose work
// tree or git directory another user owns (a prompt run as root in your
// repository, a shared mount) unless safe.directory, from the system's or
// the user's configuration or the environment, names its top or is "*".
// Root under sudo is the user SUDO_UID names.
func checkOwnership(workdir, gitdir string) error {
	if runtime.GOOS == "windows" {
		return nil // git there compares owners by SID, which this does not read
	}
	uid := uint32(os.Geteuid())
	if sudo, err := strconv.ParseUint(os.Getenv("SUDO_UID"), 10, 32); uid == 0 && err == nil {
		uid = uint32(sudo)
	}
	owned := func(p string) bool {
		var st sysfs.Stat_t
		return sysfs.Stat(p, &st) != nil || st.Uid == uid
	}
	if owned(workdir) && owned(gitdir) {
		return nil
	}
	var safe []string
	for _, v := range protectedConfig().all("safe", "", "directory") {
		if v == "" {
			safe = safe[:0] // an empty value resets the list
			continue
		}
		safe = append(safe, v)
	}
	for _, v := range safe {
		if v == "*" || filepath.Clean(expandHome(v)) == workdir {
			return nil
		}
	}
	return fmt.Errorf("open repository %q: dubious ownership: another user owns it, and git refuses it too; trust it with git config --global --add safe.directory %s: %w", workdir, workdir, errNotRepo)
}

// expandHome is git's ~/ in a path value.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// foldFlags is wmCasefold when core.ignoreCase is set: git then matches
// names, ignore patterns and attribute patterns whatever their case.
func (r *repo) foldFlags() wmFlags {
	if r.config.boolean("core", "", "ignoreCase", false) {
		return wmCasefold
	}
	return 0
}

// replaceRefs reads the replace refs git applies when it reads an object
// (git replace, --graft): refs/replace/<id>, or below $GIT_REPLACE_REF_BASE,
// unless $GIT_NO_REPLACE_OBJECTS is set or core.useReplaceRefs is false.
func (r *repo) replaceRefs() map[plumbing.Hash]plumbing.Hash {
	if _, off := os.LookupEnv("GIT_NO_REPLACE_OBJECTS"); off || !r.config.boolean("core", "", "useReplaceRefs", true) {
		return nil
	}
	base := "refs/replace/"
	if env := os.Getenv("GIT_REPLACE_REF_BASE"); env != "" {
		base = strings.TrimSuffix(env, "/") + "/"
	}
	var replace map[plumbing.Hash]plumbing.Hash
	add := func(name string, to plumbing.Hash) {
		if plumbing.IsHash(name) {
			if replace == nil {
				replace = map[plumbing.Hash]plumbing.Hash{}
			}
			replace[plumbing.NewHash(name)] = to
		}
	}
	for name, p := range r.refs.packedRefs() {
		if id, ok := strings.CutPrefix(name, base); ok {
			add(id, p.hash)
		}
	}
	// Loose refs override packed ones.
	looseRefs(nil, filepath.Join(r.refs.commondir, filepath.FromSlash(base)), "", "", add)
	return replace
}

// close releases the pack files read so far.
func (r *repo) close() { r.objects.close() }

// configPath is the file named by core.<key> (with a leading ~/ as the
// home directory), or git's default, xdgName in $XDG_CONFIG_HOME/git.
func (r *repo) configPath(key, xdgName string) string {
	v, ok := r.config.value("core", "", key)
	if !ok {
		return filepath.Join(xdgConfigHome(), "git", xdgName)
	}
	if rest, ok := strings.CutPrefix(v, "~/"); ok {
		home, _ := os.UserHomeDir()
		return filepath.Join(home, rest)
	}
	return v
}

// resolve follows a reference name (symbolic refs included) to an object id.
func (r *repo) resolve(name string) (plumbing.Hash, error) { return r.refs.resolve(name) }

// readHead returns HEAD's branch (short name, "" when detached) and commit
// (zero when the branch is unborn).
func (r *repo) readHead() (branch string, commit plumbing.Hash, err error) {
	head, err := r.headContent()
	if err != nil {
		return "", plumbing.ZeroHash, err
	}
	if target, ok := strings.CutPrefix(head, "ref: "); ok {
		branch = strings.TrimPrefix(target, "refs/heads/")
		commit, err := r.resolve(target)
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

// headContent is what HEAD says, as its file spells it: "ref: <name>" or
// an object id. With the reftable backend the file is a placeholder and
// HEAD is a record of the worktree's stack.
func (r *repo) headContent() (string, error) {
	if r.refs.reftable {
		h, err := r.refs.reference("HEAD")
		switch {
		case err != nil:
			return "", fmt.Errorf("read HEAD: %w", err)
		case h.target != "":
			return "ref: " + h.target, nil
		}
		return h.hash.String(), nil
	}
	data, err := rawfile.ReadFile(filepath.Join(r.gitdir, "HEAD"))
	if err != nil {
		return "", fmt.Errorf("read HEAD: %w", err)
	}
	return strings.TrimSpace(string(data)), nil
}

// trackingRef maps a remote's branch to its remote-tracking ref through the
// remote's fetch refspecs, like git's branch.<b>.merge handling. Remote "."
// means the local repository.
func (r *repo) trackingRef(remote, merge string) string {
	if remote == "." {
		return merge
	}
	for _, spec := range r.config.all("remote", remote, "fetch") {
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
