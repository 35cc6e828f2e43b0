package gitstatus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"

	"github.com/gofork/gofork/internal/rawfile"
	"github.com/gofork/gofork/internal/sysfs"
)

// packIndex is a version 2 pack index (.idx) loaded (see rawfile.Load) and
// searched in place, the idxfile.Index that go-git's packfile reader asks
// for offsets. go-git's own idxfile.MemoryIndex copies the whole file into
// the heap first: on the 100,000-file benchmark tree that was 4.6 MB of
// page faults and decoding to find the one commit a status needs.
type packIndex struct {
	release   func() // frees the loaded file
	count     int
	fanout    []byte // 256 big-endian counts
	names     []byte // count × hashLen, sorted
	crcs      []byte // count × 4
	offsets   []byte // count × 4; the high bit points into large
	large     []byte // × 8
	byOffset  []int32
	orderOnce sync.Once
}

var errPackIndexCorrupt = errors.New("corrupt pack index")

func openPackIndex(name string) (*packIndex, error) {
	fd, err := sysfs.Open(name, sysfs.O_RDONLY|sysfs.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("read pack index %q: %w", name, err)
	}
	defer sysfs.Close(fd)
	var st sysfs.Stat_t
	if err := sysfs.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("read pack index %q: %w", name, err)
	}
	if st.Size < 8+256*4+2*hashLen {
		return nil, fmt.Errorf("read pack index %q: %w: %d bytes is too short", name, errPackIndexCorrupt, st.Size)
	}
	data, release, err := rawfile.Load(fd, st.Size, false)
	if err != nil {
		return nil, fmt.Errorf("read pack index %q: %w", name, err)
	}
	idx, err := parsePackIndex(data)
	if err != nil {
		release()
		return nil, fmt.Errorf("read pack index %q: %w", name, err)
	}
	idx.release = release
	return idx, nil
}

// parsePackIndex checks the layout of data and slices it into its tables.
func parsePackIndex(data []byte) (*packIndex, error) {
	if len(data) < 8+256*4+2*hashLen {
		return nil, fmt.Errorf("%w: %d bytes is too short", errPackIndexCorrupt, len(data))
	}
	if string(data[:4]) != "\xfftOc" || binary.BigEndian.Uint32(data[4:8]) != 2 {
		return nil, errors.New("only version 2 pack indexes are supported; run `git repack -a -d` to rewrite old ones")
	}
	fanout := data[8 : 8+256*4]
	prev := uint32(0)
	for i := range 256 {
		n := binary.BigEndian.Uint32(fanout[4*i:])
		if n < prev {
			return nil, fmt.Errorf("%w: fan-out table is not sorted", errPackIndexCorrupt)
		}
		prev = n
	}
	count := int(prev)
	tables := len(fanout) + 8
	fixed := tables + count*(hashLen+4+4) + 2*hashLen
	if count > len(data) || fixed > len(data) || (len(data)-fixed)%8 != 0 {
		return nil, fmt.Errorf("%w: %d objects do not fit in %d bytes", errPackIndexCorrupt, count, len(data))
	}
	idx := &packIndex{count: count, fanout: fanout}
	rest := data[tables:]
	idx.names, rest = rest[:count*hashLen], rest[count*hashLen:]
	idx.crcs, rest = rest[:count*4], rest[count*4:]
	idx.offsets, rest = rest[:count*4], rest[count*4:]
	idx.large = rest[:len(rest)-2*hashLen]
	return idx, nil
}

func (idx *packIndex) close() { idx.release() }

// find returns the position of h in the sorted name table.
func (idx *packIndex) find(h plumbing.Hash) (int, bool) {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(idx.fanout[4*(int(h[0])-1):]))
	}
	hi := int(binary.BigEndian.Uint32(idx.fanout[4*int(h[0]):]))
	i := lo + sort.Search(hi-lo, func(k int) bool {
		return bytes.Compare(idx.names[(lo+k)*hashLen:(lo+k+1)*hashLen], h[:]) >= 0
	})
	return i, i < hi && bytes.Equal(idx.names[i*hashLen:(i+1)*hashLen], h[:])
}

func (idx *packIndex) offsetAt(i int) (int64, error) {
	o := binary.BigEndian.Uint32(idx.offsets[4*i:])
	if o&0x80000000 == 0 {
		return int64(o), nil
	}
	j := int(o &^ 0x80000000)
	if 8*j+8 > len(idx.large) {
		return 0, fmt.Errorf("%w: large offset %d out of range", errPackIndexCorrupt, j)
	}
	return int64(binary.BigEndian.Uint64(idx.large[8*j:])), nil
}

// Contains implements idxfile.Index.
func (idx *packIndex) Contains(h plumbing.Hash) (bool, error) {
	_, ok := idx.find(h)
	return ok, nil
}

// FindOffset implements idxfile.Index.
func (idx *packIndex) FindOffset(h plumbing.Hash) (int64, error) {
	i, ok := idx.find(h)
	if !ok {
		return 0, plumbing.ErrObjectNotFound
	}
	return idx.offsetAt(i)
}

// FindCRC32 implements idxfile.Index.
func (idx *packIndex) FindCRC32(h plumbing.Hash) (uint32, error) {
	i, ok := idx.find(h)
	if !ok {
		return 0, plumbing.ErrObjectNotFound
	}
	return binary.BigEndian.Uint32(idx.crcs[4*i:]), nil
}

// FindHash implements idxfile.Index. go-git's packfile reader calls it for
// the base of every offset delta, so the first call sorts the positions by
// offset once.
func (idx *packIndex) FindHash(o int64) (plumbing.Hash, error) {
	idx.orderOnce.Do(func() {
		idx.byOffset = make([]int32, idx.count)
		for i := range idx.byOffset {
			idx.byOffset[i] = int32(i)
		}
		sort.Slice(idx.byOffset, func(a, b int) bool {
			oa, _ := idx.offsetAt(int(idx.byOffset[a]))
			ob, _ := idx.offsetAt(int(idx.byOffset[b]))
			return oa < ob
		})
	})
	k := sort.Search(len(idx.byOffset), func(k int) bool {
		ok, _ := idx.offsetAt(int(idx.byOffset[k]))
		return ok >= o
	})
	if k == len(idx.byOffset) {
		return plumbing.ZeroHash, plumbing.ErrObjectNotFound
	}
	i := int(idx.byOffset[k])
	if found, err := idx.offsetAt(i); err != nil || found != o {
		return plumbing.ZeroHash, plumbing.ErrObjectNotFound
	}
	return plumbing.Hash(idx.names[i*hashLen : (i+1)*hashLen]), nil
}

// Count implements idxfile.Index.
func (idx *packIndex) Count() (int64, error) { return int64(idx.count), nil }

var errNoIteration = errors.New("gitstatus reads pack indexes by lookup only")

// Entries implements idxfile.Index; go-git's packfile reader only iterates
// when asked for every object, which status never does.
func (idx *packIndex) Entries() (idxfile.EntryIter, error) { return nil, errNoIteration }

// EntriesByOffset implements idxfile.Index, as Entries.
func (idx *packIndex) EntriesByOffset() (idxfile.EntryIter, error) { return nil, errNoIteration }
