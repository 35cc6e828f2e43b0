// Package kv is a key/value store replicated through the raft log.
//
// Every key carries a generation counter, bumped by each write. When two
// copies of a key meet, as when a node merges state gossiped by another,
// the higher generation wins, so the merge order does not matter.
package kv

import (
	"encoding/json"
	"fmt"
	"sync"
)

// Item is a value together with the generation that wrote it.
type Item struct {
	Value      string `json:"value"`
	Generation uint64 `json:"generation"`
}

// Store is the key/value state machine. It is safe for concurrent use.
type Store struct {
	mu    sync.RWMutex
	items map[string]Item
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{items: make(map[string]Item)}
}

// Get returns the current item of key and whether the key exists.
func (s *Store) Get(key string) (Item, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	item, ok := s.items[key]
	return item, ok
}

// Put sets key to value one generation above the current one and returns
// the new item.
func (s *Store) Put(key, value string) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	item := Item{Value: value, Generation: s.items[key].Generation + 1}
	s.items[key] = item
	return item
}

// Merge stores item under key only if its generation is higher than the
// stored one, and reports whether it did.
func (s *Store) Merge(key string, item Item) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.items[key]; ok && cur.Generation >= item.Generation {
		return false
	}
	s.items[key] = item
	return true
}

// Len returns the number of keys.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

// Command is a write as it travels through the raft log.
type Command struct {
	Op   string `json:"op"` // "put" or "merge"
	Key  string `json:"key"`
	Item Item   `json:"item"` // for "put" only Item.Value is used
}

// PutCommand encodes a Put of value under key for raft.Node.Propose.
func PutCommand(key, value string) []byte {
	return mustEncode(Command{Op: "put", Key: key, Item: Item{Value: value}})
}

// MergeCommand encodes a Merge of item under key for raft.Node.Propose.
func MergeCommand(key string, item Item) []byte {
	return mustEncode(Command{Op: "merge", Key: key, Item: item})
}

func mustEncode(c Command) []byte {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a struct of strings and integers always encodes
	}
	return b
}

// Apply implements raft.StateMachine. Every node applies the same commands
// in the same order, so generations agree across the cluster.
func (s *Store) Apply(index uint64, command []byte) error {
	var c Command
	if err := json.Unmarshal(command, &c); err != nil {
		return fmt.Errorf("kv: decoding entry %d: %w", index, err)
	}
	switch c.Op {
	case "put":
		s.Put(c.Key, c.Item.Value)
	case "merge":
		s.Merge(c.Key, c.Item)
	default:
		return fmt.Errorf("kv: entry %d: unknown operation %q", index, c.Op)
	}
	return nil
}
