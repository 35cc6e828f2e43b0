package main

import (
	"flag"
	"os"
	"slices"
	"testing"
)

// promptFlagNames are the prompt's flags as the parser defines them, with
// the dashes a user types (-C, --shell), plus --help.
func promptFlagNames() []string {
	var opts promptOptions
	var raw rawFlags
	names := []string{"--help"}
	promptFlagSet(&opts, &raw, defaultTimeout, os.Getenv).VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			names = append(names, "-"+f.Name)
		} else {
			names = append(names, "--"+f.Name)
		}
	})
	slices.Sort(names)
	return names
}

func skipUnlessCI(t *testing.T, prog string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; CI must install it", prog)
	}
	t.Skipf("%s is not installed", prog)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
