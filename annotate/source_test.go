package annotate

import (
	"bytes"
	"context"
	"io"
	"net/netip"
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

// Every selection criterion, and a source's name, cost no allocation per
// line.
func TestSelectionNoAllocs(t *testing.T) {
	ports, _ := ParsePortList("ssh,23/tcp,2323", nil)
	src, _ := ParseAddrList("203.0.113.0/24,2001:db8::/32,198.51.100.20")
	dst, _ := ParseAddrList("192.0.2.0/24,2001:db8:1::/48")
	actions, _ := ParseActionList("block,pass")
	cats, _ := ParseCategoryList("worm-botnet,amplification")
	sel := Selection{Ports: ports, Src: src, Dst: dst, Actions: actions, MinSeverity: 1, Categories: cats}
	for _, out := range []Output{Text, JSON} {
		a := newTest(Config{Output: out, Select: sel, WithFilename: true})
		a.line.setSource(&Source{Path: "kern.log"})
		dst := make([]byte, 0, 64<<10)
		for _, l := range []string{telnetLine, sshLine, reflLine, ssh6Line, filterLine, sshdLine} {
			line := []byte(l)
			if n := testing.AllocsPerRun(100, func() { dst = a.AppendLine(dst[:0], line, true) }); n != 0 {
				t.Errorf("output %d: %.1f allocations per line for %.40q", out, n, l)
			}
		}
	}
}

func TestAddrSet(t *testing.T) {
	set, err := ParseAddrList("203.0.113.5/24, 10.0.0.1, ::ffff:198.51.100.0/120, 2001:db8::/32, 0.0.0.0/0")
	if err != nil {
		t.Fatal(err)
	}
	v6only, _ := ParseAddrList("2001:db8::/32")
	for _, tt := range []struct {
		set  *AddrSet
		addr string
		want bool
	}{
		{set, "203.0.113.200", true},
		{set, "10.0.0.1", true},
		{set, "::ffff:10.0.0.1", true}, // mapped counts as IPv4
		{set, "198.51.100.7", true},    // from the mapped prefix
		{set, "2001:db8:ffff::1", true},
		{set, "fe80::1%eth0", false},
		{v6only, "2001:db8::1%eth0", true}, // the zone is ignored
		{v6only, "192.0.2.1", false},
		{v6only, "2001:db9::1", false},
	} {
		if got := tt.set.Has(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Has(%s) = %v", tt.addr, got)
		}
	}
	if set.Has(netip.Addr{}) {
		t.Error("the invalid address is in a set")
	}
	for _, bad := range []string{"", "192.0.2.300", "192.0.2.0/33", "fe80::1%eth0", "example.org", "1.2.3.4,"} {
		if _, err := ParseAddrList(bad); err == nil {
			t.Errorf("ParseAddrList(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"", "bloc", "block,,pass"} {
		if _, err := ParseActionList(bad); err == nil {
			t.Errorf("ParseActionList(%q) accepted", bad)
		}
	}
	if _, err := ParseCategoryList("backdoor,trojan"); err == nil || !strings.Contains(err.Error(), `"trojan"`) {
		t.Errorf("ParseCategoryList: %v", err)
	}
}
