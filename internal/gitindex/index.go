// Package gitindex reads git's index file (.git/index, gitformat-index(5)):
// versions 2 to 4, the TREE extension, a split index's link to its shared
// index, and whether the index is sparse. It never panics on bad input and
// keeps pointers into the bytes it parses, so that an index of 100k
// entries is read in about a millisecond.
package gitindex

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"unsafe"
)

// Index entry flags, from git's Documentation/gitformat-index.txt, and the
// file modes git records (in the index and in tree objects).
const (
	flagAssumeValid  = 0x8000
	flagExtended     = 0x4000
	flagStageMask    = 0x3000
	flagNameMask     = 0x0fff
	xflagSkipWorktre = 0x4000
	xflagIntentToAdd = 0x2000

	ModeTypeMask = 0o170000
	ModeRegular  = 0o100000
	ModeSymlink  = 0o120000
	ModeGitlink  = 0o160000
	ModeDir      = 0o040000

	// HashLen is the length of an object id (SHA-1).
	HashLen = 20
	// entryFixedLen is the stat data (10 × 32 bits), the object id and the
	// 16-bit flags that precede every entry's name.
	entryFixedLen = 40 + HashLen + 2
)

// Entry is one index entry. Path points into the index file's bytes for
// versions 2 and 3 (no copy); version 4 names are rebuilt from the prefix
// compression. The stat data and object id stay in the file's bytes (raw),
// decoded on use: 100k entries then take 3 MiB instead of 10.
type Entry struct {
	Path  string
	raw   *[entryFixedLen]byte
	Stage uint8
	// AssumeUnchanged, SkipWorktree and IntentToAdd are the entry's
	// assume-valid (`git update-index --assume-unchanged`), skip-worktree and
	// intent-to-add (`git add -N`) flags.
	AssumeUnchanged bool
	SkipWorktree    bool
	IntentToAdd     bool
}

// Field offsets in an entry's fixed part.
const (
	offCtime = 0
	offMtime = 8
	offIno   = 20
	offMode  = 24
	offUID   = 28
	offGID   = 32
	offSize  = 36
	offHash  = 40
)

func (e *Entry) field(off int) uint32 { return binary.BigEndian.Uint32(e.raw[off:]) }
func (e *Entry) Mode() uint32         { return e.field(offMode) }
func (e *Entry) Size() uint32         { return e.field(offSize) }
func (e *Entry) MtimeSec() uint32     { return e.field(offMtime) }
func (e *Entry) Hash() [HashLen]byte  { return [HashLen]byte(e.raw[offHash : offHash+HashLen]) }

// NewEntry is an entry with no stat data, as an expanded sparse directory's
// files have: a path, a mode and an object id.
func NewEntry(path string, mode uint32, hash [HashLen]byte) Entry {
	raw := new([entryFixedLen]byte)
	binary.BigEndian.PutUint32(raw[offMode:], mode)
	copy(raw[offHash:], hash[:])
	return Entry{Path: path, raw: raw}
}

// StatData is what git keeps of a file's stat data, each value cut to its
// low 32 bits as the index stores it (the device and mode left out).
type StatData struct {
	CtimeSec, CtimeNsec, MtimeSec, MtimeNsec uint32
	Ino, UID, GID, Size                      uint32
}

// StatCheck is how much of the stat data git compares (core.trustCtime,
// core.checkStat).
type StatCheck struct {
	IgnoreCtime bool // core.trustCtime false
	Minimal     bool // core.checkStat minimal: whole seconds and the size
}

// StatMatches reports whether the entry's stat data are s, as far as c
// says to look: git's test for a file that has not changed since it was
// added (ie_match_stat), but for the device.
func (e *Entry) StatMatches(s StatData, c StatCheck) bool {
	if e.field(offMtime) != s.MtimeSec || e.field(offSize) != s.Size || !c.IgnoreCtime && e.field(offCtime) != s.CtimeSec {
		return false
	}
	if c.Minimal {
		return true
	}
	return e.field(offMtime+4) == s.MtimeNsec && (c.IgnoreCtime || e.field(offCtime+4) == s.CtimeNsec) &&
		e.field(offIno) == s.Ino && e.field(offUID) == s.UID && e.field(offGID) == s.GID
}

// CacheTree is the index's TREE extension: for each directory, the tree
// object id that its index entries would write, when still valid.
type CacheTree struct {
	Name       string
	EntryCount int // -1 when invalidated
	Hash       [HashLen]byte
	Children   []*CacheTree
}

// Child is the node of the sub-directory name, nil when t is nil or has none.
func (t *CacheTree) Child(name string) *CacheTree {
	if t == nil {
		return nil
	}
	for _, c := range t.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Index is a parsed .git/index.
type Index struct {
	Version int
	Entries []Entry
	Tree    *CacheTree
	// Link is set for a split index until its shared index is merged in
	// (MergeShared); its leading entries may then be nameless.
	Link *SplitLink
	// Sparse is set for a sparse index (the sdir extension): entries whose
	// path ends in "/" stand for whole directories outside the sparse
	// checkout, recorded as their trees, for the reader to expand.
	Sparse bool
}

// ErrCorrupt is wrapped by every error about malformed index bytes.
var ErrCorrupt = errors.New("corrupt index")

// Parse decodes an index file held in data. It never panics on bad
// input: every length is checked before use. It keeps pointers into data.
func Parse(data []byte) (*Index, error) {
	if len(data) < 12+HashLen {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrCorrupt, len(data))
	}
	if string(data[:4]) != "DIRC" {
		return nil, fmt.Errorf("%w: bad signature %q", ErrCorrupt, data[:4])
	}
	idx := &Index{Version: int(binary.BigEndian.Uint32(data[4:8]))}
	if idx.Version < 2 || idx.Version > 4 {
		return nil, fmt.Errorf("read index: version %d is not supported (only 2, 3 and 4)", idx.Version)
	}
	count := binary.BigEndian.Uint32(data[8:12])
	// The trailing checksum is not verified: git status does not either
	// (only git fsck does), and hashing a large index costs milliseconds.
	end := len(data) - HashLen
	if uint64(count) > uint64(end)/entryFixedLen {
		return nil, fmt.Errorf("%w: %d entries cannot fit in %d bytes", ErrCorrupt, count, len(data))
	}
	idx.Entries = make([]Entry, count)
	nameless := 0
	off := 12
	var prev []byte // previous name, for version 4 prefix compression
	for i := range idx.Entries {
		e := &idx.Entries[i]
		if off+entryFixedLen > end {
			return nil, fmt.Errorf("%w: entry %d is truncated", ErrCorrupt, i)
		}
		e.raw = (*[entryFixedLen]byte)(data[off : off+entryFixedLen])
		flags := binary.BigEndian.Uint16(e.raw[60:])
		e.AssumeUnchanged = flags&flagAssumeValid != 0
		e.Stage = uint8((flags & flagStageMask) >> 12)
		nameOff := off + entryFixedLen
		if flags&flagExtended != 0 {
			if idx.Version < 3 {
				return nil, fmt.Errorf("%w: extended flags in a version 2 index", ErrCorrupt)
			}
			if nameOff+2 > end {
				return nil, fmt.Errorf("%w: entry %d is truncated", ErrCorrupt, i)
			}
			xflags := binary.BigEndian.Uint16(data[nameOff:])
			e.SkipWorktree = xflags&xflagSkipWorktre != 0
			e.IntentToAdd = xflags&xflagIntentToAdd != 0
			nameOff += 2
		}
		if idx.Version == 4 {
			strip, n := decodeOffsetVarint(data[nameOff:end])
			if n == 0 || strip > uint64(len(prev)) {
				return nil, fmt.Errorf("%w: entry %d has a bad name prefix", ErrCorrupt, i)
			}
			nameOff += n
			nul := bytes.IndexByte(data[nameOff:end], 0)
			if nul < 0 {
				return nil, fmt.Errorf("%w: entry %d name is not terminated", ErrCorrupt, i)
			}
			keep := len(prev) - int(strip)
			name := make([]byte, keep+nul)
			copy(name, prev[:keep])
			copy(name[keep:], data[nameOff:nameOff+nul])
			prev = name
			e.Path = unsafe.String(unsafe.SliceData(name), len(name))
			off = nameOff + nul + 1
		} else {
			nul := bytes.IndexByte(data[nameOff:end], 0)
			if nul < 0 {
				return nil, fmt.Errorf("%w: entry %d name is not terminated", ErrCorrupt, i)
			}
			e.Path = unsafe.String(&data[nameOff], nul)
			// Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
			off += (nameOff - off + nul + 8) &^ 7
		}
		// Only a split index's entries that replace shared ones are
		// nameless, and they come first, in the order of what they replace.
		if e.Path == "" {
			nameless++
			continue
		}
		if i > nameless && !entryLess(&idx.Entries[i-1], e) {
			return nil, fmt.Errorf("%w: entries %q and %q are out of order", ErrCorrupt, idx.Entries[i-1].Path, e.Path)
		}
	}
	if off > end {
		return nil, fmt.Errorf("%w: entries overrun the file", ErrCorrupt)
	}
	if err := idx.parseExtensions(data[off:end]); err != nil {
		return nil, err
	}
	if nameless > 0 && (idx.Link == nil || nameless != len(idx.Link.replaced) || idx.Entries[nameless-1].Path != "") {
		return nil, fmt.Errorf("%w: nameless entries outside a split index's replacements", ErrCorrupt)
	}
	return idx, nil
}

func entryLess(a, b *Entry) bool {
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Stage < b.Stage
}

func (idx *Index) parseExtensions(b []byte) error {
	for len(b) > 0 {
		if len(b) < 8 {
			return fmt.Errorf("%w: truncated extension header", ErrCorrupt)
		}
		sig := string(b[:4])
		size := binary.BigEndian.Uint32(b[4:8])
		if uint64(size) > uint64(len(b)-8) {
			return fmt.Errorf("%w: extension %q overruns the file", ErrCorrupt, sig)
		}
		body := b[8 : 8+size]
		switch {
		case sig == "TREE":
			tree, rest, err := parseCacheTree(body)
			if err != nil {
				return err
			}
			if len(rest) != 0 {
				return fmt.Errorf("%w: trailing bytes in the TREE extension", ErrCorrupt)
			}
			idx.Tree = tree
		case sig == "link":
			link, err := parseLink(body)
			if err != nil {
				return err
			}
			idx.Link = link
		case sig == "sdir":
			idx.Sparse = true
		case sig[0] < 'A' || sig[0] > 'Z':
			// Lower-case extensions must be understood to read the index.
			return fmt.Errorf("read index: required extension %q is not supported", sig)
		}
		b = b[8+size:]
	}
	return nil
}

// errBadCacheTree is made once: the TREE extension has a node per
// directory, and building the error for each was 2% of a scan. It is made
// on first use, not at start-up, where fmt's first call cost every prompt
// 30 µs.
var errBadCacheTree = sync.OnceValue(func() error {
	return fmt.Errorf("%w: bad TREE extension", ErrCorrupt)
})

// parseCacheTree decodes one TREE extension node and its children:
// "path\0entry_count subtrees\n" then the object id when entry_count >= 0.
func parseCacheTree(b []byte) (*CacheTree, []byte, error) {
	nul := bytes.IndexByte(b, 0)
	if nul < 0 {
		return nil, nil, errBadCacheTree()
	}
	node := &CacheTree{Name: string(b[:nul])}
	b = b[nul+1:]
	sp := bytes.IndexByte(b, ' ')
	nl := bytes.IndexByte(b, '\n')
	if sp < 0 || nl < sp {
		return nil, nil, errBadCacheTree()
	}
	count, err1 := strconv.Atoi(string(b[:sp]))
	subtrees, err2 := strconv.Atoi(string(b[sp+1 : nl]))
	if err1 != nil || err2 != nil || subtrees < 0 || subtrees > len(b) {
		return nil, nil, errBadCacheTree()
	}
	b = b[nl+1:]
	node.EntryCount = count
	if count >= 0 {
		if len(b) < HashLen {
			return nil, nil, errBadCacheTree()
		}
		copy(node.Hash[:], b[:HashLen])
		b = b[HashLen:]
	} else {
		node.EntryCount = -1
	}
	node.Children = make([]*CacheTree, 0, subtrees)
	for range subtrees {
		child, rest, err := parseCacheTree(b)
		if err != nil {
			return nil, nil, err
		}
		node.Children = append(node.Children, child)
		b = rest
	}
	return node, b, nil
}

// decodeOffsetVarint decodes git's "offset" varint (varint.c), returning the
// value and the bytes used, or 0 bytes when malformed.
func decodeOffsetVarint(b []byte) (uint64, int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	val := uint64(c & 127)
	n := 1
	for c&128 != 0 {
		if n >= len(b) || n > 9 {
			return 0, 0
		}
		c = b[n]
		n++
		val = ((val + 1) << 7) | uint64(c&127)
	}
	return val, n
}
