package gitstatus

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"

	"github.com/gofork/gofork/internal/rawfile"
)

// objectDB reads loose objects with compress/zlib and packs through
// go-git's packfile decoder. It stands in for go-git's storage/filesystem,
// which also links go-git's config package (see gitConfig) and decodes every
// pack index up front (see packIndex). Packs are opened the first time an
// object is not found loose, and objects/info/alternates is followed. It is
// safe for concurrent use.
type objectDB struct {
	dirs []string // objects directories: the repository's, then alternates
	// replacements, when set, gives the replace refs in effect
	// (refs/replace/<id> -> the object read in its place), loaded on the
	// first read.
	replacements func() map[plumbing.Hash]plumbing.Hash
	// shallow, when set, gives the commits of a shallow clone whose
	// parents are not there (.git/shallow), read on the first commit read:
	// git takes them for roots.
	shallow func() map[plumbing.Hash]bool

	mu        sync.Mutex
	packsOnce sync.Once
	packs     []*pack
	packsErr  error
}

type pack struct {
	idx  *packIndex
	path string
	file *packfile.Packfile // opened on first use
}

// newObjectDB reads the objects directory objects, the directories in
// extra ($GIT_ALTERNATE_OBJECT_DIRECTORIES) and the alternates each lists.
func newObjectDB(objects string, extra []string) *objectDB {
	dirs := []string{objects}
	for _, d := range extra {
		dirs = append(dirs, d)
		dirs = append(dirs, alternates(d, 1)...)
	}
	return &objectDB{dirs: append(dirs, alternates(objects, 0)...)}
}

// envAlternates is $GIT_ALTERNATE_OBJECT_DIRECTORIES: directories separated
// by colons, each possibly C-quoted, relative ones taken from dir.
func envAlternates(dir string) []string {
	env := os.Getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES")
	var dirs []string
	for env != "" {
		var entry string
		if unquoted, rest, ok := unquoteC(env); env[0] == '"' && ok {
			entry, env = unquoted, rest
			env = strings.TrimPrefix(env, ":")
		} else {
			entry, env, _ = strings.Cut(env, ":")
		}
		if entry != "" {
			dirs = append(dirs, absFrom(dir, entry))
		}
	}
	return dirs
}

// alternates lists the object directories objects borrows from, as git
// does, up to git's nesting limit.
func alternates(objects string, depth int) []string {
	if depth >= 5 {
		return nil
	}
	data, err := rawfile.ReadFile(filepath.Join(objects, "info", "alternates"))
	if err != nil {
		return nil
	}
	var dirs []string
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(objects, line)
		}
		dirs = append(dirs, line)
		dirs = append(dirs, alternates(line, depth+1)...)
	}
	return dirs
}

// maxReplaceDepth is git's MAXREPLACEDEPTH.
const maxReplaceDepth = 5

// replaced is the replace refs in effect, nil when there are none.
func (db *objectDB) replaced() map[plumbing.Hash]plumbing.Hash {
	if db.replacements == nil {
		return nil
	}
	return db.replacements()
}

// read returns the content of an object of type t.
func (db *objectDB) read(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	data, gotType, err := db.readAny(h)
	if err == nil && gotType != t {
		err = fmt.Errorf("is a %s", gotType)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", t, h, err)
	}
	return data, nil
}

func (db *objectDB) readAny(h plumbing.Hash) ([]byte, plumbing.ObjectType, error) {
	// As git's lookup_replace_object, up to its depth limit.
	for range maxReplaceDepth {
		to, ok := db.replaced()[h]
		if !ok {
			break
		}
		h = to
	}
	hex := h.String()
	for _, dir := range db.dirs {
		data, err := rawfile.ReadFile(filepath.Join(dir, hex[:2], hex[2:]))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		return readLoose(bytes.NewReader(data))
	}
	db.packsOnce.Do(db.openPacks)
	if db.packsErr != nil {
		return nil, 0, db.packsErr
	}
	db.mu.Lock() // go-git's Packfile reads through one shared file offset
	defer db.mu.Unlock()
	for _, p := range db.packs {
		if ok, _ := p.idx.Contains(h); !ok {
			continue
		}
		if p.file == nil {
			f, err := rawfile.Open(p.path)
			if err != nil {
				return nil, 0, err
			}
			p.file = packfile.NewPackfile(p.idx, nil, packFile{f}, 0)
		}
		o, err := p.file.Get(h)
		if err != nil {
			return nil, 0, err
		}
		r, err := o.Reader()
		if err != nil {
			return nil, 0, err
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		return data, o.Type(), err
	}
	if h == emptyTree {
		// git holds its empty tree as present whether or not it is stored
		// (find_cached_object), and a commit may name it without it.
		return nil, plumbing.TreeObject, nil
	}
	return nil, 0, plumbing.ErrObjectNotFound
}

// emptyTree is the id of the tree with no entries.
var emptyTree = plumbing.Hash{0x4b, 0x82, 0x5d, 0xc6, 0x42, 0xcb, 0x6e, 0xb9, 0xa0, 0x60, 0xe5, 0x4b, 0xf8, 0xd6, 0x92, 0x88, 0xfb, 0xee, 0x49, 0x04}

// readLoose decodes a loose object: zlib around "<type> <size>\x00<content>".
// compress/zlib does it directly: go-git's objfile reader also draws a
// pooled reader and sets up a collision-detecting SHA-1 of the content,
// which a prompt never checks; on a small repository that was 4% of
// gitprompt's run.
func readLoose(f io.Reader) ([]byte, plumbing.ObjectType, error) {
	zr, err := zlib.NewReader(f)
	if err != nil {
		return nil, 0, fmt.Errorf("decode loose object: %w", err)
	}
	defer zr.Close()
	// io.ReadAll reads to the end, where zlib checks the checksum.
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, 0, fmt.Errorf("decode loose object: %w", err)
	}
	header, content, ok := bytes.Cut(data, []byte{0})
	typeName, sizeText, _ := bytes.Cut(header, []byte(" "))
	size, sizeErr := strconv.Atoi(string(sizeText))
	if !ok || sizeErr != nil || size != len(content) {
		return nil, 0, fmt.Errorf("decode loose object: malformed header %q", header)
	}
	t, err := plumbing.ParseObjectType(string(typeName))
	if err != nil {
		return nil, 0, fmt.Errorf("decode loose object: %w", err)
	}
	return content, t, nil
}

// openPacks reads the index of every pack in the object directories.
func (db *objectDB) openPacks() {
	for _, dir := range db.dirs {
		for _, name := range packIndexFiles(filepath.Join(dir, "pack")) {
			idx, err := openPackIndex(name)
			if err != nil {
				db.packsErr = err
				return
			}
			db.packs = append(db.packs, &pack{idx: idx, path: strings.TrimSuffix(name, ".idx") + ".pack"})
		}
	}
}

// close releases the pack files and indexes opened so far.
func (db *objectDB) close() {
	db.mu.Lock()
	defer db.mu.Unlock()
	for _, p := range db.packs {
		if p.file != nil {
			p.file.Close()
		}
		p.idx.close()
	}
	db.packs = nil
}

// packIndexFiles lists the pack-*.idx files in dir, as filepath.Glob
// would, through listDir, which keeps the prompt off os.File (see rawfile).
func packIndexFiles(dir string) []string {
	names, err := listDir(nil, dir, "")
	if err != nil {
		return nil
	}
	var idxs []string
	for _, n := range names {
		if n.Type == 0 && strings.HasPrefix(n.Name, "pack-") && strings.HasSuffix(n.Name, ".idx") {
			idxs = append(idxs, filepath.Join(dir, n.Name))
		}
	}
	return idxs
}

// packFile is a pack opened with rawfile, for go-git's packfile reader,
// which asks for a billy.File but only reads and seeks it.
type packFile struct{ *os.File }

var errPackLock = errors.New("gitstatus opens packs read-only and never locks them")

func (packFile) Lock() error   { return errPackLock }
func (packFile) Unlock() error { return errPackLock }
