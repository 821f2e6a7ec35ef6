package main

import (
	"bytes"
	"regexp"
	"testing"
)

// The bar shows whenever stderr is a terminal that lines are not being
// written to, --summary-only included, and never when following.
func TestShowProgress(t *testing.T) {
	tests := []struct {
		flags                  []string
		stdoutTerm, stderrTerm bool
		want                   bool
	}{
		{[]string{"a.log"}, false, true, true},
		{[]string{"a.log"}, true, true, false}, // lines go to the terminal
		{[]string{"--summary-only", "a.log"}, true, true, true},
		{[]string{"--summary-only", "a.log"}, true, false, false},
		{[]string{"--summary-only", "--no-progress", "a.log"}, true, true, false},
		{[]string{"-f", "a.log"}, false, true, false},
	}
	for _, tt := range tests {
		o, err := parseFlags(tt.flags)
		if err != nil {
			t.Fatal(err)
		}
		if got := showProgress(o, tt.stdoutTerm, tt.stderrTerm); got != tt.want {
			t.Errorf("%v, stdout terminal %v, stderr terminal %v: bar %v, want %v", tt.flags, tt.stdoutTerm, tt.stderrTerm, got, tt.want)
		}
	}
}

// The bar gives its rate as bytes per second ("MiB/s"), not "MiB p/s".
func TestProgressRate(t *testing.T) {
	var out bytes.Buffer
	bar := newBar(64<<20, &out).Start()
	bar.Add64(32 << 20)
	bar.Finish()
	line := bar.String()
	if !regexp.MustCompile(`[0-9.]+ [KMGT]iB/s`).MatchString(line) || regexp.MustCompile(`p/s`).MatchString(line) {
		t.Errorf("bar %q: want a rate in MiB/s", line)
	}
}
