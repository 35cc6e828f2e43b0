package net_test

import (
	"testing"

	toolnet "github.com/awesome-org/tool/net"
	"github.com/awesome-org/tool/raft"
)

func TestIsolateDropsUntilHeal(t *testing.T) {
	m := toolnet.NewMemory()
	var got []string
	for _, id := range []string{"a", "b"} {
		m.Attach(id, func(msg raft.Message) { got = append(got, msg.From+">"+msg.To) })
	}

	m.Isolate("b")
	m.Send(raft.Message{From: "a", To: "b"})
	m.Send(raft.Message{From: "b", To: "a"})
	if n := m.Deliver(); n != 0 || m.Dropped() != 2 {
		t.Fatalf("while isolated: delivered %d, dropped %d; want 0 and 2", n, m.Dropped())
	}

	m.Heal()
	m.Send(raft.Message{From: "a", To: "b"})
	m.Send(raft.Message{From: "b", To: "a"})
	if n := m.Deliver(); n != 2 {
		t.Fatalf("after heal: delivered %d, want 2", n)
	}
	if len(got) != 2 || got[0] != "a>b" || got[1] != "b>a" {
		t.Errorf("delivered %q, want [a>b b>a] in order", got)
	}
}

func TestDeliverIncludesReplies(t *testing.T) {
	m := toolnet.NewMemory()
	replies := 0
	m.Attach("a", func(msg raft.Message) { m.Send(raft.Message{From: "a", To: "b"}) })
	m.Attach("b", func(raft.Message) { replies++ })
	m.Send(raft.Message{From: "b", To: "a"})
	if n := m.Deliver(); n != 2 || replies != 1 {
		t.Errorf("delivered %d with %d replies, want 2 and 1", n, replies)
	}
}
