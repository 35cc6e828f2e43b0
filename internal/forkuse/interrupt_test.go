package forkuse

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/gittest"
)

// Ctrl-C while use reads the fork from the forge ends as interrupted
// (exit 130), however the transfer reports the cancellation: go-git's
// upload-pack decoder said "error decoding upload-pack response: context
// canceled" without wrapping the context's error.
func TestUseInterruptedReadingTheFork(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, stallAt := range []string{"/info/refs", "/git-upload-pack"} {
		t.Run(filepath.Base(stallAt), func(t *testing.T) {
			gittest.Isolate(t)
			f, err := forge.Create(filepath.Join(t.TempDir(), "forge"))
			if err != nil {
				t.Fatal(err)
			}
			backend, err := forge.Handler(f.Root)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if filepath.Base(r.URL.Path) != filepath.Base(stallAt) {
					backend.ServeHTTP(w, r)
					return
				}
				if stallAt == "/git-upload-pack" {
					// Half an answer, then nothing: the decoder is mid-read.
					w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
					io.WriteString(w, "0008NAK\n")
					w.(http.Flusher).Flush()
				}
				cancel()
				<-r.Context().Done()
			}))
			defer srv.Close()
			dir := t.TempDir()
			gittest.WriteFile(t, filepath.Join(dir, "go.mod"), "module example.com/consumer\n\ngo 1.24\n\nrequire github.com/awesome-org/tool v1.2.0\n")
			err = Use(ctx, UseOptions{Dir: dir, Module: "github.com/awesome-org/tool", Fork: "awesome-you", Forge: srv.URL,
				Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: io.Discard})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("use interrupted at %s: %v, want it to wrap context.Canceled", stallAt, err)
			}
		})
	}
}
