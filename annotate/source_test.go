package annotate

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

const (
	sshNote    = " #pn 22/tcp ssh well-known"
	brokenLine = "2026-11-25T06:25:17Z fw pf: rule 1/(match) block in on em0 192.0.2.1.5 > 192.0.2.2.23: S"
)

// piece is one read of a scriptedSources reader.
type piece struct {
	src  *Source
	data string
}

// scriptedSources returns its pieces, one per read, as a follower of
// several files would.
type scriptedSources struct{ pieces []piece }

func (s *scriptedSources) Read(p []byte) (int, error) {
	n, _, err := s.ReadSource(p)
	return n, err
}

func (s *scriptedSources) ReadSource(p []byte) (int, *Source, error) {
	if len(s.pieces) == 0 {
		return 0, nil, io.EOF
	}
	pc := &s.pieces[0]
	n := copy(p, pc.data)
	pc.data = pc.data[n:]
	src := pc.src
	if pc.data == "" {
		s.pieces = s.pieces[1:]
	}
	return n, src, nil
}

// Lines of several sources are named by their own source, never mixed,
// and a source that ends inside a line ends that line before the next
// source's output.
func TestRunSources(t *testing.T) {
	a, b := &Source{Path: "a.log", FirstLine: 1}, &Source{Path: "b.log", FirstLine: 1}
	in := &scriptedSources{[]piece{
		{a, "one\ntw"}, {a, "o\nthr"}, // a ends inside "three"
		{b, "uno\n"},
		{a, sshLine + "\n"},
		{b, "dos"}, // the input ends without a newline
	}}
	var out bytes.Buffer
	an := New(Config{WithFilename: true})
	if err := an.Run(context.Background(), in, &out); err != nil {
		t.Fatal(err)
	}
	want := "a.log:one\na.log:two\na.log:thr\nb.log:uno\na.log:" + sshLine + sshNote + "\nb.log:dos"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// Without a newline at the end of one input, the next Run's output
// starts on a line of its own; the last output may stay open.
func TestRunEndsOpenLine(t *testing.T) {
	for _, cfg := range []Config{{}, {Select: Selection{Records: true}}, {Output: JSON}} {
		an := New(cfg)
		var out bytes.Buffer
		for _, in := range []string{sshLine, "", "not a record", sshLine} {
			if err := an.Run(context.Background(), strings.NewReader(in), &out); err != nil {
				t.Fatal(err)
			}
		}
		lines := strings.Split(out.String(), "\n")
		for _, l := range lines {
			if strings.Count(l, "DPT=22") > 1 {
				t.Errorf("output %d: glued line %q", cfg.Output, l)
			}
		}
		if strings.HasSuffix(out.String(), "\n") != (cfg.Output == JSON) {
			t.Errorf("output %d: the last line should keep its missing newline in text: %q", cfg.Output, out.String())
		}
	}
}

// Unparsed lines are kept with their source and line number, across
// jobs and sources, the first five only.
func TestUnparsedLines(t *testing.T) {
	a := &Source{Path: "a.log", FirstLine: 1}
	b := &Source{Path: "b.log", FirstLine: 101} // as with -n +101
	filler := strings.Repeat(sshLine+"\n", jobSize/len(sshLine)+10)
	fillerLines := int64(strings.Count(filler, "\n"))
	in := &scriptedSources{[]piece{
		{a, "x\n" + brokenLine + "\n" + filler + brokenLine + "\n"},
		{b, brokenLine + "\n"},
		{a, brokenLine + "\n" + brokenLine + "\n" + brokenLine + "\n"},
	}}
	an := New(Config{})
	if err := an.Run(context.Background(), in, io.Discard); err != nil {
		t.Fatal(err)
	}
	type pos struct {
		name string
		line int64
	}
	want := []pos{{"a.log", 2}, {"a.log", 3 + fillerLines}, {"b.log", 101}, {"a.log", 4 + fillerLines}, {"a.log", 5 + fillerLines}}
	got := an.Unparsed()
	if len(got) != len(want) || an.Stats().Unparsed != 6 {
		t.Fatalf("kept %d of %d unparsed lines, want %d of 6", len(got), an.Stats().Unparsed, len(want))
	}
	for i, u := range got {
		if (pos{u.Source.Name(), u.FileLine()}) != want[i] || !strings.Contains(u.Err, "interface not followed by a colon") {
			t.Errorf("unparsed %d: %s:%d %q, want %s:%d", i, u.Source.Name(), u.FileLine(), u.Err, want[i].name, want[i].line)
		}
	}
}
