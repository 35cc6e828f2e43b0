package promptd

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// spoolWorld is ServeSpool running on a spool directory of its own, with
// this test process as the shell it signals.
type spoolWorld struct {
	t       *testing.T
	dir     string
	signals chan os.Signal
	errors  *lockedBuilder
	done    chan error
}

func startSpool(t *testing.T, notify int, before func(dir string)) *spoolWorld {
	t.Helper()
	w := &spoolWorld{t: t, dir: t.TempDir(), signals: make(chan os.Signal, 16), errors: &lockedBuilder{}, done: make(chan error, 1)}
	if err := os.Chmod(w.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	signal.Notify(w.signals, syscall.SIGUSR1)
	t.Cleanup(func() { signal.Stop(w.signals) })
	if before != nil {
		before(w.dir)
	}
	go func() {
		w.done <- ServeSpool(context.Background(), Spool{Dir: w.dir, Notify: notify, Errors: w.errors}, Config{Timeout: 20 * time.Second})
	}()
	t.Cleanup(func() {
		os.RemoveAll(w.dir)
		select {
		case <-w.done:
		case <-time.After(10 * time.Second):
			t.Errorf("the spool did not end 10 s after its directory was removed")
		}
	})
	return w
}

// lockedBuilder is what the daemon says of bad requests; the test reads
// it after the signal, which the race detector does not see as ordering.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// request writes request file name.req as the shell does.
func (w *spoolWorld) request(name, dir string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, name+requestSuffix), line(map[string]any{"dir": dir, "shell": "fish"})+"\n")
}

// answer waits for the signal and returns the answer in file name.
func (w *spoolWorld) answer(name string) string {
	w.t.Helper()
	select {
	case <-w.signals:
	case err := <-w.done:
		w.t.Fatalf("the spool ended (%v) before answering %s", err, name)
	case <-time.After(20 * time.Second):
		w.t.Fatalf("no signal 20 s after request %s", name)
	}
	data, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatalf("signalled, but answer %s: %v", name, err)
	}
	return string(data)
}

func (w *spoolWorld) seen(name string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.dir, name+seenSuffix), "\n")
}

// noSignal fails if a signal comes within d.
func (w *spoolWorld) noSignal(d time.Duration) {
	w.t.Helper()
	select {
	case <-w.signals:
		w.t.Fatalf("a signal came within %v", d)
	case <-time.After(d):
	}
}

func TestSpoolAnswersRequestFiles(t *testing.T) {
	repo := newRepo(t)
	w := startSpool(t, os.Getpid(), nil)

	w.request("1", repo)
	if got := w.answer("1"); !strings.Contains(got, "(main ∅)") || strings.Contains(got, "\n") {
		t.Fatalf("answer 1 = %q, want the fish segment alone", got)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "1"+requestSuffix)); !os.IsNotExist(err) {
		t.Errorf("request 1 is still there after its answer: %v", err)
	}
	w.seen("1")

	writeFile(t, filepath.Join(repo, "new.txt"), "x\n")
	w.request("2", repo)
	if got := w.answer("2"); !strings.Contains(got, "?1") {
		t.Errorf("answer 2 = %q, want the new untracked file counted", got)
	}
	// Only the latest answer is kept.
	if _, err := os.Stat(filepath.Join(w.dir, "1")); !os.IsNotExist(err) {
		t.Errorf("answer 1 is still there after answer 2: %v", err)
	}
	w.seen("2")

	// A bad request is answered with nothing, and said why.
	writeFile(t, filepath.Join(w.dir, "3"+requestSuffix), `{"dir":"relative"}`+"\n")
	if got := w.answer("3"); got != "" {
		t.Errorf("answer to a bad request = %q, want none", got)
	}
	if !strings.Contains(w.errors.String(), `dir "relative" is relative`) {
		t.Errorf("errors = %q, want the bad request's", w.errors.String())
	}
	w.seen("3")

	// A named pipe in place of a request blocks nothing.
	if err := syscall.Mkfifo(filepath.Join(w.dir, "4"+requestSuffix), 0o600); err != nil {
		t.Fatal(err)
	}
	// mkfifo closes nothing; a rename does what a close does.
	if err := os.Rename(filepath.Join(w.dir, "4"+requestSuffix), filepath.Join(w.dir, "5"+requestSuffix)); err != nil {
		t.Fatal(err)
	}
	if got := w.answer("5"); got != "" {
		t.Errorf("answer to a named pipe = %q, want none", got)
	}
	w.seen("5")
	w.request("6", repo)
	if got := w.answer("6"); !strings.Contains(got, "?1") {
		t.Errorf("after the named pipe, answer 6 = %q", got)
	}
}

// TestSpoolTakesTheNewestWaiting: requests written before the daemon
// started are taken, the newest answered and the others dropped; one not
// yet ended by its newline waits for its writer to close it.
func TestSpoolTakesTheNewestWaiting(t *testing.T) {
	repo := newRepo(t)
	var partial *os.File
	w := startSpool(t, os.Getpid(), func(dir string) {
		for _, name := range []string{"8", "9", "10"} {
			writeFile(t, filepath.Join(dir, name+requestSuffix), line(map[string]any{"dir": repo})+"\n")
		}
		var err error
		if partial, err = os.Create(filepath.Join(dir, "11"+requestSuffix)); err != nil {
			t.Fatal(err)
		}
		if _, err := partial.WriteString(line(map[string]any{"dir": repo, "format": "{branch}"})); err != nil {
			t.Fatal(err)
		}
	})
	if got := w.answer("10"); !strings.Contains(got, "(main ∅)") {
		t.Fatalf("answer 10 = %q", got)
	}
	for _, name := range []string{"8", "9"} {
		if _, err := os.Stat(filepath.Join(w.dir, name+requestSuffix)); !os.IsNotExist(err) {
			t.Errorf("request %s, older than 10, is still there: %v", name, err)
		}
		if _, err := os.Stat(filepath.Join(w.dir, name)); !os.IsNotExist(err) {
			t.Errorf("request %s, older than 10, was answered: %v", name, err)
		}
	}
	w.seen("10")
	w.noSignal(100 * time.Millisecond)
	if _, err := partial.WriteString("\n"); err != nil {
		t.Fatal(err)
	}
	partial.Close()
	if got := w.answer("11"); got != "main" {
		t.Errorf("answer 11 = %q, want main", got)
	}
}

// TestSpoolSignalsAgainUntilSeen: fish drops a repaint asked for while it
// repaints, so the daemon signals again until the shell says it has shown
// the answer, and not for ever.
func TestSpoolSignalsAgainUntilSeen(t *testing.T) {
	repo := newRepo(t)
	w := startSpool(t, os.Getpid(), nil)
	w.request("1", repo)
	w.answer("1")
	start := time.Now()
	for i := range resendAfter {
		select {
		case <-w.signals:
		case <-time.After(5 * time.Second):
			t.Fatalf("resend %d did not come", i+1)
		}
	}
	if took := time.Since(start); took < 1200*time.Millisecond {
		t.Errorf("three resends within %v, want them spread over more than a second", took)
	}
	w.noSignal(1500 * time.Millisecond)

	w.request("2", repo)
	w.answer("2")
	w.seen("2")
	w.noSignal(500 * time.Millisecond)
}

// TestSpoolEnds: the daemon ends when its shell exits (or its directory
// goes, which every other test's clean-up checks), and refuses a directory
// others could write requests into.
func TestSpoolEnds(t *testing.T) {
	shell := exec.Command("sleep", "60")
	if err := shell.Start(); err != nil {
		t.Fatal(err)
	}
	repo := newRepo(t)
	w := startSpool(t, shell.Process.Pid, nil)
	// Once it has answered it is serving. sleep is stopped first, so
	// the SIGUSR1 it is sent stays pending instead of ending it.
	shell.Process.Signal(syscall.SIGSTOP)
	// Until it has stopped, a SIGUSR1 (a lower number, dequeued first)
	// would end it: the spool would then end too, and take its answer.
	for deadline := time.Now().Add(10 * time.Second); !stoppedProcess(shell.Process.Pid); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("sleep not stopped within 10 s")
		}
	}
	w.request("1", repo)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(w.dir, "1")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("request 1 not answered within 10 s")
		}
	}
	shell.Process.Kill()
	shell.Wait()
	select {
	case err := <-w.done:
		if err != nil {
			t.Errorf("the spool ended with %v, want nil", err)
		}
		w.done <- err // for the clean-up
	case <-time.After(10 * time.Second):
		t.Fatal("the spool still runs 10 s after its shell exited")
	}
	// The shell was killed, so it could not remove its spool: the daemon
	// did. One holding a file of another kind is left as it is.
	if _, err := os.Stat(w.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the spool of a shell gone is still there: %v", err)
	}
	kept := t.TempDir()
	writeFile(t, filepath.Join(kept, "notes.txt"), "mine\n")
	writeFile(t, filepath.Join(kept, "7"), "an answer\n")
	removeSpool(kept)
	if _, err := os.Stat(filepath.Join(kept, "notes.txt")); err != nil {
		t.Errorf("removeSpool took a directory with other files: %v", err)
	}

	open := t.TempDir()
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	err := ServeSpool(context.Background(), Spool{Dir: open, Notify: os.Getpid()}, Config{})
	if err == nil || !strings.Contains(err.Error(), "can be written by others") {
		t.Errorf("a directory all can write: %v", err)
	}
	err = ServeSpool(context.Background(), Spool{Dir: t.TempDir(), Notify: shell.Process.Pid}, Config{})
	if err == nil || !strings.Contains(err.Error(), "no such process") {
		t.Errorf("a shell already gone: %v", err)
	}
}

// stoppedProcess reports whether process pid is stopped (state T in
// /proc/PID/stat).
func stoppedProcess(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(rest, "T")
}

// BenchmarkRoundTrip: one prompt's request and answer after no change, as
// a shell meets them: through the pipes (bash, zsh), and through the spool
// (fish: a request file written, the signal, the answer read, the seen-file
// written).
func BenchmarkRoundTrip(b *testing.B) {
	dir := sampleWorkTree(b)
	req := line(map[string]any{"dir": dir, "shell": "fish", "brief": true})
	b.Run("pipes", func(b *testing.B) {
		d := startDaemon(b, Config{Timeout: time.Minute})
		for range 3 {
			d.ask(req)
		}
		for b.Loop() {
			d.ask(req)
		}
	})
	b.Run("spool", func(b *testing.B) {
		spool := b.TempDir()
		signals := make(chan os.Signal, 16)
		signal.Notify(signals, syscall.SIGUSR1)
		defer signal.Stop(signals)
		done := make(chan error, 1)
		go func() {
			done <- ServeSpool(context.Background(), Spool{Dir: spool, Notify: os.Getpid()}, Config{Timeout: time.Minute})
		}()
		i := 0
		ask := func() {
			i++
			name := strconv.Itoa(i)
			if err := os.WriteFile(filepath.Join(spool, name+requestSuffix), []byte(req+"\n"), 0o600); err != nil {
				b.Fatal(err)
			}
			<-signals
			if _, err := os.ReadFile(filepath.Join(spool, name)); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(spool, name+seenSuffix), nil, 0o600); err != nil {
				b.Fatal(err)
			}
		}
		for range 3 {
			ask()
		}
		for b.Loop() {
			ask()
		}
		os.RemoveAll(spool)
		<-done
	})
}
