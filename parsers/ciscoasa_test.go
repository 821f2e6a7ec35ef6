package parsers

import (
	"errors"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// recordWant is what a line of the appliance families must parse to:
// firewallFields and the fields those families add. Addresses and
// ports are written "A", "A:P" (or "[A]:P"), "" for none.
type recordWant struct {
	action      Action
	dir         Direction
	in, out     string
	src, dst    string // "A" or "A:P"; ports only when the record has them
	proto       int    // -1: none
	label, rule string
	session     string
	bytes, pkts uint64
	srcNAT      string // "A:P" or ""
	dstNAT      string
}

// applianceCase is a whole line of an appliance family and its record.
type applianceCase struct {
	name, line string
	want       recordWant
}

// endpoint renders an address and port the way recordWant writes them.
func endpoint(a netip.Addr, port uint16, hasPort bool) string {
	s := ""
	if a.IsValid() {
		s = a.String()
	}
	if !hasPort {
		return s
	}
	if a.Is6() && !a.Is4In6() {
		s = "[" + s + "]"
	}
	return s + ":" + strconv.Itoa(int(port))
}

// wantOf renders a parsed record as a recordWant, to compare.
func wantOf(r *Record) recordWant {
	w := recordWant{
		action: r.Action, dir: r.Direction, in: string(r.InIface), out: string(r.OutIface),
		src: endpoint(r.Src, r.SrcPort, r.HasPorts), dst: endpoint(r.Dst, r.DstPort, r.HasPorts),
		proto: -1, label: string(r.Label), rule: string(r.RuleID), session: string(r.Session),
		bytes: r.Bytes, pkts: r.Packets,
	}
	if r.HasProto {
		w.proto = int(r.Proto)
	}
	if r.SrcNAT.IsValid() || r.SrcNATPort != 0 {
		w.srcNAT = endpoint(r.SrcNAT, r.SrcNATPort, r.SrcNATPort != 0)
	}
	if r.DstNAT.IsValid() || r.DstNATPort != 0 {
		w.dstNAT = endpoint(r.DstNAT, r.DstNATPort, r.DstNATPort != 0)
	}
	return w
}

// testApplianceRecords parses each case with every family detected and
// with detection restricted to f, as JSON mode and plain text mode do.
func testApplianceRecords(t *testing.T, f Format, cases []applianceCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []*Parser{testParser(FormatUnknown), testParser(f), {NoTime: true, NoAction: true, NoEnvelope: true}} {
				var r Record
				if err := p.Parse([]byte(tc.line), &r); err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if r.Format != f {
					t.Fatalf("format %v, want %v", r.Format, f)
				}
				if got := wantOf(&r); got != tc.want {
					t.Errorf("got  %+v\nwant %+v", got, tc.want)
				}
			}
		})
	}
}

// testNotRecords checks that lines are not records: they pass through.
func testNotRecords(t *testing.T, lines []string) {
	t.Helper()
	for _, line := range lines {
		var r Record
		if err := testParser(FormatUnknown).Parse([]byte(line), &r); !errors.Is(err, ErrNotRecord) {
			t.Errorf("Parse = %v (%v record), want ErrNotRecord: %q", err, r.Format, line)
		}
	}
}

var ciscoCases = []applianceCase{
	{
		name: "106023 deny tcp, rfc3164 with pri and host",
		line: `<164>Mar 14 09:12:01 fw-edge %ASA-4-106023: Deny tcp src outside:203.0.113.45/51234 dst dmz:192.0.2.10/23 by access-group "outside_access_in" [0x5b7c6b8f, 0x0]`,
		want: recordWant{action: ActionBlock, in: "outside", out: "dmz", src: "203.0.113.45:51234", dst: "192.0.2.10:23", proto: 6, label: "outside_access_in", rule: "0x5b7c6b8f, 0x0"},
	},
	{
		name: "106023 deny icmp with type and code, cisco timestamp with year",
		line: `<164>Mar 14 2025 09:12:02: %ASA-4-106023: Deny icmp src outside:198.51.100.7 dst inside:192.0.2.20 (type 8, code 0) by access-group "outside_access_in" [0x5b7c6b8f, 0x0]`,
		want: recordWant{action: ActionBlock, in: "outside", out: "inside", src: "198.51.100.7", dst: "192.0.2.20", proto: 1, label: "outside_access_in", rule: "0x5b7c6b8f, 0x0"},
	},
	{
		name: "106023 ftd, ipv6 udp with identity user",
		line: `Mar 14 09:12:03 ftd01 %FTD-4-106023: Deny udp src outside:2001:db8:5::17/5353(LOCAL\svc-scan) dst inside:2001:db8:1::20/161 by access-group "CSM_FW_ACL_" [0x97aa021a, 0x0]`,
		want: recordWant{action: ActionBlock, in: "outside", out: "inside", src: "[2001:db8:5::17]:5353", dst: "[2001:db8:1::20]:161", proto: 17, label: "CSM_FW_ACL_", rule: "0x97aa021a, 0x0"},
	},
	{
		name: "106023 icmp between ipv6 addresses is icmpv6",
		line: `%ASA-4-106023: Deny icmp src outside:2001:db8:5::17 dst inside:2001:db8:1::20 (type 128, code 0) by access-group "outside_access_in" [0x0, 0x0]`,
		want: recordWant{action: ActionBlock, in: "outside", out: "inside", src: "2001:db8:5::17", dst: "2001:db8:1::20", proto: 58, label: "outside_access_in", rule: "0x0, 0x0"},
	},
	{
		name: "106010 protocol number, no ports",
		line: "Mar 14 2025 09:12:04: %ASA-3-106010: Deny inbound protocol 47 src outside:198.51.100.66 dst outside:192.0.2.1",
		want: recordWant{action: ActionBlock, dir: DirIn, in: "outside", out: "outside", src: "198.51.100.66", dst: "192.0.2.1", proto: 47},
	},
	{
		name: "106014 deny inbound icmp",
		line: "<163>Mar 14 2025 09:12:05: %ASA-3-106014: Deny inbound icmp src outside:198.51.100.9 dst inside:192.0.2.30 (type 8, code 0)",
		want: recordWant{action: ActionBlock, dir: DirIn, in: "outside", out: "inside", src: "198.51.100.9", dst: "192.0.2.30", proto: 1},
	},
	{
		name: "106001 inbound tcp denied",
		line: "<162>Mar 14 2025 09:12:06: %ASA-2-106001: Inbound TCP connection denied from 203.0.113.8/44123 to 192.0.2.5/3389 flags SYN  on interface outside",
		want: recordWant{action: ActionBlock, dir: DirIn, in: "outside", src: "203.0.113.8:44123", dst: "192.0.2.5:3389", proto: 6},
	},
	{
		name: "106006 deny inbound udp",
		line: "%ASA-2-106006: Deny inbound UDP from 203.0.113.8/5060 to 192.0.2.5/5060 on interface outside",
		want: recordWant{action: ActionBlock, dir: DirIn, in: "outside", src: "203.0.113.8:5060", dst: "192.0.2.5:5060", proto: 17},
	},
	{
		name: "106007 deny inbound udp due to dns",
		line: "%ASA-2-106007: Deny inbound UDP from 203.0.113.53/53 to 192.0.2.5/33011 due to DNS Response",
		want: recordWant{action: ActionBlock, dir: DirIn, src: "203.0.113.53:53", dst: "192.0.2.5:33011", proto: 17},
	},
	{
		name: "106015 deny tcp no connection",
		line: "<166>Mar 14 09:12:07 192.0.2.254 %ASA-6-106015: Deny TCP (no connection) from 192.0.2.40/443 to 203.0.113.77/51822 flags RST ACK  on interface inside",
		want: recordWant{action: ActionBlock, in: "inside", src: "192.0.2.40:443", dst: "203.0.113.77:51822", proto: 6},
	},
	{
		name: "106021 reverse path check, no ports",
		line: "%ASA-1-106021: Deny TCP reverse path check from 192.0.2.99 to 198.51.100.4 on interface outside",
		want: recordWant{action: ActionBlock, in: "outside", src: "192.0.2.99", dst: "198.51.100.4", proto: 6},
	},
	{
		name: "106100 access-list permitted with hash codes",
		line: "<166>Mar 14 2025 09:12:08: %ASA-6-106100: access-list inside_in permitted tcp inside/192.0.2.50(51512) -> outside/198.51.100.20(443) hit-cnt 1 first hit [0x3d1f9a22, 0x0]",
		want: recordWant{action: ActionPass, in: "inside", out: "outside", src: "192.0.2.50:51512", dst: "198.51.100.20:443", proto: 6, label: "inside_in", rule: "0x3d1f9a22, 0x0"},
	},
	{
		name: "106100 access-list denied icmp has no ports",
		line: "%ASA-4-106100: access-list outside_in denied icmp outside/203.0.113.9(8) -> inside/192.0.2.7(0) hit-cnt 3 300-second interval [0x8d1b2c44, 0xa1b2c3d4]",
		want: recordWant{action: ActionBlock, in: "outside", out: "inside", src: "203.0.113.9", dst: "192.0.2.7", proto: 1, label: "outside_in", rule: "0x8d1b2c44, 0xa1b2c3d4"},
	},
	{
		name: "110002 no egress interface",
		line: "<166>Mar 14 2025 09:12:09: %ASA-6-110002: Failed to locate egress interface for UDP from inside:192.0.2.52/56544 to 198.51.100.2/161",
		want: recordWant{action: ActionBlock, in: "inside", src: "192.0.2.52:56544", dst: "198.51.100.2:161", proto: 17},
	},
	{
		name: "302013 built inbound with static nat: the mapped address is the destination",
		line: "<166>Mar 14 09:12:10 fw-edge %ASA-6-302013: Built inbound TCP connection 8812 for outside:203.0.113.5/51234 (203.0.113.5/51234) to inside:10.0.0.5/22 (192.0.2.10/2222)",
		want: recordWant{action: ActionPass, dir: DirIn, in: "outside", out: "inside", src: "203.0.113.5:51234", dst: "192.0.2.10:2222", proto: 6, session: "8812", dstNAT: "10.0.0.5:22"},
	},
	{
		name: "302013 built outbound: the first end is the destination",
		line: "<166>Mar 14 09:12:11 fw-edge %ASA-6-302013: Built outbound TCP connection 8813 for outside:198.51.100.80/443 (198.51.100.80/443) to inside:10.0.0.7/53496 (192.0.2.1/40627)",
		want: recordWant{action: ActionPass, dir: DirOut, in: "inside", out: "outside", src: "10.0.0.7:53496", dst: "198.51.100.80:443", proto: 6, session: "8813", srcNAT: "192.0.2.1:40627"},
	},
	{
		name: "302015 built inbound udp with user names",
		line: `%ASA-6-302015: Built inbound UDP connection 9001 for outside:203.0.113.61/40001 (203.0.113.61/40001)(LOCAL\alice) to NP Identity Ifc:192.0.2.1/500 (192.0.2.1/500) (alice)`,
		want: recordWant{action: ActionPass, dir: DirIn, in: "outside", out: "NP Identity Ifc", src: "203.0.113.61:40001", dst: "192.0.2.1:500", proto: 17, session: "9001"},
	},
	{
		name: "302014 teardown: direction unknown, no ports",
		line: "<166>Mar 14 09:13:00 fw-edge %ASA-6-302014: Teardown TCP connection 8813 for outside:198.51.100.80/443 to inside:10.0.0.7/53496 duration 0:00:49 bytes 18322 TCP FINs",
		want: recordWant{action: ActionPass, proto: 6, session: "8813", bytes: 18322},
	},
	{
		name: "302016 teardown where both ends share the port",
		line: `%ASA-6-302016: Teardown UDP connection 9020 for outside:192.0.2.49/137(LOCAL\bob) to inside:10.0.0.12/137 duration 0:02:03 bytes 486 (bob)`,
		want: recordWant{action: ActionPass, src: ":137", dst: ":137", proto: 17, session: "9020", bytes: 486},
	},
	{
		name: "302020 built inbound icmp: ids are not ports",
		line: "<166>Mar 14 09:13:01 fw-edge %ASA-6-302020: Built inbound ICMP connection for faddr 203.0.113.5/1 gaddr 192.0.2.10/0 laddr 10.0.0.5/0",
		want: recordWant{action: ActionPass, dir: DirIn, src: "203.0.113.5", dst: "192.0.2.10", proto: 1, dstNAT: "10.0.0.5"},
	},
	{
		name: "302020 built outbound icmpv6 with type and code",
		line: "%ASA-6-302020: Built outbound ICMP connection for faddr 2001:db8:9::1/0 gaddr 2001:db8:1::7/4242 laddr 2001:db8:1::7/4242 type 128 code 0",
		want: recordWant{action: ActionPass, dir: DirOut, src: "2001:db8:1::7", dst: "2001:db8:9::1", proto: 58},
	},
	{
		name: "302021 teardown icmp",
		line: "%ASA-6-302021: Teardown ICMP connection for faddr 203.0.113.5/1 gaddr 192.0.2.10/0 laddr 10.0.0.5/0",
		want: recordWant{action: ActionPass, proto: 1},
	},
	{
		name: "313001 denied icmp has no destination",
		line: "<163>Mar 14 2025 09:13:02: %ASA-3-313001: Denied ICMP type=3, code=3 from 198.51.100.33 on interface outside",
		want: recordWant{action: ActionBlock, in: "outside", src: "198.51.100.33", proto: 1},
	},
	{
		name: "313004 denied icmp without session",
		line: "<164>Mar 14 2025 09:13:03: %ASA-4-313004: Denied ICMP type=0, from laddr 198.51.100.33 on interface outside to 192.0.2.14: no matching session",
		want: recordWant{action: ActionBlock, in: "outside", src: "198.51.100.33", dst: "192.0.2.14", proto: 1},
	},
	{
		name: "313005 icmp error: the quoted packet's ports are not the record's",
		line: "<164>Mar 14 2025 09:13:04: %ASA-4-313005: No matching connection for ICMP error message: icmp src outside:198.51.100.1 dst identity:192.0.2.2 (type 3, code 3) on outside interface.  Original IP payload: udp src 192.0.2.2/9993 dst 198.51.100.1/26410.",
		want: recordWant{action: ActionBlock, in: "outside", out: "identity", src: "198.51.100.1", dst: "192.0.2.2", proto: 1},
	},
	{
		name: "710003 to-the-box access denied",
		line: "<166>Mar 14 2025 09:13:05: %ASA-3-710003: TCP access denied by ACL from 203.0.113.90/51000 to outside:192.0.2.1/22",
		want: recordWant{action: ActionBlock, in: "outside", src: "203.0.113.90:51000", dst: "192.0.2.1:22", proto: 6},
	},
	{
		name: "710005 udp request discarded",
		line: "%ASA-7-710005: UDP request discarded from 192.0.2.70/49192 to outside:224.0.0.252/5355",
		want: recordWant{action: ActionBlock, in: "outside", src: "192.0.2.70:49192", dst: "224.0.0.252:5355", proto: 17},
	},
	{
		name: "733100 port object",
		line: "%ASA-4-733100: [ 445/tcp] drop rate-1 exceeded. Current burst rate is 12 per second, max configured rate is 10; Current average rate is 8 per second, max configured rate is 5; Cumulative total count is 4201",
		want: recordWant{action: ActionBlock, src: ":0", dst: ":445", proto: 6},
	},
	{
		name: "733100 port object named by its service: no transport",
		line: "%ASA-4-733100: [80/HTTP] drop rate-2 exceeded. Current burst rate is 0 per second, max configured rate is 8; Current average rate is 5 per second, max configured rate is 4; Cumulative total count is 38086",
		want: recordWant{action: ActionBlock, src: ":0", dst: ":80", proto: -1},
	},
	{
		name: "430003 ftd connection end, iso timestamp",
		line: "2025-03-14T09:13:06Z   %FTD-1-430003: EventPriority: Low, DeviceUUID: 00000000-0000-0000-0000-000000000001, InstanceID: 1, FirstPacketSecond: 2025-03-14T09:13:00Z, ConnectionID: 35868, AccessControlRuleAction: Allow, SrcIP: 192.0.2.50, DstIP: 198.51.100.53, SrcPort: 56901, DstPort: 53, Protocol: udp, IngressInterface: inside, EgressInterface: outside, IngressZone: LAN, EgressZone: WAN, ACPolicy: Default Policy, AccessControlRuleName: Allow DNS, Prefilter Policy: Default Prefilter Policy, User: No Authentication Required, InitiatorPackets: 1, ResponderPackets: 1, InitiatorBytes: 74, ResponderBytes: 134, NAT_InitiatorPort: 22294, NAT_ResponderPort: 53, NAT_InitiatorIP: 203.0.113.2, NAT_ResponderIP: 198.51.100.53",
		want: recordWant{action: ActionPass, in: "inside", out: "outside", src: "192.0.2.50:56901", dst: "198.51.100.53:53", proto: 17, label: "Allow DNS", session: "35868", bytes: 208, pkts: 2, srcNAT: "203.0.113.2:22294"},
	},
	{
		name: "430002 ftd block with a url holding commas",
		line: "<113>Mar 14 09:13:07 ftd01 %FTD-1-430002: DeviceUUID: 00000000-0000-0000-0000-000000000001, AccessControlRuleAction: Block with reset, SrcIP: 192.0.2.60, DstIP: 203.0.113.200, SrcPort: 50110, DstPort: 443, Protocol: tcp, IngressInterface: inside, EgressInterface: outside, AccessControlRuleName: Block Gambling, URL: https://203.0.113.200/a,b,c?x=1, y, URLCategory: Gambling",
		want: recordWant{action: ActionReject, in: "inside", out: "outside", src: "192.0.2.60:50110", dst: "203.0.113.200:443", proto: 6, label: "Block Gambling"},
	},
	{
		name: "430003 ftd icmp: type and code are not ports",
		line: "%FTD-1-430003: AccessControlRuleAction: Allow, SrcIP: 192.0.2.60, DstIP: 198.51.100.1, SrcPort: 8, DstPort: 0, Protocol: icmp, ICMPType: 8, ICMPCode: 0",
		want: recordWant{action: ActionPass, src: "192.0.2.60", dst: "198.51.100.1", proto: 1},
	},
	{
		name: "tag as the rfc 5424 app-name, as relays forward it",
		line: `<166>1 2025-03-14T09:13:08Z fw-edge %ASA-4-106023 - - - Deny tcp src outside:203.0.113.45/51234 dst dmz:192.0.2.10/445 by access-group "outside_access_in" [0x5b7c6b8f, 0x0]`,
		want: recordWant{action: ActionBlock, in: "outside", out: "dmz", src: "203.0.113.45:51234", dst: "192.0.2.10:445", proto: 6, label: "outside_access_in", rule: "0x5b7c6b8f, 0x0"},
	},
	{
		name: "pix tag, double header from a relay",
		line: "Mar 14 09:13:09 203.0.113.250 Mar 14 2025 09:13:09 relay01 : %PIX-6-302015: Built outbound UDP connection 414128851 for outside:198.51.100.53/53 (198.51.100.53/53) to inside:192.0.2.5/5353 (192.0.2.5/5353)",
		want: recordWant{action: ActionPass, dir: DirOut, in: "inside", out: "outside", src: "192.0.2.5:5353", dst: "198.51.100.53:53", proto: 17, session: "414128851"},
	},
	{
		name: "journald json",
		line: `{"__REALTIME_TIMESTAMP":"1741943590000000","_HOSTNAME":"logs","SYSLOG_IDENTIFIER":"fw-edge","MESSAGE":"%ASA-4-106023: Deny udp src outside:203.0.113.45/123 dst inside:192.0.2.10/123 by access-group \"outside_access_in\" [0x0, 0x0]"}`,
		want: recordWant{action: ActionBlock, in: "outside", out: "inside", src: "203.0.113.45:123", dst: "192.0.2.10:123", proto: 17, label: "outside_access_in", rule: "0x0, 0x0"},
	},
	{
		name: "masked address: kept out, ports kept",
		line: `%ASA-4-106023: Deny tcp src outside:203.0.113.xxx/51234 dst dmz:192.0.2.10/23 by access-group "outside_access_in" [0x0, 0x0]`,
		want: recordWant{action: ActionBlock, in: "outside", out: "dmz", src: ":51234", dst: "192.0.2.10:23", proto: 6, label: "outside_access_in", rule: "0x0, 0x0"},
	},
}

func TestCiscoASA(t *testing.T) {
	testApplianceRecords(t, FormatCiscoASA, ciscoCases)
}

// ciscoNotRecords are Cisco messages that are not firewall records, and
// lines that merely look like them.
var ciscoNotRecords = []string{
	"<166>Mar 14 09:14:00 fw-edge %ASA-6-305011: Built dynamic TCP translation from inside:10.0.0.7/53496 to outside:192.0.2.1/40627",
	"%ASA-6-305012: Teardown dynamic UDP translation from inside:10.0.0.7/62251 to outside:192.0.2.1/21311 duration 0:02:30",
	"%ASA-7-609001: Built local-host inside:10.0.0.5",
	"%ASA-6-113019: Group = 198.51.100.20, Username = 198.51.100.20, IP = 198.51.100.20, Session disconnected. Session Type: LAN-to-LAN, Duration: 1h:02m:03s, Bytes xmt: 52378, Bytes rcv: 16336, Reason: Lost Service",
	"%ASA-5-713904: IP = 198.51.100.28, Received encrypted packet with no matching SA, dropping",
	"%ASA-4-733100: [ 198.51.100.2] drop rate-2 exceeded. Current burst rate is 0 per second, max configured rate is 8; Current average rate is 5 per second, max configured rate is 4; Cumulative total count is 38086",
	"%ASA-4-733100: [ Scanning] drop rate-1 exceeded. Current burst rate is 10 per second, max configured rate is 10; Current average rate is 245 per second, max configured rate is 5; Cumulative total count is 147409",
	"%ASA-6-302017: Built inbound GRE connection 3 from outside:198.51.100.1 (198.51.100.1) to inside:10.0.0.2/0 (192.0.2.2/0) (alice)",
	"%ASA-5-500003: Bad TCP hdr length (hdrlen=4, pktlen=74) from 198.51.100.134/0 to 192.0.2.12/0, flags: INVALID, on interface outside",
	"%FTD-1-430003: EventPriority: Low, DeviceUUID: 00000000-0000-0000-0000-000000000001, InstanceID: 1",
	"Nov 25 06:25:26 core1 %SYS-5-CONFIG_I: Configured from console by admin on vty0 (192.0.2.50)",
	"Mar 14 09:14:01 web1 app[12]: progress 100% ASA-6-302013 done",
	// The text of a connection message without any tag is not read.
	"Built inbound TCP connection 8812 for outside:203.0.113.5/51234 (203.0.113.5/51234) to inside:10.0.0.5/22 (192.0.2.10/22)",
}

func TestCiscoASANotRecord(t *testing.T) {
	testNotRecords(t, ciscoNotRecords)
}

var ciscoBrokenCases = []brokenCase{
	{
		name: "port out of range",
		line: `%ASA-4-106023: Deny tcp src outside:203.0.113.45/99999 dst dmz:192.0.2.10/23 by access-group "a" [0x0, 0x0]`,
		at:   "99999", msg: "bad source port",
	},
	{
		name: "cut after the first end",
		line: "%ASA-6-302013: Built inbound TCP connection 8812 for outside:203.0.113.5/51234 (203.0.113.5/51234)",
		at:   "", msg: `missing "to"`,
	},
	{
		name: "connection without ports",
		line: "%ASA-6-302014: Teardown TCP connection 8812 for outside:203.0.113.5 to inside:10.0.0.5 duration 0:00:01 bytes 0",
		at:   " duration", msg: "connection without ports",
	},
	{
		name: "end without interface",
		line: "%ASA-6-302014: Teardown TCP connection 8812 for 203.0.113.5/1234 to inside:10.0.0.5/80 duration 0:00:01 bytes 0",
		at:   "203.0.113.5/1234", msg: "bad first end: want interface:address",
	},
	{
		name: "bad protocol",
		line: `%ASA-4-106023: Deny t@p src outside:203.0.113.45/1 dst dmz:192.0.2.10/23 by access-group "a" [0x0, 0x0]`,
		at:   "t@p", msg: "bad protocol",
	},
	{
		name: "ftd bad protocol",
		line: "%FTD-1-430002: SrcIP: 192.0.2.60, DstIP: 203.0.113.200, SrcPort: 50110, DstPort: 443, Protocol: t@p",
		at:   "t@p", msg: "bad protocol",
	},
}

func TestCiscoASABroken(t *testing.T) {
	testBroken(t, testParser(FormatUnknown), FormatCiscoASA, ciscoBrokenCases)
}

// ciscoForeignMessages are messages of other shapes, which Cisco's
// parser must turn away untouched.
var ciscoForeignMessages = []string{
	"",
	"%",
	"%ASA-",
	"%ASA-6-30201",
	"%ASA-6-302013",
	"%ASA-x-302013: Built inbound TCP connection",
	"%ASA-6-302013: Built sideways TCP connection 1 for a:192.0.2.1/1 to b:192.0.2.2/2",
	"%ASA-6-302013: Built inbound GRE connection 1 for a:192.0.2.1/1 to b:192.0.2.2/2",
	"%ASA-4-106023: Permit tcp src outside:192.0.2.1/1 dst inside:192.0.2.2/2",
	"%SYS-5-CONFIG_I: Configured from console by admin on vty0 (192.0.2.50)",
	"IN=eth0 OUT= MAC= SRC=203.0.113.5 DST=192.0.2.1 LEN=40 PROTO=TCP SPT=4444 DPT=23",
	"rule 12/(match) block in on em0: 203.0.113.5.51234 > 198.51.100.7.23: S 1:1(0) win 65535",
	"5,,,1000000103,em0,match,block,in,4,0x0,,64,1,0,none,6,tcp,40,203.0.113.1,192.0.2.2,1234,23,0",
}

func TestCiscoASANotMine(t *testing.T) {
	testNotMine(t, "parseCiscoASA", func(msg []byte, r *Record, e *SyntaxError) result {
		return parseCiscoASA(msg, nil, nil, r, e)
	}, ciscoForeignMessages)
}

func TestCiscoASANoAllocs(t *testing.T) {
	testNoAllocs(t, applianceRecordCases(ciscoCases), ciscoBrokenCases)
}

// applianceRecordCases turns applianceCases into recordCases for the
// helpers that take those.
func applianceRecordCases(cases []applianceCase) []recordCase {
	rc := make([]recordCase, len(cases))
	for i, tc := range cases {
		rc[i] = recordCase{name: tc.name, line: tc.line}
	}
	return rc
}

func FuzzCiscoASA(f *testing.F) {
	addSeeds(f, applianceRecordCases(ciscoCases), ciscoBrokenCases, ciscoForeignMessages)
	f.Fuzz(func(t *testing.T, line string) {
		msg := []byte(line)
		var r Record
		var e SyntaxError
		res := parseCiscoASA(msg, nil, nil, &r, &e)
		checkApplianceResult(t, "parseCiscoASA", msg, res, &r, &e)

		var r2 Record
		err := testParser(FormatCiscoASA).Parse(msg, &r2)
		checkParseAliases(t, msg, err, &r2)
	})
}

// checkApplianceResult checks what every parse of an appliance family
// must keep, whatever the input: a record's slices alias the message,
// its ports are in the text and only on protocols with ports, and it
// has a protocol or a port; an error points inside the message; a
// foreign message leaves the arguments alone. Unlike packet logs, an
// appliance record may lack addresses (masked, or not said).
func checkApplianceResult(t *testing.T, name string, msg []byte, res result, r *Record, e *SyntaxError) {
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
		for _, f := range [][]byte{r.InIface, r.OutIface, r.Label, r.RuleID, r.Session} {
			if !insideBuffer(f, msg) {
				t.Fatalf("%s: field %q does not alias the message", name, f)
			}
		}
		if !r.HasProto && !r.HasPorts {
			t.Fatalf("%s: a record with neither protocol nor port", name)
		}
		if r.HasPorts {
			if r.HasProto && !r.Proto.HasPorts() {
				t.Fatalf("%s: ports on protocol %d", name, r.Proto)
			}
			if !strings.Contains(string(msg), strconv.Itoa(int(r.DstPort))) {
				t.Fatalf("%s: port %d is not in the message", name, r.DstPort)
			}
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

// ciscoSink keeps benchmark results alive.
var ciscoSink Record

// BenchmarkCiscoASA parses Cisco lines as plain text mode does.
func BenchmarkCiscoASA(b *testing.B) {
	for _, name := range []string{
		"106023 deny tcp, rfc3164 with pri and host",
		"302013 built outbound: the first end is the destination",
		"302014 teardown: direction unknown, no ports",
		"106100 access-list permitted with hash codes",
		"430003 ftd connection end, iso timestamp",
	} {
		var line []byte
		for _, tc := range ciscoCases {
			if tc.name == name {
				line = []byte(tc.line)
			}
		}
		b.Run(strings.Fields(name)[0]+"-"+strings.Fields(name)[1], func(b *testing.B) {
			p := Parser{NoTime: true, NoAction: true, NoEnvelope: true}
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Parse(line, &ciscoSink); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCiscoTimestamp checks the envelope of Cisco's own stamp, "Mmm dd
// yyyy hh:mm:ss", whose year is given and which ends in ':' when no
// device id follows it.
func TestCiscoTimestamp(t *testing.T) {
	for _, tc := range []struct {
		line, host string
		want       time.Time
	}{
		{"<164>Mar 14 2019 09:12:02: %ASA-4-106023: Deny icmp src outside:198.51.100.7 dst inside:192.0.2.20 (type 8, code 0) by access-group \"a\" [0x0, 0x0]", "", time.Date(2019, 3, 14, 9, 12, 2, 0, time.UTC)},
		{"Oct 10 2018 12:34:56 fw-edge CiscoASA[999]: %ASA-6-106015: Deny TCP (no connection) from 192.0.2.40/443 to 203.0.113.77/51822 flags RST  on interface inside", "fw-edge", time.Date(2018, 10, 10, 12, 34, 56, 0, time.UTC)},
	} {
		var r Record
		if err := testParser(FormatUnknown).Parse([]byte(tc.line), &r); err != nil {
			t.Fatalf("Parse: %v: %q", err, tc.line)
		}
		if !r.Time.Equal(tc.want) || string(r.Host) != tc.host {
			t.Errorf("time %v, host %q, want %v, %q: %q", r.Time, r.Host, tc.want, tc.host, tc.line)
		}
	}
}

// TestCiscoTeardownDirection checks that a teardown is read as its Built
// message was when the input's state remembers it, and has no ends when
// it does not: another input, another device, a connection built too
// long ago, or no state at all.
func TestCiscoTeardownDirection(t *testing.T) {
	const (
		builtOut = "<166>Mar 14 09:12:11 fw-edge %ASA-6-302013: Built outbound TCP connection 8813 for outside:198.51.100.80/443 (198.51.100.80/443) to inside:10.0.0.7/53496 (192.0.2.1/40627)"
		tornOut  = "<166>Mar 14 09:12:59 fw-edge %ASA-6-302014: Teardown TCP connection 8813 for outside:198.51.100.80/443 to inside:10.0.0.7/53496 duration 0:00:48 bytes 18322 TCP FINs"
		builtIn  = "<166>Mar 14 09:12:10 fw-edge %ASA-6-302015: Built inbound UDP connection 4242 for outside:203.0.113.5/5060 (203.0.113.5/5060) to dmz:10.0.10.5/5062 (192.0.2.10/5060)"
		tornIn   = "<166>Mar 14 09:13:02 fw-edge %ASA-6-302016: Teardown UDP connection 4242 for outside:203.0.113.5/5060 to dmz:10.0.10.5/5062 duration 0:00:52 bytes 4410"
		tornInB  = "<166>Mar 14 09:13:02 fw-core %ASA-6-302016: Teardown UDP connection 4242 for outside:203.0.113.5/5060 to dmz:10.0.10.5/5062 duration 0:00:52 bytes 4410"
		deny     = `<164>Mar 14 09:12:01 fw-edge %ASA-4-106023: Deny tcp src outside:203.0.113.45/51234 dst dmz:192.0.2.10/23 by access-group "outside_access_in" [0x5b7c6b8f, 0x0]`
	)
	out := recordWant{action: ActionPass, dir: DirOut, in: "inside", out: "outside", src: "10.0.0.7:53496", dst: "198.51.100.80:443", proto: 6, session: "8813", bytes: 18322}
	in := recordWant{action: ActionPass, dir: DirIn, in: "outside", out: "dmz", src: "203.0.113.5:5060", dst: "10.0.10.5:5062", proto: 17, session: "4242", bytes: 4410}
	unknownOut := recordWant{action: ActionPass, proto: 6, session: "8813", bytes: 18322}
	unknownIn := recordWant{action: ActionPass, proto: 17, session: "4242", bytes: 4410}
	for _, tc := range []struct {
		name     string
		state    bool
		lines    []string
		want     recordWant // of the last line
		stateful []bool
	}{
		{"outbound", true, []string{builtOut, deny, tornOut}, out, []bool{true, false, true}},
		{"inbound", true, []string{builtIn, tornOut, tornIn}, in, []bool{true, true, true}},
		{"no built message", true, []string{builtIn, tornOut}, unknownOut, []bool{true, true}},
		{"another device", true, []string{builtIn, tornInB}, unknownIn, []bool{true, true}},
		{"no state", false, []string{builtOut, tornOut}, unknownOut, []bool{true, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testParser(FormatUnknown)
			if tc.state {
				p.State = new(InputState)
			}
			var r Record
			for i, line := range tc.lines {
				if err := p.Parse([]byte(line), &r); err != nil {
					t.Fatalf("Parse: %v: %q", err, line)
				}
				if p.Stateful() != tc.stateful[i] {
					t.Errorf("Stateful() = %v after %q", p.Stateful(), line)
				}
			}
			if got := wantOf(&r); got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestCiscoConnMemory checks the memory's bounds: a connection built
// asaConnSlots connections later takes its slot, and ids that are not
// ASA's 32-bit numbers are not kept.
func TestCiscoConnMemory(t *testing.T) {
	var m asaConns
	host := []byte("fw-edge")
	m.remember([]byte("100"), host, true)
	if in, ok := m.recall([]byte("100"), host); !ok || !in {
		t.Fatalf("recall(100) = %v, %v, want true, true", in, ok)
	}
	if _, ok := m.recall([]byte("100"), []byte("fw-core")); ok {
		t.Error("another host's connection 100 recalled")
	}
	m.remember([]byte(strconv.Itoa(100+asaConnSlots)), host, false)
	if _, ok := m.recall([]byte("100"), host); ok {
		t.Error("connection 100 recalled after its slot was taken")
	}
	if in, ok := m.recall([]byte(strconv.Itoa(100+asaConnSlots)), host); !ok || in {
		t.Errorf("recall(%d) = %v, %v, want false, true", 100+asaConnSlots, in, ok)
	}
	for _, id := range []string{"4294967296", "12345678901", "", "12a"} {
		m.remember([]byte(id), host, true)
		if _, ok := m.recall([]byte(id), host); ok {
			t.Errorf("id %q kept", id)
		}
	}
}

// TestCiscoASAStateNoAllocs checks that reading Built and Teardown
// messages with an input's state allocates nothing once the state's
// memory of connections is made.
func TestCiscoASAStateNoAllocs(t *testing.T) {
	p := testParser(FormatUnknown)
	p.State = new(InputState)
	var r Record
	var lines [][]byte
	for _, tc := range ciscoCases {
		lines = append(lines, []byte(tc.line))
	}
	if n := testing.AllocsPerRun(50, func() {
		for _, l := range lines {
			p.Parse(l, &r)
		}
	}); n != 0 {
		t.Errorf("%v allocations per run of %d lines with a state, want 0", n, len(lines))
	}
}
