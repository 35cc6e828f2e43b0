package prompt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDirLabel(t *testing.T) {
	root := t.TempDir()
	workdir := filepath.Join(root, "tool")
	if err := os.MkdirAll(filepath.Join(workdir, "raft", "log"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(filepath.Join(workdir, "raft"), link); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ dir, want string }{
		{workdir, "tool"},
		{filepath.Join(workdir, "raft"), "tool/raft"},
		{filepath.Join(workdir, "raft", "log"), "tool/raft/log"},
		{filepath.Join(workdir, "raft", ".."), "tool"},
		{link, "tool/raft"},
		{filepath.Join(link, "log"), "tool/raft/log"},
	}
	for _, tt := range tests {
		if got := dirLabel(workdir, tt.dir); got != tt.want {
			t.Errorf("dirLabel(%q) = %q, want %q", tt.dir, got, tt.want)
		}
	}
}

func TestHasOutsideReplace(t *testing.T) {
	tests := []struct {
		name, gomod string
		want        bool
		wantErr     string
	}{
		{"no go.mod", "", false, ""},
		{"no replace", "module example.com/a\n\ngo 1.24\n", false, ""},
		{"version replace", "module example.com/a\n\nreplace example.com/b => example.com/c v1.0.0\n", false, ""},
		{"directory replace", "module example.com/a\n\nreplace example.com/b => ../b\n", true, ""},
		{"block with a directory outside", "module example.com/a\n\nreplace (\n\texample.com/b => example.com/c v1.0.0\n\texample.com/d v1.2.0 => ../d\n)\n", true, ""},
		// A sibling module of the same repository breaks no checkout.
		{"directory inside the work tree", "module example.com/a\n\nreplace (\n\texample.com/a/api => ./api\n\texample.com/a/x => ./sub/../x\n)\n", false, ""},
		{"an absolute directory", "module example.com/a\n\nreplace example.com/b => /srv/b\n", true, ""},
		{"broken", "module example.com/a\n\nreplace example.com/b =>\n", false, "parse go.mod for replace directives"},
		// The replace lines are parsed alone; an arrow elsewhere sends the
		// whole file to the parser.
		{"arrow in a comment", "module example.com/a\n\n// example.com/b => ../b was dropped\nrequire example.com/b v1.0.0 // not => ../b\n", false, ""},
		{"arrow in a comment, replace outside", "module example.com/a\n\n// see below => here\nreplace (\n\t// old: => ../old\n\texample.com/b => ../b // local\n)\n", true, ""},
		{"a replace line among many", "module example.com/a\n\ngo 1.24\n\nrequire (\n\texample.com/x v1.0.0\n\texample.com/y v1.0.0 // indirect\n)\n\nreplace example.com/x v1.0.0 => example.com/z v1.1.0\n\nreplace example.com/y => ../y\n", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "go.mod")
			if tt.gomod != "" {
				if err := os.WriteFile(path, []byte(tt.gomod), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := hasOutsideReplace(dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("hasOutsideReplace = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
