package parsers

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// w3cRecord builds the expected fields of a windows-firewall record;
// sport < 0 means no ports.
func w3cRecord(a Action, d Direction, src string, sport int, dst string, dport int, proto Protocol) firewallFields {
	f := firewallFields{Format: FormatWindowsFirewall, Action: a, Direction: d, Proto: proto, HasProto: true}
	if src != "" {
		f.Src = netip.MustParseAddr(src)
	}
	if dst != "" {
		f.Dst = netip.MustParseAddr(dst)
	}
	if sport >= 0 {
		f.SrcPort, f.DstPort, f.HasPorts = uint16(sport), uint16(dport), true
	}
	return f
}

// The rows follow the columns Microsoft documents for pfirewall.log:
// date time action protocol src-ip dst-ip src-port dst-port size
// tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path [pid].
var winfirewallCases = []recordCase{
	{
		name: "bare/drop-tcp-syn",
		line: "2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE",
		want: w3cRecord(ActionBlock, DirIn, "203.0.113.9", 51234, "192.0.2.10", 3389, ProtoTCP),
	},
	{
		name: "bare/allow-udp-out-with-pid",
		line: "2026-03-02 14:05:12 ALLOW UDP 192.0.2.10 198.51.100.53 61022 53 0 - - - - - - - SEND 2816",
		want: w3cRecord(ActionPass, DirOut, "192.0.2.10", 61022, "198.51.100.53", 53, ProtoUDP),
	},
	{
		name: "bare/crlf",
		line: "2026-03-02 14:05:12 ALLOW UDP 192.0.2.10 198.51.100.53 61022 53 0 - - - - - - - SEND 2816\r",
		want: w3cRecord(ActionPass, DirOut, "192.0.2.10", 61022, "198.51.100.53", 53, ProtoUDP),
	},
	{
		name: "bare/ipv6-multicast",
		line: "2026-03-02 14:05:13 DROP UDP fe80::1c2d:3e4f:5a6b:7c8d ff02::fb 5353 5353 89 - - - - - - - RECEIVE",
		want: w3cRecord(ActionBlock, DirIn, "fe80::1c2d:3e4f:5a6b:7c8d", 5353, "ff02::fb", 5353, ProtoUDP),
	},
	{
		name: "bare/icmp-echo-without-ports",
		line: "2026-03-02 14:05:14 DROP ICMP 203.0.113.77 192.0.2.10 - - 60 - - - - 8 0 - RECEIVE",
		want: w3cRecord(ActionBlock, DirIn, "203.0.113.77", -1, "192.0.2.10", 0, ProtoICMP),
	},
	{
		// Windows XP's log put numbers in the port columns of ICMP rows:
		// they are not ports.
		name: "bare/icmp-with-numbers-in-port-columns",
		line: "2026-03-02 14:05:15 DROP ICMP 203.0.113.77 192.0.2.10 7 7 78 - - - - 8 0 - RECEIVE",
		want: w3cRecord(ActionBlock, DirIn, "203.0.113.77", -1, "192.0.2.10", 0, ProtoICMP),
	},
	{
		name: "bare/icmpv6",
		line: "2026-03-02 14:05:16 ALLOW ICMPv6 fe80::1 ff02::1:ff00:10 - - 72 - - - - 135 0 - SEND 4",
		want: w3cRecord(ActionPass, DirOut, "fe80::1", -1, "ff02::1:ff00:10", 0, ProtoICMPv6),
	},
	{
		name: "bare/igmp-by-number",
		line: "2026-03-02 14:05:17 ALLOW 2 192.0.2.10 224.0.0.22 - - 40 - - - - - - - SEND 4",
		want: w3cRecord(ActionPass, DirOut, "192.0.2.10", -1, "224.0.0.22", 0, ProtoIGMP),
	},
	{
		name: "bare/forward-path",
		line: "2026-03-02 14:05:18 ALLOW TCP 10.0.0.5 198.51.100.80 50500 443 0 - - - - - - - FORWARD 1234",
		want: w3cRecord(ActionPass, DirUnknown, "10.0.0.5", 50500, "198.51.100.80", 443, ProtoTCP),
	},
	{
		// Rows cut short keep what they have, and a blank at the end.
		name: "bare/truncated-trailing-blank",
		line: "2026-03-02 14:05:19 DROP UDP fe80::3680:dff:fe01:9e88 ff02::fb 5353 5353 89 - - - - - - ",
		want: w3cRecord(ActionBlock, DirUnknown, "fe80::3680:dff:fe01:9e88", 5353, "ff02::fb", 5353, ProtoUDP),
	},
	{
		name: "bare/truncated-before-ports",
		line: "2026-03-02 14:05:19 DROP TCP 203.0.113.9 192.0.2.10",
		want: w3cRecord(ActionBlock, DirUnknown, "203.0.113.9", -1, "192.0.2.10", 0, ProtoTCP),
	},
	{
		name: "bare/inbound-ack-to-client-port",
		line: "2026-03-02 14:05:20 DROP TCP 198.51.100.80 192.0.2.10 443 50512 40 A 2351482979 694744025 64675 - - - RECEIVE",
		want: w3cRecord(ActionBlock, DirIn, "198.51.100.80", 443, "192.0.2.10", 50512, ProtoTCP),
	},
	{
		name: "xp/open",
		line: "2026-03-02 14:05:21 OPEN TCP 192.0.2.10 198.51.100.7 1606 445 - - - - - - - - -",
		want: w3cRecord(ActionPass, DirUnknown, "192.0.2.10", 1606, "198.51.100.7", 445, ProtoTCP),
	},
	{
		name: "xp/close",
		line: "2026-03-02 14:05:22 CLOSE UDP 192.0.2.10 198.51.100.53 1027 53 - - - - - - - - -",
		want: w3cRecord(ActionPass, DirUnknown, "192.0.2.10", 1027, "198.51.100.53", 53, ProtoUDP),
	},
	{
		name: "xp/open-inbound",
		line: "2026-03-02 14:05:23 OPEN-INBOUND TCP 198.51.100.7 192.0.2.10 50110 3389 - - - - - - - - -",
		want: w3cRecord(ActionPass, DirUnknown, "198.51.100.7", 50110, "192.0.2.10", 3389, ProtoTCP),
	},
	{
		name: "rfc3164-forwarded",
		line: "Mar  2 14:05:25 ws01 pfirewall: 2026-03-02 14:05:24 DROP TCP 203.0.113.9 192.0.2.10 51234 445 52 S 1743 0 64240 - - - RECEIVE",
		want: w3cRecord(ActionBlock, DirIn, "203.0.113.9", 51234, "192.0.2.10", 445, ProtoTCP),
		host: "ws01",
	},
	{
		name: "iso8601-forwarded",
		line: "2026-03-02T14:05:25.120+01:00 ws01 pfirewall: 2026-03-02 14:05:24 DROP TCP 203.0.113.9 192.0.2.10 51234 445 52 S 1743 0 64240 - - - RECEIVE",
		want: w3cRecord(ActionBlock, DirIn, "203.0.113.9", 51234, "192.0.2.10", 445, ProtoTCP),
		host: "ws01",
	},
	{
		name: "rfc5424-forwarded",
		line: "<134>1 2026-03-02T13:05:25Z ws01 pfirewall - - - 2026-03-02 14:05:24 DROP UDP 203.0.113.9 192.0.2.10 5060 5060 420 - - - - - - - RECEIVE",
		want: w3cRecord(ActionBlock, DirIn, "203.0.113.9", 5060, "192.0.2.10", 5060, ProtoUDP),
		host: "ws01",
	},
	{
		name: "journald-json",
		line: `{"_HOSTNAME":"ws01","SYSLOG_IDENTIFIER":"pfirewall","MESSAGE":"2026-03-02 14:05:24 DROP TCP 203.0.113.9 192.0.2.10 51234 22 52 S 1743 0 64240 - - - RECEIVE"}`,
		want: w3cRecord(ActionBlock, DirIn, "203.0.113.9", 51234, "192.0.2.10", 22, ProtoTCP),
		host: "ws01",
	},
}

// winfirewallNotRecords are lines of the family that hold no record, and
// lines of others that have its words.
var winfirewallNotRecords = []string{
	"#Version: 1.5",
	"#Software: Microsoft Windows Firewall",
	"#Time Format: Local",
	"#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid",
	"2026-03-02 14:06:00 INFO-EVENTS-LOST - - - - - - - - - - - - 59 -",
	"",
	"Nov 25 06:25:18 db1 app[812]: DROP TABLE sessions finished in 12 ms",
	"2026-03-02 14:05:11 app: ALLOW list reloaded from /etc/app/allow",
	"DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE",
	"2026-03-02 14:05:11 BLOCK TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE",
	"2026-13-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE",
	"2026-03-02 14:65:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE",
}

var winfirewallBrokenCases = []brokenCase{
	{name: "bad-source", line: "2026-03-02 14:05:11 DROP TCP 203.0.113.999 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE", at: "203.0.113.999", msg: "bad source address"},
	{name: "bad-destination", line: "2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2 51234 3389 52 S 1743 0 64240 - - - RECEIVE", at: "192.0.2 ", msg: "bad destination address"},
	{name: "bad-port", line: "2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 65536 52 S 1743 0 64240 - - - RECEIVE", at: "65536", msg: "bad destination port"},
	{name: "bad-source-port", line: "2026-03-02 14:05:11 DROP UDP 203.0.113.9 192.0.2.10 x 53 52 - - - - - - - RECEIVE", at: "x 53", msg: "bad source port"},
	{name: "unknown-protocol", line: "2026-03-02 14:05:11 DROP TPC 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE", at: "TPC", msg: "unknown protocol"},
	{name: "no-protocol", line: "2026-03-02 14:05:11 DROP", msg: "row ends before its protocol"},
	{name: "bad-flags", line: "2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 SYN 1743 0 64240 - - - RECEIVE", at: "SYN", msg: "bad tcp flags"},
	{name: "forwarded", line: "Mar  2 14:05:25 ws01 pfirewall: 2026-03-02 14:05:24 DROP TCP 203.0.113.9 192.0.2.10 51234 99999 52 S 1743 0 64240 - - - RECEIVE", at: "99999", msg: "bad destination port"},
}

func TestWindowsFirewallRecords(t *testing.T) { testRecords(t, winfirewallCases) }

func TestWindowsFirewallBroken(t *testing.T) {
	testBroken(t, testParser(FormatUnknown), FormatWindowsFirewall, winfirewallBrokenCases)
}

func TestWindowsFirewallNotRecords(t *testing.T) {
	for _, line := range winfirewallNotRecords {
		for _, p := range []*Parser{testParser(FormatUnknown), {State: new(InputState)}, {NoTime: true, NoAction: true, NoEnvelope: true}} {
			var r Record
			if err := p.Parse([]byte(line), &r); !errors.Is(err, ErrNotRecord) {
				t.Errorf("Parse(%q) = %v (%+v), want ErrNotRecord", line, err, fieldsOf(&r))
			}
		}
	}
}

func TestWindowsFirewallNoAllocs(t *testing.T) {
	testNoAllocs(t, winfirewallCases, winfirewallBrokenCases)
	// Under a header of other columns too.
	p := Parser{State: new(InputState)}
	var r Record
	p.Parse([]byte("#Fields: time date action protocol dst-ip dst-port src-ip src-port path"), &r)
	row := []byte("14:05:11 2026-03-02 DROP TCP 192.0.2.10 3389 203.0.113.9 51234 RECEIVE")
	if n := testing.AllocsPerRun(100, func() { p.Parse(row, &r) }); n != 0 {
		t.Errorf("%v allocations per Parse under a header, want 0", n)
	}
}

// TestWindowsFirewallTCPFlags: the tcpflags column's letters, on TCP
// rows only, unless NoTCPFlags.
func TestWindowsFirewallTCPFlags(t *testing.T) {
	for _, tt := range []struct {
		line string
		want TCPFlags
		has  bool
	}{
		{"2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE", TCPSyn, true},
		{"2026-03-02 14:05:11 DROP TCP 198.51.100.80 192.0.2.10 443 50512 40 FAPRU 1 2 3 - - - RECEIVE", TCPFin | TCPAck | TCPPsh | TCPRst | TCPUrg, true},
		{"2026-03-02 14:05:11 ALLOW TCP 192.0.2.10 198.51.100.7 1606 445 - - - - - - - - - SEND", 0, false},
		{"2026-03-02 14:05:11 DROP UDP 203.0.113.9 192.0.2.10 5000 53 60 S - - - - - - RECEIVE", 0, false},
	} {
		for _, p := range []*Parser{{}, {NoTCPFlags: true}} {
			var r Record
			if err := p.Parse([]byte(tt.line), &r); err != nil {
				t.Fatal(err)
			}
			want, has := tt.want, tt.has
			if p.NoTCPFlags {
				want, has = 0, false
			}
			if r.TCPFlags != want || r.HasTCPFlags != has {
				t.Errorf("NoTCPFlags %v: flags %v, %v, want %v, %v: %q", p.NoTCPFlags, r.TCPFlags, r.HasTCPFlags, want, has, tt.line)
			}
		}
	}
}

// TestWindowsFirewallTime: rows are in the host's local time, read in
// Parser.Location, and taken from the row rather than from an envelope.
func TestWindowsFirewallTime(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	for _, line := range []string{
		"2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE",
		"Mar  2 14:09:00 ws01 pfirewall: 2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE",
	} {
		p := Parser{Location: berlin, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
		var r Record
		if err := p.Parse([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 3, 2, 13, 5, 11, 0, time.UTC); !r.Time.Equal(want) {
			t.Errorf("Time = %v, want %v: %q", r.Time, want, line)
		}
	}
}

// TestWindowsFirewallHeaders: a "#Fields:" line says how the rows after
// it in the same input are laid out, until the next one; without one
// the default layout holds; a Parser without a State reads every row in
// the default layout and marks header lines Stateful.
func TestWindowsFirewallHeaders(t *testing.T) {
	const (
		defaultRow = "2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE"
		otherCols  = "#Fields: time date action protocol dst-ip dst-port src-ip src-port path"
		otherRow   = "14:05:12 2026-03-02 DROP TCP 192.0.2.10 22 203.0.113.9 51235 RECEIVE"
		shortCols  = "#Fields: date time action protocol src-ip dst-ip src-port dst-port"
		defaultHdr = "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path"
	)
	type step struct {
		line     string
		port     int // destination port read, -1: no record
		stateful bool
		ordered  bool // the State is Ordered after the line
	}
	run := func(t *testing.T, st *InputState, steps []step) {
		t.Helper()
		p := Parser{State: st}
		for i, s := range steps {
			var r Record
			err := p.Parse([]byte(s.line), &r)
			switch {
			case s.port < 0 && !errors.Is(err, ErrNotRecord):
				t.Errorf("step %d: Parse = %v %+v, want no record: %q", i, err, fieldsOf(&r), s.line)
			case s.port >= 0 && (err != nil || !r.HasPorts || int(r.DstPort) != s.port):
				t.Errorf("step %d: Parse = %v %+v, want port %d: %q", i, err, fieldsOf(&r), s.port, s.line)
			}
			if p.Stateful() != s.stateful {
				t.Errorf("step %d: Stateful = %v, want %v: %q", i, p.Stateful(), s.stateful, s.line)
			}
			if st != nil && st.Ordered() != s.ordered {
				t.Errorf("step %d: Ordered = %v, want %v: %q", i, st.Ordered(), s.ordered, s.line)
			}
		}
	}
	t.Run("no-header", func(t *testing.T) {
		run(t, new(InputState), []step{{defaultRow, 3389, false, false}})
	})
	t.Run("header-in-the-middle", func(t *testing.T) {
		run(t, new(InputState), []step{
			{"#Version: 1.5", -1, false, false},
			{defaultHdr, -1, true, false},
			{defaultRow, 3389, false, false},
			{otherCols, -1, true, true},
			{otherRow, 22, false, true},
			{defaultRow, -1, false, true}, // its date is not where a time must be
			{"#Software: Microsoft Windows Firewall", -1, false, true},
			{otherRow, 22, false, true},
			{shortCols, -1, true, false}, // the default's first columns: the default
			{defaultRow, 3389, false, false},
		})
	})
	t.Run("two-inputs", func(t *testing.T) {
		a, b := new(InputState), new(InputState)
		run(t, a, []step{{otherCols, -1, true, true}})
		run(t, b, []step{{defaultRow, 3389, false, false}})
		run(t, a, []step{{otherRow, 22, false, true}})
		run(t, b, []step{{defaultRow, 3389, false, false}, {otherRow, -1, false, false}})
		a.Reset()
		run(t, a, []step{{defaultRow, 3389, false, false}})
	})
	t.Run("without-state", func(t *testing.T) {
		run(t, nil, []step{
			{otherCols, -1, true, false},
			{otherRow, -1, false, false},
			{defaultRow, 3389, false, false},
		})
	})
	t.Run("unknown-columns-and-many", func(t *testing.T) {
		hdr := "#Fields: x-note date time action protocol src-ip dst-ip src-port dst-port" + strings.Repeat(" x-more", 200)
		run(t, new(InputState), []step{
			{hdr, -1, true, true},
			{"note 2026-03-02 14:05:11 DROP UDP 203.0.113.9 192.0.2.10 5000 161", 161, false, true},
		})
	})
}

// TestWindowsFirewallPreCheck: the pre-check passes every record, whatever
// its columns, and turns away lines without a verdict word.
func TestWindowsFirewallPreCheck(t *testing.T) {
	for _, l := range []string{
		"2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389",
		"14:05:12 2026-03-02 TCP 192.0.2.10 22 OPEN-INBOUND",
		"CLOSE",
		"#Fields: date",
	} {
		var s lineShape
		s.reset([]byte(l))
		if !mayBeWindowsFirewall(&s) {
			t.Errorf("pre-check turns away %q", l)
		}
	}
	for _, l := range []string{
		"Nov 25 06:25:18 web1 sshd[4121]: Out of memory: OOM killer DROPPED it",
		"2026-03-02 14:06:00 INFO-EVENTS-LOST - - - - - - - - - - - - 59 -",
		"x#Fields: date",
		"ALLOWED DROPS",
	} {
		var s lineShape
		s.reset([]byte(l))
		if mayBeWindowsFirewall(&s) {
			t.Errorf("pre-check passes %q", l)
		}
	}
}

func FuzzWindowsFirewall(f *testing.F) {
	addSeeds(f, winfirewallCases, winfirewallBrokenCases, winfirewallNotRecords)
	f.Fuzz(func(t *testing.T, line string) {
		b := []byte(line)
		for _, header := range []string{"", "#Fields: time date action protocol dst-ip dst-port src-ip src-port path"} {
			p := Parser{State: new(InputState), NoTime: header != ""}
			var r Record
			if header != "" {
				p.Parse([]byte(header), &r)
			}
			err := p.Parse(b, &r)
			var se *SyntaxError
			switch {
			case err == nil:
				checkRowRecord(t, b, &r)
			case errors.As(err, &se):
				if se.Offset < 0 || se.Offset > len(b) || se.Msg == "" {
					t.Fatalf("bad SyntaxError %+v: %q", *se, line)
				}
			case !errors.Is(err, ErrNotRecord):
				t.Fatalf("Parse = %v: %q", err, line)
			}
			checkParseAliases(t, b, err, &r)
		}
		checkW3CColumns(t, b)
		checkW3CDefaultRow(t, b)
	})
}

// checkRowRecord checks what every record of a family of rows must be:
// a verdict, a protocol, ports only where the protocol has them, and
// ports that are written in the line.
func checkRowRecord(t *testing.T, line []byte, r *Record) {
	t.Helper()
	if r.Format == FormatUnknown || !r.HasProto {
		t.Fatalf("record without its format or protocol: %+v: %q", fieldsOf(r), line)
	}
	if r.HasPorts {
		if !r.Proto.HasPorts() {
			t.Fatalf("ports on protocol %d: %q", r.Proto, line)
		}
		if !strings.Contains(string(line), strconv.Itoa(int(r.DstPort))) {
			t.Fatalf("port %d is not in the line: %q", r.DstPort, line)
		}
	} else if r.SrcPort != 0 || r.DstPort != 0 {
		t.Fatalf("ports without HasPorts: %q", line)
	}
}

// winfirewallSink keeps benchmark results alive.
var winfirewallSink Record

// winfirewallFile is a pfirewall.log of the generator's, made with
//
//	go run ./cmd/portnote-gen -n 1000 -seed 1 -mix windows-firewall=1 > parsers/testdata/windows-firewall.log
const winfirewallFile = "testdata/windows-firewall.log"

// BenchmarkWindowsFirewall parses winfirewallFile as plain text mode
// does, as one input with its state: its records alone (compare their
// MB/s with BenchmarkCorpusMix/netfilter's in the same run), and every
// line, header included.
func BenchmarkWindowsFirewall(b *testing.B) {
	data, err := os.ReadFile(winfirewallFile)
	if err != nil {
		b.Fatal(err)
	}
	all := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	var records [][]byte
	var r Record
	for _, l := range all {
		if (&Parser{}).Parse(l, &r) == nil {
			records = append(records, l)
		}
	}
	for _, bc := range []struct {
		name  string
		lines [][]byte
	}{{"records", records}, {"log", all}} {
		b.Run(bc.name, func(b *testing.B) {
			n := 0
			for _, l := range bc.lines {
				n += len(l)
			}
			p := Parser{NoTime: true, NoAction: true, NoEnvelope: true, NoTCPFlags: true, State: new(InputState)}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range bc.lines {
					benchErr = p.Parse(l, &winfirewallSink)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(bc.lines)), "ns/line")
		})
	}
}

// refW3CColumns is columns.find the plain way.
func refW3CColumns(row []byte, cols *columns) (at [w3cKinds][2]int32) {
	i := 0
	for col := 0; col < int(cols.n) && i < len(row); col++ {
		j := i
		for j < len(row) && row[j] != ' ' {
			j++
		}
		if k := cols.kind[col]; k != w3cOther {
			at[k] = [2]int32{int32(i) + 1, int32(j)}
		}
		i = j + 1
	}
	return at
}

func checkW3CColumns(t *testing.T, row []byte) {
	t.Helper()
	other := layoutOf([]byte("time date x-a action x-b x-c x-d x-e x-f x-g x-h x-i x-j x-k protocol dst-ip dst-port src-ip src-port path"), w3cKindOf)
	for _, cols := range []*columns{&w3cDefault, &other} {
		var got [w3cKinds][2]int32
		cols.find(row, got[:])
		if want := refW3CColumns(row, cols); got != want {
			t.Fatalf("find = %v, want %v: %q", got, want, row)
		}
	}
}

// checkW3CDefaultRow checks that the default layout's own reader reads
// row as the reader of any layout does.
func checkW3CDefaultRow(t *testing.T, row []byte) {
	t.Helper()
	for _, p := range []Parser{{}, {NoTCPFlags: true}, {NoTime: true}} {
		q := p
		var got, want Record
		gres := p.w3cDefaultRow(row, &got)
		wres := q.w3cRow(row, &w3cDefault, &want)
		if gres != wres || !reflect.DeepEqual(got, want) || gres == broken && p.err != q.err {
			t.Fatalf("w3cDefaultRow = %v %+v %+v, w3cRow = %v %+v %+v: %q", gres, fieldsOf(&got), p.err, wres, fieldsOf(&want), q.err, row)
		}
	}
}

func TestW3CColumns(t *testing.T) {
	for _, tc := range winfirewallCases {
		damaged([]byte(tc.line), func(b []byte) {
			checkW3CColumns(t, b)
			checkW3CDefaultRow(t, b)
		})
	}
	for _, l := range []string{"2026-3-2 14:05:11 DROP UDP 192.0.2.1 192.0.2.2 1 2", "2026-03-02 24:05:11 DROP UDP 192.0.2.1 192.0.2.2 1 2", "2026-03-02 14:05:11.5 ALLOW TCP - - - 3"} {
		checkW3CDefaultRow(t, []byte(l))
	}
	for _, l := range []string{"", " ", "  ", "a", "a ", " a", "12345678 ", "1234567 8", strings.Repeat("- ", 40)} {
		checkW3CColumns(t, []byte(l))
	}
}
