package modrewrite

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWorkFileHonoursGOWORK(t *testing.T) {
	root := t.TempDir()
	module := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(module, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.work"), []byte("go 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if path, off, err := WorkFile(module, getenv); path != filepath.Join(root, "go.work") || off || err != nil {
		t.Errorf("WorkFile found %q, off %v, err %v; want the go.work two levels up", path, off, err)
	}
	env["GOWORK"] = "off"
	if path, off, _ := WorkFile(module, getenv); path != "" || !off {
		t.Errorf("with GOWORK=off: %q, off %v; want none, off", path, off)
	}
	env["GOWORK"] = "rel/go.work"
	if _, _, err := WorkFile(module, getenv); err == nil {
		t.Error("a relative GOWORK was accepted; the go command refuses it")
	}
}
