package gitstatus

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/gofork/gofork/internal/rawfile"
)

// readReftableStack reads the refs of the reftable stack in dir (git's
// reftable backend, extensions.refStorage=reftable): the tables that
// tables.list names, oldest first, each newer one overriding the older for
// the refs it records and deletion records removing them. It reads ref
// blocks (Documentation/technical/reftable.adoc); reftableLogCount reads
// the logs.
func readReftableStack(dir string) (map[string]reftableRef, error) {
	list, err := rawfile.ReadFile(filepath.Join(dir, "tables.list"))
	if err != nil {
		return nil, fmt.Errorf("read reftable stack: %w", err)
	}
	refs := map[string]reftableRef{}
	for name := range strings.Lines(string(list)) {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if strings.ContainsAny(name, `/\`) {
			return nil, fmt.Errorf("read reftable stack %q: bad table name %q", dir, name)
		}
		data, err := rawfile.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read reftable %q: %w", name, err)
		}
		if err := readReftable(data, func(r reftableRef) {
			if r.deleted {
				delete(refs, r.name)
			} else {
				refs[r.name] = r
			}
		}); err != nil {
			return nil, fmt.Errorf("read reftable %q: %w", name, err)
		}
	}
	return refs, nil
}

// reftableRef is one ref record.
type reftableRef struct {
	name    string
	deleted bool
	hash    plumbing.Hash
	peeled  plumbing.Hash // what an annotated tag points at, when recorded
	target  string        // of a symbolic ref
}

var errReftable = errors.New("damaged reftable")

// readReftable calls visit with each ref record of one table, in order.
func readReftable(data []byte, visit func(reftableRef)) error {
	if len(data) < 24 || string(data[:4]) != "REFT" {
		return fmt.Errorf("%w: no REFT header", errReftable)
	}
	headerLen, footerLen := 24, 68
	switch data[4] {
	case 1:
	case 2:
		headerLen, footerLen = 28, 72
		if len(data) < headerLen || string(data[24:28]) != "sha1" {
			return fmt.Errorf("reftable of object format %q: only SHA-1 is read", data[24:28])
		}
	default:
		return fmt.Errorf("reftable version %d is not supported", data[4])
	}
	if len(data) < headerLen+footerLen {
		return fmt.Errorf("%w: shorter than its header and footer", errReftable)
	}
	blockSize := int(uint24(data[5:]))
	end := len(data) - footerLen
	// The first block starts at 0 and holds the header; its length counts it.
	for start, pos := 0, headerLen; pos < end && data[pos] == 'r'; {
		if pos+4 > end {
			return fmt.Errorf("%w: block at %d cut short", errReftable, pos)
		}
		blockEnd := start + int(uint24(data[pos+1:]))
		if blockEnd > end || blockEnd < pos+6 {
			return fmt.Errorf("%w: block at %d has a bad length", errReftable, pos)
		}
		restarts := int(binary.BigEndian.Uint16(data[blockEnd-2:]))
		recordsEnd := blockEnd - 2 - 3*restarts
		if restarts == 0 || recordsEnd < pos+4 {
			return fmt.Errorf("%w: block at %d has a bad restart table", errReftable, pos)
		}
		if err := readRefRecords(data[pos+4:recordsEnd], visit); err != nil {
			return err
		}
		if blockSize > 0 {
			start += blockSize
		} else {
			start = blockEnd
		}
		pos = start
		for pos < end && data[pos] == 0 && blockSize > 0 {
			pos++ // padding, should a writer leave more than to the boundary
		}
	}
	return nil
}

// readRefRecords decodes the prefix-compressed ref records of one block.
func readRefRecords(b []byte, visit func(reftableRef)) error {
	var name []byte
	for len(b) > 0 {
		prefix, n := reftableVarint(b)
		if n == 0 {
			return fmt.Errorf("%w: bad record", errReftable)
		}
		b = b[n:]
		lenType, n := reftableVarint(b)
		if n == 0 {
			return fmt.Errorf("%w: bad record", errReftable)
		}
		b = b[n:]
		suffix, valueType := lenType>>3, lenType&7
		if prefix > uint64(len(name)) || suffix > uint64(len(b)) {
			return fmt.Errorf("%w: bad record name", errReftable)
		}
		name = append(name[:prefix], b[:suffix]...)
		b = b[suffix:]
		if _, n = reftableVarint(b); n == 0 { // update_index_delta
			return fmt.Errorf("%w: bad record", errReftable)
		}
		b = b[n:]
		r := reftableRef{name: string(name)}
		switch valueType {
		case 0:
			r.deleted = true
		case 1, 2:
			ids := int(valueType)
			if len(b) < ids*hashLen {
				return fmt.Errorf("%w: record %q cut short", errReftable, name)
			}
			copy(r.hash[:], b)
			if ids == 2 {
				copy(r.peeled[:], b[hashLen:])
			}
			b = b[ids*hashLen:]
		case 3:
			tlen, n := reftableVarint(b)
			if n == 0 || tlen > uint64(len(b)-n) {
				return fmt.Errorf("%w: record %q cut short", errReftable, name)
			}
			r.target = string(b[n : n+int(tlen)])
			b = b[n+int(tlen):]
		default:
			return fmt.Errorf("%w: record %q has value type %d", errReftable, name, valueType)
		}
		visit(r)
	}
	return nil
}

// reftableVarint decodes the pack files' offset encoding reftable uses; n
// is 0 when b ends inside it or it overflows.
func reftableVarint(b []byte) (v uint64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	v = uint64(b[0] & 0x7f)
	for n = 1; b[n-1]&0x80 != 0; n++ {
		if n == len(b) || v > (1<<56) {
			return 0, 0
		}
		v = (v+1)<<7 | uint64(b[n]&0x7f)
	}
	return v, n
}

// reftableLogCount counts the reflog entries of ref in the reftable stack
// in dir, as git's reflog reader gives them: each (ref, update index) key
// whose newest record is an entry rather than a deletion (git stash drop
// writes those).
func reftableLogCount(dir, ref string) (int, error) {
	list, err := rawfile.ReadFile(filepath.Join(dir, "tables.list"))
	if err != nil {
		return 0, fmt.Errorf("read reftable stack: %w", err)
	}
	live := map[uint64]bool{}
	for name := range strings.Lines(string(list)) {
		if name = strings.TrimSpace(name); name == "" || strings.ContainsAny(name, `/\`) {
			continue
		}
		data, err := rawfile.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return 0, fmt.Errorf("read reftable %q: %w", name, err)
		}
		if err := readReftableLogs(data, ref, func(updateIndex uint64, deleted bool) {
			live[updateIndex] = !deleted
		}); err != nil {
			return 0, fmt.Errorf("read reftable %q: %w", name, err)
		}
	}
	n := 0
	for _, ok := range live {
		if ok {
			n++
		}
	}
	return n, nil
}

// readReftableLogs calls visit for each log record of ref in one table:
// the deflated log blocks from the footer's log_position on.
func readReftableLogs(data []byte, ref string, visit func(updateIndex uint64, deleted bool)) error {
	if len(data) < 24 || string(data[:4]) != "REFT" || data[4] != 1 && data[4] != 2 {
		return fmt.Errorf("%w: no REFT header", errReftable)
	}
	headerLen := 24 + 4*int(data[4]-1)
	footerLen := headerLen + 44
	if len(data) < headerLen+footerLen {
		return fmt.Errorf("%w: shorter than its header and footer", errReftable)
	}
	footer := data[len(data)-footerLen:]
	pos := int(binary.BigEndian.Uint64(footer[headerLen+24:]))
	end := len(data) - footerLen
	if pos == 0 {
		return nil // no logs
	}
	if pos < headerLen || pos > end {
		return fmt.Errorf("%w: bad log position", errReftable)
	}
	for pos < end && data[pos] == 'g' {
		if pos+4 > end {
			return fmt.Errorf("%w: log block cut short", errReftable)
		}
		size := int(uint24(data[pos+1:]))
		in := bytes.NewReader(data[pos+4 : end])
		z, err := zlib.NewReader(in)
		if err != nil {
			return fmt.Errorf("%w: log block: %v", errReftable, err)
		}
		block := make([]byte, max(size-4, 0))
		if _, err := io.ReadFull(z, block); err != nil {
			return fmt.Errorf("%w: log block: %v", errReftable, err)
		}
		// Read to the end so the adler-32 after the deflate stream is
		// consumed and checked.
		if n, err := z.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			return fmt.Errorf("%w: log block longer than it says", errReftable)
		}
		pos = end - in.Len()
		if len(block) < 2 {
			return fmt.Errorf("%w: log block too short", errReftable)
		}
		restarts := int(binary.BigEndian.Uint16(block[len(block)-2:]))
		recordsEnd := len(block) - 2 - 3*restarts
		if restarts == 0 || recordsEnd < 0 {
			return fmt.Errorf("%w: log block has a bad restart table", errReftable)
		}
		if err := readLogRecords(block[:recordsEnd], ref, visit); err != nil {
			return err
		}
	}
	return nil
}

func readLogRecords(b []byte, ref string, visit func(updateIndex uint64, deleted bool)) error {
	bad := fmt.Errorf("%w: bad log record", errReftable)
	varint := func() (uint64, bool) {
		v, n := reftableVarint(b)
		b = b[n:]
		return v, n > 0
	}
	bytesOf := func(n uint64) ([]byte, bool) {
		if n > uint64(len(b)) {
			return nil, false
		}
		out := b[:n]
		b = b[n:]
		return out, true
	}
	var key []byte
	for len(b) > 0 {
		prefix, ok1 := varint()
		lenType, ok2 := varint()
		if !ok1 || !ok2 || prefix > uint64(len(key)) {
			return bad
		}
		suffix, ok := bytesOf(lenType >> 3)
		if !ok {
			return bad
		}
		key = append(key[:prefix], suffix...)
		logType := lenType & 7
		if logType == 1 {
			if _, ok := bytesOf(2 * hashLen); !ok {
				return bad
			}
			for range 2 { // name, email
				n, ok := varint()
				if _, ok2 := bytesOf(n); !ok || !ok2 {
					return bad
				}
			}
			if _, ok := varint(); !ok { // time
				return bad
			}
			if _, ok := bytesOf(2); !ok { // zone
				return bad
			}
			n, ok := varint()
			if _, ok2 := bytesOf(n); !ok || !ok2 {
				return bad
			}
		} else if logType != 0 {
			return fmt.Errorf("%w: log record of type %d", errReftable, logType)
		}
		if len(key) < 9 || key[len(key)-9] != 0 {
			return bad
		}
		if string(key[:len(key)-9]) == ref {
			visit(^binary.BigEndian.Uint64(key[len(key)-8:]), logType == 0)
		}
	}
	return nil
}

func uint24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }
