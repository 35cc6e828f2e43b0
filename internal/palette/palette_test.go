package palette

import "testing"

func TestPalette(t *testing.T) {
	if got := (Palette{}).Rule("stray-import"); got != "stray-import" {
		t.Errorf("zero palette coloured: %q", got)
	}
	if got := New(false).Bad("x"); got != "x" {
		t.Errorf("palette off coloured: %q", got)
	}
	// On whatever os.Stdout is (a pipe under go test) and NO_COLOR.
	t.Setenv("NO_COLOR", "1")
	if got, want := New(true).Rule("stray-import"), "\x1b[33mstray-import\x1b[0m"; got != want {
		t.Errorf("Rule = %q, want %q", got, want)
	}
	if got := New(true).Want(""); got != "" {
		t.Errorf("empty text got %q", got)
	}
}
