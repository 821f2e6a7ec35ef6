package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionLine(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"go install @latest", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}},
			"portnote v1.2.0 (go1.26.8)"},
		{"clone, clean", debug.BuildInfo{GoVersion: "go1.26.8",
			Main:     debug.Module{Version: "v0.0.0-20261206111012-aa617f98e179"},
			Settings: vcs("vcs", "git", "vcs.revision", "aa617f98e17957bb00d2e90684541f2037e3650b", "vcs.time", "2026-12-06T11:10:12Z", "vcs.modified", "false")},
			"portnote v0.0.0-20261206111012-aa617f98e179 (revision aa617f98e17957bb00d2e90684541f2037e3650b, 2026-12-06T11:10:12Z; go1.26.8)"},
		{"clone, modified", debug.BuildInfo{GoVersion: "go1.26.8",
			Main:     debug.Module{Version: "v0.0.0-20261206111012-aa617f98e179+dirty"},
			Settings: vcs("vcs.revision", "aa617f98e179", "vcs.modified", "true")},
			"portnote v0.0.0-20261206111012-aa617f98e179+dirty (revision aa617f98e179, modified; go1.26.8)"},
		{"-buildvcs=false", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs("-buildmode", "exe")},
			"portnote (devel) (go1.26.8)"},
		{"nothing recorded", debug.BuildInfo{}, "portnote (devel)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionLine(&tt.info); got != tt.want {
				t.Errorf("versionLine:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
