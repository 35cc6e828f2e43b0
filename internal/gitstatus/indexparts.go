package gitstatus

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// This file reads the two index layouts that keep part of the index
// elsewhere: a split index, whose shared index holds most entries, and a
// sparse index, whose directories outside the sparse checkout are single
// tree entries.

// splitLink is a split index's "link" extension: the shared index it is
// based on and which of that index's entries it deletes and replaces
// (core.splitIndex, `git update-index --split-index`).
type splitLink struct {
	shared           [hashLen]byte
	delete, replaced []int // positions in the shared index, ascending
}

func (l *splitLink) sharedName() string { return "sharedindex." + hex.EncodeToString(l.shared[:]) }

// parseLink decodes the link extension: the shared index's id, then two
// EWAH bitmaps (delete, replace), which a split index with no changes to
// its base leaves out.
func parseLink(b []byte) (*splitLink, error) {
	if len(b) < hashLen {
		return nil, fmt.Errorf("%w: truncated link extension", errIndexCorrupt)
	}
	l := &splitLink{shared: [hashLen]byte(b[:hashLen])}
	b = b[hashLen:]
	if len(b) == 0 {
		return l, nil
	}
	var err error
	if l.delete, b, err = parseEWAH(b); err != nil {
		return nil, err
	}
	if l.replaced, b, err = parseEWAH(b); err != nil {
		return nil, err
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: trailing bytes in the link extension", errIndexCorrupt)
	}
	return l, nil
}

// parseEWAH decodes a bitmap as git's ewah_read_mmap writes it: the bit
// count, the number of 64-bit words, the words, and the position of the
// last run-length word (unused here), all big-endian. Each run-length word
// holds a running bit (bit 0), the run's length in words (bits 1-32) and
// the number of literal words after it (bits 33-63). It returns the set
// bits' positions.
func parseEWAH(b []byte) (set []int, rest []byte, err error) {
	bad := fmt.Errorf("%w: bad bitmap in the link extension", errIndexCorrupt)
	if len(b) < 8 {
		return nil, nil, bad
	}
	bits := int(binary.BigEndian.Uint32(b))
	words := int(binary.BigEndian.Uint32(b[4:]))
	if words > (len(b)-12)/8 {
		return nil, nil, bad
	}
	body := b[8 : 8+8*words]
	rest = b[8+8*words+4:]
	word := func(i int) uint64 { return binary.BigEndian.Uint64(body[8*i:]) }
	pos := 0
	for i := 0; i < words; {
		rlw := word(i)
		i++
		run := int(rlw >> 1 & (1<<32 - 1))
		literals := int(rlw >> 33)
		if rlw&1 != 0 {
			for p := pos; p < pos+64*run; p++ {
				set = append(set, p)
			}
		}
		pos += 64 * run
		if literals > words-i {
			return nil, nil, bad
		}
		for ; literals > 0; literals-- {
			w := word(i)
			i++
			for bit := 0; bit < 64; bit++ {
				if w&(1<<bit) != 0 {
					set = append(set, pos+bit)
				}
			}
			pos += 64
		}
	}
	for len(set) > 0 && set[len(set)-1] >= bits {
		set = set[:len(set)-1]
	}
	return set, rest, nil
}

// mergeSplit applies the split index idx (its entries, link) to the shared
// index's entries as git's merge_base_index does: deleted entries go, each
// replaced one takes the next of the split index's leading nameless
// entries (keeping its name), and the split index's other entries are
// added in order, one with the path and stage of a base entry taking its
// place.
func mergeSplit(idx *index, shared []indexEntry) error {
	l := idx.link
	bad := fmt.Errorf("%w: split index does not fit its shared index %s", errIndexCorrupt, l.sharedName())
	merged := slices.Clone(shared)
	gone := make([]bool, len(merged))
	for _, p := range l.delete {
		if p >= len(merged) {
			return bad
		}
		gone[p] = true
	}
	if len(l.replaced) > len(idx.Entries) {
		return bad
	}
	for i, p := range l.replaced {
		e := idx.Entries[i]
		if p >= len(merged) || e.Path != "" {
			return bad
		}
		e.Path = merged[p].Path
		merged[p] = e
	}
	kept := merged[:0]
	for i, e := range merged {
		if !gone[i] {
			kept = append(kept, e)
		}
	}
	for _, e := range idx.Entries[len(l.replaced):] {
		if e.Path == "" {
			return bad
		}
		i, found := slices.BinarySearchFunc(kept, e, func(a, b indexEntry) int {
			switch {
			case entryLess(&a, &b):
				return -1
			case entryLess(&b, &a):
				return 1
			}
			return 0
		})
		if found {
			kept[i] = e
		} else {
			kept = slices.Insert(kept, i, e)
		}
	}
	idx.Entries, idx.link = kept, nil
	return nil
}

// expandSparse replaces each sparse-directory entry of a sparse index (a
// directory outside the sparse checkout, recorded as its tree) with the
// files of that tree, skip-worktree like git's own expansion for status,
// so the counts are those of the full index.
func expandSparse(idx *index, db *objectDB) error {
	var out []indexEntry
	for i := range idx.Entries {
		e := idx.Entries[i]
		if !e.SkipWorktree || e.Mode()&modeTypeMask != modeDir || !strings.HasSuffix(e.Path, "/") {
			out = append(out, e)
			continue
		}
		var err error
		if out, err = appendTreeFiles(out, db, plumbing.Hash(e.Hash()), e.Path); err != nil {
			return fmt.Errorf("read index: expand sparse directory %q: %w", e.Path, err)
		}
	}
	idx.Entries, idx.sparse = out, false
	return nil
}

// appendTreeFiles appends the files below tree h as index entries named
// prefix+path, in index order (which tree order gives).
func appendTreeFiles(out []indexEntry, db *objectDB, h plumbing.Hash, prefix string) ([]indexEntry, error) {
	entries, err := readTree(db, h)
	if err != nil {
		return nil, err
	}
	for _, te := range entries {
		if te.mode&modeTypeMask == modeDir {
			if out, err = appendTreeFiles(out, db, te.hash, prefix+te.name+"/"); err != nil {
				return nil, err
			}
			continue
		}
		raw := new([entryFixedLen]byte)
		binary.BigEndian.PutUint32(raw[offMode:], te.mode)
		copy(raw[offHash:], te.hash[:])
		out = append(out, indexEntry{Path: prefix + te.name, raw: raw, SkipWorktree: true})
	}
	return out, nil
}
