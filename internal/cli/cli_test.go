package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestExit(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantCode   int
		wantStderr string
	}{
		{"nil", nil, ExitOK, ""},
		{"plain error", errors.New(`read "go.mod": no such file`), ExitFailure, "gofork: read \"go.mod\": no such file\n"},
		{"silent findings", &ExitError{Code: ExitFindings}, ExitFindings, ""},
		{"wrapped exit error", fmt.Errorf("check: %w", &ExitError{Code: 3, Err: errors.New("boom")}), 3, "gofork: check: boom\n"},
		{"interrupt", context.Canceled, ExitInterrupted, "gofork: interrupted\n"},
		{"interrupt in a step", fmt.Errorf("clone: fetch: %w", context.Canceled), ExitInterrupted, "gofork: clone: fetch: interrupted\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if got := Exit(&stderr, "gofork", tt.err); got != tt.wantCode {
				t.Errorf("Exit() = %d, want %d", got, tt.wantCode)
			}
			if stderr.String() != tt.wantStderr {
				t.Errorf("stderr = %q, want %q", stderr.String(), tt.wantStderr)
			}
		})
	}
}

func TestColorEnabled(t *testing.T) {
	tests := []struct {
		env            map[string]string
		assumeTerminal bool
		want           bool
	}{
		{map[string]string{}, false, false}, // a buffer is not a terminal
		{map[string]string{"CLICOLOR_FORCE": "1"}, false, true},
		{map[string]string{"CLICOLOR_FORCE": "0"}, false, false},
		{map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, false, false},
		// A prompt's pipe stands for a terminal; NO_COLOR still wins.
		{map[string]string{"TERM": "dumb"}, true, true},
		{map[string]string{"NO_COLOR": "1"}, true, false},
	}
	for _, tt := range tests {
		getenv := func(k string) string { return tt.env[k] }
		if got := ColorEnabled(&bytes.Buffer{}, getenv, tt.assumeTerminal); got != tt.want {
			t.Errorf("ColorEnabled(env=%v, assumeTerminal=%v) = %v, want %v", tt.env, tt.assumeTerminal, got, tt.want)
		}
	}
}
