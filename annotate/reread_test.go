package annotate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A line carries its own annotation only when the annotation ends the
// line, follows the grammar and names the record's destination: text
// inside a log line cannot hide the real annotation.
func TestTrailingAnnotation(t *testing.T) {
	const backdoor = "Nov 25 07:01:25 gw kernel: [UFW ALLOW] IN= OUT=eth0 SRC=192.0.2.20 DST=198.51.100.66 LEN=60 PROTO=TCP SPT=41000 DPT=4444 WINDOW=64240 SYN URGP=0"
	const real = " #pn 4444/tcp krb524 registered abused=backdoor/high -- "
	ssh := newTest(Config{}).AppendLine(nil, []byte(sshLine), false)
	tests := []struct {
		name, line string
		want       string // the annotation added; "" for none
	}{
		{"fake annotation inside the line", strings.Replace(backdoor, " SYN ", " #pn 22/tcp ssh well-known SYN ", 1), real},
		{"fake annotation at the end", backdoor + " #pn 22/tcp ssh well-known", real},
		{"fake annotation with a reason", backdoor + " #pn 22/tcp ssh well-known -- nothing to see", real},
		{"not the grammar", backdoor + " #pn 4444/tcp krb524 dangerous", real},
		{"a service without class", backdoor + " #pn 4444/tcp krb524", real},
		{"DEST alone", backdoor + " #pn 4444/tcp", ""},
		{"its own annotation", string(ssh), ""},
		{"its own annotation before a CR", string(ssh) + "\r", ""},
		{"its own annotation after a fake one", backdoor + " #pn 22/tcp ssh well-known" + " #pn 4444/tcp krb524 registered", ""},
		{"a comment", sshLine + " # #pn", " #pn 22/tcp ssh well-known"},
		{"a transport guessed", "Mar 30 15:47:05 fw pf: rule 4/(match) block in on em0: 203.0.113.5.48784 > 192.0.2.1.23: [|ip] #pn 23/tcp telnet well-known", " #pn 23/? telnet well-known abused=worm-botnet/high -- "},
		{"a protocol", icmpLine + " #pn icmp", ""},
		{"another protocol", icmpLine + " #pn gre", " #pn icmp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := strings.TrimSuffix(tt.line, "\r")
			got := string(newTest(Config{}).AppendLine(nil, []byte(tt.line), true))
			if !strings.HasPrefix(got, line) {
				t.Fatalf("output does not start with the line:\n%q", got)
			}
			added := strings.TrimSuffix(strings.TrimSuffix(got[len(line):], "\n"), "\r")
			if tt.want == "" || !strings.HasSuffix(tt.want, " -- ") {
				if added != tt.want {
					t.Errorf("added %q, want %q", added, tt.want)
				}
				return
			}
			if !strings.HasPrefix(added, tt.want) {
				t.Errorf("added %q, want %q and a reason", added, tt.want)
			}
		})
	}
}

// Annotated output read again gives the records of the original: the
// same counts, the same JSON fields, the same observed records.
func TestReread(t *testing.T) {
	files, err := filepath.Glob("../examples/*.log")
	if err != nil || len(files) == 0 {
		t.Fatalf("sample logs: %v", err)
	}
	var original []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		original = append(original, data...)
	}
	once := run(t, Config{}, original, nil)
	if twice := run(t, Config{}, once, nil); !bytes.Equal(twice, once) {
		t.Errorf("a second run changed the output:\n%s", firstDiff(twice, once))
	}

	stats := func(in []byte) Stats {
		a := newTest(Config{Output: JSON})
		a.Run(t.Context(), bytes.NewReader(in), new(bytes.Buffer))
		return a.Stats()
	}
	a, b := stats(original), stats(once)
	b.Bytes = a.Bytes
	if a != b {
		t.Errorf("stats of the original %+v\nstats of the annotated %+v", a, b)
	}

	// JSON of each line, but the message, is the same.
	withoutMessage := func(in []byte) []string {
		var objs []string
		for line := range bytes.Lines(run(t, Config{Output: JSON}, in, nil)) {
			var v map[string]any
			if err := json.Unmarshal(line, &v); err != nil {
				t.Fatal(err)
			}
			delete(v, "message")
			s, _ := json.Marshal(v)
			objs = append(objs, string(s))
		}
		return objs
	}
	want, got := withoutMessage(original), withoutMessage(once)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d of the annotated log reads as\n%s\nthe original as\n%s", i+1, got[i], want[i])
		}
	}
}

// TestRereadNoAllocs: the search for a trailing annotation allocates
// nothing either.
func TestRereadNoAllocs(t *testing.T) {
	for _, out := range []Output{Text, JSON} {
		a := newTest(Config{Output: out})
		dst := make([]byte, 0, 64<<10)
		for _, l := range []string{telnetLine, reflLine, pfLine, icmpLine} {
			for _, line := range [][]byte{
				newTest(Config{}).AppendLine(nil, []byte(l), false),
				[]byte(l + " #pn 22/tcp ssh well-known -- a reason #pn 1/udp"),
			} {
				if n := testing.AllocsPerRun(100, func() { dst = a.AppendLine(dst[:0], line, true) }); n != 0 {
					t.Errorf("output %d: %.1f allocations per line for %q", out, n, line)
				}
			}
		}
	}
}
