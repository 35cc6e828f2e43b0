package driver_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/awesome-org/tool/config"
	"github.com/awesome-org/tool/driver"
)

func TestPutCommitsWhileRoundsRun(t *testing.T) {
	d, err := driver.New(config.Default(3))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Get("k"); !errors.Is(err, driver.ErrNoLeader) {
		t.Fatalf("Get before any round: %v, want ErrNoLeader", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error)
	go func() { done <- d.Put(ctx, "k", "v") }()
	// Put waits for rounds between its steps, so rounds must keep coming
	// until it returns; the timeout only bounds a broken protocol.
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			item, ok, err := d.Get("k")
			if err != nil || !ok || item.Value != "v" {
				t.Fatalf("Get after Put = %+v, %v, %v", item, ok, err)
			}
			return
		default:
			d.Round()
		}
	}
}

func TestPutGivesUpWithItsContext(t *testing.T) {
	d, err := driver.New(config.Default(3))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.Put(ctx, "k", "v"); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context and no leader: %v, want context.Canceled", err)
	}
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	if _, err := driver.New(config.Cluster{}); err == nil {
		t.Error("New accepted a cluster with no nodes")
	}
}
