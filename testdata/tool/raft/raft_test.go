package raft_test

import (
	"slices"
	"testing"

	"github.com/awesome-org/tool/config"
	"github.com/awesome-org/tool/driver"
	"github.com/awesome-org/tool/kv"
	"github.com/awesome-org/tool/raft"
)

// maxRounds bounds every wait: with ElectionTicks 10 an election takes at
// most a few dozen rounds, so hitting the bound means the protocol is stuck.
const maxRounds = 200

func newCluster(t *testing.T, seed uint64) *driver.Driver {
	t.Helper()
	c := config.Default(3)
	c.Seed = seed
	d, err := driver.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// roundsUntil runs rounds until cond holds and returns how many it took.
func roundsUntil(t *testing.T, d *driver.Driver, what string, cond func() bool) int {
	t.Helper()
	for i := 0; i < maxRounds; i++ {
		if cond() {
			return i
		}
		d.Round()
	}
	t.Fatalf("no %s after %d rounds:\n%s", what, maxRounds, statuses(d))
	return 0
}

func statuses(d *driver.Driver) string {
	var s string
	for _, id := range d.IDs() {
		s += d.Node(id).Status().String() + "\n"
	}
	return s
}

func leaders(d *driver.Driver) []string {
	var ids []string
	for _, id := range d.IDs() {
		if d.Node(id).Status().State == raft.Leader {
			ids = append(ids, id)
		}
	}
	return ids
}

func electLeader(t *testing.T, d *driver.Driver) *raft.Node {
	t.Helper()
	roundsUntil(t, d, "leader", func() bool { return d.Leader() != nil })
	return d.Leader()
}

func propose(t *testing.T, n *raft.Node, key, value string) (index, term uint64) {
	t.Helper()
	index, term, err := n.Propose(kv.PutCommand(key, value))
	if err != nil {
		t.Fatal(err)
	}
	return index, term
}

// assertSameLogs checks that every node holds the same log, which Raft's
// Log Matching property promises once replication has caught up.
func assertSameLogs(t *testing.T, d *driver.Driver) {
	t.Helper()
	ids := d.IDs()
	want := d.Node(ids[0]).Entries()
	for _, id := range ids[1:] {
		if got := d.Node(id).Entries(); !slices.EqualFunc(got, want, func(a, b raft.Entry) bool {
			return a.Index == b.Index && a.Term == b.Term && string(a.Command) == string(b.Command)
		}) {
			t.Errorf("log of %s differs from log of %s:\n%v\n%v", id, ids[0], got, want)
		}
	}
}

func TestElectsExactlyOneLeader(t *testing.T) {
	d := newCluster(t, 1)
	leader := electLeader(t, d)
	term := leader.Status().Term
	for range 100 {
		d.Round()
		if got := leaders(d); len(got) != 1 {
			t.Fatalf("leaders = %q, want exactly one:\n%s", got, statuses(d))
		}
	}
	for _, id := range d.IDs() {
		st := d.Node(id).Status()
		if st.Leader != leader.Status().ID || st.Term != term {
			t.Errorf("%v; want leader %s in term %d, stable on a healthy network", st, leader.Status().ID, term)
		}
	}
}

func TestElectionIsReproducible(t *testing.T) {
	type outcome struct {
		leader string
		term   uint64
		rounds int
	}
	elect := func(seed uint64) outcome {
		d := newCluster(t, seed)
		rounds := roundsUntil(t, d, "leader", func() bool { return d.Leader() != nil })
		st := d.Leader().Status()
		return outcome{st.ID, st.Term, rounds}
	}
	for seed := range uint64(5) {
		if a, b := elect(seed), elect(seed); a != b {
			t.Errorf("seed %d: %+v, then %+v", seed, a, b)
		}
	}
}

func TestCommittedEntryIsAppliedEverywhere(t *testing.T) {
	d := newCluster(t, 2)
	leader := electLeader(t, d)
	index, term := propose(t, leader, "colour", "blue")
	roundsUntil(t, d, "commit", func() bool {
		committed, _ := leader.Committed(index, term)
		return committed
	})
	// Followers learn the commit index with the next AppendEntries.
	roundsUntil(t, d, "apply on every node", func() bool {
		for _, id := range d.IDs() {
			if d.Node(id).Status().Applied < index {
				return false
			}
		}
		return true
	})
	for _, id := range d.IDs() {
		if got, ok := d.Store(id).Get("colour"); !ok || got != (kv.Item{Value: "blue", Generation: 1}) {
			t.Errorf("%s: colour = %+v (found %v), want blue at generation 1", id, got, ok)
		}
	}
	assertSameLogs(t, d)
}

func TestPartitionedLeaderCannotCommit(t *testing.T) {
	d := newCluster(t, 3)
	old := electLeader(t, d)
	oldID, oldTerm := old.Status().ID, old.Status().Term

	d.Network().Isolate(oldID)
	var stranded [][2]uint64
	for _, v := range []string{"a", "b", "c"} {
		index, term := propose(t, old, "lost", v)
		stranded = append(stranded, [2]uint64{index, term})
	}
	roundsUntil(t, d, "new leader in the majority", func() bool {
		l := d.Leader()
		return l != nil && l != old
	})
	newLeader := d.Leader()
	if newLeader.Status().Term <= oldTerm {
		t.Fatalf("new leader %v, want a term above %d", newLeader.Status(), oldTerm)
	}
	index, term := propose(t, newLeader, "kept", "yes")
	roundsUntil(t, d, "commit in the majority", func() bool {
		committed, _ := newLeader.Committed(index, term)
		return committed
	})
	if st := old.Status(); st.State != raft.Leader || st.CommitIndex >= stranded[0][0] {
		t.Fatalf("isolated old leader: %v; want it still leading with entry %d uncommitted", st, stranded[0][0])
	}

	d.Network().Heal()
	roundsUntil(t, d, "old leader stepping down and catching up", func() bool {
		st := old.Status()
		return st.State == raft.Follower && st.Applied >= index
	})
	for _, e := range stranded {
		if committed, lost := old.Committed(e[0], e[1]); committed || !lost {
			t.Errorf("stranded entry %d: committed=%v lost=%v, want it overwritten", e[0], committed, lost)
		}
	}
	for _, id := range d.IDs() {
		if _, ok := d.Store(id).Get("lost"); ok {
			t.Errorf("%s applied a write the partitioned leader never committed", id)
		}
		if got, _ := d.Store(id).Get("kept"); got.Value != "yes" {
			t.Errorf("%s: kept = %+v, want yes", id, got)
		}
	}
	assertSameLogs(t, d)
}

// recorder is a Transport that keeps what a lone node sends, so a test can
// play the rest of the cluster by hand.
type recorder struct{ sent []raft.Message }

func (r *recorder) Send(m raft.Message) { r.sent = append(r.sent, m) }

// TestOnlyCurrentTermEntriesCommitByCounting replays the situation of the
// Raft paper's Figure 8: an entry from an earlier term sits on a majority,
// yet the new leader must not count it committed until an entry of its own
// term is on a majority too.
func TestOnlyCurrentTermEntriesCommitByCounting(t *testing.T) {
	cfg, err := config.Default(3).Node("node1")
	if err != nil {
		t.Fatal(err)
	}
	n := raft.New(cfg, &recorder{}, kv.NewStore())
	old := raft.Entry{Index: 1, Term: 1, Command: kv.PutCommand("k", "v")}
	n.Step(raft.Message{Type: raft.AppendRequest, From: "node2", To: "node1", Term: 1, Entries: []raft.Entry{old}})

	for range 2 * cfg.ElectionTicks {
		n.Tick()
	}
	st := n.Status()
	if st.State != raft.Candidate {
		t.Fatalf("%v; want a candidate after the election timeout", st)
	}
	n.Step(raft.Message{Type: raft.VoteResponse, From: "node2", To: "node1", Term: st.Term, VoteGranted: true})
	if st = n.Status(); st.State != raft.Leader || st.LastIndex != 2 {
		t.Fatalf("%v; want a leader that appended its no-op at index 2", st)
	}

	ack := func(match uint64) raft.Status {
		n.Step(raft.Message{Type: raft.AppendResponse, From: "node2", To: "node1", Term: st.Term, Success: true, MatchIndex: match})
		return n.Status()
	}
	if got := ack(1); got.CommitIndex != 0 {
		t.Fatalf("%v; entry 1 of term 1 is on node1 and node2 but must not commit by counting in term %d", got, st.Term)
	}
	if got := ack(2); got.CommitIndex != 2 || got.Applied != 2 {
		t.Fatalf("%v; want entries 1 and 2 committed and applied once the term-%d no-op is on a majority", got, st.Term)
	}
}

func TestVoteOnlyForUpToDateLogs(t *testing.T) {
	cfg, err := config.Default(3).Node("node1")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	n := raft.New(cfg, r, kv.NewStore())
	n.Step(raft.Message{Type: raft.AppendRequest, From: "node2", To: "node1", Term: 1,
		Entries: []raft.Entry{{Index: 1, Term: 1, Command: kv.PutCommand("k", "v")}}})

	n.Step(raft.Message{Type: raft.VoteRequest, From: "node3", To: "node1", Term: 2})
	n.Step(raft.Message{Type: raft.VoteRequest, From: "node2", To: "node1", Term: 2, LastLogIndex: 1, LastLogTerm: 1})
	var granted []string
	for _, m := range r.sent {
		if m.Type == raft.VoteResponse && m.VoteGranted {
			granted = append(granted, m.To)
		}
	}
	if !slices.Equal(granted, []string{"node2"}) {
		t.Errorf("votes granted to %q, want only node2: node3's log lacks entry 1", granted)
	}
}
