package parsers

import "testing"

// The lines follow SonicWall's SonicOS Log Events Reference (Default
// syslog format: src=/dst= as ADDRESS:PORT:INTERFACE[:HOST], proto=
// TRANSPORT/SERVICE, m= the message id) and its ArcSight (CEF) format.
var sonicwallCases = []vendorCase{
	{
		name: "connection-opened-rfc3164",
		line: `Nov 12 09:14:02 198.51.100.2 id=firewall sn=0040103A0001 time="2025-11-12 09:14:02 UTC" fw=198.51.100.2 pri=6 c=262144 gcat=6 m=98 msg="Connection Opened" src=203.0.113.7:51234:X1 dst=198.51.100.2:443:X0:www.example.com proto=tcp/https sent=52 rule="17 (WAN->LAN)" n=2231 fw_action="NA"`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X1", OutIface: "X0", Label: "17 (WAN->LAN)", RuleID: "17",
			Src: "203.0.113.7", Dst: "198.51.100.2", Proto: 6, SrcPort: 51234, DstPort: 443, Bytes: 52},
		host: "198.51.100.2",
	},
	{
		name: "connection-closed-nat-counters",
		line: `<134>id=firewall sn=0040103A0001 time="2025-11-12 09:14:03 UTC" fw=198.51.100.2 pri=6 c=1024 gcat=6 m=537 msg="Connection Closed" src=10.0.0.3:52379:X0 natSrc=198.51.100.2:48245 dst=192.0.2.53:53:X1 natDst=192.0.2.53:53 proto=udp/dns sent=63 rcvd=115 spkt=1 rpkt=1 cdur=30016 rule="15 (LAN->WAN)" n=2232 fw_action="NA"`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X0", OutIface: "X1", Label: "15 (LAN->WAN)", RuleID: "15",
			Src: "10.0.0.3", Dst: "192.0.2.53", Proto: 17, SrcPort: 52379, DstPort: 53, Bytes: 178, Packets: 2,
			SrcNAT: "198.51.100.2", SrcNATPort: 48245, DstNAT: "192.0.2.53", DstNATPort: 53},
	},
	{
		name: "service-port-is-not-the-destination-port",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:14:04" fw=198.51.100.2 pri=6 c=262144 m=98 msg="Connection Opened" n=2233 src=203.0.113.8:36701:X1 dst=198.51.100.2:8443:X1 proto=tcp/https`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X1", OutIface: "X1",
			Src: "203.0.113.8", Dst: "198.51.100.2", Proto: 6, SrcPort: 36701, DstPort: 8443},
	},
	{
		name: "tcp-dropped-without-proto",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:14:05" fw=198.51.100.2 pri=5 c=64 m=36 msg="TCP packet dropped" n=4410 src=203.0.113.9:40192:X1 dst=198.51.100.2:23:X1 fw_action="drop"`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionBlock, InIface: "X1", OutIface: "X1",
			Src: "203.0.113.9", Dst: "198.51.100.2", Proto: 6, SrcPort: 40192, DstPort: 23},
	},
	{
		name: "icmp-dropped-type-in-port-slot",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:14:06" fw=198.51.100.2 pri=5 c=256 m=38 msg="ICMP packet dropped" n=4411 src=203.0.113.10:1026:X1 dst=198.51.100.2:2048:X1  type=8 code=0`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionBlock, InIface: "X1", OutIface: "X1",
			Src: "203.0.113.10", Dst: "198.51.100.2", Proto: 1, SrcPort: -1, DstPort: -1},
	},
	{
		name: "icmp-proto",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:14:07" fw=198.51.100.2 pri=6 c=1024 m=537 msg="Connection Closed" n=4412 src=10.0.0.3:8:X0 dst=192.0.2.1:512:X1 proto=icmp sent=84 rcvd=84`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X0", OutIface: "X1",
			Src: "10.0.0.3", Dst: "192.0.2.1", Proto: 1, SrcPort: -1, DstPort: -1, Bytes: 168},
	},
	{
		name: "ipv6-in-srcV6-dstV6",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:14:08" fw=198.51.100.2 pri=6 c=262144 m=98 msg="Connection Opened" n=4413 src=:50500:X0:laptop srcV6=2001:db8:10::44 dst=:25:X1 dstV6=2001:db8:ffff::80 proto=tcp/smtp`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X0", OutIface: "X1",
			Src: "2001:db8:10::44", Dst: "2001:db8:ffff::80", Proto: 6, SrcPort: 50500, DstPort: 25},
	},
	{
		name: "destination-without-port",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:14:09" fw=198.51.100.2 pri=6 c=262144 m=98 msg="Connection Opened" n=4414 src=10.0.0.9:28503 dst=10.0.0.53 proto=tcp/dns`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, Src: "10.0.0.9", Dst: "10.0.0.53", Proto: 6, SrcPort: -1, DstPort: -1},
	},
	{
		name: "ips-prevention-without-proto",
		line: `<129>id=firewall sn=0040103A0001 time="2025-11-12 09:14:10" fw=198.51.100.2 pri=1 c=32 gcat=3 m=609 msg="IPS Prevention Alert: WEB-ATTACKS Apache Log4j2 JNDI Log Messages Remote Code Execution" sid=2307 ipscat="WEB-ATTACKS Apache Log4j2 JNDI Log Messages Remote Code Execution" ipspri=2 n=8158 src=203.0.113.61:54192:X1 dst=198.51.100.20:8080:X2 fw_action="drop"`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionBlock, InIface: "X1", OutIface: "X2",
			Src: "203.0.113.61", Dst: "198.51.100.20", Proto: -1, SrcPort: 54192, DstPort: 8080},
	},
	{
		name: "ips-detection-icmp-signature",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:14:11" fw=198.51.100.2 pri=1 c=32 gcat=3 m=608 src=203.0.113.15:8:X1 dst=10.0.0.3:1850:X0 msg="IPS Detection Alert: ICMP Echo Reply" sid=316 ipscat="ICMP Echo Reply" ipspri=3 n=174072 fw_action="NA"`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X1", OutIface: "X0",
			Src: "203.0.113.15", Dst: "10.0.0.3", Proto: 1, SrcPort: -1, DstPort: -1},
	},
	{
		name: "web-site-denied-with-quoted-note",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:14:12 UTC" fw=198.51.100.2 pri=3 c=4 m=14 msg="Web site access denied" note="dst=192.0.2.1:22:X9 proto=udp/1" app=49177 appName='General HTTPS' n=856789 src=10.0.0.46:59668:X0:nb020.example.com dst=203.0.113.99:443:X1:bad.example proto=tcp/https dstname=bad.example arg=/ code=49 Category="Freeware/Software Downloads"`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionBlock, InIface: "X0", OutIface: "X1",
			Src: "10.0.0.46", Dst: "203.0.113.99", Proto: 6, SrcPort: 59668, DstPort: 443},
	},
	{
		name: "relay-host-before-the-message",
		line: `10.0.0.1  id=firewall sn=0040103A0001 time="2025-11-12 09:14:13 UTC" fw=198.51.100.2 pri=6 c=1024 gcat=6 m=537 msg="Connection Closed" src=10.0.0.4:37153:X0 dst=203.0.113.112:8800:X1 proto=udp/8800 sent=284 spkt=1 n=1846613339 fw_action="NA"`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X0", OutIface: "X1",
			Src: "10.0.0.4", Dst: "203.0.113.112", Proto: 17, SrcPort: 37153, DstPort: 8800, Bytes: 284, Packets: 1},
	},
	{
		name: "cef",
		line: `Nov 12 09:14:14 198.51.100.2 CEF:0|SonicWall|NSa 2700|7.0.1-5095|98|Connection Opened|5|rt=Nov 12 2025 09:14:14 dvchost=nsa2700 src=203.0.113.7 spt=51234 deviceInboundInterface=X1 dst=198.51.100.2 dpt=3389 deviceOutboundInterface=X0 proto=tcp/ms-wbt-server`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X1", OutIface: "X0",
			Src: "203.0.113.7", Dst: "198.51.100.2", Proto: 6, SrcPort: 51234, DstPort: 3389},
		host: "198.51.100.2",
	},
	{
		name: "cef-udp-dns-closed",
		line: `<134>CEF:0|Dell SonicWALL|TZ 400|6.5.4.4|537|Connection Closed|5|src=10.0.0.5 spt=50333 deviceInboundInterface=X0 dst=192.0.2.53 dpt=53 deviceOutboundInterface=X1 proto=udp/dns out=61 in=77`,
		want: vendorRecord{Format: FormatSonicwall, Action: ActionPass, InIface: "X0", OutIface: "X1",
			Src: "10.0.0.5", Dst: "192.0.2.53", Proto: 17, SrcPort: 50333, DstPort: 53, Bytes: 138},
	},
}

// sonicwallNotRecords are SonicOS messages that name addresses and ports
// but are no traffic record.
var sonicwallNotRecords = []string{
	`id=firewall sn=0040103A0001 time="2025-11-12 09:15:00" fw=198.51.100.2 pri=1 c=32 m=30 msg="Administrator login denied due to bad credentials" n=7 src=203.0.113.57:36701:X1 dst=198.51.100.2:443:X1`,
	`id=firewall sn=0040103A0001 time="2025-11-12 09:15:01" fw=198.51.100.2 pri=6 c=16 m=346 msg="IKE Initiator: Start Quick Mode (Phase 2)." n=171872 src=203.0.113.57:500 dst=198.51.100.2:500`,
	`id=firewall sn=0040103A0001 time="2025-11-12 09:15:02" fw=198.51.100.2 pri=4 c=16 m=483 msg="Received notify: INVALID_ID_INFO" n=171625 src=203.0.113.57:500 dst=198.51.100.2:500`,
	`id=firewall sn=0040103A0001 time="2025-11-12 09:15:03 UTC" fw=198.51.100.2 pri=1 c=32 m=1388 msg="IPSec VPN Decryption Failed" n=1064050271 src=203.0.113.15 dst=198.51.100.2 note="Replay check failure."`,
	`id=firewall sn=0040103A0001 time="2025-11-12 09:15:04 UTC" fw=198.51.100.2 pri=5 c=0 m=1197 msg="NAT Mapping" n=4748427 src=10.0.0.9::X0 dst=203.0.113.44::X1 proto=icmp note="Source: 198.51.100.2, 63130, Destination: 203.0.113.44, 8, Protocol: 1" rule="17 (LAN->WAN)"`,
	`id=firewall sn=0040103A0001 time="2025-11-12 09:15:05" fw=198.51.100.2 pri=6 c=1024 m=1235 msg="Configuration changed" n=9`,
	// Another vendor's CEF.
	`CEF:0|Acme|Gateway|1.0|98|Connection Opened|3|src=10.0.0.1 dst=192.0.2.1 dpt=22 proto=tcp/ssh`,
}

var sonicwallBroken = []brokenCase{
	{
		name: "unknown-protocol",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:15:06" fw=198.51.100.2 pri=6 c=262144 m=98 msg="Connection Opened" src=203.0.113.7:1:X1 dst=198.51.100.2:2:X0 proto=carrier-pigeon/1`,
		at:   "carrier-pigeon", msg: "bad protocol",
	},
	{
		name: "port-out-of-range",
		line: `id=firewall sn=0040103A0001 time="2025-11-12 09:15:07" fw=198.51.100.2 pri=6 c=262144 m=98 msg="Connection Opened" src=203.0.113.7:1:X1 dst=198.51.100.2:99999:X0 proto=tcp/99999`,
		at:   "99999:X0", msg: "bad destination port",
	},
}

func TestSonicwall(t *testing.T) { testVendorRecords(t, sonicwallCases) }

func TestSonicwallNotRecords(t *testing.T) { testPassThrough(t, sonicwallNotRecords) }

func TestSonicwallBroken(t *testing.T) {
	testBroken(t, testParser(FormatUnknown), FormatSonicwall, sonicwallBroken)
}

func TestSonicwallNoAllocs(t *testing.T) {
	testNoAllocs(t, vendorRecordCases(sonicwallCases), sonicwallBroken)
}

func FuzzSonicwall(f *testing.F) {
	addSeeds(f, vendorRecordCases(sonicwallCases), sonicwallBroken, sonicwallNotRecords)
	f.Fuzz(func(t *testing.T, line string) {
		msg := []byte(line)
		var r Record
		var e SyntaxError
		res := parseSonicwall(msg, &r, &e)
		checkApplianceResult(t, "parseSonicwall", msg, res, &r, &e)

		var r2 Record
		err := testParser(FormatSonicwall).Parse(msg, &r2)
		checkParseAliases(t, msg, err, &r2)
	})
}

// BenchmarkSonicwall reads the records of examples/sonicwall.log.
func BenchmarkSonicwall(b *testing.B) { benchFamily(b, FormatSonicwall) }
