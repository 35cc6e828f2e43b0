// Package sample carries the sample project that gofork demonstrates on:
// github.com/awesome-org/tool, a small Raft/KV codebase, and the one file its
// fork adds on branch feature.
//
// The sources live in testdata/tool and testdata/fork-feature. go:embed
// cannot take testdata/tool directly, because a directory holding a go.mod
// belongs to another module, so the two trees are embedded as sample.zip.
// TestArchiveUpToDate keeps the archive in step with testdata; regenerate it
// with
//
//	go test ./internal/sample -run TestArchiveUpToDate -update
package sample

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"io/fs"
	"sync"
)

// Directories inside sample.zip.
const (
	upstreamDir    = "tool"
	forkFeatureDir = "fork-feature"
)

//go:embed sample.zip
var archive []byte

var openArchive = sync.OnceValue(func() *zip.Reader {
	r, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		// Only a broken build can get here: the archive is checked by tests.
		panic("sample: embedded sample.zip is unreadable: " + err.Error())
	}
	return r
})

func sub(dir string) fs.FS {
	fsys, err := fs.Sub(openArchive(), dir)
	if err != nil {
		panic("sample: " + err.Error()) // dir is a constant, always valid
	}
	return fsys
}

// Upstream returns the upstream project, module github.com/awesome-org/tool,
// with go.mod at its root. Write it to disk with os.CopyFS.
func Upstream() fs.FS { return sub(upstreamDir) }

// ForkFeature returns the files the fork's feature commit adds, laid out
// relative to the project root (kv/keys.go). They only compile on top of
// Upstream.
func ForkFeature() fs.FS { return sub(forkFeatureDir) }
