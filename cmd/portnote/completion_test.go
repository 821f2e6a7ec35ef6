package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// shellTool finds a shell or tool for a test, skipping when it is
// missing, unless PORTNOTE_CI_TOOLS=1 (set by .ci/run, which installs
// them) makes that a failure.
func shellTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("PORTNOTE_CI_TOOLS") == "1" {
			t.Fatalf("%s is not installed, and PORTNOTE_CI_TOOLS=1", name)
		}
		t.Skipf("%s is not installed (.ci/run installs it)", name)
	}
	return path
}

// completionScript writes portnote's completion script for shell into a
// temporary file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--completion", shell}, nil, &stdout, &stderr); code != exitOK || stderr.Len() > 0 {
		t.Fatalf("--completion %s: status %d, stderr %q", shell, code, stderr.String())
	}
	path := filepath.Join(t.TempDir(), "portnote."+shell)
	if err := os.WriteFile(path, stdout.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// completionCases are command lines and candidates they must offer,
// taken from the flag table rather than written out, so that a family
// added to --format is expected at once.
func completionCases() []struct {
	line []string // the words; the last is being completed
	want []string // all of them must be offered
	only bool     // and nothing else
} {
	return []struct {
		line []string
		want []string
		only bool
	}{
		{[]string{"portnote", "--out"}, []string{"--output"}, true},
		{[]string{"portnote", "-o", ""}, flagNamed("output").Values, true},
		{[]string{"portnote", "--format", ""}, formatWords(), true},
		{[]string{"portnote", "--class", "reg"}, []string{"registered"}, true},
		{[]string{"portnote", "--proto", "icmp,tc"}, []string{"icmp,tcp"}, true},
		{[]string{"portnote", "--color=al"}, []string{"--color=always"}, true},
		{[]string{"portnote", "--completion", ""}, completionShells(), true},
	}
}

func TestBashCompletion(t *testing.T) {
	bash := shellTool(t, "bash")
	script := completionScript(t, "bash")
	var probe strings.Builder
	probe.WriteString("source " + shellQuote(script) + "\ncomplete -p portnote\n")
	cases := completionCases()
	// The same value with the word split at "=", as bash's default
	// COMP_WORDBREAKS does it.
	cases = append(cases, struct {
		line []string
		want []string
		only bool
	}{[]string{"portnote", "--color", "=", "ne"}, []string{"never"}, true})
	for _, c := range cases {
		words := make([]string, len(c.line))
		for i, w := range c.line {
			words[i] = shellQuote(w)
		}
		probe.WriteString("COMP_WORDS=(" + strings.Join(words, " ") + ")\n")
		probe.WriteString("COMP_CWORD=" + strconv.Itoa(len(c.line)-1) + "\nCOMPREPLY=()\n_portnote 2>/dev/null\n")
		probe.WriteString("printf '%s\\n' \"${COMPREPLY[*]}\"\n")
	}
	out, err := exec.Command(bash, "--norc", "--noprofile", "-c", probe.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(cases)+1 {
		t.Fatalf("bash printed %d lines for %d cases:\n%s", len(lines), len(cases), out)
	}
	if want := "complete -o default -F _portnote portnote"; lines[0] != want {
		t.Errorf("complete -p portnote = %q, want %q", lines[0], want)
	}
	for i, c := range cases {
		checkOffered(t, c.line, strings.Fields(lines[i+1]), c.want, c.only)
	}
}

func TestFishCompletion(t *testing.T) {
	fish := shellTool(t, "fish")
	script := completionScript(t, "fish")
	if out, err := exec.Command(fish, "--no-execute", script).CombinedOutput(); err != nil {
		t.Fatalf("fish -n: %v\n%s", err, out)
	}
	for _, c := range completionCases() {
		line := strings.Join(c.line, " ")
		out, err := exec.Command(fish, "--no-config", "-c", "source "+shellQuote(script)+"; complete -C "+shellQuote(line)).CombinedOutput()
		if err != nil {
			t.Fatalf("fish complete -C %q: %v\n%s", line, err, out)
		}
		var got []string
		for l := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
			if cand, _, _ := strings.Cut(l, "\t"); cand != "" {
				got = append(got, cand)
			}
		}
		checkOffered(t, c.line, got, c.want, c.only)
	}
}

func TestZshCompletionParses(t *testing.T) {
	zsh := shellTool(t, "zsh")
	script := completionScript(t, "zsh")
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	// Every flag is in the script, under every name.
	b, _ := os.ReadFile(script)
	for i := range Flags {
		for _, n := range flagNames(&Flags[i]) {
			if !strings.Contains(string(b), "'"+n) && !strings.Contains(string(b), ")"+n) && !strings.Contains(string(b), "*"+n) {
				t.Errorf("zsh completion lacks %s", n)
			}
		}
	}
}

func TestCompletionUnknownShell(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--completion", "tcsh"}, nil, &stdout, &stderr); code != exitError {
		t.Errorf("--completion tcsh: status %d, want %d", code, exitError)
	}
	if !strings.Contains(stderr.String(), `no completion for "tcsh" (want bash, zsh or fish)`) {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func checkOffered(t *testing.T, line, got, want []string, only bool) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%q: %s not offered; got %q", line, w, got)
		}
	}
	if only && len(got) != len(want) {
		t.Errorf("%q: offered %q, want only %q", line, got, want)
	}
}
