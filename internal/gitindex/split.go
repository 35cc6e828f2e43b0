package gitindex

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// This file reads a split index, whose shared index holds most entries.

// SplitLink is a split index's "link" extension: the shared index it is
// based on and which of that index's entries it deletes and replaces
// (core.splitIndex, `git update-index --split-index`).
type SplitLink struct {
	shared           [HashLen]byte
	delete, replaced []int // positions in the shared index, ascending
}

func (l *SplitLink) SharedName() string { return "sharedindex." + hex.EncodeToString(l.shared[:]) }

// parseLink decodes the link extension: the shared index's id, then two
// EWAH bitmaps (delete, replace), which a split index with no changes to
// its base leaves out.
func parseLink(b []byte) (*SplitLink, error) {
	if len(b) < HashLen {
		return nil, fmt.Errorf("%w: truncated link extension", ErrCorrupt)
	}
	l := &SplitLink{shared: [HashLen]byte(b[:HashLen])}
	b = b[HashLen:]
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
		return nil, fmt.Errorf("%w: trailing bytes in the link extension", ErrCorrupt)
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
	bad := fmt.Errorf("%w: bad bitmap in the link extension", ErrCorrupt)
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

// MergeShared applies the split index idx (its entries, Link) to its shared
// index's entries as git's merge_base_index does: deleted entries go, each
// replaced one takes the next of the split index's leading nameless
// entries (keeping its name), and the split index's other entries are
// added in order, one with the path and stage of a base entry taking its
// place.
func (idx *Index) MergeShared(shared []Entry) error {
	l := idx.Link
	bad := fmt.Errorf("%w: split index does not fit its shared index %s", ErrCorrupt, l.SharedName())
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
		i, found := slices.BinarySearchFunc(kept, e, func(a, b Entry) int {
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
	idx.Entries, idx.Link = kept, nil
	return nil
}

// ReadFile reads the index of the git directory gitdir, with a split
// index's shared index (in the same directory) merged in. An index that is
// not there is an error satisfying errors.Is(err, fs.ErrNotExist).
func ReadFile(gitdir string) (*Index, error) {
	read := func(name string) (*Index, error) {
		p := filepath.Join(gitdir, name)
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		idx, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%w (in %q)", err, p)
		}
		return idx, nil
	}
	idx, err := read("index")
	if err != nil || idx.Link == nil {
		return idx, err
	}
	shared, err := read(idx.Link.SharedName())
	if err != nil {
		return nil, fmt.Errorf("read the shared index of a split index: %w", err)
	}
	if shared.Link != nil {
		return nil, fmt.Errorf("%w: shared index %q is itself split", ErrCorrupt, idx.Link.SharedName())
	}
	return idx, idx.MergeShared(shared.Entries)
}
