package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBudgetEndsAtItsDeadline(t *testing.T) {
	ctx, cancel := withBudget(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, ok := ctx.(*budgetCtx); !ok {
		t.Fatalf("withBudget(Background) = %T, want the timer-free budget", ctx)
	}
	if d, ok := ctx.Deadline(); !ok || time.Until(d) > 30*time.Millisecond {
		t.Errorf("Deadline = %v, %v; want within 30ms", d, ok)
	}
	if err := ctx.Err(); err != nil {
		t.Fatalf("Err before the deadline = %v", err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Done did not close at the deadline")
	}
	if err := ctx.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Err after the deadline = %v, want DeadlineExceeded", err)
	}
}

// TestBudgetPolledPastItsDeadline never calls Done until Err has reported
// the deadline, as the status engine does, and expects Done already closed.
func TestBudgetPolledPastItsDeadline(t *testing.T) {
	ctx, cancel := withBudget(context.Background(), time.Millisecond)
	defer cancel()
	time.Sleep(5 * time.Millisecond)
	if err := ctx.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Err = %v, want DeadlineExceeded", err)
	}
	select {
	case <-ctx.Done():
	default:
		t.Fatal("Err reported the deadline but Done is open")
	}
}

func TestBudgetCancelled(t *testing.T) {
	ctx, cancel := withBudget(context.Background(), time.Hour)
	done := ctx.Done()
	cancel()
	<-done
	if err := ctx.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err after cancel = %v, want Canceled", err)
	}
	cancel() // a second cancel is harmless, as with context
}

// TestBudgetUnderCancellableParent keeps the parent's cancellation, which
// only the standard context propagates.
func TestBudgetUnderCancellableParent(t *testing.T) {
	parent, cancelParent := context.WithCancel(context.Background())
	ctx, cancel := withBudget(parent, time.Hour)
	defer cancel()
	cancelParent()
	<-ctx.Done()
	if err := ctx.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err after the parent's cancel = %v, want Canceled", err)
	}
}
