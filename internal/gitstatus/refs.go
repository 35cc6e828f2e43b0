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

	"github.com/gofork/gofork/internal/rawfile"
)

// refStore reads references as git's files backend stores them: a loose
// file per ref, else a line in packed-refs; or, with reftable set, from the
// reftable stacks of the reftable backend. Refs private to a linked
// worktree (HEAD, refs/bisect/, refs/worktree/, refs/rewritten/) live in its
// own git directory, the others in the common one.
type refStore struct {
	gitdir, commondir string
	reftable          bool

	packedOnce sync.Once
	packed     map[string]packedRef

	tablesOnce          sync.Once
	common, perWorktree map[string]reftableRef
	tablesErr           error
}

// tables reads the reftable stacks: the common directory's, and a linked
// worktree's own for its per-worktree refs.
func (s *refStore) tables() error {
	s.tablesOnce.Do(func() {
		s.common, s.tablesErr = readReftableStack(filepath.Join(s.commondir, "reftable"))
		s.perWorktree = s.common
		if s.tablesErr == nil && s.gitdir != s.commondir {
			s.perWorktree, s.tablesErr = readReftableStack(filepath.Join(s.gitdir, "reftable"))
		}
	})
	return s.tablesErr
}

// fromReftable is reference for the reftable backend.
func (s *refStore) fromReftable(name string) (ref, error) {
	if err := s.tables(); err != nil {
		return ref{}, err
	}
	stack := s.common
	if isPerWorktreeRef(name) {
		stack = s.perWorktree
	}
	r, ok := stack[name]
	if !ok {
		return ref{}, plumbing.ErrReferenceNotFound
	}
	return ref{hash: r.hash, target: r.target}, nil
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
	if s.reftable {
		return s.fromReftable(name)
	}
	dir := s.commondir
	if isPerWorktreeRef(name) {
		dir = s.gitdir
	}
	data, err := rawfile.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
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
	if p, ok := s.packedRefs()[name]; ok {
		return ref{hash: p.hash}, nil
	}
	return ref{}, plumbing.ErrReferenceNotFound
}

// exists reports whether the named ref is there, as a loose file or a line
// of packed-refs, whatever its object id's length (SHA-1 or SHA-256).
func (s *refStore) exists(name string) bool {
	if s.reftable {
		_, err := s.fromReftable(name)
		return err == nil
	}
	dir := s.commondir
	if isPerWorktreeRef(name) {
		dir = s.gitdir
	}
	if data, err := rawfile.ReadFile(filepath.Join(dir, filepath.FromSlash(name))); err == nil && len(data) > 0 {
		return true
	}
	data, err := rawfile.ReadFile(filepath.Join(s.commondir, "packed-refs"))
	if err != nil {
		return false
	}
	for line := range strings.Lines(string(data)) {
		if _, ref, ok := strings.Cut(strings.TrimRight(line, "\r\n"), " "); ok && ref == name && line[0] != '#' && line[0] != '^' {
			return true
		}
	}
	return false
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

// packedRef is a line of packed-refs: the ref's object id and, when
// known, what an annotated tag points at (peeled).
type packedRef struct {
	hash plumbing.Hash
	// peeled is the object the tag points at; zero when packed-refs does
	// not say (then hash itself is a commit, or the tag must be read).
	peeled      plumbing.Hash
	fullyPeeled bool // the file's header promises every tag is peeled
}

// packedRefs parses packed-refs once: "<id> <name>" lines, each optionally
// followed by "^<id>", what the annotated tag above points at.
func (s *refStore) packedRefs() map[string]packedRef {
	s.packedOnce.Do(func() {
		s.packed = map[string]packedRef{}
		if s.reftable {
			// Every ref of a reftable is "packed"; a tag recorded without
			// its peeled id is peeled by reading it.
			if s.tables() == nil {
				for name, r := range s.common {
					if r.target == "" {
						s.packed[name] = packedRef{hash: r.hash, peeled: r.peeled}
					}
				}
			}
			return
		}
		data, err := rawfile.ReadFile(filepath.Join(s.commondir, "packed-refs"))
		if err != nil {
			return
		}
		fullyPeeled, last := false, ""
		for line := range strings.Lines(string(data)) {
			line = strings.TrimRight(line, "\r\n")
			switch {
			case strings.HasPrefix(line, "#"):
				fullyPeeled = strings.Contains(line+" ", " fully-peeled ")
			case strings.HasPrefix(line, "^"):
				if r, ok := s.packed[last]; ok && plumbing.IsHash(line[1:]) {
					r.peeled = plumbing.NewHash(line[1:])
					s.packed[last] = r
				}
			default:
				id, name, ok := strings.Cut(line, " ")
				last = ""
				if ok && plumbing.IsHash(id) {
					last = name
					s.packed[name] = packedRef{hash: plumbing.NewHash(id), fullyPeeled: fullyPeeled}
				}
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
