package parsers

import (
	"net/netip"
	"testing"
)

// filterlogRecord builds the expected fields of a filterlog record;
// sport < 0 means no ports.
func filterlogRecord(label string, a Action, d Direction, iface, src string, sport int, dst string, dport int, proto Protocol) firewallFields {
	f := firewallFields{
		Format: FormatFilterlog, Action: a, Direction: d, InIface: iface, Label: label,
		Src: netip.MustParseAddr(src), Dst: netip.MustParseAddr(dst),
		Proto: proto, HasProto: true,
	}
	if d == DirOut {
		f.InIface, f.OutIface = "", iface
	}
	if sport >= 0 {
		f.SrcPort, f.DstPort, f.HasPorts = uint16(sport), uint16(dport), true
	}
	return f
}

var filterlogCases = []recordCase{
	{
		name: "pfsense/rfc3164-tcp",
		line: "Sep 28 10:38:09 pfSense filterlog: 53,,,1000000301,em0,match,block,in,4,0x0,,64,420,0,none,6,tcp,460,203.0.113.2,192.0.2.15,53742,23,420,PA,29633380:29633800,3617062173,65535,,",
		want: filterlogRecord("53,,,1000000301", ActionBlock, DirIn, "em0", "203.0.113.2", 53742, "192.0.2.15", 23, ProtoTCP),
		host: "pfSense",
	},
	{
		name: "pfsense/rfc3164-no-hostname",
		line: "<134>Jul  3 19:10:30 filterlog[72237]: 146,,,1535324496,igb1.12,match,block,in,4,0x0,,63,12617,0,DF,6,tcp,60,192.0.2.50,198.51.100.1,49724,853,0,S,1891286705,,64240,,mss;sackOK;TS;nop;wscale",
		want: filterlogRecord("146,,,1535324496", ActionBlock, DirIn, "igb1.12", "192.0.2.50", 49724, "198.51.100.1", 853, ProtoTCP),
	},
	{
		name: "pfsense/tag-without-colon",
		line: "2024-12-29T08:23:57.867604+01:00 fw filterlog[61076] 4,,,1000000103,igc0,match,block,in,4,0x0,,41,51085,0,none,17,udp,420,203.0.113.3,192.0.2.17,11211,8442,400",
		want: filterlogRecord("4,,,1000000103", ActionBlock, DirIn, "igc0", "203.0.113.3", 11211, "192.0.2.17", 8442, ProtoUDP),
		host: "fw",
	},
	{
		name: "pfsense/rfc5424",
		line: "<134>1 2021-07-03T19:10:14.578333-05:00 pfSense.example.com filterlog 72237 - - 115,,,1534283903,igb1.27,match,pass,in,4,0x0,,63,29559,0,DF,17,udp,69,192.0.2.50,192.0.2.1,52797,53,49",
		want: filterlogRecord("115,,,1534283903", ActionPass, DirIn, "igb1.27", "192.0.2.50", 52797, "192.0.2.1", 53, ProtoUDP),
		host: "pfSense.example.com",
	},
	{
		name: "pfsense/rfc5424-ipv6-upper-case",
		line: "<134>1 2025-11-06T11:42:14.270789+00:00 firewall.lan filterlog 92653 - - 621,,,1644355515,vtnet0.10,match,block,in,6,0x00,0x07c63,64,TCP,6,44,2001:db8:10:d8:cdbf:f6f8:6d69:1,2001:db8:5::6,65382,3389,0,S,1927530165,,0,,mss;nop;wscale",
		want: filterlogRecord("621,,,1644355515", ActionBlock, DirIn, "vtnet0.10", "2001:db8:10:d8:cdbf:f6f8:6d69:1", 65382, "2001:db8:5::6", 3389, ProtoTCP),
		host: "firewall.lan",
	},
	{
		name: "opnsense/rfc5424-structured-data",
		line: `<134>1 2022-09-06T18:37:34+02:00 opnsense filterlog 69805 - [meta sequenceId="2633353"] 10,,,02f4bab031b57d1e30553ce08e0ec131,re0,match,block,in,4,0x0,,118,28579,0,none,17,udp,132,203.0.113.22,192.0.2.198,49838,31337,112`,
		want: filterlogRecord("10,,,02f4bab031b57d1e30553ce08e0ec131", ActionBlock, DirIn, "re0", "203.0.113.22", 49838, "192.0.2.198", 31337, ProtoUDP),
		host: "opnsense",
	},
	{
		name: "opnsense/uuid-tracker-ipv6-udp",
		line: `<134>1 2022-09-06T19:00:06+02:00 opnsense filterlog 57126 - [meta sequenceId="2667099"] 98,,,64d253df-ef65-4b56-9df4-c03fc11b8ce4,re0,match,block,in,6,0x00,0x0ea87,51,udp,17,73,2001:db8:702e:ce00:acc6:c7ee:fa01:2f8a,2001:db8:ada:d900::1738,6881,51918,73`,
		want: filterlogRecord("98,,,64d253df-ef65-4b56-9df4-c03fc11b8ce4", ActionBlock, DirIn, "re0", "2001:db8:702e:ce00:acc6:c7ee:fa01:2f8a", 6881, "2001:db8:ada:d900::1738", 51918, ProtoUDP),
		host: "opnsense",
	},
	{
		name: "opnsense/ipv6-icmp-name",
		line: "<134>Jan 1 02:21:39 firewall.opnsense.net filterlog[97530]: 32,,,1535324496a,igb0,match,pass,in,6,0x0,0x00000,255,ipv6-icmp,58,16,fe80::208:9bff:fef3:652b,ff02::1:2,datalength=16",
		want: filterlogRecord("32,,,1535324496a", ActionPass, DirIn, "igb0", "fe80::208:9bff:fef3:652b", -1, "ff02::1:2", 0, ProtoICMPv6),
		host: "firewall.opnsense.net",
	},
	{
		name: "bare/csv-sub-rule",
		line: "85,16777216,,1000005815,ovpnc1,match,pass,out,4,0x0,,127,23173,0,DF,6,tcp,52,10.88.10.6,198.51.100.54,34313,443,0,S,3394332116,,8192,,mss;nop;wscale;nop;nop;sackOK",
		want: filterlogRecord("85,16777216,,1000005815", ActionPass, DirOut, "ovpnc1", "10.88.10.6", 34313, "198.51.100.54", 443, ProtoTCP),
	},
	{
		name: "bare/icmpv6-empty-tail",
		line: "5,16777216,,1000000003,igb0,match,block,in,6,0x00,0x00000,255,ICMPv6,58,144,fe80::201:5cff:fe63:de46,ff02::1,",
		want: filterlogRecord("5,16777216,,1000000003", ActionBlock, DirIn, "igb0", "fe80::201:5cff:fe63:de46", -1, "ff02::1", 0, ProtoICMPv6),
	},
	{
		name: "icmp/echo-request",
		line: "<134>Jul  4 11:10:45 filterlog[72237]: 176,,,1520797901,igb1.10,match,pass,in,4,0x0,,64,62096,0,DF,1,icmp,84,192.0.2.30,198.51.100.105,request,37728,164",
		want: filterlogRecord("176,,,1520797901", ActionPass, DirIn, "igb1.10", "192.0.2.30", -1, "198.51.100.105", 0, ProtoICMP),
	},
	{
		name: "icmp/unreachport-inner-port-is-not-ours",
		line: "2024-12-30T18:21:35.031883+01:00 fw filterlog[61076] 4,,,1000000103,igc0,match,block,in,4,0x0,,52,38570,0,none,1,icmp,81,203.0.113.26,192.0.2.89,unreachport,203.0.113.26,UDP,844761",
		want: filterlogRecord("4,,,1000000103", ActionBlock, DirIn, "igc0", "203.0.113.26", -1, "192.0.2.89", 0, ProtoICMP),
		host: "fw",
	},
	{
		name: "igmp/datalength",
		line: "<134>Jul  3 19:10:33 filterlog[72237]: 199,,,1557957510,igb1.12,match,pass,in,4,0xc0,,1,0,0,DF,2,igmp,32,192.0.2.17,239.255.255.250,datalength=8",
		want: filterlogRecord("199,,,1557957510", ActionPass, DirIn, "igb1.12", "192.0.2.17", -1, "239.255.255.250", 0, ProtoIGMP),
	},
	{
		name: "carp",
		line: "Jan  5 10:00:00 fw filterlog[4242]: 80,,,1000002021,igb0,match,pass,out,4,0x10,,255,44631,0,DF,112,carp,56,192.0.2.2,224.0.0.18,advertise,255,1,2,0,1",
		want: filterlogRecord("80,,,1000002021", ActionPass, DirOut, "igb0", "192.0.2.2", -1, "224.0.0.18", 0, 112),
		host: "fw",
	},
	{
		name: "fragment-tcp-without-ports",
		line: "2026-01-29T04:00:10.246143+01:00 fw filterlog[91898] 4294967295,,,0,igc0,fragment,block,in,4,0x0,,52,15783,57344,none,6,tcp,40,203.0.113.1,192.0.2.2,",
		want: filterlogRecord("4294967295,,,0", ActionBlock, DirIn, "igc0", "203.0.113.1", -1, "192.0.2.2", 0, ProtoTCP),
		host: "fw",
	},
	{
		name: "tcp-bad-header-keeps-ports",
		line: "2025-01-04T08:35:42.436521+01:00 fw filterlog[61076] 4,,,1000000103,igc0,match,block,in,4,0x0,,110,10308,0,DF,6,tcp,40,203.0.113.29,192.0.2.99,22,43932,-12,R,errormsg='[bad hdr length 32 - too long, > 20]',",
		want: filterlogRecord("4,,,1000000103", ActionBlock, DirIn, "igc0", "203.0.113.29", 22, "192.0.2.99", 43932, ProtoTCP),
		host: "fw",
	},
	{
		name: "reject",
		line: "Jan  5 10:00:00 fw filterlog: 9,,,1000000110,em1,match,reject,in,4,0x0,,128,31337,0,DF,6,tcp,52,192.0.2.44,198.51.100.10,50123,445,0,S,2281139542,,64240,,mss;nop;wscale;nop;nop;sackOK",
		want: filterlogRecord("9,,,1000000110", ActionReject, DirIn, "em1", "192.0.2.44", 50123, "198.51.100.10", 445, ProtoTCP),
		host: "fw",
	},
	{
		name: "ipv6-hop-by-hop-options",
		line: "Jan  5 10:00:00 fw filterlog: 8,,,1000000107,igb0,match,block,in,6,0x00,0x00000,1,Options,0,36,fe80::1,ff02::16,HBH,RTALERT,0x0000,PADN,",
		want: filterlogRecord("8,,,1000000107", ActionBlock, DirIn, "igb0", "fe80::1", -1, "ff02::16", 0, 0),
		host: "fw",
	},
	{
		name: "sctp-ports",
		line: "2025-02-09T14:38:32.089124+01:00 fw filterlog[61076] 4,,,1000000103,igc0,match,block,in,4,0x0,,44,6307,0,none,132,sctp,52,203.0.113.6,192.0.2.8,39900,14001,20",
		want: filterlogRecord("4,,,1000000103", ActionBlock, DirIn, "igc0", "203.0.113.6", 39900, "192.0.2.8", 14001, ProtoSCTP),
		host: "fw",
	},
	{
		name: "gre",
		line: "2024-12-31T16:19:15.492770+01:00 fw filterlog[61076] 4,,,1000000103,igc0,match,block,in,4,0x0,,47,19129,0,DF,47,gre,564,203.0.113.7,192.0.2.83,datalength=544",
		want: filterlogRecord("4,,,1000000103", ActionBlock, DirIn, "igc0", "203.0.113.7", -1, "192.0.2.83", 0, ProtoGRE),
		host: "fw",
	},
	{
		name: "unassigned-protocol-named-unknown",
		line: "2025-02-14T15:53:35.100000+01:00 fw filterlog[61076] 4,,,1000000103,igc0,match,block,in,4,0x0,,118,13528,0,DF,252,unknown,21,203.0.113.4,192.0.2.8,datalength=1",
		want: filterlogRecord("4,,,1000000103", ActionBlock, DirIn, "igc0", "203.0.113.4", -1, "192.0.2.8", 0, 252),
		host: "fw",
	},
}

func TestFilterlog(t *testing.T) {
	testRecords(t, filterlogCases)
}

var filterlogBrokenCases = []brokenCase{
	{
		name: "name-disagrees-with-number",
		line: "Jan  5 10:00:00 fw filterlog: 5,,,1000000103,em0,match,block,in,4,0x0,,64,1,0,none,6,udp,40,203.0.113.1,192.0.2.2,1234,23,0",
		at:   "6,udp", msg: "bad or inconsistent protocol",
	},
	{
		name: "family-disagrees-with-version",
		line: "Jan  5 10:00:00 fw filterlog: 5,,,1000000103,em0,match,block,in,6,0x00,0x00000,64,tcp,6,40,203.0.113.1,192.0.2.2,1234,23,0,S",
		at:   "203.0.113.1", msg: "address family does not match the ip version",
	},
	{
		name: "cut-before-addresses",
		line: "Jan  5 10:00:00 fw filterlog: 5,,,1000000103,em0,match,block,in,4,0x0,,64,1,0,none,6,tcp,40,203.0.113.1",
		at:   "", msg: "record ends before the addresses",
	},
	{
		name: "port-out-of-range",
		line: "Jan  5 10:00:00 fw filterlog: 5,,,1000000103,em0,match,block,in,4,0x0,,64,1,0,none,17,udp,40,203.0.113.1,192.0.2.2,1234,99999,0",
		at:   "99999", msg: "bad destination port",
	},
	{
		name: "port-missing",
		line: "Jan  5 10:00:00 fw filterlog: 5,,,1000000103,em0,match,block,in,4,0x0,,64,1,0,none,17,udp,40,203.0.113.1,192.0.2.2,1234",
		at:   "", msg: "bad destination port",
	},
	{
		name: "bad-offset",
		line: "Jan  5 10:00:00 fw filterlog: 5,,,1000000103,em0,match,block,in,4,0x0,,64,1,DF,0,6,tcp,40,203.0.113.1,192.0.2.2,1234,23,0,S",
		at:   "DF,0", msg: "bad fragment offset",
	},
	{
		name: "protocol-number-too-large",
		line: "Jan  5 10:00:00 fw filterlog: 5,,,1000000103,em0,match,block,in,4,0x0,,64,1,0,none,600,tcp,40,203.0.113.1,192.0.2.2,1234,23,0,S",
		at:   "600", msg: "bad or inconsistent protocol",
	},
}

func TestFilterlogBroken(t *testing.T) {
	testBroken(t, testParser(FormatUnknown), FormatFilterlog, filterlogBrokenCases)
}

// filterlogForeignMessages must not be taken for filterlog: CSV of other
// shapes, other formats, truncated headers.
var filterlogForeignMessages = []string{
	"",
	"1,2,3,4",
	"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22",
	"2024,01,02,alice,bob,paid,42.50,EUR,4",
	"12,,,1000000103,em0,match,block,sideways,4,0x0,,64,1,0,none,6,tcp,40,192.0.2.1,192.0.2.2,1,2",
	"12,,,1000000103,em0,match,block,in,5,0x0,,64,1,0,none,6,tcp,40,192.0.2.1,192.0.2.2,1,2",
	"12,,,1000000103,em0,match,BLOCK,in,4,0x0,,64,1,0,none,6,tcp,40,192.0.2.1,192.0.2.2,1,2",
	"12,,,1000000103,em0,match,block,in",
	"x2,,,1000000103,em0,match,block,in,4,0x0,,64,1,0,none,6,tcp,40,192.0.2.1,192.0.2.2,1,2",
	"12,,,1000000103,e m0,match,block,in,4,0x0,,64,1,0,none,6,tcp,40,192.0.2.1,192.0.2.2,1,2",
	"IN=eth0 OUT= MAC= SRC=203.0.113.5 DST=192.0.2.1 LEN=40 PROTO=TCP SPT=4444 DPT=23",
	"rule 12/(match) block in on em0: 203.0.113.5.51234 > 198.51.100.7.23: S 1:1(0) win 65535",
	"000145 rule 2/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.23: Flags [S]",
}

func TestFilterlogNotMine(t *testing.T) {
	testNotMine(t, "parseFilterlog", parseFilterlog, filterlogForeignMessages)
}

// TestFilterlogPassThrough checks that unrelated syslog lines around
// filterlog output are not records.
func TestFilterlogPassThrough(t *testing.T) {
	for _, line := range []string{
		"<190>Dec 31 22:06:16 fw.example.org dhcpd[40152]: DHCPDISCOVER from 4c:55:41:a0:fa:99 via igb1",
		"<30>Dec 31 22:06:33 fw.example.org unbound[75499]: [26931:0] info: 192.0.2.1 www.example.com. A IN",
		"2024-12-31T20:49:00.025248+01:00 fw syslogd restart",
		"Jan  5 10:00:00 fw filterlog[4242]: filterlog: could not open pflog0",
	} {
		var r Record
		if err := testParser(FormatUnknown).Parse([]byte(line), &r); err != ErrNotRecord {
			t.Errorf("Parse(%q) = %v, want ErrNotRecord", line, err)
		}
	}
}

func TestFilterlogNoAllocs(t *testing.T) {
	testNoAllocs(t, filterlogCases, filterlogBrokenCases)
}

func FuzzFilterlog(f *testing.F) {
	addSeeds(f, filterlogCases, filterlogBrokenCases, filterlogForeignMessages)
	f.Fuzz(func(t *testing.T, line string) {
		msg := []byte(line)
		var r Record
		var e SyntaxError
		res := parseFilterlog(msg, &r, &e)
		checkParserResult(t, "parseFilterlog", msg, res, &r, &e)
		if res == parsed && !r.HasProto {
			t.Fatalf("filterlog record without a protocol: %q", line)
		}

		var r2 Record
		err := testParser(FormatFilterlog).Parse(msg, &r2)
		checkParseAliases(t, msg, err, &r2)
	})
}

// filterlogSink keeps benchmark results alive.
var filterlogSink Record

func BenchmarkFilterlog(b *testing.B) {
	for _, name := range []string{"pfsense/rfc3164-tcp", "pfsense/rfc5424", "opnsense/rfc5424-structured-data", "opnsense/uuid-tracker-ipv6-udp", "bare/csv-sub-rule", "icmp/echo-request"} {
		var line []byte
		for _, tc := range filterlogCases {
			if tc.name == name {
				line = []byte(tc.line)
			}
		}
		b.Run(name, func(b *testing.B) {
			p := testParser(FormatUnknown)
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Parse(line, &filterlogSink); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Every bare line reaches parseFilterlog; foreign ones must be turned
	// away in a few nanoseconds.
	for _, tc := range []struct{ name, msg string }{
		{"reject/netfilter", filterlogForeignMessages[10]},
		{"reject/pf", filterlogForeignMessages[11]},
		{"reject/pf-delta", filterlogForeignMessages[12]},
	} {
		msg := []byte(tc.msg)
		b.Run(tc.name, func(b *testing.B) {
			var e SyntaxError
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if parseFilterlog(msg, &filterlogSink, &e) != notMine {
					b.Fatal("accepted a foreign message")
				}
			}
		})
	}
}
