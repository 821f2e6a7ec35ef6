package annotate

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
)

// Windows Firewall rows in the default layout and in another that a
// "#Fields:" line announces, whose rows the default layout cannot read.
const (
	w3cOtherFields   = "#Fields: time date action protocol dst-ip dst-port src-ip src-port path"
	w3cDefaultFields = "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path"
	w3cThirdFields   = "#Fields: action protocol dst-port dst-ip date time"
)

func w3cDefaultRow(port int) string {
	return "2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 " + strconv.Itoa(port) + " 52 S 1743 0 64240 - - - RECEIVE"
}

func w3cOtherRow(port int) string {
	return "14:05:12 2026-03-02 DROP UDP 192.0.2.10 " + strconv.Itoa(port) + " 203.0.113.9 51235 RECEIVE"
}

func w3cThirdRow(port int) string {
	return "ALLOW TCP " + strconv.Itoa(port) + " 192.0.2.10 2026-03-02 14:05:13"
}

// appendLines is the reference for Run: every line through AppendLine,
// one after the other, as one input.
func appendLines(cfg Config, in []byte) []byte {
	a := newTest(cfg)
	var out []byte
	for len(in) > 0 {
		line, rest, nl := bytes.Cut(in, []byte("\n"))
		out = a.AppendLine(out, line, nl)
		in = rest
	}
	return out
}

// TestRunHeaderMidStream: a header line holds for the rows after it in
// the same input, wherever the engine cuts the input into jobs and
// whichever worker gets them: Run writes what annotating the lines one
// after the other writes.
func TestRunHeaderMidStream(t *testing.T) {
	var in bytes.Buffer
	line := func(s string) { in.WriteString(s); in.WriteByte('\n') }
	// Some 5 jobs of default rows, with a header that changes nothing
	// at the start; then the other layout from the middle of a job on,
	// for 3 jobs; then back to the default.
	line(w3cDefaultFields)
	for i := 0; in.Len() < 5*jobSize+jobSize/3; i++ {
		line(w3cDefaultRow(1000 + i%50000))
		if i%7 == 0 {
			line(sshLine)
			line(sshdLine)
		}
	}
	line(w3cOtherFields)
	otherStart := in.Len()
	for i := 0; in.Len() < otherStart+3*jobSize; i++ {
		line(w3cOtherRow(2000 + i%50000))
		if i%5 == 0 {
			line(sshLine)
		}
	}
	line(w3cDefaultFields)
	for i := range 2000 {
		line(w3cDefaultRow(3000 + i))
	}
	for _, cfg := range []Config{{}, {Output: JSON}, {Select: Selection{Records: true}}} {
		want := appendLines(cfg, in.Bytes())
		a := newTest(cfg)
		var out bytes.Buffer
		if err := a.Run(context.Background(), bytes.NewReader(in.Bytes()), &out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("output %v, selection %v: Run differs from one line after another: %s", cfg.Output, cfg.Select.Active(), firstDiff(out.Bytes(), want))
		}
		if cfg.Output == Text && !cfg.Select.Active() {
			// The reference is right too: rows of either layout are read.
			for _, l := range []string{w3cDefaultRow(1000), w3cOtherRow(2000), w3cDefaultRow(3000)} {
				if !bytes.Contains(out.Bytes(), []byte(l+" #pn ")) {
					t.Errorf("not annotated: %q", l)
				}
			}
		}
	}
}

// TestRunStatelessJobsStayParallel: a log with no stateful line never
// has a job annotated in order, and one whose header only says what the
// default layout is has that header's job alone annotated in order.
func TestRunStatelessJobsStayParallel(t *testing.T) {
	for _, tc := range []struct {
		header  string
		inOrder int64
	}{{"", 0}, {w3cDefaultFields + "\n", 1}} {
		in := bytes.NewBufferString(tc.header)
		for in.Len() < 5*jobSize {
			in.WriteString(sshLine + "\n" + sshdLine + "\n" + w3cDefaultRow(3389) + "\n")
		}
		a := newTest(Config{})
		if err := a.Run(context.Background(), bytes.NewReader(in.Bytes()), new(bytes.Buffer)); err != nil {
			t.Fatal(err)
		}
		if a.inOrderJobs != tc.inOrder {
			t.Errorf("header %q: %d jobs annotated in order, want %d", tc.header, a.inOrderJobs, tc.inOrder)
		}
	}
}

// TestRunStateBySource: each source has its own state. A header of one
// file does not hold in another read in the same run, nor in the file a
// followed name leads to after rotation.
func TestRunStateBySource(t *testing.T) {
	a := &Source{Path: "a.log", FirstLine: 1}
	b := &Source{Path: "b.log", FirstLine: 1}
	a2 := &Source{Path: "a.log", Generation: 1, FirstLine: 1} // a, rotated
	rows := func(row func(int) string, from int) string {
		var s strings.Builder
		for i := range 3 {
			s.WriteString(row(from + i))
			s.WriteByte('\n')
		}
		return s.String()
	}
	in := &scriptedSources{[]piece{
		{a, w3cOtherFields + "\n" + rows(w3cOtherRow, 100)},
		{b, rows(w3cOtherRow, 200) + rows(w3cDefaultRow, 250)},
		{a, rows(w3cOtherRow, 300)},
		{b, w3cThirdFields + "\n"},
		{a2, rows(w3cOtherRow, 400) + rows(w3cDefaultRow, 450)},
		{b, rows(w3cOtherRow, 500) + rows(w3cThirdRow, 550)},
		{a, rows(w3cOtherRow, 600)}, // a's last lines, once a2 has begun
	}}
	var out bytes.Buffer
	an := newTest(Config{Select: Selection{Records: true}})
	if err := an.Run(context.Background(), in, &out); err != nil {
		t.Fatal(err)
	}
	var ports []string
	for l := range strings.Lines(out.String()) {
		_, note, _ := strings.Cut(l, " #pn ")
		port, _, _ := strings.Cut(note, "/")
		ports = append(ports, port)
	}
	want := "100 101 102 250 251 252 300 301 302 450 451 452 550 551 552 600 601 602"
	if got := strings.Join(ports, " "); got != want {
		t.Errorf("records at ports %s, want %s", got, want)
	}
}
