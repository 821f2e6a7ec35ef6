package parsers

import (
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// firewallFields is what the pf and filterlog parsers fill in a Record,
// with slices as strings so that two of them compare with ==.
type firewallFields struct {
	Format            Format
	Action            Action
	Direction         Direction
	InIface, OutIface string
	Label             string
	Src, Dst          netip.Addr
	Proto             Protocol
	HasProto          bool
	SrcPort, DstPort  uint16
	HasPorts          bool
	Partial           Partial
}

func fieldsOf(r *Record) firewallFields {
	return firewallFields{
		Format: r.Format, Action: r.Action, Direction: r.Direction,
		InIface: string(r.InIface), OutIface: string(r.OutIface), Label: string(r.Label),
		Src: r.Src, Dst: r.Dst,
		Proto: r.Proto, HasProto: r.HasProto,
		SrcPort: r.SrcPort, DstPort: r.DstPort, HasPorts: r.HasPorts,
		Partial: r.Partial,
	}
}

// pfRecord builds the expected fields of a pf record; proto < 0 means the
// line does not reveal the transport, sport < 0 that it has no ports.
func pfRecord(label string, a Action, d Direction, iface, src string, sport int, dst string, dport int, proto int) firewallFields {
	f := firewallFields{
		Format: FormatPF, Action: a, Direction: d, InIface: iface, Label: label,
		Src: netip.MustParseAddr(src), Dst: netip.MustParseAddr(dst),
	}
	if d == DirOut {
		f.InIface, f.OutIface = "", iface
	}
	if proto >= 0 {
		f.Proto, f.HasProto = Protocol(proto), true
	}
	if sport >= 0 {
		f.SrcPort, f.DstPort, f.HasPorts = uint16(sport), uint16(dport), true
	}
	return f
}

// testParser returns a Parser whose RFC 3164 year inference does not
// depend on the wall clock.
func testParser(f Format) *Parser {
	return &Parser{Format: f, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
}

var pfCases = []recordCase{
	{
		name: "openbsd/bare",
		line: "rule 12/(match) block in on em0: 203.0.113.5.51234 > 198.51.100.7.23: S 1:1(0) win 65535 <mss 1460>",
		want: pfRecord("12/(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 51234, "198.51.100.7", 23, 6),
	},
	{
		name: "openbsd/syslog-with-capture-time",
		line: "Mar 30 15:33:26 gw pf: Mar 30 15:32:33.483712 rule 2/(match) pass in on xl0: 198.51.100.3.6667 > 192.0.2.10.16290: P 7408:7677(269) ack 1773 win 2520 <nop,nop,timestamp 3960674784 2860123562> (DF)",
		want: pfRecord("2/(match)", ActionPass, DirIn, "xl0", "198.51.100.3", 6667, "192.0.2.10", 16290, 6),
		host: "gw",
	},
	{
		name: "openbsd/udp-two-blanks",
		line: "Mar 30 15:54:22 gw pf: rule 3/(match) pass out on xl0: 192.0.2.10.1514 > 192.0.2.190.1030:  udp 73",
		want: pfRecord("3/(match)", ActionPass, DirOut, "xl0", "192.0.2.10", 1514, "192.0.2.190", 1030, 17),
		host: "gw",
	},
	{
		name: "openbsd/anchor",
		line: "rule 1.anchor.2/(match) block in on em0: 203.0.113.77.40112 > 192.0.2.20.2323: S 2056794210:2056794210(0) win 5840",
		want: pfRecord("1.anchor.2/(match)", ActionBlock, DirIn, "em0", "203.0.113.77", 40112, "192.0.2.20", 2323, 6),
	},
	{
		name: "openbsd/nested-anchor",
		line: "rule 4.relayd/web.def/(match) rdr in on em1: 203.0.113.8.61000 > 192.0.2.80.80: S 1:1(0) win 16384",
		want: pfRecord("4.relayd/web.def/(match)", ActionRedirect, DirIn, "em1", "203.0.113.8", 61000, "192.0.2.80", 80, 6),
	},
	{
		name: "openbsd/default-rule",
		line: "rule def/(match) block in on em0: 203.0.113.9.6000 > 192.0.2.1.1433: S 0:0(0) win 1024",
		want: pfRecord("def/(match)", ActionBlock, DirIn, "em0", "203.0.113.9", 6000, "192.0.2.1", 1433, 6),
	},
	{
		name: "openbsd/verbose-uid-pid",
		line: "rule 3/(match) [uid 0, pid 1] pass out on em0: [uid 1000, pid 4242] 192.0.2.10.40000 > 198.51.100.20.443: S 3911341542:3911341542(0) win 16384 <mss 1460,nop,nop,sackOK,nop,wscale 6> (DF) (ttl 64, id 40135, len 64)",
		want: pfRecord("3/(match)", ActionPass, DirOut, "em0", "192.0.2.10", 40000, "198.51.100.20", 443, 6),
	},
	{
		name: "openbsd/verbose-rewritten",
		line: "rule 7/(match) [uid 0, pid 1] match in on em0: [orig src 203.0.113.4:51000, dst 192.0.2.1:8080] 203.0.113.4.51000 > 10.0.0.8.80: . ack 1 win 1026",
		want: pfRecord("7/(match)", ActionMatch, DirIn, "em0", "203.0.113.4", 51000, "10.0.0.8", 80, 6),
	},
	{
		name: "openbsd/icmp",
		line: "rule 9/(match) block in on em0: 203.0.113.50 > 192.0.2.1: icmp: echo request (id:1a2b seq:1) [icmp cksum ok]",
		want: pfRecord("9/(match)", ActionBlock, DirIn, "em0", "203.0.113.50", -1, "192.0.2.1", 0, 1),
	},
	{
		name: "openbsd/icmp-truncated",
		line: "rule 9/(match) block in on em0: 203.0.113.173 > 192.0.2.19: [|icmp]",
		want: pfRecord("9/(match)", ActionBlock, DirIn, "em0", "203.0.113.173", -1, "192.0.2.19", 0, 1),
	},
	{
		name: "openbsd/tcp-truncated-keeps-ports",
		line: "rule 4/(match) block in on lo0: 127.0.0.1.48784 > 127.0.0.1.23: [|tcp] (DF) [tos 0x10]",
		want: pfRecord("4/(match)", ActionBlock, DirIn, "lo0", "127.0.0.1", 48784, "127.0.0.1", 23, 6),
	},
	{
		name: "openbsd/tcp-options-truncated",
		line: "rule 4/(match) block in on lo0: 127.0.0.1.48784 > 127.0.0.1.23: S 1381529123:1381529123(0) win 16384 <mss 33184,nop,nop,sackOK,nop,wscale 0,[|tcp]> (DF) [tos 0x10]",
		want: pfRecord("4/(match)", ActionBlock, DirIn, "lo0", "127.0.0.1", 48784, "127.0.0.1", 23, 6),
	},
	{
		name: "openbsd/ipv6-tcp",
		line: "rule 5/(match) block in on em0: 2001:db8::1.51234 > 2001:db8::2.22: S 2730470712:2730470712(0) win 65535 <mss 1440>",
		want: pfRecord("5/(match)", ActionBlock, DirIn, "em0", "2001:db8::1", 51234, "2001:db8::2", 22, 6),
	},
	{
		name: "openbsd/ipv6-port-after-double-colon",
		line: "rule 5/(match) block in on em0: 2001:db8::.4444 > 2001:db8:1::.3389: S 1:1(0) win 1024",
		want: pfRecord("5/(match)", ActionBlock, DirIn, "em0", "2001:db8::", 4444, "2001:db8:1::", 3389, 6),
	},
	{
		name: "openbsd/ipv6-icmp6",
		line: "rule 0/(match) pass in on em0: fe80::1 > ff02::1: icmp6: neighbor adv: tgt is fe80::1",
		want: pfRecord("0/(match)", ActionPass, DirIn, "em0", "fe80::1", -1, "ff02::1", 0, 58),
	},
	{
		name: "openbsd/udp-abused-source",
		line: "rule 8/(match) block in on em0: 203.0.113.66.11211 > 192.0.2.5.31337: udp 1400",
		want: pfRecord("8/(match)", ActionBlock, DirIn, "em0", "203.0.113.66", 11211, "192.0.2.5", 31337, 17),
	},
	{
		// The DNS decoder prints the query where "udp 33" would be: not
		// TCP, whose flags tcpdump prints first.
		name: "openbsd/dns-decode",
		line: "rule 6/(match) pass out on em0: 192.0.2.10.41034 > 198.51.100.53.53: 5123+ A? www.example.com. (33)",
		want: pfRecord("6/(match)", ActionPass, DirOut, "em0", "192.0.2.10", 41034, "198.51.100.53", 53, 17),
	},
	{
		name: "openbsd/carp-verbose",
		line: "rule 2/(match) pass out on em1: carp 192.0.2.2 > 224.0.0.18: CARPv2-advertise 36: vhid=1 advbase=1 advskew=0 demote=0 (DF) [tos 0x10] (ttl 255, id 1, len 56)",
		want: pfRecord("2/(match)", ActionPass, DirOut, "em1", "192.0.2.2", -1, "224.0.0.18", 0, 112),
	},
	{
		name: "openbsd/esp-no-colon",
		line: "rule 11/(match) pass in on em0: esp 198.51.100.2 > 192.0.2.1 spi 0x1A2B3C4D seq 12 len 132 (DF)",
		want: pfRecord("11/(match)", ActionPass, DirIn, "em0", "198.51.100.2", -1, "192.0.2.1", 0, 50),
	},
	{
		name: "openbsd/ip-proto",
		line: "rule 10/(match) block in on em0: 203.0.113.1 > 192.0.2.1: ip-proto-253 20",
		want: pfRecord("10/(match)", ActionBlock, DirIn, "em0", "203.0.113.1", -1, "192.0.2.1", 0, 253),
	},
	{
		name: "openbsd/fragment-without-ports",
		line: "rule 10/(match) block in on em0: 203.0.113.1 > 192.0.2.1: (frag 29121:1480@2960+)",
		want: pfRecord("10/(match)", ActionBlock, DirIn, "em0", "203.0.113.1", -1, "192.0.2.1", 0, -1),
	},
	{
		name: "openbsd/ip-option-reason",
		line: "rule 0/8(ip-option) block in on em0: 203.0.113.3.1024 > 192.0.2.1.445: S 1:1(0) win 512",
		want: pfRecord("0/8(ip-option)", ActionBlock, DirIn, "em0", "203.0.113.3", 1024, "192.0.2.1", 445, 6),
	},
	{
		name: "openbsd/unknown-reason",
		line: "rule 3/(unkn 42) block in on em0: 203.0.113.3.1024 > 192.0.2.1.445: S 1:1(0) win 512",
		want: pfRecord("3/(unkn 42)", ActionBlock, DirIn, "em0", "203.0.113.3", 1024, "192.0.2.1", 445, 6),
	},
	{
		name: "openbsd/old-header-negative-rule",
		line: "rule -1/0(match): block in on ne3: 203.0.113.3.1024 > 192.0.2.1.139: S 1:1(0) win 512",
		want: pfRecord("-1/0(match)", ActionBlock, DirIn, "ne3", "203.0.113.3", 1024, "192.0.2.1", 139, 6),
	},
	{
		name: "openbsd/epoch-time",
		line: "1711809153.483712 rule 12/(match) block in on em0: 203.0.113.5.51234 > 198.51.100.7.4444: S 1:1(0) win 1024",
		want: pfRecord("12/(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 51234, "198.51.100.7", 4444, 6),
	},
	{
		name: "freebsd/tcp",
		line: "rule 0/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.22: Flags [S], seq 3158237361, win 65535, options [mss 1460,sackOK,eol], length 0",
		want: pfRecord("0/0(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 5678, "198.51.100.7", 22, 6),
	},
	{
		name: "freebsd/udp",
		line: "rule 3/0(match): pass out on vtnet0: 192.0.2.10.35612 > 198.51.100.53.53: UDP, length 22",
		want: pfRecord("3/0(match)", ActionPass, DirOut, "vtnet0", "192.0.2.10", 35612, "198.51.100.53", 53, 17),
	},
	{
		name: "freebsd/icmp",
		line: "rule 5/0(match): block in on igb0: 203.0.113.44 > 192.0.2.1: ICMP echo request, id 4321, seq 1, length 64",
		want: pfRecord("5/0(match)", ActionBlock, DirIn, "igb0", "203.0.113.44", -1, "192.0.2.1", 0, 1),
	},
	{
		name: "freebsd/icmp6",
		line: "rule 5/0(match): block in on igb0: 2001:db8::44 > 2001:db8::1: ICMP6, echo request, seq 1, length 64",
		want: pfRecord("5/0(match)", ActionBlock, DirIn, "igb0", "2001:db8::44", -1, "2001:db8::1", 0, 58),
	},
	{
		name: "freebsd/verbose-ipv4",
		line: "rule 0/0(match): block in on em0: (tos 0x0, ttl 52, id 54321, offset 0, flags [none], proto TCP (6), length 40) 203.0.113.9.48211 > 198.51.100.7.3389: Flags [S], cksum 0x6b1e (correct), seq 1027338711, win 1024, length 0",
		want: pfRecord("0/0(match)", ActionBlock, DirIn, "em0", "203.0.113.9", 48211, "198.51.100.7", 3389, 6),
	},
	{
		name: "freebsd/verbose-header-reveals-udp",
		line: "rule 2/0(match): pass out on em0: (tos 0x0, ttl 64, id 11883, offset 0, flags [none], proto UDP (17), length 61) 192.0.2.10.41034 > 198.51.100.53.53: 5123+ A? www.example.com. (33)",
		want: pfRecord("2/0(match)", ActionPass, DirOut, "em0", "192.0.2.10", 41034, "198.51.100.53", 53, 17),
	},
	{
		name: "freebsd/verbose-rsyslog-escaped-newline",
		line: "Mar 30 15:32:33 fw pf: rule 0/0(match): block in on em0: (tos 0x0, ttl 117, id 3312, offset 0, flags [DF], proto TCP (6), length 52)#012    203.0.113.14.61001 > 198.51.100.7.445: Flags [S], seq 1, win 8192, length 0",
		want: pfRecord("0/0(match)", ActionBlock, DirIn, "em0", "203.0.113.14", 61001, "198.51.100.7", 445, 6),
		host: "fw",
	},
	{
		name: "freebsd/verbose-ipv6",
		line: "rule 1/0(match): block in on em0: IP6 (class 0x00, flowlabel 0x2a1b3, hlim 57, next-header TCP (6) payload length: 40) 2001:db8:ff::9.40404 > 2001:db8::7.3389: Flags [S], seq 1, win 64800, length 0",
		want: pfRecord("1/0(match)", ActionBlock, DirIn, "em0", "2001:db8:ff::9", 40404, "2001:db8::7", 3389, 6),
	},
	{
		name: "freebsd/verbose-ipv6-extension-header",
		line: "rule 1/0(match): pass in on em0: (hlim 1, next-header Options (0) payload length: 36) fe80::1 > ff02::16: HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] ICMP6, multicast listener report v2, 1 group record(s)",
		want: pfRecord("1/0(match)", ActionPass, DirIn, "em0", "fe80::1", -1, "ff02::16", 0, 58),
	},
	{
		name: "freebsd/ip-prefix",
		line: "rule 0/0(match): block in on em0: IP 203.0.113.5.5678 > 198.51.100.7.23: Flags [S], seq 1, win 1024, length 0",
		want: pfRecord("0/0(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 5678, "198.51.100.7", 23, 6),
	},
	{
		name: "freebsd/uid-before-colon",
		line: "rule 12/0(match) [uid 0]: block out on vtnet1: 192.0.2.10.6000 > 198.51.100.9.25: Flags [S], seq 1, win 1024, length 0",
		want: pfRecord("12/0(match)", ActionBlock, DirOut, "vtnet1", "192.0.2.10", 6000, "198.51.100.9", 25, 6),
	},
	{
		name: "freebsd/anchor-label",
		line: "rule 1.fRXG.48/0(match): pass in on igb0: 198.51.100.20.3478 > 192.0.2.8.62000: UDP, length 100",
		want: pfRecord("1.fRXG.48/0(match)", ActionPass, DirIn, "igb0", "198.51.100.20", 3478, "192.0.2.8", 62000, 17),
	},
	{
		name: "freebsd/state-limit",
		line: "rule 0/12(state-limit): block in on em0: 203.0.113.5.5678 > 198.51.100.7.80: Flags [S], seq 1, win 1024, length 0",
		want: pfRecord("0/12(state-limit)", ActionBlock, DirIn, "em0", "203.0.113.5", 5678, "198.51.100.7", 80, 6),
	},
	{
		name: "freebsd/pid-tag-and-delta",
		line: "Jan  5 10:00:00 fw pf[22382] 00:00:05.679886 rule 2/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.2323: Flags [S], seq 1, win 1024, length 0",
		want: pfRecord("2/0(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 5678, "198.51.100.7", 2323, 6),
		host: "fw",
	},
	{
		name: "freebsd/microsecond-delta",
		line: "Jan  5 10:00:00 fw pf: 000145 rule 2/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.23: Flags [S], seq 1, win 1024, length 0",
		want: pfRecord("2/0(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 5678, "198.51.100.7", 23, 6),
		host: "fw",
	},
	{
		name: "freebsd/pflogd-tag-and-date",
		line: "<134>Jan  5 10:00:00 fw pflogd: 2025-01-05 10:00:00.123456 rule 2/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.23: Flags [S], seq 1, win 1024, length 0",
		want: pfRecord("2/0(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 5678, "198.51.100.7", 23, 6),
		host: "fw",
	},
	{
		name: "freebsd/rfc5424",
		line: "<134>1 2025-01-05T10:00:00.123456+00:00 fw.example.org pf 4711 - - rule 2/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.23: Flags [S], seq 1, win 1024, length 0",
		want: pfRecord("2/0(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 5678, "198.51.100.7", 23, 6),
		host: "fw.example.org",
	},
}

func TestPF(t *testing.T) {
	testRecords(t, pfCases)
}

// TestPFOpenBSDFileOutput covers the most common pf text of all, "tcpdump
// -n -e -ttt -r /var/log/pflog" on OpenBSD, with no syslog around it.
func TestPFOpenBSDFileOutput(t *testing.T) {
	line := "Mar 30 15:47:05.522341 rule 4/(match) block in on lo0: 127.0.0.1.48784 > 127.0.0.1.23: S 1381529123:1381529123(0) win 16384"
	want := pfRecord("4/(match)", ActionBlock, DirIn, "lo0", "127.0.0.1", 48784, "127.0.0.1", 23, 6)

	var r Record
	msg := []byte(line)
	if res := parsePF(msg, &r, new(SyntaxError)); res != parsed {
		t.Fatalf("parsePF = %v, want parsed", res)
	}
	r.Format = FormatPF
	if got := fieldsOf(&r); got != want {
		t.Errorf("parsePF:\ngot  %+v\nwant %+v", got, want)
	}

	err := testParser(FormatUnknown).Parse(msg, &r)
	if string(r.Host) == "rule" {
		// The envelope reads the capture time as an RFC 3164 stamp and
		// "rule" as the hostname; reported to the envelope's owner.
		t.Skip(`envelope takes "rule" for a hostname`)
	}
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := fieldsOf(&r); got != want {
		t.Errorf("Parse:\ngot  %+v\nwant %+v", got, want)
	}
}

var pfBrokenCases = []brokenCase{
	{
		name: "lost-port-separator",
		line: "rule 0/(match) block in on fxp0: 203.0.113.5.2211 > 192.0.2.1223: S 1:1(0) win 512",
		at:   "192.0.2.1223", msg: "bad address",
	},
	{
		name: "names-without-n",
		line: "rule 0/(match) block in on fxp0: scanner.example.net.51234 > gw.example.org.telnet: S 1:1(0) win 512",
		at:   "scanner", msg: "bad address",
	},
	{
		name: "port-too-large",
		line: "rule 0/(match) block in on fxp0: 203.0.113.5.70000 > 192.0.2.1.22: S 1:1(0) win 512",
		at:   "203.0.113.5.", msg: "bad port number",
	},
	{
		name: "missing-on",
		line: "Mar 30 15:33:26 gw pf: rule 2/(match) pass in xl0: 198.51.100.3.6667 > 192.0.2.10.16290: P 1:2(1) ack 1 win 2520",
		at:   "xl0", msg: `missing "on" before the interface`,
	},
	{
		name: "truncated-after-rule",
		line: "rule 0/0(match):",
		at:   "", msg: "missing action after the rule",
	},
	{
		name: "interface-without-colon",
		line: "rule 0/0(match): block in on em0 203.0.113.5.5678 > 198.51.100.7.22: Flags [S]",
		at:   "em0", msg: "interface not followed by a colon",
	},
	{
		name: "port-on-one-side",
		line: "rule 0/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7: Flags [S]",
		at:   "198.51.100.7", msg: "only one of the addresses has a port",
	},
	{
		name: "port-on-icmp",
		line: "rule 0/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.22: ICMP echo request, id 1, seq 1, length 64",
		at:   "198.51.100.7", msg: "port on a protocol that has none",
	},
	{
		name: "mixed-families",
		line: "rule 0/0(match): block in on em0: 203.0.113.5.5678 > 2001:db8::7.22: Flags [S]",
		at:   "2001:db8::7", msg: "source and destination address families differ",
	},
	{
		name: "verbose-header-split-from-addresses",
		line: "rule 0/0(match): block in on em0: (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)",
		at:   "", msg: "missing packet addresses",
	},
	{
		name: "unterminated-verbose-header",
		line: "rule 0/0(match): block in on em0: (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6",
		at:   "(tos", msg: "unterminated header in parentheses",
	},
	{
		name: "no-arrow",
		line: "rule 0/0(match): block in on em0: 203.0.113.5.5678 -> 198.51.100.7.22: Flags [S]",
		at:   " -> ", msg: `missing ">" after the source address`,
	},
}

func TestPFBroken(t *testing.T) {
	testBroken(t, testParser(FormatUnknown), FormatPF, pfBrokenCases)
}

// pfForeignMessages are messages of other formats or programs that
// parsePF must turn away.
var pfForeignMessages = []string{
	"",
	"rule",
	"Accepted publickey for admin from 192.0.2.7 port 50122 ssh2",
	"[UFW BLOCK] IN=eth0 OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=203.0.113.5 DST=192.0.2.1 LEN=40 PROTO=TCP SPT=4444 DPT=23",
	"146,,,1535324496,igb1.12,match,block,in,4,0x0,,63,12617,0,DF,6,tcp,60,192.0.2.50,198.51.100.1,49724,853,0,S,1891286705,,64240,,mss",
	"rule 5 was reloaded by admin",
	"rules 1/(match) block in on em0: 192.0.2.1 > 192.0.2.2: icmp: echo request",
	"Mar 30 15:32:33 ruleset reloaded",
	"Mar 30 15:32:33.483712 rule 2 (match) pass in on xl0: 192.0.2.1 > 192.0.2.2: icmp: echo request",
	"12:00:00 rule",
	"rule 2/(match pass in on xl0: 192.0.2.1 > 192.0.2.2: icmp: echo request",
	"rule x/(match) pass in on xl0: 192.0.2.1 > 192.0.2.2: icmp: echo request",
	"rule 2(match) pass in on xl0: 192.0.2.1 > 192.0.2.2: icmp: echo request",
}

func TestPFNotMine(t *testing.T) {
	testNotMine(t, "parsePF", parsePF, pfForeignMessages)
}

func TestPFNoAllocs(t *testing.T) {
	testNoAllocs(t, pfCases, pfBrokenCases)
}

// insideBuffer reports whether b is empty or lies inside buf's memory.
func insideBuffer(b, buf []byte) bool {
	if len(b) == 0 {
		return true
	}
	if len(buf) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= start && p+uintptr(len(b)) <= start+uintptr(len(buf))
}

// checkParserResult checks the invariants every pf and filterlog parse
// must keep, whatever the input: a parsed record aliases msg and has
// addresses and only meaningful ports, taken from the text; a broken one
// points inside msg; a foreign one leaves its arguments alone.
func checkParserResult(t *testing.T, name string, msg []byte, res result, r *Record, e *SyntaxError) {
	t.Helper()
	switch res {
	case notMine:
		if !reflect.DeepEqual(*r, Record{}) || *e != (SyntaxError{}) {
			t.Fatalf("%s: notMine but touched r or e: %+v %+v", name, *r, *e)
		}
	case broken:
		if e.Offset < 0 || e.Offset > len(msg) || e.Msg == "" || e.Msg != strings.ToLower(e.Msg) {
			t.Fatalf("%s: bad SyntaxError %+v for %d-byte message", name, *e, len(msg))
		}
	case parsed:
		for _, f := range [][]byte{r.InIface, r.OutIface, r.Label} {
			if !insideBuffer(f, msg) {
				t.Fatalf("%s: field %q does not alias the message", name, f)
			}
		}
		// An address is there unless the record says it is unreadable.
		if r.Src.IsValid() == (r.Partial&PartialSrc != 0) || r.Dst.IsValid() == (r.Partial&PartialDst != 0) ||
			r.Src.IsValid() && r.Dst.IsValid() && r.Src.Is4() != r.Dst.Is4() {
			t.Fatalf("%s: addresses %v > %v, partial %b", name, r.Src, r.Dst, r.Partial)
		}
		if r.HasPorts {
			if r.HasProto && !r.Proto.HasPorts() {
				t.Fatalf("%s: ports on protocol %d", name, r.Proto)
			}
			ports := []uint16{r.SrcPort, r.DstPort}
			if r.Partial&PartialSrcPort != 0 {
				if r.SrcPort != 0 {
					t.Fatalf("%s: missing source port %d", name, r.SrcPort)
				}
				ports = ports[1:]
			}
			for _, p := range ports {
				if !strings.Contains(string(msg), strconv.Itoa(int(p))) {
					t.Fatalf("%s: port %d is not in the message", name, p)
				}
			}
		} else if r.Partial&PartialSrcPort != 0 {
			t.Fatalf("%s: missing source port without ports", name)
		} else if r.SrcPort != 0 || r.DstPort != 0 {
			t.Fatalf("%s: ports %d > %d without HasPorts", name, r.SrcPort, r.DstPort)
		}
		if !r.HasProto && r.Proto != 0 {
			t.Fatalf("%s: protocol %d without HasProto", name, r.Proto)
		}
	default:
		t.Fatalf("%s: result %d", name, res)
	}
}

// checkParseAliases checks that what Parse returns aliases the line.
// journald JSON is exempt: its MESSAGE may be decoded into a buffer.
func checkParseAliases(t *testing.T, line []byte, err error, r *Record) {
	t.Helper()
	if err != nil || (len(line) > 0 && line[0] == '{') {
		return
	}
	for _, f := range [][]byte{r.InIface, r.OutIface, r.Label, r.Host, r.Message} {
		if !insideBuffer(f, line) {
			t.Fatalf("Parse(%q): field %q does not alias the line", line, f)
		}
	}
}

func FuzzPF(f *testing.F) {
	addSeeds(f, pfCases, pfBrokenCases, pfForeignMessages)
	f.Fuzz(func(t *testing.T, line string) {
		msg := []byte(line)
		var r Record
		var e SyntaxError
		res := parsePF(msg, &r, &e)
		checkParserResult(t, "parsePF", msg, res, &r, &e)

		var r2 Record
		err := testParser(FormatPF).Parse(msg, &r2)
		checkParseAliases(t, msg, err, &r2)
	})
}

// pfSink keeps benchmark results alive.
var pfSink Record

func BenchmarkPF(b *testing.B) {
	for _, name := range []string{"openbsd/bare", "openbsd/syslog-with-capture-time", "openbsd/ipv6-tcp", "openbsd/icmp", "freebsd/tcp", "freebsd/verbose-ipv4", "freebsd/pid-tag-and-delta"} {
		var line []byte
		for _, tc := range pfCases {
			if tc.name == name {
				line = []byte(tc.line)
			}
		}
		b.Run(name, func(b *testing.B) {
			p := testParser(FormatUnknown)
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Parse(line, &pfSink); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Other formats' messages reach parsePF on every bare line; they must
	// be turned away in a few nanoseconds.
	for _, name := range []string{"reject/netfilter", "reject/filterlog", "reject/sshd"} {
		msg := []byte(pfForeignMessages[3])
		switch name {
		case "reject/filterlog":
			msg = []byte(pfForeignMessages[4])
		case "reject/sshd":
			msg = []byte(pfForeignMessages[2])
		}
		b.Run(name, func(b *testing.B) {
			var e SyntaxError
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if parsePF(msg, &pfSink, &e) != notMine {
					b.Fatal("accepted a foreign message")
				}
			}
		})
	}
}
