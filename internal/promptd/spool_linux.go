package promptd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gofork/gofork/internal/gitstatus"
	"github.com/gofork/gofork/internal/inotify"
)

// ServeSpool answers the requests written into sp.Dir until the shell
// sp.Notify exits or the directory is removed (nil), or the directory
// cannot be read or written.
func ServeSpool(ctx context.Context, sp Spool, cfg Config) error {
	if err := checkSpoolDir(sp.Dir); err != nil {
		return err
	}
	events, err := openSpool(sp.Dir, sp.Notify)
	if err != nil {
		return err
	}
	defer events.close()
	resident := cfg.Resident
	if resident == nil {
		resident = gitstatus.NewResident()
		defer resident.Close()
	}
	// Requests written before the watch was set: the shell writes its
	// first one right after starting the daemon.
	s := spooler{Spool: sp, cfg: cfg, resident: resident}
	names, err := waitingRequests(sp.Dir)
	for err == nil {
		var requests []string
		for _, name := range names {
			if seen, ok := strings.CutSuffix(name, seenSuffix); ok {
				os.Remove(filepath.Join(sp.Dir, name))
				if filepath.Join(sp.Dir, seen) == s.answered {
					s.resendAt = time.Time{}
				}
			} else {
				requests = append(requests, name)
			}
		}
		if len(requests) > 0 {
			newest := requests[len(requests)-1]
			for _, name := range requests[:len(requests)-1] {
				os.Remove(filepath.Join(sp.Dir, name))
			}
			if err = s.answer(ctx, newest); err != nil {
				break
			}
		}
		if names, err = events.wait(s.resendAt); err == nil && names == nil {
			err = s.resend()
		}
	}
	if errors.Is(err, errSpoolEnded) {
		removeSpool(sp.Dir)
		return nil
	}
	return err
}

// removeSpool removes a spool whose shell is gone, which may have been
// killed before it could (a fish killed leaves its spool in /tmp): only
// when nothing but spool files is left in it, the requests, answers
// (fish numbers them), seen marks and answers being written, so that a
// directory given by mistake loses nothing.
func removeSpool(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, requestSuffix), seenSuffix), ".tmp")
		if !e.Type().IsRegular() || base == "" || strings.Trim(base, "0123456789") != "" {
			return
		}
	}
	for _, e := range entries {
		os.Remove(filepath.Join(dir, e.Name()))
	}
	os.Remove(dir)
}

// checkSpoolDir refuses a directory another user could write a request
// into: the daemon would answer it with the shell's own rights, and signal
// the shell for it.
func checkSpoolDir(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("spool directory %q is relative: want an absolute path", dir)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("spool directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("spool directory %q is not a directory: make one with mktemp -d", dir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() || fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("spool directory %q can be written by others: use one only you can write, as mktemp -d makes", dir)
	}
	return nil
}

// waitingRequests lists the request files already in dir, oldest first,
// but those without their final newline yet.
func waitingRequests(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read spool directory: %w", err)
	}
	type waiting struct {
		name string
		at   int64
	}
	var found []waiting
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), requestSuffix) {
			continue
		}
		// One still being written is taken when its writer closes it.
		data, err := readRequestFile(filepath.Join(dir, e.Name()))
		if err != nil || !strings.HasSuffix(string(data), "\n") {
			continue
		}
		if fi, err := e.Info(); err == nil {
			found = append(found, waiting{e.Name(), fi.ModTime().UnixNano()})
		}
	}
	// The shell names its requests by a counter, so names break ties.
	slices.SortFunc(found, func(a, b waiting) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(len(a.name), len(b.name)), strings.Compare(a.name, b.name))
	})
	names := make([]string, len(found))
	for i, w := range found {
		names[i] = w.name
	}
	return names, nil
}

// spooler answers the requests of one spool.
type spooler struct {
	Spool
	cfg      Config
	resident *gitstatus.Resident
	// answered is the last answer's file, removed once the next is in
	// place: the shell reads only its latest request's.
	answered string
	// While the shell has not said it has shown that answer, the signal
	// is sent again at resendAt (zero once it has, or the resends ran
	// out), the resends-th time.
	resendAt time.Time
	resends  int
}

// resendAfter are the waits before the signal is sent again for an answer
// the shell has not shown: fish cannot ask for a repaint while it runs
// one, so a signal that comes then is lost.
var resendAfter = []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, time.Second}

// resend signals the shell again for the unseen answer, until the last
// of resendAfter.
func (s *spooler) resend() error {
	s.resendAt = time.Time{}
	if s.resends++; s.resends < len(resendAfter) {
		s.resendAt = time.Now().Add(resendAfter[s.resends])
	}
	return s.signal()
}

func (s *spooler) signal() error {
	if err := syscall.Kill(s.Notify, syscall.SIGUSR1); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return errSpoolEnded
		}
		return fmt.Errorf("signal shell %d: %w", s.Notify, err)
	}
	return nil
}

// answer answers the request file name: it is read and removed, the
// segment is put into place and the shell is signalled. A request gone
// before it is read (the shell removed it) is no answer and no error.
func (s *spooler) answer(ctx context.Context, name string) error {
	path := filepath.Join(s.Dir, name)
	data, err := readRequestFile(path)
	os.Remove(path)
	line := strings.TrimRight(string(data), "\r\n")
	if err == nil && (len(line) > MaxRequest || strings.Contains(line, "\n")) {
		err = fmt.Errorf("request longer than %d bytes or of more than one line", MaxRequest)
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var a answer
	var warm func()
	switch {
	case err != nil:
		a.Problem = err.Error()
	default:
		a, warm = respond(ctx, []byte(line), s.cfg, s.resident)
	}
	if a.Problem != "" && s.Errors != nil {
		fmt.Fprintf(s.Errors, "gitprompt daemon: request %s: %s\n", name, a.Problem)
	}
	segment := ""
	if a.Text != nil {
		segment = *a.Text
	}
	answerPath := filepath.Join(s.Dir, strings.TrimSuffix(name, requestSuffix))
	if err := writeWhole(answerPath, segment); err != nil {
		return err
	}
	if s.answered != "" && s.answered != answerPath {
		os.Remove(s.answered)
	}
	s.answered = answerPath
	s.resends, s.resendAt = 0, time.Now().Add(resendAfter[0])
	if err := s.signal(); err != nil {
		return err
	}
	if warm != nil {
		warm()
	}
	return nil
}

// readRequestFile reads a request file, refusing what is not a regular
// file (a named pipe would block the daemon), and reading no further than
// just past MaxRequest.
func readRequestFile(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("request %q is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxRequest+3))
	if err != nil {
		return nil, fmt.Errorf("read request: %w", err)
	}
	return data, nil
}

// writeWhole puts text into path whole: a reader sees the old file or the
// new one, never part of it.
func writeWhole(path, text string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write answer: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write answer: %w", err)
	}
	return nil
}

// requestSuffix ends the name of a request file in a spool directory, and
// seenSuffix that of the file the shell writes once it has shown an answer.
const (
	requestSuffix = ".req"
	seenSuffix    = ".seen"
)

// errSpoolEnded is the spool's normal end: its shell exited or removed
// its directory.
var errSpoolEnded = errors.New("spool ended")

// spoolEvents tells of requests closed in a spool directory, and of its
// end: the directory removed or the shell gone. The shell is followed by
// a pidfd where the kernel has them, else by a look every second.
type spoolEvents struct {
	inotify int
	pidfd   int // -1 where pidfd_open is missing
	pid     int
	buf     []byte
}

// A request is taken when its writer closes it (or it is moved in); the
// directory's own removal or move ends the spool.
const spoolMask = unix.IN_CLOSE_WRITE | unix.IN_MOVED_TO | unix.IN_DELETE_SELF | unix.IN_MOVE_SELF | unix.IN_ONLYDIR

func openSpool(dir string, pid int) (*spoolEvents, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("watch spool directory: inotify_init1: %w", err)
	}
	ev := &spoolEvents{inotify: fd, pidfd: -1, pid: pid, buf: make([]byte, 16<<10)}
	if _, err := unix.InotifyAddWatch(fd, dir, spoolMask); err != nil {
		ev.close()
		return nil, fmt.Errorf("watch spool directory %q: %w", dir, err)
	}
	switch pidfd, err := unix.PidfdOpen(pid, 0); {
	case err == nil:
		ev.pidfd = pidfd
	case errors.Is(err, unix.ESRCH):
		ev.close()
		return nil, fmt.Errorf("shell %d to signal: no such process: want the pid of the running shell", pid)
	}
	return ev, nil
}

// wait blocks until files have been closed in the directory and returns
// the names of requests and seen-files in the order they were, or returns
// none once deadline (unless zero) has passed, or errSpoolEnded.
func (ev *spoolEvents) wait(deadline time.Time) ([]string, error) {
	fds := []unix.PollFd{{Fd: int32(ev.inotify), Events: unix.POLLIN}}
	if ev.pidfd >= 0 {
		fds = append(fds, unix.PollFd{Fd: int32(ev.pidfd), Events: unix.POLLIN})
	}
	for {
		timeout := -1
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return nil, nil
			}
			timeout = int(left/time.Millisecond) + 1
		}
		if ev.pidfd < 0 && (timeout < 0 || timeout > 1000) {
			timeout = 1000
		}
		if _, err := unix.Poll(fds, timeout); err != nil && !errors.Is(err, unix.EINTR) {
			return nil, fmt.Errorf("wait for requests: poll: %w", err)
		}
		if len(fds) > 1 && fds[1].Revents != 0 || ev.pidfd < 0 && errors.Is(unix.Kill(ev.pid, 0), unix.ESRCH) {
			return nil, errSpoolEnded
		}
		if fds[0].Revents == 0 {
			continue
		}
		names, err := ev.read()
		if err != nil || len(names) > 0 {
			return names, err
		}
	}
}

// read takes in every queued event.
func (ev *spoolEvents) read() ([]string, error) {
	var names []string
	var end error
	err := inotify.Drain(ev.inotify, ev.buf, func(_ int32, mask uint32, name string) {
		switch {
		case mask&(unix.IN_DELETE_SELF|unix.IN_MOVE_SELF|unix.IN_IGNORED) != 0:
			end = errSpoolEnded
		case mask&unix.IN_Q_OVERFLOW != 0:
			end = errors.New("read spool events: queue overflow")
		case strings.HasSuffix(name, requestSuffix) || strings.HasSuffix(name, seenSuffix):
			names = append(names, name)
		}
	})
	if err = cmp.Or(err, end); err != nil {
		return nil, err
	}
	return names, nil
}

func (ev *spoolEvents) close() {
	unix.Close(ev.inotify)
	if ev.pidfd >= 0 {
		unix.Close(ev.pidfd)
	}
}
