package modversion

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/gofork/gofork/internal/gittest"
)

// versionRepo builds repositories whose tags exercise each rule the go
// command applies when it names a commit, under dir/<name>.
type versionRepo struct {
	t    *testing.T
	dir  string
	name string // repository name; module github.com/pseudo/<name>[/vN]
}

func newVersionRepo(t *testing.T, root, name, goModPath string) *versionRepo {
	r := &versionRepo{t: t, dir: filepath.Join(root, name), name: name}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, r.dir, "init", "-q")
	if goModPath != "" {
		r.write("go.mod", "module "+goModPath+"\n\ngo 1.21\n")
	}
	return r
}

// write writes name, a slash path below the repository, making its
// directories.
func (r *versionRepo) write(name, content string) {
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit adds a file named msg and commits it, tagging the commit with tags
// ("+name" makes an annotated tag); it returns the full hash.
func (r *versionRepo) commit(msg string, tags ...string) string {
	r.write(msg+".go", "package "+strings.ReplaceAll(r.name, "-", "")+"\n")
	gittest.Git(r.t, r.dir, "add", "-A")
	gittest.Git(r.t, r.dir, "commit", "-q", "-m", msg)
	for _, tag := range tags {
		if name, annotated := strings.CutPrefix(tag, "+"); annotated {
			gittest.Git(r.t, r.dir, "tag", "-a", "-m", "release "+name, name)
		} else {
			gittest.Git(r.t, r.dir, "tag", tag)
		}
	}
	return gittest.Git(r.t, r.dir, "rev-parse", "HEAD")
}

type versionQuery struct {
	repo    *versionRepo
	modPath string
	rev     string // what ResolveVersion is asked for
	hash    string // what the go command is asked for
	want    string // the rule this case checks, as a regexp-free description
}

// TestResolveVersionAgreesWithTheGoCommand names commits with ResolveVersion
// and with `go list -m -json path@hash`, run offline against the same
// repositories (GOPROXY=direct, github.com/pseudo/ rewritten to the local
// directory by git's url.insteadOf), and requires the same versions.
func TestResolveVersionAgreesWithTheGoCommand(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	gitconfig := gittest.Isolate(t)
	t.Setenv("GIT_COMMITTER_DATE", "2024-01-02T03:04:05+0900") // a zone east of UTC: the version must say 20240101180405
	root := t.TempDir()

	var queries []versionQuery
	add := func(r *versionRepo, modPath, rev, hash, want string) {
		queries = append(queries, versionQuery{r, modPath, rev, hash, want})
	}

	plain := newVersionRepo(t, root, "plain", "github.com/pseudo/plain")
	c1 := plain.commit("one", "v1.0.0")
	gittest.Git(t, plain.dir, "checkout", "-q", "-b", "side")
	side := plain.commit("side", "v1.5.0")
	gittest.Git(t, plain.dir, "checkout", "-q", "main")
	c2 := plain.commit("two", "+v1.1.0", "v1.0.5")
	c3 := plain.commit("three", "v1.9", "v0.0.0-20200101000000-abcdefabcdef", "v1.8.0+meta")
	c4 := plain.commit("four", "v2.0.0")
	c5 := plain.commit("five", "+v1.9.0-beta.1")
	c6 := plain.commit("six")
	add(plain, "github.com/pseudo/plain", c1[:7], c1, "tag on the commit, abbreviated hash")
	add(plain, "github.com/pseudo/plain", "side", side, "tag on a branch that main does not contain")
	add(plain, "github.com/pseudo/plain", c2, c2, "highest of two tags, one annotated")
	add(plain, "github.com/pseudo/plain", c3, c3, "base v1.8.0 from a tag with build metadata; incomplete and pseudo-looking tags ignored")
	add(plain, "github.com/pseudo/plain", c4, c4, "v2 tag ignored: go.mod says v0/v1")
	add(plain, "github.com/pseudo/plain", "v1.9.0-beta.1", c5, "prerelease tag on the commit")
	add(plain, "github.com/pseudo/plain", "main", c6, "prerelease base")

	legacy := newVersionRepo(t, root, "legacy", "")
	l1 := legacy.commit("one", "v2.1.0")
	l2 := legacy.commit("two")
	add(legacy, "github.com/pseudo/legacy", l1, l1, "+incompatible tag without go.mod")
	add(legacy, "github.com/pseudo/legacy", l2, l2, "+incompatible base")

	major := newVersionRepo(t, root, "major", "github.com/pseudo/major/v2")
	m1 := major.commit("one", "v1.4.0")
	major.commit("two", "v2.0.0")
	m3 := major.commit("three")
	add(major, "github.com/pseudo/major/v2", m1, m1, "/v2 path ignores v1 tags: v2.0.0-time-hash")
	add(major, "github.com/pseudo/major/v2", m3, m3, "/v2 base")

	merged := newVersionRepo(t, root, "merged", "github.com/pseudo/merged")
	merged.commit("one")
	gittest.Git(t, merged.dir, "checkout", "-q", "-b", "topic")
	merged.commit("topic", "v0.3.0")
	gittest.Git(t, merged.dir, "checkout", "-q", "main")
	merged.commit("two")
	gittest.Git(t, merged.dir, "merge", "-q", "--no-ff", "-m", "merge topic", "topic")
	mm := gittest.Git(t, merged.dir, "rev-parse", "HEAD")
	add(merged, "github.com/pseudo/merged", mm, mm, "base reached through a merge's second parent")
	bare := newVersionRepo(t, root, "untagged", "github.com/pseudo/untagged")
	u1 := bare.commit("one")
	add(bare, "github.com/pseudo/untagged", u1, u1, "no tags: v0.0.0-time-hash")

	// A repository of several modules: each sub-module's versions are the
	// tags with its directory as prefix, its go.mod is its directory's.
	multi := newVersionRepo(t, root, "multi", "github.com/pseudo/multi")
	multi.write("providers/prom/go.mod", "module github.com/pseudo/multi/providers/prom\n\ngo 1.21\n")
	multi.write("sub/go.mod", "module github.com/pseudo/multi/sub/v2\n\ngo 1.21\n")
	s1 := multi.commit("one", "v1.3.0", "providers/prom/v1.1.0", "sub/v2.0.0")
	s2 := multi.commit("two", "v1.4.0", "providers/v9.0.0")
	add(multi, "github.com/pseudo/multi/providers/prom", s1, s1, "sub-module tag on the commit, root tag ignored")
	add(multi, "github.com/pseudo/multi/providers/prom", s2, s2, "sub-module pseudo-version from its own tag prefix")
	add(multi, "github.com/pseudo/multi/sub/v2", s2, s2, "/v2 sub-module: v2 tags under its prefix")
	add(multi, "github.com/pseudo/multi", s2, s2, "root module: no sub-module tag counts")

	goVersions := goListVersions(t, gitconfig, root, queries)
	for i, q := range queries {
		repo, err := git.PlainOpen(q.repo.dir)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ResolveVersion(repo, "github.com/pseudo/"+q.repo.name, q.modPath, q.rev)
		if err != nil {
			t.Errorf("%s (%s@%s): %v", q.want, q.modPath, q.rev, err)
			continue
		}
		t.Logf("%s: %s", q.want, got.Version)
		if got.Version != goVersions[i] || got.Commit != q.hash {
			t.Errorf("%s: ResolveVersion(%s, %q) = %s at %s; the go command says %s at %s", q.want, q.modPath, q.rev, got.Version, got.Commit, goVersions[i], q.hash)
		}
	}
	t.Logf("checked %d versions against the go command", len(queries))
}

// goListVersions asks the go command, offline, for the version of each
// query's commit.
func goListVersions(t *testing.T, gitconfig, root string, queries []versionQuery) []string {
	t.Helper()
	f, err := os.OpenFile(gitconfig, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.WriteString(f, "[url \"file://"+filepath.ToSlash(root)+"/\"]\n\tinsteadOf = https://github.com/pseudo/\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir()
	if err := os.WriteFile(filepath.Join(scratch, "go.mod"), []byte("module scratch\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"list", "-m", "-json"}
	for _, q := range queries {
		args = append(args, q.modPath+"@"+q.hash)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = scratch
	cmd.Env = append(os.Environ(),
		"GOPROXY=direct", "GOPRIVATE=github.com/pseudo", "GOFLAGS=-mod=mod -modcacherw",
		"GOMODCACHE="+filepath.Join(t.TempDir(), "modcache"), "GOTOOLCHAIN=local", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var versions []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m struct{ Path, Version string }
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, m.Version)
	}
	if len(versions) != len(queries) {
		t.Fatalf("go list printed %d modules for %d queries:\n%s", len(versions), len(queries), out)
	}
	return versions
}
