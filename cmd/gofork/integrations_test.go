package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gofork/gofork/internal/forge"
	"github.com/gofork/gofork/internal/gittest"
)

const repoRoot = "../.."

// consumerWithStrayImport lays out a module whose main.go imports the fork's
// path, and returns its directory and the clean main.go to fix it with.
func consumerWithStrayImport(t *testing.T) (dir, clean string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "app")
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.org/app\n\ngo 1.22\n\nrequire github.com/awesome-org/tool v1.0.0\n")
	write("main.go", "package main\n\nimport _ \"github.com/awesome-you/tool/kv\"\n\nfunc main() {}\n")
	return dir, "package main\n\nimport _ \"github.com/awesome-org/tool/kv\"\n\nfunc main() {}\n"
}

func runIn(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// The action's steps, read from action.yml, run as a runner runs them:
// install.sh builds gofork from the action's checkout, check.sh runs it
// with the inputs from the environment. A stray import fails the step with
// an annotation; a clean tree passes; with format sarif the log is written
// and named in the step's outputs.
func TestActionSteps(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]any
		Runs   struct {
			Using string
			Steps []struct {
				Run string
				Env map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" || len(action.Runs.Steps) != 2 {
		t.Fatalf("action.yml: want a composite action of two steps, got %+v", action.Runs)
	}
	install, check := action.Runs.Steps[0], action.Runs.Steps[1]
	script := func(run string) string {
		m := regexp.MustCompile(`^"\$GITHUB_ACTION_PATH/(action/[a-z]+\.sh)"$`).FindStringSubmatch(strings.TrimSpace(run))
		if m == nil {
			t.Fatalf("step runs %q, want one script of action/", run)
		}
		abs, err := filepath.Abs(filepath.Join(repoRoot, m[1]))
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	for name, value := range check.Env {
		input, ok := strings.CutPrefix(value, "${{ inputs.")
		input = strings.TrimSuffix(input, " }}")
		if _, declared := action.Inputs[input]; !ok || !declared {
			t.Errorf("check step sets %s=%q, not one of the inputs", name, value)
		}
	}

	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	runner := t.TempDir()
	githubPath, githubOutput := filepath.Join(runner, "path"), filepath.Join(runner, "output")
	env := []string{"GITHUB_ACTION_PATH=" + root, "RUNNER_TEMP=" + runner, "GITHUB_PATH=" + githubPath, "GITHUB_OUTPUT=" + githubOutput}
	if out, err := runIn(t, runner, env, script(install.Run)); err != nil {
		t.Fatalf("install step: %v\n%s", err, out)
	}
	added, err := os.ReadFile(githubPath)
	if err != nil {
		t.Fatal(err)
	}
	env = append(env, "PATH="+strings.TrimSpace(string(added))+string(os.PathListSeparator)+os.Getenv("PATH"))
	inputs := func(forks, format, flags, dir string) []string {
		values := map[string]string{"forks": forks, "format": format, "flags": flags, "directory": dir}
		out := env
		for name, value := range check.Env {
			input := strings.TrimSuffix(strings.TrimPrefix(value, "${{ inputs."), " }}")
			out = append(out, name+"="+values[input])
		}
		return out
	}

	app, clean := consumerWithStrayImport(t)
	forks := "github.com/awesome-you/tool=github.com/awesome-org/tool\n  github.com/other/tool=github.com/awesome-org/tool"
	out, err := runIn(t, filepath.Dir(app), inputs(forks, "github", "", "app"), script(check.Run))
	if code := exitCode(err); code != 1 || !strings.Contains(out, "::error file=main.go,line=3,col=10,title=gofork stray-import::") {
		t.Errorf("a stray import: exit %d, output:\n%s", code, out)
	}
	out, err = runIn(t, filepath.Dir(app), inputs(forks, "sarif", "--no-heuristics", "app"), script(check.Run))
	if exitCode(err) != 1 {
		t.Errorf("sarif: exit %d, want 1\n%s", exitCode(err), out)
	}
	outputs, _ := os.ReadFile(githubOutput)
	sarif, ok := strings.CutPrefix(strings.TrimSpace(string(outputs)), "sarif-file=")
	if log, err := os.ReadFile(sarif); !ok || err != nil || !strings.Contains(string(log), `"ruleId": "stray-import"`) {
		t.Errorf("sarif: outputs %q, log %v", outputs, err)
	}
	if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(clean), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runIn(t, filepath.Dir(app), inputs(forks, "github", "--release", "app"), script(check.Run)); err != nil || out != "" {
		t.Errorf("a clean tree: %v, output:\n%s", err, out)
	}
	// Upstream's own CI, as actions/checkout makes it (origin only, depth
	// 1, detached, no tags), on a branch that rewrote every import and the
	// module line: no forks input, GITHUB_REPOSITORY says who upstream is.
	ci := upstreamCICheckout(t)
	ciEnv := append(inputs("", "github", "", "."), "GITHUB_ACTIONS=true", "GITHUB_REPOSITORY=awesome-org/tool", "CI=true")
	if out, err := runIn(t, ci, ciEnv, script(check.Run)); err != nil || out != "" {
		t.Errorf("upstream's CI, pristine: %v, output:\n%s", err, out)
	}
	rewriteModulePath(t, ci, "github.com/awesome-org/tool", "github.com/awesome-you/tool")
	out, err = runIn(t, ci, ciEnv, script(check.Run))
	if code := exitCode(err); code != 1 || !strings.Contains(out, "::error file=go.mod,line=1,col=8,title=gofork module-line::") {
		t.Errorf("upstream's CI, a whole-repository rewrite: exit %d, output:\n%s", code, out)
	}
	// A glob among the inputs stays a word.
	out, err = runIn(t, app, inputs("*", "text", "", "."), script(check.Run))
	if !strings.Contains(out, `--fork "*"`) {
		t.Errorf("forks=*: %v, output:\n%s", err, out)
	}
}

// upstreamCICheckout clones the sample's upstream from a local forge as
// actions/checkout does for upstream's CI: depth 1, no tags, detached, and
// origin named by its github.com URL.
func upstreamCICheckout(t *testing.T) string {
	t.Helper()
	f, err := forge.Create(filepath.Join(t.TempDir(), "forge"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "tool")
	gittest.Git(t, "", "clone", "-q", "--depth", "1", "--no-tags", f.URL()+"/awesome-org/tool.git", dir)
	gittest.Git(t, dir, "checkout", "-q", "--detach")
	gittest.Git(t, dir, "remote", "set-url", "origin", "https://github.com/awesome-org/tool.git")
	return dir
}

// rewriteModulePath replaces from by to in every .go file and go.mod under
// dir, as sed -i over the whole repository does.
func rewriteModulePath(t *testing.T, dir, from, to string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") && d.Name() != "go.mod" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(p, []byte(strings.ReplaceAll(string(data), from, to)), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := err.(*exec.ExitError); ok {
		return e.ExitCode()
	}
	return -1
}

// TestPreCommitHook installs the hook from .pre-commit-hooks.yaml with the
// real pre-commit, as a user's .pre-commit-config.yaml names it: pre-commit
// clones this repository (a snapshot of the working tree, committed), builds
// gofork with the go command (offline, from the module cache) and runs it on
// each commit. A commit with a stray import is refused; once fixed it goes
// through.
func TestPreCommitHook(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pre-commit is not installed; CI must install it")
		}
		t.Skip("pre-commit is not installed")
	}
	// The module and build caches as they are before Isolate moves HOME.
	caches, err := exec.Command("go", "env", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	modcache, gocache, _ := strings.Cut(strings.TrimSpace(string(caches)), "\n")
	gittest.Isolate(t)
	hookRepo := snapshotRepo(t)
	app, clean := consumerWithStrayImport(t)
	config := "repos:\n  - repo: " + hookRepo + "\n    rev: " + gittest.Git(t, hookRepo, "rev-parse", "HEAD") + "\n" +
		"    hooks:\n      - id: gofork-check\n        args: [--fork, github.com/awesome-you/tool=github.com/awesome-org/tool]\n"
	if err := os.WriteFile(filepath.Join(app, ".pre-commit-config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PRE_COMMIT_HOME=" + filepath.Join(t.TempDir(), "pre-commit"),
		"GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local",
		"GOMODCACHE=" + modcache, "GOCACHE=" + gocache,
	}
	gittest.Git(t, app, "init", "-q", "-b", "main")
	if out, err := runIn(t, app, env, "pre-commit", "install"); err != nil {
		t.Fatalf("pre-commit install: %v\n%s", err, out)
	}
	gittest.Git(t, app, "add", ".")
	out, err := runIn(t, app, env, "git", "commit", "-q", "-m", "rewrite an import")
	if err == nil || !strings.Contains(out, "main.go:3:10: stray-import: import of fork path") {
		t.Fatalf("commit with a stray import: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(clean), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, app, "add", ".")
	if out, err := runIn(t, app, env, "git", "commit", "-q", "-m", "import upstream's path"); err != nil {
		t.Fatalf("clean commit refused: %v\n%s", err, out)
	}
}

// snapshotRepo commits this repository's working tree (tracked and new
// files, as go build sees them) to a fresh repository, so pre-commit builds
// the code under test rather than the last commit.
func snapshotRepo(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "gofork")
	list, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		src := filepath.Join(repoRoot, name)
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or not a file
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	gittest.Git(t, dst, "init", "-q", "-b", "main")
	gittest.Git(t, dst, "add", ".")
	gittest.Git(t, dst, "commit", "-q", "-m", "snapshot")
	return dst
}
