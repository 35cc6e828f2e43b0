// Package raft implements the core of the Raft consensus protocol: leader
// election with randomized timeouts, log replication through AppendEntries
// and a commit index that drives a StateMachine.
//
// A Node has no goroutines and no clock of its own. Time passes when the
// owner calls Tick, and messages arrive when the owner calls Step, which
// makes clusters fully deterministic under test. The log lives in memory;
// persistence, snapshots and membership changes are out of scope.
package raft

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"

	"github.com/awesome-org/tool/config"
)

// State is the role a node currently plays.
type State int

const (
	Follower State = iota
	Candidate
	Leader
)

func (s State) String() string {
	return [...]string{"follower", "candidate", "leader"}[s]
}

// ErrNotLeader is returned by Propose on a node that is not the leader.
var ErrNotLeader = errors.New("raft: not the leader")

// maxBatch bounds the entries sent in one AppendEntries message.
const maxBatch = 64

// Node is one member of a Raft cluster. All methods are safe for concurrent
// use.
type Node struct {
	mu        sync.Mutex
	cfg       config.Node
	transport Transport
	machine   StateMachine
	rand      *rand.Rand

	state    State
	term     uint64
	votedFor string
	leader   string
	log      []Entry // log[0] is a sentinel at index 0, term 0
	commit   uint64
	applied  uint64
	applyErr error

	electionElapsed  int
	electionTimeout  int
	heartbeatElapsed int
	votes            map[string]bool
	nextIndex        map[string]uint64
	matchIndex       map[string]uint64
}

// New returns a follower at term 0 with an empty log.
func New(cfg config.Node, transport Transport, machine StateMachine) *Node {
	h := fnv.New64a()
	h.Write([]byte(cfg.ID))
	n := &Node{
		cfg:       cfg,
		transport: transport,
		machine:   machine,
		rand:      rand.New(rand.NewPCG(cfg.Seed, h.Sum64())),
		log:       []Entry{{}},
	}
	n.becomeFollower(0, "")
	return n
}

// Status is a snapshot of a node's view of the cluster.
type Status struct {
	ID          string
	State       State
	Term        uint64
	Leader      string
	LastIndex   uint64
	CommitIndex uint64
	Applied     uint64
}

func (s Status) String() string {
	return fmt.Sprintf("%s: %s term %d leader %q last %d commit %d applied %d",
		s.ID, s.State, s.Term, s.Leader, s.LastIndex, s.CommitIndex, s.Applied)
}

// Status reports the node's current view.
func (n *Node) Status() Status {
	n.mu.Lock()
	defer n.mu.Unlock()
	return Status{
		ID: n.cfg.ID, State: n.state, Term: n.term, Leader: n.leader,
		LastIndex: n.lastIndex(), CommitIndex: n.commit, Applied: n.applied,
	}
}

// Entries returns a copy of the log, without the sentinel.
func (n *Node) Entries() []Entry {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Entry(nil), n.log[1:]...)
}

// Committed reports whether the entry Propose placed at index in term is
// committed. lost is true when the log now holds a different entry there,
// so the proposal will never commit and must be retried.
func (n *Node) Committed(index, term uint64) (committed, lost bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if index > n.lastIndex() || n.log[index].Term != term {
		return false, true
	}
	return n.commit >= index, false
}

// ApplyError returns the first error the state machine reported, after
// which the node stops applying entries.
func (n *Node) ApplyError() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.applyErr
}

// Propose appends command to the leader's log and starts replicating it. It
// returns where the entry was placed; use Committed to learn its fate.
func (n *Node) Propose(command []byte) (index, term uint64, err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.state != Leader {
		return 0, 0, fmt.Errorf("%w: %s follows %q", ErrNotLeader, n.cfg.ID, n.leader)
	}
	index = n.appendLocal(command)
	n.broadcastAppend()
	n.advanceCommit()
	return index, n.term, nil
}

// Tick advances the node's clock by one tick: a follower or candidate whose
// election timeout expires starts an election, a leader sends heartbeats.
func (n *Node) Tick() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.state == Leader {
		n.heartbeatElapsed++
		if n.heartbeatElapsed >= n.cfg.HeartbeatTicks {
			n.heartbeatElapsed = 0
			n.broadcastAppend()
		}
		return
	}
	n.electionElapsed++
	if n.electionElapsed >= n.electionTimeout {
		n.campaign()
	}
}

// Step handles one message received from the transport.
func (n *Node) Step(m Message) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if m.Term > n.term {
		leader := ""
		if m.Type == AppendRequest {
			leader = m.From
		}
		n.becomeFollower(m.Term, leader)
	}
	switch m.Type {
	case VoteRequest:
		n.handleVoteRequest(m)
	case VoteResponse:
		n.handleVoteResponse(m)
	case AppendRequest:
		n.handleAppendRequest(m)
	case AppendResponse:
		n.handleAppendResponse(m)
	}
}

func (n *Node) lastIndex() uint64 { return n.log[len(n.log)-1].Index }
func (n *Node) lastTerm() uint64  { return n.log[len(n.log)-1].Term }
func (n *Node) quorum() int       { return (len(n.cfg.Peers)+1)/2 + 1 }

func (n *Node) resetElectionTimer() {
	n.electionElapsed = 0
	n.electionTimeout = n.cfg.ElectionTicks + n.rand.IntN(n.cfg.ElectionTicks)
}

func (n *Node) becomeFollower(term uint64, leader string) {
	if term > n.term {
		n.term = term
		n.votedFor = ""
	}
	n.state = Follower
	n.leader = leader
	n.resetElectionTimer()
}

func (n *Node) campaign() {
	n.state = Candidate
	n.term++
	n.votedFor = n.cfg.ID
	n.leader = ""
	n.votes = map[string]bool{n.cfg.ID: true}
	n.resetElectionTimer()
	if len(n.votes) >= n.quorum() {
		n.becomeLeader()
		return
	}
	for _, peer := range n.cfg.Peers {
		n.send(Message{Type: VoteRequest, To: peer, LastLogIndex: n.lastIndex(), LastLogTerm: n.lastTerm()})
	}
}

func (n *Node) becomeLeader() {
	n.state = Leader
	n.leader = n.cfg.ID
	n.heartbeatElapsed = 0
	n.nextIndex = make(map[string]uint64)
	n.matchIndex = make(map[string]uint64)
	for _, peer := range n.cfg.Peers {
		n.nextIndex[peer] = n.lastIndex() + 1
	}
	// Entries of earlier terms may only be committed through an entry of the
	// current term, so a new leader appends a no-op right away.
	n.appendLocal(nil)
	n.broadcastAppend()
	n.advanceCommit()
}

func (n *Node) appendLocal(command []byte) uint64 {
	index := n.lastIndex() + 1
	n.log = append(n.log, Entry{Index: index, Term: n.term, Command: command})
	return index
}

func (n *Node) send(m Message) {
	m.From = n.cfg.ID
	m.Term = n.term
	n.transport.Send(m)
}

func (n *Node) handleVoteRequest(m Message) {
	upToDate := m.LastLogTerm > n.lastTerm() ||
		(m.LastLogTerm == n.lastTerm() && m.LastLogIndex >= n.lastIndex())
	grant := m.Term == n.term && upToDate && (n.votedFor == "" || n.votedFor == m.From)
	if grant {
		n.votedFor = m.From
		n.resetElectionTimer()
	}
	n.send(Message{Type: VoteResponse, To: m.From, VoteGranted: grant})
}

func (n *Node) handleVoteResponse(m Message) {
	if n.state != Candidate || m.Term != n.term || !m.VoteGranted {
		return
	}
	n.votes[m.From] = true
	if len(n.votes) >= n.quorum() {
		n.becomeLeader()
	}
}

func (n *Node) handleAppendRequest(m Message) {
	reply := Message{Type: AppendResponse, To: m.From}
	if m.Term < n.term {
		n.send(reply) // tells a stale leader about the newer term
		return
	}
	// A candidate that hears from the leader of its own term gives up.
	n.becomeFollower(m.Term, m.From)

	if m.PrevLogIndex > n.lastIndex() || n.log[m.PrevLogIndex].Term != m.PrevLogTerm {
		reply.LastIndex = min(n.lastIndex(), m.PrevLogIndex-1)
		n.send(reply)
		return
	}
	for _, e := range m.Entries {
		if e.Index <= n.lastIndex() {
			if n.log[e.Index].Term == e.Term {
				continue
			}
			// A conflicting entry and everything after it came from a
			// leader whose entries never committed: drop them.
			n.log = n.log[:e.Index]
		}
		n.log = append(n.log, e)
	}
	reply.Success = true
	reply.MatchIndex = m.PrevLogIndex + uint64(len(m.Entries))
	if m.LeaderCommit > n.commit {
		n.commitTo(min(m.LeaderCommit, reply.MatchIndex))
	}
	n.send(reply)
}

func (n *Node) handleAppendResponse(m Message) {
	if n.state != Leader || m.Term != n.term {
		return
	}
	if !m.Success {
		// Back off to just past the follower's last entry, or by one.
		// A late rejection must not move below what the follower is
		// known to hold.
		next := min(n.nextIndex[m.From]-1, m.LastIndex+1)
		n.nextIndex[m.From] = max(next, n.matchIndex[m.From]+1)
		n.sendAppend(m.From)
		return
	}
	if m.MatchIndex > n.matchIndex[m.From] {
		n.matchIndex[m.From] = m.MatchIndex
	}
	n.nextIndex[m.From] = n.matchIndex[m.From] + 1
	if n.advanceCommit() {
		n.broadcastAppend() // let followers learn the new commit index
	} else if n.nextIndex[m.From] <= n.lastIndex() {
		n.sendAppend(m.From)
	}
}

func (n *Node) broadcastAppend() {
	for _, peer := range n.cfg.Peers {
		n.sendAppend(peer)
	}
}

func (n *Node) sendAppend(peer string) {
	next := n.nextIndex[peer]
	prev := n.log[next-1]
	end := min(n.lastIndex(), prev.Index+maxBatch)
	n.send(Message{
		Type:         AppendRequest,
		To:           peer,
		PrevLogIndex: prev.Index,
		PrevLogTerm:  prev.Term,
		Entries:      append([]Entry(nil), n.log[next:end+1]...),
		LeaderCommit: n.commit,
	})
}

// advanceCommit moves the leader's commit index to the highest entry of its
// own term that a quorum holds and reports whether it moved. Entries of
// earlier terms are never committed by counting replicas (Raft §5.4.2).
func (n *Node) advanceCommit() bool {
	for index := n.lastIndex(); index > n.commit; index-- {
		if n.log[index].Term != n.term {
			break
		}
		replicas := 1
		for _, match := range n.matchIndex {
			if match >= index {
				replicas++
			}
		}
		if replicas >= n.quorum() {
			n.commitTo(index)
			return true
		}
	}
	return false
}

func (n *Node) commitTo(index uint64) {
	n.commit = index
	for n.applyErr == nil && n.applied < n.commit {
		e := n.log[n.applied+1]
		if e.Command != nil {
			if err := n.machine.Apply(e.Index, e.Command); err != nil {
				n.applyErr = fmt.Errorf("raft: %s applying entry %d: %w", n.cfg.ID, e.Index, err)
				return
			}
		}
		n.applied++
	}
}
