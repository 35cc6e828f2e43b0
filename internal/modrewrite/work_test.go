package modrewrite

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadWorkFileCreatesOneThatUsesTheModule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "go.work")
	doc, work, err := ReadWorkFile(path, true, "1.24")
	if err != nil {
		t.Fatal(err)
	}
	if err := work.AddUse(".", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := doc.SetReplace("github.com/awesome-org/tool", "github.com/awesome-you/tool", "v1.2.1-0.20240102030405-0123456789ab", Origin{}); err != nil {
		t.Fatal(err)
	}
	if err := doc.Write(); err != nil {
		t.Fatal(err)
	}
	want := markCreated + "\ngo 1.24\n\nuse .\n\nreplace github.com/awesome-org/tool => github.com/awesome-you/tool v1.2.1-0.20240102030405-0123456789ab // gofork\n"
	if got := readString(t, path); got != want {
		t.Fatalf("new go.work:\n%s\nwant\n%s", got, want)
	}
	if _, _, err := ReadWorkFile(filepath.Join(t.TempDir(), "go.work"), false, ""); !os.IsNotExist(err) && err == nil {
		t.Fatalf("ReadWorkFile of a missing file without create: err = %v; want not-exist", err)
	}
}

func TestIsLeftoverOnlyForAnEmptiedWorkFileGoforkCreated(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "go.work")
	doc, work, err := ReadWorkFile(path, true, "1.24")
	if err != nil {
		t.Fatal(err)
	}
	if err := work.AddUse(".", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := doc.SetReplace("github.com/awesome-org/tool", "../tool", "", Origin{}); err != nil {
		t.Fatal(err)
	}
	if err := doc.Write(); err != nil {
		t.Fatal(err)
	}
	doc, work, err = ReadWorkFile(path, false, "")
	if err != nil {
		t.Fatal(err)
	}
	if IsLeftover(work) {
		t.Fatal("IsLeftover of a go.work with a replace = true")
	}
	if _, err := doc.DropReplace("github.com/awesome-org/tool"); err != nil {
		t.Fatal(err)
	}
	if !IsLeftover(work) {
		t.Fatalf("IsLeftover of the go.work gofork created, emptied = false:\n%s", readString(t, path))
	}
	if err := os.WriteFile(path+".sum", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := doc.Remove(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("Remove left %v", entries)
	}

	userPath := filepath.Join(dir, "user.work")
	if err := os.WriteFile(userPath, []byte("go 1.24\n\nuse .\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, work, err := ReadWorkFile(userPath, false, ""); err != nil || IsLeftover(work) {
		t.Fatalf("IsLeftover of a go.work the user wrote = true (err %v)", err)
	}
}

func TestWriteDoesNotClobberAWorkFileCreatedMeanwhile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "go.work")
	doc, _, err := ReadWorkFile(path, true, "1.24")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("go 1.23\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := doc.Write(); err == nil {
		t.Fatal("Write over a go.work created after ReadWorkFile succeeded; want an error")
	}
	if got := readString(t, path); got != "go 1.23\n" {
		t.Fatalf("go.work written meanwhile was changed to %q", got)
	}
}
