package clone

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Transport names, for --transport and $GOFORK_TRANSPORT.
const (
	TransportAuto  = ""       // git when on PATH, else go-git
	TransportGit   = "git"    // the git binary, with the user's credential helpers
	TransportGoGit = "go-git" // in-process, no git needed
)

// transport moves objects. The git binary is the default because it clones
// markedly faster than go-git (see BenchmarkCloneTransports and README);
// go-git keeps gofork working where git is not installed.
type transport interface {
	// defaultBranch returns the branch HEAD points at in the repository at
	// url; it fails when the repository cannot be fetched.
	defaultBranch(ctx context.Context, url string) (string, error)
	clone(ctx context.Context, url, dir, remoteName string) error
	fetch(ctx context.Context, dir, remoteName string) error
}

func newTransport(name string, progress io.Writer) (transport, error) {
	switch name {
	case TransportAuto:
		if path, err := exec.LookPath("git"); err == nil {
			return gitBinary{path: path, progress: progress}, nil
		}
		return goGit{progress: progress}, nil
	case TransportGit:
		path, err := exec.LookPath("git")
		if err != nil {
			return nil, fmt.Errorf("transport %q: %w; install git or use --transport %s", name, err, TransportGoGit)
		}
		return gitBinary{path: path, progress: progress}, nil
	case TransportGoGit:
		return goGit{progress: progress}, nil
	}
	return nil, fmt.Errorf("transport %q: want %q or %q (or leave it empty to pick git when on PATH)", name, TransportGit, TransportGoGit)
}

// gitBinary runs git. Arguments that come from the user always follow "--"
// or are validated names, so nothing can be read as an option.
type gitBinary struct {
	path     string
	progress io.Writer // nil: quiet
}

func (g gitBinary) run(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, g.path, args...)
	cmd.Dir = dir
	killGroupOnCancel(cmd)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if g.progress != nil {
		cmd.Stderr = io.MultiWriter(&stderr, g.progress)
	}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("git %s: %w: %s", args[0], err, gitError(stderr.String()))
	}
	return stdout.String(), nil
}

// gitError picks the line of git's stderr that says what went wrong. The
// remote side's "fatal:" comes first: it names the cause (a missing object,
// a refused request), while the local side only sees the connection die, and
// over file:// the two sides write to one stderr in no fixed order. Next the
// first local "fatal:" (later ones and the advice after it repeat or
// generalise), else the last line, so progress output never ends up in the
// message.
func gitError(stderr string) string {
	lines := strings.FieldsFunc(stderr, func(r rune) bool { return r == '\n' || r == '\r' })
	if msg, ok := firstWithPrefix(lines, "remote: fatal: "); ok {
		return "remote: " + msg
	}
	if msg, ok := firstWithPrefix(lines, "fatal: "); ok {
		return msg
	}
	if len(lines) == 0 {
		return "no message"
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// firstWithPrefix returns the rest of the first line that starts with prefix,
// without the blanks git's sideband pads remote lines with.
func firstWithPrefix(lines []string, prefix string) (string, bool) {
	for _, line := range lines {
		if msg, ok := strings.CutPrefix(line, prefix); ok {
			return strings.TrimSpace(msg), true
		}
	}
	return "", false
}

func (g gitBinary) progressFlag() string {
	if g.progress == nil {
		return "--quiet"
	}
	return "--progress"
}

func (g gitBinary) defaultBranch(ctx context.Context, url string) (string, error) {
	out, err := g.run(ctx, "", "ls-remote", "--symref", "--", url, "HEAD")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(out, "\n") {
		if ref, ok := strings.CutPrefix(line, "ref: "); ok {
			ref, _, _ = strings.Cut(ref, "\t")
			return strings.TrimPrefix(ref, "refs/heads/"), nil
		}
	}
	return "", errNoHead
}

var errNoHead = errors.New("the repository has no default branch (is it empty?)")

func (g gitBinary) clone(ctx context.Context, url, dir, remoteName string) error {
	_, err := g.run(ctx, "", "clone", g.progressFlag(), "--origin", remoteName, "--", url, dir)
	return err
}

func (g gitBinary) fetch(ctx context.Context, dir, remoteName string) error {
	_, err := g.run(ctx, dir, "fetch", g.progressFlag(), "--prune", remoteName)
	return err
}

// goGit transfers in-process.
type goGit struct {
	progress io.Writer // nil: quiet
}

func (g goGit) defaultBranch(ctx context.Context, url string) (string, error) {
	r := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "probe", URLs: []string{url}})
	refs, err := r.ListContext(ctx, &git.ListOptions{})
	if err != nil {
		return "", interrupted(ctx, err)
	}
	for _, ref := range refs {
		if ref.Name() == plumbing.HEAD && ref.Type() == plumbing.SymbolicReference {
			return ref.Target().Short(), nil
		}
	}
	return "", errNoHead
}

func (g goGit) clone(ctx context.Context, url, dir, remoteName string) error {
	_, err := git.PlainCloneContext(ctx, dir, false, &git.CloneOptions{
		URL:        url,
		RemoteName: remoteName,
		Progress:   g.progress,
	})
	return interrupted(ctx, err)
}

// interrupted reports a failure caused by ctx ending as ctx's error, which
// go-git does not always wrap.
func interrupted(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (g goGit) fetch(ctx context.Context, dir, remoteName string) error {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return err
	}
	err = repo.FetchContext(ctx, &git.FetchOptions{RemoteName: remoteName, Progress: g.progress, Prune: true})
	if errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil
	}
	return interrupted(ctx, err)
}
