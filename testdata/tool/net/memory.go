// Package net carries raft messages between the nodes of one process. Its
// Memory network queues messages and delivers them when asked, so tests
// decide exactly when messages arrive and which nodes can reach each other.
package net

import (
	"sync"

	"github.com/awesome-org/tool/raft"
)

// Memory is an in-process raft.Transport that can partition nodes.
type Memory struct {
	mu       sync.Mutex
	queue    []raft.Message
	handlers map[string]func(raft.Message)
	isolated map[string]bool
	dropped  int
}

// NewMemory returns a network with no nodes attached.
func NewMemory() *Memory {
	return &Memory{handlers: make(map[string]func(raft.Message)), isolated: make(map[string]bool)}
}

// Attach routes messages addressed to id to handle, typically a node's Step.
func (m *Memory) Attach(id string, handle func(raft.Message)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handlers[id] = handle
}

// Send queues msg for the next Deliver. It never blocks.
func (m *Memory) Send(msg raft.Message) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queue = append(m.queue, msg)
}

// Isolate cuts id off from every other node until Heal. Messages already in
// flight to or from id are lost, as on a real network.
func (m *Memory) Isolate(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.isolated[id] = true
}

// Heal reconnects every isolated node.
func (m *Memory) Heal() {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.isolated)
}

// Dropped counts the messages lost to partitions so far.
func (m *Memory) Dropped() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dropped
}

// Deliver hands every queued message to its receiver in the order sent,
// including the messages sent while delivering, until the queue is empty.
// It returns how many messages arrived.
func (m *Memory) Deliver() int {
	delivered := 0
	for {
		m.mu.Lock()
		if len(m.queue) == 0 {
			m.mu.Unlock()
			return delivered
		}
		msg := m.queue[0]
		m.queue = m.queue[1:]
		handle, ok := m.handlers[msg.To]
		if !ok || m.isolated[msg.From] || m.isolated[msg.To] {
			m.dropped++
			handle = nil
		}
		m.mu.Unlock()
		// Called without the lock: handle sends replies through Send.
		if handle != nil {
			handle(msg)
			delivered++
		}
	}
}
