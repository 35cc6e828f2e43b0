package gitstatus

import (
	"bytes"
	"fmt"
	"github.com/gofork/gofork/internal/gitindex"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// hashLen is an object id's length: SHA-1 repositories only, as the
// index reader's.
const hashLen = gitindex.HashLen

// The few object fields the status needs are decoded here rather than
// through go-git's plumbing/object, whose imports (OpenPGP, diff,
// networking) made up half of gitprompt's start-up time.

// commitInfo is what status needs from a commit.
type commitInfo struct {
	tree          plumbing.Hash
	parents       []plumbing.Hash
	committerTime int64
}

func readCommit(db *objectDB, h plumbing.Hash) (commitInfo, error) {
	data, err := db.read(plumbing.CommitObject, h)
	if err != nil {
		return commitInfo{}, err
	}
	var c commitInfo
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte("\n"))
		if len(line) == 0 {
			break // end of the header
		}
		key, value, _ := bytes.Cut(line, []byte(" "))
		switch string(key) {
		case "tree":
			c.tree = plumbing.NewHash(string(value))
		case "parent":
			c.parents = append(c.parents, plumbing.NewHash(string(value)))
		case "committer":
			// "Name <email> 1700000000 +0100"
			fields := bytes.Fields(value)
			if len(fields) >= 2 {
				c.committerTime, _ = strconv.ParseInt(string(fields[len(fields)-2]), 10, 64)
			}
		}
	}
	if c.tree.IsZero() {
		return commitInfo{}, fmt.Errorf("read commit %s: no tree in its header", h)
	}
	if db.shallow != nil && db.shallow()[h] {
		c.parents = nil // cut off by a shallow clone: a root, as git takes it
	}
	return c, nil
}

// treeEntry is one entry of a tree object.
type treeEntry struct {
	name string
	mode uint32
	hash plumbing.Hash
}

func readTree(db *objectDB, h plumbing.Hash) ([]treeEntry, error) {
	data, err := db.read(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	var entries []treeEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || len(data) < nul+1+hashLen {
			return nil, fmt.Errorf("read tree %s: malformed entry", h)
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: bad mode %q", h, data[:sp])
		}
		entries = append(entries, treeEntry{
			name: string(data[sp+1 : nul]),
			mode: uint32(mode),
			hash: plumbing.Hash(data[nul+1 : nul+1+hashLen]),
		})
		data = data[nul+1+hashLen:]
	}
	return entries, nil
}

// peel follows annotated tags to the object they name.
func peel(db *objectDB, h plumbing.Hash) plumbing.Hash {
	for range 10 {
		data, err := db.read(plumbing.TagObject, h)
		if err != nil {
			return h
		}
		target, ok := bytes.CutPrefix(data, []byte("object "))
		if !ok || len(target) < 2*hashLen || !plumbing.IsHash(string(target[:2*hashLen])) {
			return h
		}
		h = plumbing.NewHash(string(target[:2*hashLen]))
	}
	return h
}
