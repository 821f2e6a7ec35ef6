package main

import (
	"runtime/debug"
	"strings"
)

// version is what --version prints: the module version and, when the
// build recorded it, the VCS revision it was built from.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "portnote (unknown version: built without module information)"
	}
	return versionLine(info)
}

// versionLine formats build information as
//
//	portnote v1.2.0
//	portnote v0.0.0-20261101120000-1862d08a1b2c+dirty (revision 1862d08a1b2c, 2026-11-01T12:00:00Z, modified; go1.26.8)
//
// "go install ...@latest" records only the module version; a build in a
// clone also records vcs.revision, vcs.time and vcs.modified, unless it
// was made with -buildvcs=false (as CI does), when there is no revision
// to show and "(devel)" is all the version there is.
func versionLine(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var revision, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var b strings.Builder
	b.WriteString("portnote ")
	b.WriteString(v)
	if revision == "" {
		if info.GoVersion != "" {
			b.WriteString(" (" + info.GoVersion + ")")
		}
		return b.String()
	}
	b.WriteString(" (revision " + revision)
	if when != "" {
		b.WriteString(", " + when)
	}
	if modified {
		b.WriteString(", modified")
	}
	if info.GoVersion != "" {
		b.WriteString("; " + info.GoVersion)
	}
	b.WriteString(")")
	return b.String()
}
