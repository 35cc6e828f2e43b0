package kv_test

import (
	"strings"
	"testing"

	"github.com/awesome-org/tool/kv"
)

func TestPutBumpsGeneration(t *testing.T) {
	s := kv.NewStore()
	if _, ok := s.Get("k"); ok {
		t.Fatal("empty store has key k")
	}
	s.Put("k", "one")
	if got := s.Put("k", "two"); got != (kv.Item{Value: "two", Generation: 2}) {
		t.Errorf("second Put = %+v, want two at generation 2", got)
	}
}

func TestMergeHigherGenerationWins(t *testing.T) {
	s := kv.NewStore()
	s.Put("k", "local") // generation 1
	if s.Merge("k", kv.Item{Value: "stale", Generation: 1}) {
		t.Error("merge of an equal generation replaced the value")
	}
	if !s.Merge("k", kv.Item{Value: "newer", Generation: 5}) {
		t.Error("merge of a higher generation was refused")
	}
	if s.Merge("k", kv.Item{Value: "older", Generation: 3}) {
		t.Error("merge of a lower generation replaced the value")
	}
	if got, _ := s.Get("k"); got != (kv.Item{Value: "newer", Generation: 5}) {
		t.Errorf("Get = %+v, want newer at generation 5", got)
	}
}

func TestApplyReplaysTheSameWay(t *testing.T) {
	log := [][]byte{
		kv.PutCommand("a", "1"),
		kv.MergeCommand("b", kv.Item{Value: "x", Generation: 7}),
		kv.PutCommand("a", "2"),
		kv.PutCommand("b", "y"),
	}
	var stores []*kv.Store
	for range 2 {
		s := kv.NewStore()
		for i, cmd := range log {
			if err := s.Apply(uint64(i+1), cmd); err != nil {
				t.Fatal(err)
			}
		}
		stores = append(stores, s)
	}
	for _, s := range stores {
		a, _ := s.Get("a")
		b, _ := s.Get("b")
		if a != (kv.Item{Value: "2", Generation: 2}) || b != (kv.Item{Value: "y", Generation: 8}) || s.Len() != 2 {
			t.Errorf("after replay a=%+v b=%+v len=%d", a, b, s.Len())
		}
	}
}

func TestApplyRejectsGarbage(t *testing.T) {
	s := kv.NewStore()
	for _, cmd := range []string{`not json`, `{"op":"delete","key":"a"}`} {
		if err := s.Apply(3, []byte(cmd)); err == nil || !strings.Contains(err.Error(), "entry 3") {
			t.Errorf("Apply(%s) = %v, want an error naming entry 3", cmd, err)
		}
	}
}
