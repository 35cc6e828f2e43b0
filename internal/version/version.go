// Package version reports the version of the running binary from the build
// information the Go toolchain embeds, so there is no version string to keep
// in sync by hand.
package version

import (
	"runtime/debug"
)

// String returns the main module's version ("v1.2.3" for `go install
// …@v1.2.3`), or "devel" plus the VCS revision when built from a checkout.
func String() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return fromBuildInfo(info)
}

func fromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	v := "devel"
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		v += " " + revision
		if modified == "true" {
			v += "+dirty"
		}
	}
	return v
}
