package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestJqExample runs the README's jq example, which --help and the man
// page show too, through the real jq over every sample log's JSON, and
// checks it selects the same records as --abused: reflected floods
// (portnote.reflection, to ports that are not abused themselves)
// included.
func TestJqExample(t *testing.T) {
	jq := shellTool(t, "jq")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^ +(portnote -o json \S+ \| jq '([^']*)')`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no \"portnote -o json FILE | jq '...'\" example")
	}
	if !strings.Contains(usageIntro, string(m[1])) {
		t.Errorf("--help does not show the README's example %s", m[1])
	}
	filter := string(m[2])
	samples, _ := filepath.Glob("../../examples/*.log")
	reflections := 0
	for _, f := range samples {
		var abused, json, stderr bytes.Buffer
		run([]string{"--abused", f}, nil, &abused, &stderr)
		run([]string{"-o", "json", f}, nil, &json, &stderr)
		if stderr.Len() > 0 {
			t.Fatalf("%s: %s", f, stderr.String())
		}
		cmd := exec.Command(jq, "-c", filter)
		cmd.Stdin = &json
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("jq %q: %v", filter, err)
		}
		reflections += bytes.Count(out, []byte(`"reflection":`))
		if got, want := bytes.Count(out, []byte("\n")), bytes.Count(abused.Bytes(), []byte("\n")); got != want {
			t.Errorf("%s: jq '%s' selects %d records, --abused %d", filepath.Base(f), filter, got, want)
		}
	}
	if reflections == 0 {
		t.Error("no sample has a reflected flood: the test proves nothing about them")
	}
}
