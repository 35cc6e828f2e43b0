package promptd

import "io"

// Spool is where ServeSpool takes requests from and whom it tells of its
// answers, for a shell that cannot hold a coprocess's pipes (fish): each
// request is a file NAME.req in Dir, holding one request line as Serve
// reads them, written and closed by the shell; its answer is the segment
// alone, put into Dir/NAME whole (written aside, then renamed), after which
// Notify is sent SIGUSR1. Once the shell has shown the answer it writes an
// empty file NAME.seen; until then the signal is sent again, three times
// over about a second, for a signal can come when the shell cannot act on
// it (fish ignores a repaint asked for while it repaints). The shell
// writes files and waits for signals, both without a process of its own,
// and never blocks: no pipe is ever opened. When several requests wait, only the newest is answered (the
// shell shows only its latest prompt); the others are removed unanswered.
type Spool struct {
	Dir string
	// Notify is the shell's pid. The spool ends when it exits, or when Dir
	// is removed.
	Notify int
	// Errors receives what is wrong with a request, whose answer is then
	// the empty segment.
	Errors io.Writer
}
