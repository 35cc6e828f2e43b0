//go:build unix

package forkuse

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/gofork/gofork/internal/gittest"
)

// fakeGo puts a go command first on PATH that runs script (sh), with
// $READY naming a named pipe the script can write to say it got there.
func fakeGo(t *testing.T, script string) (ready string) {
	t.Helper()
	bin := t.TempDir()
	ready = filepath.Join(bin, "ready")
	if err := syscall.Mkfifo(ready, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("READY", ready)
	return ready
}

// A use interrupted while its go command has already rewritten go.mod and
// go.sum (as go get does) puts both back; run again to the end, drop puts
// them back as they were before the first use.
func TestDropAfterInterruptedUse(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	dir := t.TempDir()
	gittest.WriteFile(t, filepath.Join(dir, "tool", "go.mod"), "module github.com/awesome-org/tool\n\ngo 1.24\n")
	consumer := filepath.Join(dir, "consumer")
	const gomod = "module   example.com/consumer\n\ngo 1.24\n\nrequire github.com/awesome-org/tool v1.2.0\n"
	gittest.WriteFile(t, filepath.Join(consumer, "go.mod"), gomod)

	ready := fakeGo(t, `printf 'require example.com/raised v1.0.0\n' >> go.mod
echo 'example.com/raised v1.0.0 h1:x=' > go.sum
echo ready > "$READY"
exec sleep 60
`)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		// Opening the pipe waits for the go command to get there.
		if f, err := os.Open(ready); err == nil {
			io.ReadAll(f)
			f.Close()
		}
		cancel()
	}()
	opts := UseOptions{Dir: consumer, Module: "github.com/awesome-org/tool", Path: filepath.Join(dir, "tool"), Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: io.Discard}
	if err := Use(ctx, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted use: %v, want context.Canceled", err)
	}
	if got, _ := os.ReadFile(filepath.Join(consumer, "go.mod")); string(got) != gomod {
		t.Errorf("go.mod after the interrupted use:\n%s\nwant it put back:\n%s", got, gomod)
	}

	fakeGo(t, "exit 0\n")
	if err := Use(t.Context(), opts); err != nil {
		t.Fatalf("use again: %v", err)
	}
	if err := Drop(DropOptions{Dir: consumer, Module: opts.Module, Getenv: opts.Getenv, Stdout: io.Discard}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(consumer, "go.mod")); string(got) != gomod {
		t.Errorf("go.mod after drop:\n%s\nwant as before the first use:\n%s", got, gomod)
	}
	if _, err := os.Stat(filepath.Join(consumer, "go.sum")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("go.sum after drop: %v, want none, as before the first use", err)
	}
}
