// Package config describes a local cluster: which nodes exist and how many
// clock ticks the raft timers take.
package config

import (
	"errors"
	"fmt"
	"strings"
)

// Cluster is the static membership and timing of a cluster.
type Cluster struct {
	// Nodes lists the node IDs; every node talks to all the others.
	Nodes []string
	// ElectionTicks is the shortest election timeout. Each node picks its
	// timeout at random in [ElectionTicks, 2*ElectionTicks) so that split
	// votes are rare.
	ElectionTicks int
	// HeartbeatTicks is how often a leader sends AppendEntries when it has
	// nothing new to replicate. It must be well below ElectionTicks.
	HeartbeatTicks int
	// Seed makes the randomized timeouts reproducible.
	Seed uint64
}

// Node is the part of the cluster configuration one raft node needs.
type Node struct {
	ID             string
	Peers          []string
	ElectionTicks  int
	HeartbeatTicks int
	Seed           uint64
}

// Default returns a cluster of n nodes named node1…nodeN with timings that
// suit a ticker of a few milliseconds.
func Default(n int) Cluster {
	c := Cluster{ElectionTicks: 10, HeartbeatTicks: 2, Seed: 1}
	for i := 1; i <= n; i++ {
		c.Nodes = append(c.Nodes, fmt.Sprintf("node%d", i))
	}
	return c
}

// Validate reports the first problem that would keep the cluster from
// electing a leader.
func (c Cluster) Validate() error {
	if len(c.Nodes) == 0 {
		return errors.New("config: cluster has no nodes")
	}
	seen := make(map[string]bool)
	for _, id := range c.Nodes {
		if id == "" || strings.ContainsAny(id, " \t\n/") {
			return fmt.Errorf("config: invalid node ID %q", id)
		}
		if seen[id] {
			return fmt.Errorf("config: node ID %q listed twice", id)
		}
		seen[id] = true
	}
	if c.HeartbeatTicks < 1 || c.ElectionTicks <= 2*c.HeartbeatTicks {
		return fmt.Errorf("config: election ticks (%d) must exceed twice the heartbeat ticks (%d), which must be positive",
			c.ElectionTicks, c.HeartbeatTicks)
	}
	return nil
}

// Node returns the configuration of the node called id, whose peers are all
// the other nodes.
func (c Cluster) Node(id string) (Node, error) {
	n := Node{ID: id, ElectionTicks: c.ElectionTicks, HeartbeatTicks: c.HeartbeatTicks, Seed: c.Seed}
	found := false
	for _, other := range c.Nodes {
		if other == id {
			found = true
			continue
		}
		n.Peers = append(n.Peers, other)
	}
	if !found {
		return Node{}, fmt.Errorf("config: no node %q in cluster %q", id, c.Nodes)
	}
	return n, nil
}
