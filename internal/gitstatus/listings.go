package gitstatus

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"hash/fnv"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/gofork/gofork/internal/sysfs"

	"github.com/gofork/gofork/internal/atomicfile"
	"github.com/gofork/gofork/internal/dirlist"
	"github.com/gofork/gofork/internal/rawfile"
)

// The listing cache keeps, outside the repository, the names in each
// tracked directory of a work tree together with the directory's stat
// data. Adding, removing or renaming an entry changes its directory's
// ctime, so a directory whose stat data is unchanged still holds the
// cached names and the next scan lstats its files without reading it again.
// Reading directories was a third of the scan's time (getdents builds a
// hash-ordered list of every entry in the kernel); git's own
// core.untrackedCache rests on the same property, but keeps its cache in
// the index, which gitprompt must not write.
//
// A timestamp only moves when the clock has ticked (file times use the
// kernel's coarse clock), so a directory changed in the same tick as it was
// read could keep its ctime. A listing is therefore only stored once its
// directory's ctime is listingRacyMargin older than the scan: any later
// change bears a newer time.
var listingRacyMargin = 2 * time.Second

// The file also remembers HEAD's commit and that commit's tree, so that
// while HEAD stays put the commit need not be inflated to compare its tree
// with the index: a third of a small repository's status. A commit never
// changes, so the pair can only be out of date, never wrong, and is
// replaced when HEAD moves.
//
// It also remembers the blob id of each tracked file it had to hash
// (racily clean, or whose stat data no longer match the index's, as after
// a checkout until git next rewrites the index), with the file's stat data
// then: while they hold, so does the id. A write always changes the ctime,
// which nobody can set; an id is only stored once its file has been
// unchanged for listingRacyMargin. Only content compared as it is (no
// attribute conversion) is remembered, so that the id hangs on the file
// alone.
//
// Cache file layout, little-endian: a header, one fixed-size record per
// directory sorted by path, one per hashed file sorted by path, then the
// strings the records point at. A name is stored as its type code, a
// 2-byte length and its bytes.
const (
	listingMagic   = "gpls"
	listingVersion = 3
	// magic, version, CRC-32 (IEEE) of what follows, directory count, work
	// tree path length, HEAD's commit and its tree, hashed file count;
	// then the work tree path
	listingHeaderSize = 4 + 4 + 4 + 4 + 4 + 2*hashLen + 4
	listingRecordSize = 64
	// path offset and length, stat data as in a directory's record, id,
	// padding
	hashedRecordSize = 4 + 4 + 48 + hashLen + 4
)

// listingTypes maps a name's type code in the file to its type bits.
var listingTypes = [...]os.FileMode{0, os.ModeDir, os.ModeSymlink, os.ModeIrregular}

// dirStat is the stat data that changes with a directory's entries.
type dirStat struct {
	dev, ino, size     uint64
	mtimeSec, ctimeSec int64
	mtimeNsec          uint32
	ctimeNsec          uint32
}

// changed is when the directory last changed as far as its stat data
// tell: its ctime, or its mtime where that is later (Windows, whose "ctime"
// is the creation time).
func (s dirStat) changed() time.Time {
	c, m := time.Unix(s.ctimeSec, int64(s.ctimeNsec)), time.Unix(s.mtimeSec, int64(s.mtimeNsec))
	if m.After(c) {
		return m
	}
	return c
}

func dirStatOf(st *sysfs.Stat_t) dirStat {
	return dirStat{
		dev: uint64(st.Dev), ino: st.Ino, size: uint64(st.Size),
		mtimeSec: int64(st.Mtim.Sec), mtimeNsec: uint32(st.Mtim.Nsec),
		ctimeSec: int64(st.Ctim.Sec), ctimeNsec: uint32(st.Ctim.Nsec),
	}
}

// listingCache is the cache file of one work tree, loaded read-only, and
// the listings of the scan under way, to write when something changed.
type listingCache struct {
	file    string
	workdir string
	release func() // frees the loaded file; nil when there was none or it was unusable
	records []byte // the record table of the file
	hashed  []byte // the hashed files' table of the file
	strs    []byte // the string area of the file
	cutoff  time.Time
	// head is the HEAD commit and its tree as in the file, then as the
	// status found them.
	head, fileHead headTree

	mu   sync.Mutex
	seen seenListings
	// usedHashed are the hashed records the scan took, freshHashed the
	// ids it computed.
	usedHashed  []int32
	freshHashed []hashedFile
}

// hashedFile is a tracked file's blob id and its stat data when computed.
type hashedFile struct {
	path string
	stat dirStat
	sum  [hashLen]byte
}

// headTree is a commit and the tree it records.
type headTree struct{ commit, tree plumbing.Hash }

// seenListings is what a scan met that the cache file should hold: the
// records of the file still valid, kept as bare indexes because in the
// usual run nothing is written and every byte allocated is a page fault
// (a struct per directory was a quarter of them), and the listings read
// afresh.
type seenListings struct {
	kept  []int32
	fresh []seenListing
}

// seenListing is a directory's listing to store: names read afresh, or
// record, the index of one taken from the file.
type seenListing struct {
	rel    string
	stat   dirStat
	names  []dirlist.Entry
	record int
}

// openListingCache loads the cache file kept for workdir in dir. Any
// problem with the file (absent, another format, damaged) leaves the cache
// empty; it is rewritten after the scan.
func openListingCache(dir, workdir string, now time.Time) *listingCache {
	h := fnv.New64a()
	h.Write([]byte(workdir))
	c := &listingCache{
		file:    filepath.Join(dir, hex.EncodeToString(h.Sum(nil))),
		workdir: workdir,
		cutoff:  now.Add(-listingRacyMargin),
	}
	fd, err := sysfs.Open(c.file, sysfs.O_RDONLY|sysfs.O_CLOEXEC, 0)
	if err != nil {
		return c
	}
	defer sysfs.Close(fd)
	var st sysfs.Stat_t
	if sysfs.Fstat(fd, &st) != nil || st.Size < listingHeaderSize || st.Size > 1<<31 {
		return c
	}
	if int(st.Uid) != os.Getuid() || st.Mode&0o022 != 0 {
		return c // someone else could have written it: untrusted
	}
	data, release, err := rawfile.Load(fd, st.Size, true)
	if err != nil {
		return c
	}
	if !c.parse(data) {
		release()
		c.records, c.strs = nil, nil
		return c
	}
	c.release = release
	return c
}

// listingChecksum is the CRC-32 (IEEE) of a cache file. The standard
// library's first IEEE checksum builds an 8 KB table for its fast path,
// which cost a prompt on a small repository more than running the plain
// bytewise algorithm over its kilobyte-sized file, on the table
// crc32.IEEETable that package initialization fills anyway.
func listingChecksum(data []byte) uint32 {
	if len(data) > 4<<10 {
		return crc32.ChecksumIEEE(data)
	}
	crc := ^uint32(0)
	for _, b := range data {
		crc = crc32.IEEETable[byte(crc)^b] ^ crc>>8
	}
	return ^crc
}

// parse checks the header, checksum and record bounds of data.
func (c *listingCache) parse(data []byte) bool {
	le := binary.LittleEndian
	if string(data[:4]) != listingMagic || le.Uint32(data[4:]) != listingVersion ||
		le.Uint32(data[8:]) != listingChecksum(data[12:]) {
		return false
	}
	count, pathLen := uint64(le.Uint32(data[12:])), uint64(le.Uint32(data[16:]))
	hashedCount := uint64(le.Uint32(data[20+2*hashLen:]))
	tableStart := listingHeaderSize + pathLen
	tableEnd := tableStart + count*listingRecordSize
	hashedEnd := tableEnd + hashedCount*hashedRecordSize
	if hashedEnd > uint64(len(data)) || string(data[listingHeaderSize:tableStart]) != c.workdir {
		return false
	}
	c.records, c.hashed, c.strs = data[tableStart:tableEnd], data[tableEnd:hashedEnd], data[hashedEnd:]
	for i := range int(hashedCount) {
		rec := c.hashedRecord(i)
		if off, n := uint64(le.Uint32(rec)), uint64(le.Uint32(rec[4:])); off+n > uint64(len(c.strs)) {
			return false
		}
	}
	copy(c.fileHead.commit[:], data[20:])
	copy(c.fileHead.tree[:], data[20+hashLen:])
	c.head = c.fileHead
	for i := range int(count) {
		rec := c.record(i)
		pathOff, pathLen, namesOff := uint64(le.Uint32(rec)), uint64(le.Uint32(rec[4:])), uint64(le.Uint32(rec[8:]))
		if pathOff+pathLen > uint64(len(c.strs)) || namesOff > uint64(len(c.strs)) {
			return false
		}
	}
	return true
}

func (c *listingCache) record(i int) []byte {
	return c.records[i*listingRecordSize : (i+1)*listingRecordSize]
}

func (c *listingCache) count() int { return len(c.records) / listingRecordSize }

func (c *listingCache) hashedRecord(i int) []byte {
	return c.hashed[i*hashedRecordSize : (i+1)*hashedRecordSize]
}

func (c *listingCache) hashedCount() int { return len(c.hashed) / hashedRecordSize }

func (c *listingCache) hashedPath(i int) string {
	rec := c.hashedRecord(i)
	off, n := binary.LittleEndian.Uint32(rec), binary.LittleEndian.Uint32(rec[4:])
	return unsafe.String(unsafe.SliceData(c.strs[off:]), n)
}

func (c *listingCache) hashedFileAt(i int) hashedFile {
	rec := c.hashedRecord(i)
	return hashedFile{path: c.hashedPath(i), stat: decodeStat(rec[8:]), sum: [hashLen]byte(rec[56 : 56+hashLen])}
}

// hashedAs returns the id remembered for the file at path when its stat
// data are still stat; c may be nil.
func (c *listingCache) hashedAs(path string, stat dirStat) ([hashLen]byte, bool) {
	if c == nil {
		return [hashLen]byte{}, false
	}
	n := c.hashedCount()
	i := sort.Search(n, func(i int) bool { return c.hashedPath(i) >= path })
	if i == n || c.hashedPath(i) != path {
		return [hashLen]byte{}, false
	}
	h := c.hashedFileAt(i)
	if h.stat != stat {
		return [hashLen]byte{}, false
	}
	c.mu.Lock()
	c.usedHashed = append(c.usedHashed, int32(i))
	c.mu.Unlock()
	return h.sum, true
}

// rememberHash keeps the id computed for the file at path, with stat data
// stat, once the file is old enough to trust them; c may be nil.
func (c *listingCache) rememberHash(path string, stat dirStat, sum [hashLen]byte) {
	if c == nil || !stat.changed().Before(c.cutoff) {
		return
	}
	c.mu.Lock()
	c.freshHashed = append(c.freshHashed, hashedFile{path: path, stat: stat, sum: sum})
	c.mu.Unlock()
}

func (c *listingCache) path(i int) string {
	rec := c.record(i)
	off, n := binary.LittleEndian.Uint32(rec), binary.LittleEndian.Uint32(rec[4:])
	return unsafe.String(unsafe.SliceData(c.strs[off:]), n)
}

func (c *listingCache) stat(i int) dirStat { return decodeStat(c.record(i)[16:]) }

// decodeStat reads stat data as records store them: device, inode, size,
// mtime's seconds and nanoseconds, ctime's nanoseconds and seconds.
func decodeStat(b []byte) dirStat {
	le := binary.LittleEndian
	return dirStat{
		dev: le.Uint64(b), ino: le.Uint64(b[8:]), size: le.Uint64(b[16:]),
		mtimeSec: int64(le.Uint64(b[24:])), mtimeNsec: le.Uint32(b[32:]),
		ctimeNsec: le.Uint32(b[36:]), ctimeSec: int64(le.Uint64(b[40:])),
	}
}

func encodeStat(b []byte, s dirStat) {
	le := binary.LittleEndian
	le.PutUint64(b, s.dev)
	le.PutUint64(b[8:], s.ino)
	le.PutUint64(b[16:], s.size)
	le.PutUint64(b[24:], uint64(s.mtimeSec))
	le.PutUint32(b[32:], s.mtimeNsec)
	le.PutUint32(b[36:], s.ctimeNsec)
	le.PutUint64(b[40:], uint64(s.ctimeSec))
}

// appendNames appends the names stored in record i. The names point into
// the loaded file and are valid until close.
func (c *listingCache) appendNames(i int, names []dirlist.Entry) ([]dirlist.Entry, bool) {
	rec := c.record(i)
	off, n := binary.LittleEndian.Uint32(rec[8:]), binary.LittleEndian.Uint32(rec[12:])
	s := c.strs[off:]
	start := len(names)
	for range n {
		if len(s) < 3 || int(s[0]) >= len(listingTypes) {
			return names[:start], false
		}
		l := int(binary.LittleEndian.Uint16(s[1:]))
		if len(s) < 3+l {
			return names[:start], false
		}
		names = append(names, dirlist.Entry{Name: unsafe.String(unsafe.SliceData(s[3:]), l), Type: listingTypes[s[0]]})
		s = s[3+l:]
	}
	return names, true
}

// list appends the names in the tracked directory rel, open as dirfd, to
// names: from the cache when the directory's stat data matches, else from
// the directory itself; c may be nil (no cache). What the cache should keep
// is appended to seen, one slice per goroutine, handed over with collect.
func (c *listingCache) list(dirfd int, rel string, names []dirlist.Entry, seen *seenListings) ([]dirlist.Entry, error) {
	if c == nil {
		return dirlist.Read(dirfd, names)
	}
	var st sysfs.Stat_t
	if err := fstat(dirfd, &st); err != nil {
		return dirlist.Read(dirfd, names)
	}
	stat := dirStatOf(&st)
	i, found := c.search(rel)
	if found && c.stat(i) == stat {
		if out, ok := c.appendNames(i, names); ok {
			seen.kept = append(seen.kept, int32(i))
			return out, nil
		}
	}
	start := len(names)
	names, err := dirlist.Read(dirfd, names)
	if err == nil && stat.changed().Before(c.cutoff) && storable(names[start:]) {
		seen.fresh = append(seen.fresh, seenListing{rel: rel, stat: stat, names: slices.Clone(names[start:]), record: -1})
	}
	return names, err
}

// listDir lists the directory at path with the scan's reader, through
// mem under key when mem is not nil.
func listDir(mem memory, path, key string) ([]dirlist.Entry, error) {
	fd, err := openDirAt(sysfs.AT_FDCWD, path)
	if err != nil {
		return nil, err
	}
	defer closeFd(fd)
	if mem == nil {
		return dirlist.Read(fd, nil)
	}
	var seen seenListings
	names, err := mem.list(fd, key, nil, &seen)
	mem.collect(seen)
	return names, err
}

// search finds the record of the directory rel.
func (c *listingCache) search(rel string) (int, bool) {
	lo, hi := 0, c.count()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if c.path(mid) < rel {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < c.count() && c.path(lo) == rel
}

// storable reports whether every name fits the file's 2-byte lengths and
// type codes.
func storable(names []dirlist.Entry) bool {
	for _, n := range names {
		if len(n.Name) > 0xffff || !slices.Contains(listingTypes[:], n.Type) {
			return false
		}
	}
	return true
}

// treeOf returns the tree of commit when the file remembers it; c may be
// nil (no cache).
func (c *listingCache) treeOf(commit plumbing.Hash) (plumbing.Hash, bool) {
	if c == nil || commit.IsZero() || c.head.commit != commit {
		return plumbing.ZeroHash, false
	}
	return c.head.tree, true
}

// rememberTree records commit's tree, to be saved with the listings; c may
// be nil.
func (c *listingCache) rememberTree(commit, tree plumbing.Hash) {
	if c != nil {
		c.head = headTree{commit, tree}
	}
}

// collect takes the listings one goroutine has seen; c may be nil (no
// cache).
func (c *listingCache) collect(seen seenListings) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.seen.kept = append(c.seen.kept, seen.kept...)
	c.seen.fresh = append(c.seen.fresh, seen.fresh...)
	c.mu.Unlock()
}

// save writes the scan's listings and hashed files when they differ from
// the file: a directory was read afresh, a file hashed, HEAD has moved
// or, after a complete scan, one in the file was not met. A failure only
// costs the next run its speed, so it is not reported.
func (c *listingCache) save(complete bool) {
	kept := c.seen.kept
	headMoved := c.head != c.fileHead
	fresh := len(c.seen.fresh) > 0 || len(c.freshHashed) > 0
	switch {
	case !complete && !fresh && !headMoved:
		return
	case !complete:
		// Out of time: the directories not reached keep their listings,
		// or a slow prompt would forget what a fast one had learnt.
		replaced := make(map[string]bool, len(c.seen.fresh))
		for _, l := range c.seen.fresh {
			replaced[l.rel] = true
		}
		kept = nil
		for i := range c.count() {
			if !replaced[c.path(i)] {
				kept = append(kept, int32(i))
			}
		}
	case !fresh && len(kept) == c.count() && !headMoved && len(c.usedHashed) == c.hashedCount():
		return
	}
	all := c.seen.fresh
	for _, i := range kept {
		all = append(all, seenListing{rel: c.path(int(i)), stat: c.stat(int(i)), record: int(i)})
	}
	slices.SortFunc(all, func(a, b seenListing) int { return strings.Compare(a.rel, b.rel) })
	hashed := c.keptHashed(complete)
	// The record tables come first and point into the string area, so the
	// offsets are laid out before anything is written; names are then
	// streamed, those from the old file copied as they are.
	le := binary.LittleEndian
	table := make([]byte, len(all)*listingRecordSize+len(hashed)*hashedRecordSize)
	var off uint64
	for k, l := range all {
		rec := table[k*listingRecordSize:]
		le.PutUint32(rec[0:], uint32(off))
		le.PutUint32(rec[4:], uint32(len(l.rel)))
		off += uint64(len(l.rel))
		le.PutUint32(rec[8:], uint32(off))
		if l.record >= 0 {
			old := c.record(l.record)
			copy(rec[12:16], old[12:16])
			off += uint64(len(c.encodedNames(l.record)))
		} else {
			le.PutUint32(rec[12:], uint32(len(l.names)))
			for _, n := range l.names {
				off += 3 + uint64(len(n.Name))
			}
		}
		encodeStat(rec[16:], l.stat)
	}
	for k, h := range hashed {
		rec := table[len(all)*listingRecordSize+k*hashedRecordSize:]
		le.PutUint32(rec[0:], uint32(off))
		le.PutUint32(rec[4:], uint32(len(h.path)))
		off += uint64(len(h.path))
		encodeStat(rec[8:], h.stat)
		copy(rec[56:], h.sum[:])
	}
	if off+uint64(len(table)) > 1<<31 {
		return
	}
	header := make([]byte, listingHeaderSize, listingHeaderSize+len(c.workdir))
	copy(header, listingMagic)
	le.PutUint32(header[4:], listingVersion)
	le.PutUint32(header[12:], uint32(len(all)))
	le.PutUint32(header[16:], uint32(len(c.workdir)))
	copy(header[20:], c.head.commit[:])
	copy(header[20+hashLen:], c.head.tree[:])
	le.PutUint32(header[20+2*hashLen:], uint32(len(hashed)))
	header = append(header, c.workdir...)
	if os.MkdirAll(filepath.Dir(c.file), 0o700) != nil {
		return
	}
	err := atomicfile.Overwrite(c.file, 0o600, func(f *os.File) error {
		// Magic and version go first; the checksum of everything after
		// it is patched into its place once written.
		crc := crc32.NewIEEE()
		w := bufio.NewWriterSize(io.MultiWriter(f, crc), 64<<10)
		if _, err := f.Write(header[:12]); err != nil {
			return err
		}
		w.Write(header[12:])
		w.Write(table)
		for _, l := range all {
			w.WriteString(l.rel)
			if l.record >= 0 {
				w.Write(c.encodedNames(l.record))
				continue
			}
			for _, n := range l.names {
				w.WriteByte(byte(slices.Index(listingTypes[:], n.Type)))
				w.Write(le.AppendUint16(nil, uint16(len(n.Name))))
				w.WriteString(n.Name)
			}
		}
		for _, h := range hashed {
			w.WriteString(h.path)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		_, err := f.WriteAt(le.AppendUint32(nil, crc.Sum32()), 8)
		return err
	})
	if err == nil {
		pruneListingCaches(filepath.Dir(c.file), time.Now())
	}
}

// keptHashed is the hashed files to write, sorted by path, one each: those
// computed now, and those from the file that a complete scan used or, after
// an incomplete one, that it did not replace.
func (c *listingCache) keptHashed(complete bool) []hashedFile {
	byPath := map[string]hashedFile{}
	if complete {
		for _, i := range c.usedHashed {
			h := c.hashedFileAt(int(i))
			byPath[h.path] = h
		}
	} else {
		for i := range c.hashedCount() {
			h := c.hashedFileAt(i)
			byPath[h.path] = h
		}
	}
	for _, h := range c.freshHashed {
		byPath[h.path] = h
	}
	hashed := slices.Collect(maps.Values(byPath))
	slices.SortFunc(hashed, func(a, b hashedFile) int { return strings.Compare(a.path, b.path) })
	return hashed
}

// encodedNames is record i's names as stored in the file.
func (c *listingCache) encodedNames(i int) []byte {
	rec := c.record(i)
	off, n := binary.LittleEndian.Uint32(rec[8:]), binary.LittleEndian.Uint32(rec[12:])
	s := c.strs[off:]
	end := 0
	for range n {
		if len(s)-end < 3 {
			break
		}
		end = min(end+3+int(binary.LittleEndian.Uint16(s[end+1:])), len(s))
	}
	return s[:end]
}

// listingCacheMaxAge is how long the cache file of a work tree that is
// never looked at again (a deleted clone) is kept; one still in use and
// removed only costs its next run the reading of its directories.
const listingCacheMaxAge = 30 * 24 * time.Hour

// pruneListingCaches removes the cache files in dir not written for
// listingCacheMaxAge, and temporary files (hidden, as atomicfile names
// them) left by an interrupted write.
func pruneListingCaches(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		age := now.Sub(info.ModTime())
		if age > listingCacheMaxAge || strings.HasPrefix(e.Name(), ".") && age > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// close releases the file; names from it are invalid afterwards.
func (c *listingCache) close() {
	if c.release != nil {
		c.release()
		c.release, c.records, c.strs = nil, nil, nil
	}
}
