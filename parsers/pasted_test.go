package parsers

import (
	"net/netip"
	"testing"
)

// Lines as they reach portnote from real setups and from logs people
// paste: tcpdump decoding a datagram's payload, IPv6 extension headers,
// FreeBSD syslogd -v, lines that start with their tag, masked addresses.
// Each shape has a test of its own; the lines are written from tcpdump's
// printers, syslogd(8) and the formats' documentation.

// withPartial returns f with the fields of p lost: an address left out,
// a source port zero.
func withPartial(f firewallFields, p Partial) firewallFields {
	f.Partial = p
	if p&PartialSrc != 0 {
		f.Src = netip.Addr{}
	}
	if p&PartialDst != 0 {
		f.Dst = netip.Addr{}
	}
	if p&PartialSrcPort != 0 {
		f.SrcPort = 0
	}
	return f
}

// TestPFPayloadDecodes: tcpdump shows a TCP segment by its flags, so a
// packet with ports whose payload it decodes in their place is UDP.
func TestPFPayloadDecodes(t *testing.T) {
	const head = "rule 4/0(match): block in on em0: 203.0.113.5."
	rec := func(sport int, dport int, proto int) firewallFields {
		return pfRecord("4/0(match)", ActionBlock, DirIn, "em0", "203.0.113.5", sport, "192.0.2.10", dport, proto)
	}
	testRecords(t, []recordCase{
		{name: "ntp", line: head + "123 > 192.0.2.10.123: NTPv4, Client, length 48", want: rec(123, 123, 17)},
		{name: "ntp-openbsd", line: "rule 4/(match) block in on em0: 203.0.113.5.123 > 192.0.2.10.123: v4 client strat 0 poll 6 prec -20",
			want: pfRecord("4/(match)", ActionBlock, DirIn, "em0", "203.0.113.5", 123, "192.0.2.10", 123, 17)},
		{name: "dns-edns", line: head + "41000 > 192.0.2.10.53: 12345+ [1au] A? example.org. (40)", want: rec(41000, 53, 17)},
		{name: "dns-response", line: head + "53 > 192.0.2.10.41000: 12345 1/0/0 A 198.51.100.7 (45)", want: rec(53, 41000, 17)},
		{name: "dns-cut", line: head + "41000 > 192.0.2.10.53: [|domain]", want: rec(41000, 53, 17)},
		{name: "snmp", line: head + `40000 > 192.0.2.10.161:  C="public" GetRequest(28)  .1.3.6.1.2.1.1.1.0`, want: rec(40000, 161, 17)},
		{name: "snmp-cut", line: head + "40000 > 192.0.2.10.161: [|snmp]", want: rec(40000, 161, 17)},
		{name: "syslog", line: head + "514 > 192.0.2.10.514: SYSLOG local0.info, length: 120", want: rec(514, 514, 17)},
		{name: "netbios", line: head + "137 > 192.0.2.10.137: NBT UDP PACKET(137): QUERY; REQUEST; BROADCAST", want: rec(137, 137, 17)},
		{name: "dhcp", line: head + "68 > 192.0.2.10.67: BOOTP/DHCP, Request from 00:53:00:11:22:33, length 300", want: rec(68, 67, 17)},
		{name: "rip", line: head + "520 > 192.0.2.10.520: RIPv2, Response, length: 24", want: rec(520, 520, 17)},
		{name: "isakmp", line: head + "500 > 192.0.2.10.500: isakmp: phase 1 I ident", want: rec(500, 500, 17)},
		{name: "nat-t", line: head + "4500 > 192.0.2.10.4500: UDP-encap: ESP(spi=0x0badf00d,seq=0x1), length 100", want: rec(4500, 4500, 17)},
		{name: "sip", line: head + "5060 > 192.0.2.10.5060: SIP, length: 420", want: rec(5060, 5060, 17)},
		{name: "radius", line: head + "40001 > 192.0.2.10.1812: RADIUS, Access-Request (1), id: 0x2a length: 72", want: rec(40001, 1812, 17)},
		// tcpdump -q (gopacket's tcpdump) names the transport.
		{name: "tcp-quiet", line: head + "40000 > 192.0.2.10.23: TCP, length 0", want: rec(40000, 23, 6)},
		// Still TCP: the flags, a cut header, -q's count.
		{name: "tcp-flags", line: head + "40000 > 192.0.2.10.23: Flags [S], seq 1, win 1024, length 0", want: rec(40000, 23, 6)},
		{name: "tcp-cut", line: head + "40000 > 192.0.2.10.23: [|tcp]", want: rec(40000, 23, 6)},
		{name: "tcp-count", line: head + "40000 > 192.0.2.10.23: tcp 0", want: rec(40000, 23, 6)},
		{name: "sctp", line: head + "5000 > 192.0.2.10.5000: sctp (1) [INIT] [init tag: 1] [rwnd: 106496] [OS: 10] [MIS: 65535] [init TSN: 1]", want: rec(5000, 5000, 132)},
		// A bracket that names nothing, and nothing at all, tell nothing.
		{name: "bad-header", line: head + "40000 > 192.0.2.10.23: [bad hdr length]", want: rec(40000, 23, -1)},
		{name: "nothing", line: head + "40000 > 192.0.2.10.23:", want: rec(40000, 23, -1)},
	})
}

// TestPFExtensionHeaders: IPv6 extension headers come before the
// transport tcpdump names.
func TestPFExtensionHeaders(t *testing.T) {
	rec := pfRecord("5/0(match)", ActionBlock, DirIn, "em0", "fe80::1", -1, "ff02::16", 0, 58)
	testRecords(t, []recordCase{
		{name: "hop-by-hop", line: "rule 5/0(match): block in on em0: fe80::1 > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28", want: rec},
		{name: "hop-by-hop-verbose", line: "rule 5/0(match): block in on em0: fe80::1 > ff02::16: HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] ICMP6, multicast listener report v2, 1 group record(s)", want: rec},
		{name: "hop-by-hop-openbsd", line: "rule 5/0(match): block in on em0: fe80::1 > ff02::16: HBH icmp6: multicast listener report v2", want: rec},
		{name: "destination-options", line: "rule 5/0(match): block in on em0: fe80::1 > ff02::16: DSTOPT (padn) ICMP6, echo request, id 1, seq 1, length 64", want: rec},
	})
}

// TestIndentedLines: a line pasted with leading blanks is read as
// without them, and an error points into the line as it came.
func TestIndentedLines(t *testing.T) {
	const pfLine = "rule 5/0(match): block in on em0: fe80::1 > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28"
	const nfLine = "Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0"
	testRecords(t, []recordCase{
		{name: "pf", line: "   " + pfLine, want: pfRecord("5/0(match)", ActionBlock, DirIn, "em0", "fe80::1", -1, "ff02::16", 0, 58)},
		{name: "syslog-tab", line: "\t " + nfLine, host: "web1",
			want: firewallFields{Format: FormatNetfilter, Action: ActionBlock, Direction: DirIn, InIface: "eth0", Label: "[UFW BLOCK]",
				Src: netip.MustParseAddr("203.0.113.45"), Dst: netip.MustParseAddr("192.0.2.10"), Proto: ProtoTCP, HasProto: true,
				SrcPort: 51234, DstPort: 23, HasPorts: true}},
	})
	testBroken(t, testParser(FormatUnknown), FormatPF, []brokenCase{
		{name: "indented-broken", line: "  rule 5/0(match): block in on em0: 192.0.2.1.23 > 192.0.2.2: S 1:1(0) win 1", at: "192.0.2.2:", msg: "only one of the addresses has a port"},
	})
}

// filterlogLine is a filterlog record for the envelope tests.
const filterlogLine = "5,,,1000000103,igb0,match,block,in,4,0x0,,49,54321,0,none,6,tcp,44,203.0.113.45,192.0.2.10,51234,23,0,S,2771936212,,5840,,mss"

var filterlogFields = filterlogRecord("5,,,1000000103", ActionBlock, DirIn, "igb0", "203.0.113.45", 51234, "192.0.2.10", 23, ProtoTCP)

// ufwBody is a netfilter record for the envelope tests.
const ufwBody = "[UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0"

var ufwFields = firewallFields{Format: FormatNetfilter, Action: ActionBlock, Direction: DirIn, InIface: "eth0", Label: "[UFW BLOCK]",
	Src: netip.MustParseAddr("203.0.113.45"), Dst: netip.MustParseAddr("192.0.2.10"), Proto: ProtoTCP, HasProto: true,
	SrcPort: 51234, DstPort: 23, HasPorts: true}

// TestSyslogdVerbose: FreeBSD's syslogd -v writes the facility and level
// numbers after the timestamp, -vv their names; the host may follow or be
// left out.
func TestSyslogdVerbose(t *testing.T) {
	testRecords(t, []recordCase{
		{name: "numbers", line: "Mar  1 12:00:00 <16.6> fw1 filterlog: " + filterlogLine, want: filterlogFields, host: "fw1"},
		{name: "names", line: "Mar  1 12:00:00 <local0.info> fw1 filterlog: " + filterlogLine, want: filterlogFields, host: "fw1"},
		{name: "names-no-host", line: "Mar  1 12:00:00 <local0.info> filterlog: " + filterlogLine, want: filterlogFields},
		{name: "freebsd-level-name", line: "Mar  1 12:00:00 <security.warn> fw1 filterlog: " + filterlogLine, want: filterlogFields, host: "fw1"},
		{name: "pri", line: "Mar  1 12:00:00 <134> fw1 filterlog: " + filterlogLine, want: filterlogFields, host: "fw1"},
		{name: "pri-glued", line: "Mar  1 12:00:00 <134>fw1 filterlog: " + filterlogLine, want: filterlogFields, host: "fw1"},
		{name: "kernel", line: "Mar  1 12:00:00 <kern.warn> web1 kernel: " + ufwBody, want: ufwFields, host: "web1"},
		{name: "pf", line: "Mar  1 12:00:00 <local0.info> fw1 pf: 00:00:00.000000 rule 0/0(match): block in on em0: 203.0.113.45.51234 > 192.0.2.10.23: Flags [S], seq 1, win 5840, length 0",
			want: pfRecord("0/0(match)", ActionBlock, DirIn, "em0", "203.0.113.45", 51234, "192.0.2.10", 23, 6), host: "fw1"},
	})
}

// TestTagFirst: a line that starts with its syslog tag, without
// timestamp or host.
func TestTagFirst(t *testing.T) {
	testRecords(t, []recordCase{
		{name: "filterlog", line: "filterlog: " + filterlogLine, want: filterlogFields},
		{name: "filterlog-pid", line: "filterlog[72237]: " + filterlogLine, want: filterlogFields},
		{name: "kernel", line: "kernel: " + ufwBody, want: ufwFields},
		{name: "kernel-uptime", line: "kernel: [1029384.112233] " + ufwBody, want: ufwFields},
		{name: "pri-kernel", line: "<4>kernel: " + ufwBody, want: ufwFields},
		{name: "pf", line: "pf: rule 0/0(match): block in on em0: 203.0.113.45.51234 > 192.0.2.10.23: Flags [S], seq 1, win 5840, length 0",
			want: pfRecord("0/0(match)", ActionBlock, DirIn, "em0", "203.0.113.45", 51234, "192.0.2.10", 23, 6)},
	})
	// A verdict in the place of a tag stays the log prefix it is.
	var r Record
	if err := testParser(FormatUnknown).Parse([]byte("fw-drop: IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 PROTO=TCP SPT=51234 DPT=23"), &r); err != nil || string(r.Label) != "fw-drop:" {
		t.Errorf("log prefix read as a tag: %v, label %q", err, r.Label)
	}
}

// TestMaskedAddresses: an address masked before the log was shared, or
// mistyped, is left out; the rest of the record stands.
func TestMaskedAddresses(t *testing.T) {
	nf := func(src string) string {
		return "Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=" + src + " DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0"
	}
	nf6 := firewallFields{Format: FormatNetfilter, Action: ActionBlock, Direction: DirIn, InIface: "eth0", Label: "[UFW BLOCK]",
		Dst: netip.MustParseAddr("2001:db8::10"), Proto: ProtoTCP, HasProto: true, SrcPort: 51234, DstPort: 22, HasPorts: true, Partial: PartialSrc}
	pf := func(src, dst string) string {
		return "rule 1/(match) block in on em0: " + src + " > " + dst + ": S 1:1(0) win 64240"
	}
	pfRec := pfRecord("1/(match)", ActionBlock, DirIn, "em0", "203.0.113.45", 51234, "192.0.2.1", 23, 6)
	testRecords(t, []recordCase{
		{name: "netfilter-x", line: nf("35.xxx.xxx.xxx"), want: withPartial(ufwFields, PartialSrc), host: "web1"},
		{name: "netfilter-ellipsis", line: nf("…"), want: withPartial(ufwFields, PartialSrc), host: "web1"},
		{name: "netfilter-empty", line: nf(""), want: withPartial(ufwFields, PartialSrc), host: "web1"},
		{name: "netfilter-ipv6-typo", line: "Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=2001:db8::1::5 DST=2001:db8::10 LEN=44 TC=0 HOPLIMIT=49 FLOWLBL=0 PROTO=TCP SPT=51234 DPT=22 WINDOW=5840 RES=0x00 SYN URGP=0",
			want: nf6, host: "web1"},
		{name: "pf-foo-bar", line: pf("45.FOO.BAR.IP.51234", "192.0.2.1.23"), want: withPartial(pfRec, PartialSrc)},
		{name: "pf-x-dst", line: pf("203.0.113.45.51234", "192.0.2.xxx.23"), want: withPartial(pfRec, PartialDst)},
		{name: "pf-masked-port", line: pf("45.FOO.BAR.IP.xxxxx", "192.0.2.1.23"), want: withPartial(pfRec, PartialSrc|PartialSrcPort)},
		{name: "pf-ellipsis", line: pf("…", "192.0.2.1.23"), want: withPartial(pfRec, PartialSrc|PartialSrcPort)},
		{name: "pf-ipv6-typo", line: "rule 1/(match) block in on em0: 2001:db8::1::5.51234 > 2001:db8::10.22: S 1:1(0) win 64240",
			want: withPartial(pfRecord("1/(match)", ActionBlock, DirIn, "em0", "2001:db8::1", 51234, "2001:db8::10", 22, 6), PartialSrc)},
		{name: "pf-no-ports", line: "rule 1/(match) block in on em0: 203.0.xxx.xxx > 192.0.2.1: ICMP echo request, id 1, seq 1, length 64",
			want: withPartial(pfRecord("1/(match)", ActionBlock, DirIn, "em0", "203.0.113.45", -1, "192.0.2.1", 0, 1), PartialSrc)},
		{name: "filterlog", line: "Nov 12 09:14:07 fw filterlog: 5,,,1000000103,igb0,match,block,in,4,0x0,,49,54321,0,none,6,tcp,44,203.0.xxx.xxx,192.0.2.10,51234,23,0,S,2771936212,,5840,,mss",
			want: withPartial(filterlogFields, PartialSrc), host: "fw"},
	})
	// What is not a masked address is still an error: a host name (no
	// tcpdump -n), an address that lost the dot before its port.
	testBroken(t, testParser(FormatUnknown), FormatPF, []brokenCase{
		{name: "host-name", line: pf("scanner.example.net.51234", "192.0.2.1.23"), at: "scanner", msg: "bad address"},
		{name: "lost-port-dot", line: pf("203.0.113.5.2211", "192.0.2.1223"), at: "192.0.2.1223", msg: "bad address"},
		{name: "masked-destination-port", line: pf("203.0.113.5.2211", "192.0.xxx.xxx.xx"), at: "192.0.xxx", msg: "masked destination port"},
		{name: "bad-port", line: pf("203.0.113.5.2211", "192.0.2.1.xx"), at: "192.0.2.1.xx", msg: "bad port number"},
	})
}

// TestDPTWithoutSPT: a netfilter TCP or UDP record with DPT= but no SPT=
// has its destination port, and its source port is marked missing.
func TestDPTWithoutSPT(t *testing.T) {
	for _, p := range []*Parser{testParser(FormatUnknown), {NoTime: true, NoAction: true, NoEnvelope: true}} {
		var r Record
		line := "Jul  1 10:00:06 gw kernel: DROP IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 LEN=40 PROTO=TCP DPT=443 WINDOW=1"
		if err := p.Parse([]byte(line), &r); err != nil {
			t.Fatalf("NoEnvelope %v: %v", p.NoEnvelope, err)
		}
		if !r.HasPorts || r.DstPort != 443 || r.SrcPort != 0 || r.Partial != PartialSrcPort || r.Proto != ProtoTCP {
			t.Errorf("NoEnvelope %v: %+v", p.NoEnvelope, r)
		}
	}
	// The other way round there is no destination to speak of.
	testBroken(t, testParser(FormatUnknown), FormatNetfilter, []brokenCase{
		{name: "SPT without DPT", line: "Jul  1 10:00:06 gw kernel: DROP IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 LEN=40 PROTO=UDP SPT=443 LEN=20", at: "443", msg: "SPT= without DPT="},
	})
}

// pastedLines are the lines above, for the fast-path and allocation
// checks.
func pastedLines() []string {
	return []string{
		"rule 4/0(match): block in on em0: 203.0.113.5.41000 > 192.0.2.10.53: 12345+ [1au] A? example.org. (40)",
		"rule 5/0(match): block in on em0: fe80::1 > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28",
		"   rule 5/0(match): block in on em0: fe80::1 > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28",
		"  Nov 25 06:25:14 web1 kernel: " + ufwBody,
		"Mar  1 12:00:00 <local0.info> fw1 filterlog: " + filterlogLine,
		"Mar  1 12:00:00 <kern.warn> web1 kernel: " + ufwBody,
		"Mar  1 12:00:00 <16.6> web1 kernel: " + ufwBody,
		"Mar  1 12:00:00 <134>web1 kernel: " + ufwBody,
		"kernel: " + ufwBody,
		"kernel: IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 PROTO=TCP SPT=51234 DPT=23",
		"filterlog: " + filterlogLine,
		"Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=35.xxx.xxx.xxx DST=192.0.2.10 LEN=44 PROTO=TCP SPT=51234 DPT=23",
		"rule 1/(match) block in on em0: 45.FOO.BAR.IP.51234 > 192.0.2.1.23: S 1:1(0) win 64240",
		"Jul  1 10:00:06 gw kernel: DROP IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 LEN=40 PROTO=TCP DPT=443 WINDOW=1",
	}
}

func TestPastedFastPaths(t *testing.T) {
	var warm Parser
	warm.NoTime = true
	for _, l := range pastedLines() {
		checkFastPaths(t, &warm, []byte(l))
		damaged([]byte(l), func(b []byte) { checkFastPaths(t, &warm, b) })
	}
}

func TestPastedNoAllocs(t *testing.T) {
	var cases []recordCase
	for _, l := range pastedLines() {
		cases = append(cases, recordCase{name: l, line: l})
	}
	testNoAllocs(t, cases, nil)
}
