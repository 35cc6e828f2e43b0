package raft

// MessageType names the four messages of the Raft protocol.
type MessageType int

const (
	VoteRequest MessageType = iota + 1
	VoteResponse
	AppendRequest
	AppendResponse
)

var messageTypeNames = map[MessageType]string{
	VoteRequest:    "RequestVote",
	VoteResponse:   "RequestVoteResponse",
	AppendRequest:  "AppendEntries",
	AppendResponse: "AppendEntriesResponse",
}

func (t MessageType) String() string { return messageTypeNames[t] }

// Entry is one record of the replicated log. An entry with a nil Command is
// the no-op a new leader appends to commit the entries of earlier terms.
type Entry struct {
	Index   uint64
	Term    uint64
	Command []byte
}

// Message is a one-way message between nodes. Requests and responses travel
// separately, so a Transport only has to deliver messages, never wait for a
// reply. Fields not used by a Type are zero.
type Message struct {
	Type     MessageType
	From, To string
	Term     uint64

	// RequestVote: the candidate's last log position.
	LastLogIndex, LastLogTerm uint64
	// RequestVoteResponse.
	VoteGranted bool

	// AppendEntries: the entry just before Entries, which the follower must
	// hold for the append to be consistent.
	PrevLogIndex, PrevLogTerm uint64
	Entries                   []Entry
	LeaderCommit              uint64

	// AppendEntriesResponse: on success, the last index the follower now
	// shares with the leader; on failure, the follower's last index, a hint
	// of where to retry.
	Success    bool
	MatchIndex uint64
	LastIndex  uint64
}

// Transport carries messages between nodes. Send must not block on, or call
// back into, the receiving node: nodes call it while holding their own lock.
// Messages may be lost or reordered; Raft tolerates both.
type Transport interface {
	Send(m Message)
}

// StateMachine is the application the log drives. Apply is called once per
// committed entry, in log order, on every node.
type StateMachine interface {
	Apply(index uint64, command []byte) error
}
