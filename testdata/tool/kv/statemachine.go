package kv

import "github.com/awesome-org/tool/raft"

// Raft nodes hold a Store as their state machine; Apply lives in store.go.
var _ raft.StateMachine = (*Store)(nil)
