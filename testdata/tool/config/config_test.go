package config

import (
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		cluster Cluster
		wantErr string
	}{
		{"default", Default(3), ""},
		{"empty", Cluster{ElectionTicks: 10, HeartbeatTicks: 2}, "no nodes"},
		{"duplicate", Cluster{Nodes: []string{"a", "a"}, ElectionTicks: 10, HeartbeatTicks: 2}, `"a" listed twice`},
		{"blank id", Cluster{Nodes: []string{""}, ElectionTicks: 10, HeartbeatTicks: 2}, "invalid node ID"},
		{"slow heartbeat", Cluster{Nodes: []string{"a"}, ElectionTicks: 4, HeartbeatTicks: 2}, "must exceed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cluster.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestNodePeers(t *testing.T) {
	n, err := Default(3).Node("node2")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"node1", "node3"}; !slices.Equal(n.Peers, want) {
		t.Errorf("peers = %q, want %q", n.Peers, want)
	}
	if _, err := Default(3).Node("node9"); err == nil {
		t.Error("Node(node9) succeeded for a node outside the cluster")
	}
}
