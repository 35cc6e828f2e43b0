package gitstatus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
)

// refStore reads references as git's files backend stores them: a loose
// file per ref, else a line in packed-refs. Refs private to a linked
// worktree (HEAD, refs/bisect/, refs/worktree/, refs/rewritten/) live in its
// own git directory, the others in the common one.
type refStore struct {
	gitdir, commondir string

	packedOnce sync.Once
	packed     map[string]plumbing.Hash
}

// ref is a reference's content: an object id or, when target is set, a
// symbolic reference to another ref.
type ref struct {
	hash   plumbing.Hash
	target string
}

// reference reads the named ref; plumbing.ErrReferenceNotFound when it
// does not exist.
func (s *refStore) reference(name string) (ref, error) {
	dir := s.commondir
	if isPerWorktreeRef(name) {
		dir = s.gitdir
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err == nil {
		content := strings.TrimRight(string(data), "\r\n")
		if target, ok := strings.CutPrefix(content, "ref: "); ok {
			return ref{target: strings.TrimSpace(target)}, nil
		}
		if !plumbing.IsHash(content) {
			return ref{}, fmt.Errorf("ref %q does not hold an object id; repair it with `git update-ref`", name)
		}
		return ref{hash: plumbing.NewHash(content)}, nil
	}
	// A directory where the ref would be (refs/heads/a for refs/heads/a/b)
	// or no file at all: the ref can still be packed.
	if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.EISDIR) && !errors.Is(err, syscall.ENOTDIR) {
		return ref{}, fmt.Errorf("read ref %q: %w", name, err)
	}
	if h, ok := s.packedRefs()[name]; ok {
		return ref{hash: h}, nil
	}
	return ref{}, plumbing.ErrReferenceNotFound
}

func isPerWorktreeRef(name string) bool {
	if !strings.HasPrefix(name, "refs/") {
		return true // HEAD and the other pseudo-refs
	}
	for _, p := range []string{"refs/bisect/", "refs/worktree/", "refs/rewritten/"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// packedRefs parses packed-refs once: "<id> <name>" lines; "^<id>" lines
// (what the tag above points at) and the "#" header are skipped here.
func (s *refStore) packedRefs() map[string]plumbing.Hash {
	s.packedOnce.Do(func() {
		s.packed = map[string]plumbing.Hash{}
		data, err := os.ReadFile(filepath.Join(s.commondir, "packed-refs"))
		if err != nil {
			return
		}
		for line := range strings.Lines(string(data)) {
			id, name, ok := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
			if ok && plumbing.IsHash(id) {
				s.packed[name] = plumbing.NewHash(id)
			}
		}
	})
	return s.packed
}

// resolve follows a reference name (symbolic refs included) to an object id.
func (s *refStore) resolve(name string) (plumbing.Hash, error) {
	for range 10 {
		r, err := s.reference(name)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if r.target == "" {
			return r.hash, nil
		}
		name = r.target
	}
	return plumbing.ZeroHash, fmt.Errorf("resolve %q: too many levels of symbolic references", name)
}
