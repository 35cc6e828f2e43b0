package promptd

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofork/gofork/internal/gitstatus"
	"github.com/gofork/gofork/internal/gittest"
)

// daemon is Serve running on pipes, as a shell's coprocess would be.
type daemon struct {
	t    testing.TB
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
}

func startDaemon(t testing.TB, cfg Config) *daemon {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	d := &daemon{t: t, in: inW, out: bufio.NewReader(outR), done: make(chan error, 1)}
	go func() {
		err := Serve(context.Background(), inR, outW, cfg)
		outW.Close()
		d.done <- err
	}()
	t.Cleanup(func() { d.in.Close() })
	return d
}

// ask writes one request line and returns the answer line, decoded.
func (d *daemon) ask(line string) map[string]any {
	d.t.Helper()
	if _, err := io.WriteString(d.in, line+"\n"); err != nil {
		d.t.Fatalf("write request %q: %v", line, err)
	}
	answer, err := d.out.ReadString('\n')
	if err != nil {
		d.t.Fatalf("read the answer to %q: %v", line, err)
	}
	if strings.Count(answer, "\n") != 1 {
		d.t.Fatalf("answer to %q is not one line: %q", line, answer)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(answer), &m); err != nil {
		d.t.Fatalf("answer to %q is not JSON: %v: %q", line, err, answer)
	}
	return m
}

func line(fields map[string]any) string {
	b, err := json.Marshal(fields)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func newRepo(t *testing.T) string {
	t.Helper()
	gittest.Isolate(t)
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	writeFile(t, filepath.Join(dir, "a.txt"), "a\n")
	gittest.Git(t, dir, "add", "a.txt")
	gittest.Git(t, dir, "commit", "-qm", "first")
	return dir
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBadRequestsAreAnsweredAndServingGoesOn(t *testing.T) {
	repo := newRepo(t)
	d := startDaemon(t, Config{Timeout: time.Minute})
	for _, tc := range []struct{ line, id, problem string }{
		{`not json`, "", "parse request"},
		{`{"dir": 5}`, "", "parse request"},
		{`{"dir": "/x", "colour": true}`, "", `unknown field "colour"`},
		{`{"id": 1}`, "1", `without "dir"`},
		{`{"id": "a", "dir": "relative/path"}`, `"a"`, `"relative/path" is relative`},
		{line(map[string]any{"id": 2, "dir": repo, "shell": "csh"}), "2", `"csh"`},
		{line(map[string]any{"id": 3, "dir": repo, "format": "{nope}"}), "3", "{nope}"},
		{line(map[string]any{"id": 4, "dir": repo, "timeout": "soon"}), "4", `timeout "soon"`},
		{line(map[string]any{"id": 5, "dir": repo, "timeout": "-1s"}), "5", `timeout "-1s"`},
		{`   `, "", "empty request"},
		{`{"dir": "/x"} trailing`, "", ""}, // one object is read; the rest of the line is ignored
	} {
		a := d.ask(tc.line)
		if tc.problem == "" {
			if _, ok := a["error"]; ok {
				t.Errorf("%s: unexpected error %v", tc.line, a["error"])
			}
			continue
		}
		problem, _ := a["error"].(string)
		if !strings.Contains(problem, tc.problem) {
			t.Errorf("%s: error %q, want it to name %q", tc.line, problem, tc.problem)
		}
		if id, _ := json.Marshal(a["id"]); tc.id != "" && string(id) != tc.id {
			t.Errorf("%s: id %s, want %s echoed", tc.line, id, tc.id)
		}
		if _, ok := a["segment"]; ok {
			t.Errorf("%s: a refused request got a segment: %v", tc.line, a)
		}
	}
	// Still serving, and in order.
	if a := d.ask(line(map[string]any{"id": "last", "dir": repo})); a["id"] != "last" || a["branch"] != "main" {
		t.Fatalf("after the bad requests: %v", a)
	}
}

func TestLongRequestIsRefusedAndSkipped(t *testing.T) {
	repo := newRepo(t)
	d := startDaemon(t, Config{Timeout: time.Minute})
	a := d.ask(`{"dir": "/` + strings.Repeat("x", MaxRequest) + `"}`)
	if problem, _ := a["error"].(string); !strings.Contains(problem, "longer than") {
		t.Fatalf("a %d-byte request: %v", MaxRequest+12, a)
	}
	if a := d.ask(line(map[string]any{"dir": repo})); a["branch"] != "main" {
		t.Fatalf("the request after a long one: %v", a)
	}
}

func TestOutsideAWorkTreeTheSegmentIsEmpty(t *testing.T) {
	gittest.Isolate(t)
	d := startDaemon(t, Config{Timeout: time.Minute})
	a := d.ask(line(map[string]any{"id": []int{1, 2}, "dir": t.TempDir(), "shell": "bash"}))
	if seg, ok := a["segment"]; !ok || seg != "" {
		t.Fatalf(`outside a work tree: %v, want "segment": ""`, a)
	}
	if _, ok := a["branch"]; ok {
		t.Fatalf("outside a work tree the answer carries status fields: %v", a)
	}
	if id, _ := json.Marshal(a["id"]); string(id) != "[1,2]" {
		t.Fatalf("id %s, want [1,2] echoed", id)
	}
}

// A directory name is data: whatever it holds, the answer is one JSON line
// and the segment shows the name's control characters escaped, as the
// one-shot gitprompt does.
func TestHostileDirectoryName(t *testing.T) {
	gittest.Isolate(t)
	dir := filepath.Join(t.TempDir(), "x\n$(touch pwned)`id`\x1b[31m\"\\")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	d := startDaemon(t, Config{Timeout: time.Minute})
	for _, shell := range []string{"bash", "zsh", "fish", "none"} {
		a := d.ask(line(map[string]any{"dir": dir, "shell": shell}))
		seg, _ := a["segment"].(string)
		if a["workdir"] != dir || seg == "" {
			t.Fatalf("%s: %v", shell, a)
		}
		if strings.ContainsRune(seg, '\n') || !strings.Contains(seg, `\x0a`) || !strings.Contains(seg, `\x1b[31m`) {
			t.Errorf("%s: segment %q shows the name's control characters raw", shell, seg)
		}
	}
}

// A directory name that is not UTF-8 reaches the daemon as its raw bytes,
// as the shells write it, and is answered as the one-shot answers it: the
// name shown escaped, not an empty segment.
func TestDirectoryNameNotUTF8(t *testing.T) {
	gittest.Isolate(t)
	dir := filepath.Join(t.TempDir(), "bad\xffname")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	d := startDaemon(t, Config{Timeout: time.Minute})
	a := d.ask(`{"dir":"` + dir + `","shell":"bash"}`)
	if seg, _ := a["segment"].(string); !strings.Contains(seg, `bad\xffname`) {
		t.Errorf("answer %v: want the segment with the name escaped", a)
	}
	escaped := strings.ReplaceAll(dir, "\xff", `\u00ff`) // another name: U+00FF is ÿ
	if a := d.ask(`{"dir":"` + escaped + `","shell":"bash"}`); a["segment"] != "" {
		t.Errorf("a \\u escape read as a raw byte: %v", a)
	}
}

// Each answer is what git status says at the moment it was asked: the tree
// changes between requests and the same daemon answers every time.
func TestAnswersFollowTheTreeAsGitSeesIt(t *testing.T) {
	repo := newRepo(t)
	res := gitstatus.NewResident()
	defer res.Close()
	d := startDaemon(t, Config{Timeout: time.Minute, CacheDir: t.TempDir(), Resident: res})
	unscanned := 0
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	names := []string{"a.txt", "b.txt", "d/c.txt", "d/e/f.txt"}
	var log []string
	for step := range 60 {
		name := names[rng.IntN(len(names))]
		path := filepath.Join(repo, name)
		var did string
		switch rng.IntN(6) {
		case 0, 1:
			did = "write " + name
			writeFile(t, path, fmt.Sprintf("%d\n", rng.IntN(3)))
		case 2:
			did = "add -A"
			gittest.Git(t, repo, "add", "-A")
		case 3:
			did = "remove " + name
			os.Remove(path)
		case 4:
			did = "commit"
			gittest.Git(t, repo, "commit", "-qm", "step", "--allow-empty")
		case 5:
			did = "nothing"
		}
		log = append(log, did)
		a := d.ask(line(map[string]any{"id": step, "dir": repo}))
		if got, want := counts(a), gitCounts(t, repo); got != want {
			t.Fatalf("seed %d, step %d (%s): daemon says %s, git says %s\nsteps: %s", seed, step, did, got, want, strings.Join(log, "; "))
		}
		if st, ok := res.Stats(repo); ok && st.Watched && st.Scanned == 0 {
			unscanned++
		}
	}
	// What is watched where it can be, the other tests of gitstatus say.
	if st, _ := res.Stats(repo); st.Watched && unscanned == 0 {
		t.Errorf("no answer came without a scan (seed %d): the resident state is not exercised", seed)
	}
}

// TestFirstAnswerThenWatches: the first answer in a work tree is computed
// as by one-shot gitprompt; the daemon sets its watches once it has
// answered, so the next answer reads nothing.
func TestFirstAnswerThenWatches(t *testing.T) {
	repo := newRepo(t)
	res := gitstatus.NewResident()
	defer res.Close()
	d := startDaemon(t, Config{Timeout: time.Minute, Resident: res})
	d.ask(line(map[string]any{"dir": repo}))
	d.ask(line(map[string]any{"dir": repo}))
	st, _ := res.Stats(repo)
	if st.Unwatched != "" {
		t.Skipf("not watched here: %s", st.Unwatched)
	}
	if !st.Watched || st.Scanned != 0 {
		t.Fatalf("second answer: %+v, want watched and no directory scanned: the daemon did not set the watches after the first", st)
	}
}

func counts(a map[string]any) string {
	return fmt.Sprintf("commit=%v staged=%v unstaged=%v untracked=%v", a["commit"], a["staged"], a["unstaged"], a["untracked"])
}

// gitCounts reads the same numbers from git status as the README says the
// prompt counts them (no renames, no optional locks).
func gitCounts(t *testing.T, repo string) string {
	t.Helper()
	var commit string
	var staged, unstaged, untracked int
	for _, line := range strings.Split(gittest.Git(t, repo, "--no-optional-locks", "status", "--porcelain=v2", "--branch", "--no-renames"), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) > 2 && f[1] == "branch.oid":
			commit = f[2]
		case len(f) > 1 && (f[0] == "1" || f[0] == "2"):
			if f[1][0] != '.' {
				staged++
			}
			if f[1][1] != '.' {
				unstaged++
			}
		case len(f) > 0 && f[0] == "?":
			untracked++
		}
	}
	return fmt.Sprintf("commit=%v staged=%v unstaged=%v untracked=%v", commit, float64(staged), float64(unstaged), float64(untracked))
}

func TestServeEndsWhenItsInputCloses(t *testing.T) {
	d := startDaemon(t, Config{Timeout: time.Minute})
	d.in.Close()
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("Serve at the end of its input: %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve still running 10 s after its input closed")
	}
}

func TestBriefAnswerHoldsOnlyIdAndSegment(t *testing.T) {
	repo := newRepo(t)
	d := startDaemon(t, Config{Timeout: time.Minute})
	full := d.ask(line(map[string]any{"id": 1, "dir": repo, "shell": "bash"}))
	brief := d.ask(line(map[string]any{"id": 2, "dir": repo, "shell": "bash", "brief": true}))
	if len(brief) != 2 || brief["id"] != 2.0 || brief["segment"] != full["segment"] || full["segment"] == "" {
		t.Fatalf("brief answer %v, want only id 2 and the segment %q", brief, full["segment"])
	}
}

// BenchmarkAnswerAfterNoChange is the daemon's side of a prompt in a work
// tree that did not change: what bench/daemon.sh measures from bash, without
// the shell and the pipes.
func BenchmarkAnswerAfterNoChange(b *testing.B) {
	benchmarkAnswers(b, func(string, int) {})
}

// BenchmarkAnswerAfterOneFileChange: one tracked file written before each
// prompt.
func BenchmarkAnswerAfterOneFileChange(b *testing.B) {
	benchmarkAnswers(b, func(dir string, i int) {
		if err := os.WriteFile(filepath.Join(dir, "kv/store.go"), fmt.Appendf(nil, "package kv // %d\n", i), 0o644); err != nil {
			b.Fatal(err)
		}
	})
}

// sampleWorkTree is the sample project committed in a repository of its
// own.
func sampleWorkTree(b *testing.B) string {
	gittest.Isolate(b)
	dir := b.TempDir()
	gittest.Git(b, dir, "init", "-q", "-b", "main")
	if err := os.CopyFS(dir, os.DirFS("../../testdata/tool")); err != nil {
		b.Fatal(err)
	}
	gittest.Git(b, dir, "add", "-A")
	gittest.Git(b, dir, "commit", "-qm", "sample")
	return dir
}

func benchmarkAnswers(b *testing.B, change func(dir string, i int)) {
	dir := sampleWorkTree(b)
	res := gitstatus.NewResident()
	defer res.Close()
	cfg := Config{Timeout: time.Minute, CacheDir: b.TempDir(), Resident: res}
	req := []byte(line(map[string]any{"dir": dir, "shell": "bash", "brief": true}))
	for range 2 {
		respond(b.Context(), req, cfg, res)
	}
	// Files changed in the last two seconds are not trusted by their stat
	// data (gitstatus's racy margin); a prompt's repository is older.
	time.Sleep(2100 * time.Millisecond)
	i := 0
	for b.Loop() {
		b.StopTimer()
		change(dir, i)
		i++
		b.StartTimer()
		if a, _ := respond(b.Context(), req, cfg, res); a.Problem != "" {
			b.Fatal(a.Problem)
		}
	}
}
