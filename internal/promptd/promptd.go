// Package promptd answers prompt requests read one per line, so that a shell
// keeping one gitprompt process as its coprocess pays for process start-up
// once rather than at every prompt, and the work trees it asks about stay
// resident, watched for changes (gitstatus.Resident): after no change an
// answer reads no directory.
//
// A request is a JSON object on one line:
//
//	{"dir": "/abs/path", "id": 7, "shell": "zsh", "format": "{branch}", "timeout": "150ms", "brief": false}
//
// Only dir is required, and it must be absolute (the daemon's own directory
// means nothing to the shell asking). id is echoed as given, any JSON value.
// shell, format and timeout default to none, the default format (or
// Config.Format) and Config.Timeout. The answer is one line: the fields of
// gitprompt --json, id, and segment, the prompt rendered for that shell and
// format ("" outside a work tree). With "brief": true it holds only id and
// segment, for a shell that reads it with builtins a byte at a time. A line
// that is not such a request is answered with {"id": …, "error": "…"} and
// the next line is read. Answers come in the order of the requests. Serve
// returns when its input ends.
package promptd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofork/gofork/internal/gitstatus"
	"github.com/gofork/gofork/internal/prompt"
)

// MaxRequest is the longest request line read; a longer one is answered
// with an error and skipped.
const MaxRequest = 64 << 10

// Config is what every request shares.
type Config struct {
	// CacheDir keeps directory listings between requests; "" for none.
	CacheDir string
	// Format is the default format; "" for prompt.DefaultFormat.
	Format string
	// Timeout is the default time budget of one request.
	Timeout time.Duration
	// Budget turns a request's timeout into its context; nil for
	// context.WithTimeout.
	Budget func(context.Context, time.Duration) (context.Context, context.CancelFunc)
	// Color says whether a segment is coloured, given whether the request
	// named a shell; nil colours exactly those that did.
	Color func(shellGiven bool) bool
	// Delay holds every answer back, for tests of shells meeting a slow
	// file system.
	Delay time.Duration
	// Resident keeps the work trees asked about; nil for one of Serve's
	// own, closed when it returns.
	Resident *gitstatus.Resident
}

// warmBudget bounds the Read that sets a work tree's watches after its
// first answer; one cut short sets the rest at the next request.
const warmBudget = 5 * time.Second

type request struct {
	Dir     bytePath        `json:"dir"`
	ID      json.RawMessage `json:"id,omitempty"`
	Shell   string          `json:"shell"`
	Format  string          `json:"format"`
	Timeout string          `json:"timeout"`
	Brief   bool            `json:"brief"`
}

// bytePath is a path in a JSON string, read byte for byte: a directory name
// that is not UTF-8 comes from the shells' requests as its raw bytes, which
// encoding/json would turn into U+FFFD, a directory that is not there.
type bytePath string

func (p *bytePath) UnmarshalJSON(data []byte) error {
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return fmt.Errorf("dir: want a JSON string, got %.40q", data)
	}
	in, out := data[1:len(data)-1], make([]byte, 0, len(data))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i++; i == len(in) {
			return errors.New("dir: a string ends in a backslash")
		}
		switch c = in[i]; c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b', 'f', 'n', 'r', 't':
			out = append(out, "\b\f\n\r\t"[strings.IndexByte("bfnrt", c)])
		case 'u':
			// encoding/json decodes the escape itself, surrogate pairs and
			// all: hand it the whole escape as a JSON string.
			end := i + 5
			if end+6 <= len(in) && in[end] == '\\' && in[end+1] == 'u' {
				end += 6
			}
			var s string
			if end > len(in) || json.Unmarshal(append(append([]byte{'"', '\\'}, in[i:end]...), '"'), &s) != nil {
				return fmt.Errorf("dir: a bad \\u escape")
			}
			out = append(out, s...)
			i = end - 1
		default:
			return fmt.Errorf("dir: unknown escape \\%c", c)
		}
	}
	*p = bytePath(out)
	return nil
}

type answer struct {
	*prompt.Segment
	ID      json.RawMessage `json:"id,omitempty"`
	Text    *string         `json:"segment,omitempty"`
	Problem string          `json:"error,omitempty"`
}

// Serve answers the requests read from in on out until in ends (nil) or a
// read or write fails.
func Serve(ctx context.Context, in io.Reader, out io.Writer, cfg Config) error {
	resident := cfg.Resident
	if resident == nil {
		resident = gitstatus.NewResident()
		defer resident.Close()
	}
	r := bufio.NewReaderSize(in, 4096)
	for {
		line, tooLong, err := readLine(r)
		if len(line) > 0 || tooLong {
			var a answer
			var warm func()
			if tooLong {
				a.Problem = fmt.Sprintf("request longer than %d bytes", MaxRequest)
			} else {
				a, warm = respond(ctx, line, cfg, resident)
			}
			if werr := writeAnswer(out, a); werr != nil {
				return fmt.Errorf("write answer: %w", werr)
			}
			if warm != nil {
				warm() // while the shell shows the answer
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read request: %w", err)
		}
	}
}

// readLine returns the next line without its end, or tooLong when it is
// longer than MaxRequest (the rest of it read and dropped).
func readLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > MaxRequest+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}

// respond answers one request line. warm, when not nil, sets the watches
// of the work tree just answered for, and is to run once the answer is
// written (see gitstatus.Resident.Cold).
func respond(ctx context.Context, line []byte, cfg Config, resident *gitstatus.Resident) (a answer, warm func()) {
	if len(bytes.TrimSpace(line)) == 0 {
		return answer{Problem: "empty request: want a JSON object with dir"}, nil
	}
	var req request
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return answer{Problem: fmt.Sprintf("parse request: %v", err)}, nil
	}
	a.ID = req.ID
	opts, timeout, err := parse(req, cfg)
	if err != nil {
		a.Problem = err.Error()
		return a, nil
	}
	budget := cfg.Budget
	if budget == nil {
		budget = context.WithTimeout
	}
	serving := ctx
	ctx, cancel := budget(ctx, timeout)
	defer cancel()
	text := ""
	a.Text = &text
	time.Sleep(cfg.Delay)
	mem := prompt.Memory{CacheDir: cfg.CacheDir, Resident: resident}
	seg, _ := collect(ctx, string(req.Dir), mem)
	if seg != nil {
		text = prompt.Render(seg, opts)
		if !req.Brief {
			a.Segment = seg
		}
		if resident.Cold(seg.Workdir) {
			warm = func() {
				ctx, cancel := context.WithTimeout(serving, warmBudget)
				defer cancel()
				collect(ctx, string(req.Dir), mem)
			}
		}
	}
	return a, warm
}

// collect is prompt.Collect with a panic (a repository corrupted in a way
// the engine did not foresee) turned into an error: one bad repository must
// not end the daemon that every prompt of the shell asks.
func collect(ctx context.Context, dir string, mem prompt.Memory) (seg *prompt.Segment, err error) {
	defer func() {
		if p := recover(); p != nil {
			seg, err = nil, fmt.Errorf("internal error: %v", p)
		}
	}()
	return prompt.Collect(ctx, dir, mem)
}

func parse(req request, cfg Config) (prompt.Options, time.Duration, error) {
	var opts prompt.Options
	if req.Dir == "" {
		return opts, 0, errors.New(`request without "dir": want the absolute directory to report on`)
	}
	if !filepath.IsAbs(string(req.Dir)) {
		return opts, 0, fmt.Errorf("dir %q is relative: want an absolute path", req.Dir)
	}
	shell := string(prompt.None)
	if req.Shell != "" {
		shell = req.Shell
	}
	var err error
	if opts.Shell, err = prompt.ParseShell(shell); err != nil {
		return opts, 0, err
	}
	opts.Color = req.Shell != ""
	if cfg.Color != nil {
		opts.Color = cfg.Color(req.Shell != "")
	}
	format := cfg.Format
	if req.Format != "" {
		format = req.Format
	}
	if format == "" {
		format = prompt.DefaultFormat
	}
	if opts.Format, err = prompt.ParseFormat(format); err != nil {
		return opts, 0, err
	}
	timeout := cfg.Timeout
	if req.Timeout != "" {
		if timeout, err = time.ParseDuration(req.Timeout); err != nil || timeout <= 0 {
			return opts, 0, fmt.Errorf("timeout %q: want a positive duration such as 150ms", req.Timeout)
		}
	}
	return opts, timeout, nil
}

func writeAnswer(out io.Writer, a answer) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	_, err = out.Write(append(b, '\n'))
	return err
}
