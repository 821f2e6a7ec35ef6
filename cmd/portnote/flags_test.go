package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestFlagTable checks the table that help, the man page and the shell
// completions are generated from: every row complete and consistent,
// names unique, every flag in --help and in the README.
func TestFlagTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	help := usage()
	sections := map[string]bool{}
	for _, s := range FlagSections {
		sections[s.Name] = true
	}
	names := map[string]bool{}
	for i := range Flags {
		f := &Flags[i]
		for _, n := range append([]string{f.Long, string(f.Short)}, f.Aliases...) {
			if n == "\x00" {
				continue
			}
			if names[n] {
				t.Errorf("--%s: name %q used twice", f.Long, n)
			}
			names[n] = true
		}
		if f.set == nil || f.Help == "" || !sections[f.Section] {
			t.Errorf("--%s: needs a setter, help and a known section", f.Long)
		}
		if f.Arg == "" && (f.Complete != CompleteNone || len(f.Values) > 0 || f.Bare != "" || f.Default != "") {
			t.Errorf("--%s: a switch has no value to complete, default or bare form", f.Long)
		}
		if f.Complete == CompleteValues && len(f.Values) == 0 {
			t.Errorf("--%s: completes from Values, which are empty", f.Long)
		}
		if f.Bare != "" && !slices.Contains(f.Values, f.Bare) {
			t.Errorf("--%s: bare value %q is not among its Values", f.Long, f.Bare)
		}
		if !strings.Contains(help, FlagSynopsis(f)) {
			t.Errorf("--help does not show %s", FlagSynopsis(f))
		}
		long := "--" + f.Long
		short := "-" + string(f.Short)
		if !strings.Contains(string(readme), long) && (f.Short == 0 || !strings.Contains(string(readme), "`"+short)) {
			t.Errorf("README does not mention %s", long)
		}
	}
	for _, line := range strings.Split(help, "\n") {
		if len(line) > helpWidth {
			t.Errorf("help line longer than %d: %q", helpWidth, line)
		}
	}
}

// TestFlagValues checks every CompleteValues word is accepted by its
// flag's setter, so completions never offer a value that is refused.
func TestFlagValues(t *testing.T) {
	for i := range Flags {
		f := &Flags[i]
		if f.Complete != CompleteValues && f.Complete != CompleteProtocols {
			continue
		}
		for _, v := range f.Values {
			o := &options{typed: map[string]string{}}
			if err := f.set(o, v); err != nil {
				t.Errorf("--%s %s: %v", f.Long, v, err)
			}
		}
	}
}
