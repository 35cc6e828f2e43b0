// Package driver runs a whole key/value cluster inside one process: one raft
// node and one kv store per configured node, wired through the in-memory
// network, with a clock that ticks every node in rounds.
package driver

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/awesome-org/tool/config"
	"github.com/awesome-org/tool/kv"
	toolnet "github.com/awesome-org/tool/net"
	"github.com/awesome-org/tool/raft"
	"github.com/awesome-org/tool/util"
)

// ErrNoLeader is returned by reads while the cluster has no leader.
var ErrNoLeader = errors.New("driver: no leader elected yet")

// Driver owns a local cluster.
type Driver struct {
	network *toolnet.Memory
	ids     []string
	nodes   map[string]*raft.Node
	stores  map[string]*kv.Store
	rounds  util.NonReentrant

	mu        sync.Mutex
	roundDone chan struct{} // closed and replaced after every round
}

// New builds the cluster described by c. Nothing happens until rounds run.
func New(c config.Cluster) (*Driver, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	d := &Driver{
		network:   toolnet.NewMemory(),
		ids:       c.Nodes,
		nodes:     make(map[string]*raft.Node),
		stores:    make(map[string]*kv.Store),
		roundDone: make(chan struct{}),
	}
	for _, id := range c.Nodes {
		cfg, err := c.Node(id)
		if err != nil {
			return nil, err
		}
		store := kv.NewStore()
		node := raft.New(cfg, d.network, store)
		d.network.Attach(id, node.Step)
		d.nodes[id], d.stores[id] = node, store
	}
	return d, nil
}

// IDs returns the node IDs in configuration order.
func (d *Driver) IDs() []string { return d.ids }

// Node returns the raft node called id, or nil.
func (d *Driver) Node(id string) *raft.Node { return d.nodes[id] }

// Store returns the kv store of node id, or nil.
func (d *Driver) Store(id string) *kv.Store { return d.stores[id] }

// Network returns the network, so tests can partition nodes.
func (d *Driver) Network() *toolnet.Memory { return d.network }

// Round advances the clock by one tick on every node and delivers every
// message that results. A Round called while another runs waits for it.
func (d *Driver) Round() {
	d.rounds.Run(util.Wait, d.round)
}

// Run calls rounds every interval until ctx is done. A tick that comes
// while the previous round still runs is skipped rather than queued, so a
// slow round never causes a burst of catch-up rounds.
func (d *Driver) Run(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			d.rounds.Run(util.Skip, d.round)
		}
	}
}

func (d *Driver) round() {
	for _, id := range d.ids {
		d.nodes[id].Tick()
	}
	d.network.Deliver()
	d.mu.Lock()
	close(d.roundDone)
	d.roundDone = make(chan struct{})
	d.mu.Unlock()
}

// waitRound blocks until the next round has finished.
func (d *Driver) waitRound(ctx context.Context) error {
	d.mu.Lock()
	done := d.roundDone
	d.mu.Unlock()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Leader returns the node that leads the newest term, or nil if no node
// is leader. During a partition an old leader may still believe it leads;
// the newest term wins.
func (d *Driver) Leader() *raft.Node {
	var leader *raft.Node
	var term uint64
	for _, id := range d.ids {
		st := d.nodes[id].Status()
		if st.State == raft.Leader && st.Term > term {
			leader, term = d.nodes[id], st.Term
		}
	}
	return leader
}

// Get reads key from the leader's store.
func (d *Driver) Get(key string) (kv.Item, bool, error) {
	leader := d.Leader()
	if leader == nil {
		return kv.Item{}, false, ErrNoLeader
	}
	item, ok := d.stores[leader.Status().ID].Get(key)
	return item, ok, nil
}

// Put writes value under key through the raft log and returns once the
// write is committed. Someone must be running rounds (Run or Round) for it
// to make progress; it gives up when ctx is done.
func (d *Driver) Put(ctx context.Context, key, value string) error {
	command := kv.PutCommand(key, value)
	for {
		if leader := d.Leader(); leader != nil {
			index, term, err := leader.Propose(command)
			if err == nil {
				return d.awaitCommit(ctx, leader, index, term)
			}
		}
		if err := d.waitRound(ctx); err != nil {
			return fmt.Errorf("driver: put %q: %w", key, err)
		}
	}
}

func (d *Driver) awaitCommit(ctx context.Context, leader *raft.Node, index, term uint64) error {
	for {
		committed, lost := leader.Committed(index, term)
		switch {
		case committed:
			return leader.ApplyError()
		case lost:
			return fmt.Errorf("driver: entry %d of term %d was overwritten by a new leader; retry", index, term)
		}
		if err := d.waitRound(ctx); err != nil {
			return fmt.Errorf("driver: waiting for entry %d to commit: %w", index, err)
		}
	}
}
