package parsers

import "testing"

// The lines follow the FortiOS Log Message Reference (traffic, UTM,
// anomaly and event logs; "Traffic log support for CEF") and the
// "Sample logs by log type" of the FortiOS administration guide.
var fortigateCases = []vendorCase{
	{
		name: "traffic/forward-close-snat",
		line: `<189>date=2025-05-10 time=11:37:47 devname="FGT60F-HQ" devid="FGT60FTK21000001" eventtime=1746869867369913239 tz="+0200" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.1.100.11 srcport=58012 srcintf="internal" srcintfrole="lan" dstip=203.0.113.35 dstport=80 dstintf="wan1" dstintfrole="wan" srccountry="Reserved" dstcountry="Netherlands" sessionid=105048 proto=6 action="close" policyid=1 policytype="policy" poluuid="ccb269e0-5735-51e9-a218-a397dd08b7eb" policyname="LAN to Internet" service="HTTP" trandisp="snat" transip=198.51.100.2 transport=58012 appid=34050 app="HTTP.BROWSER_Firefox" duration=116 sentbyte=1188 rcvdbyte=1224 sentpkt=17 rcvdpkt=16 utmaction="allow"`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "internal", OutIface: "wan1",
			Label: "LAN to Internet", RuleID: "1", Session: "105048", Src: "10.1.100.11", Dst: "203.0.113.35",
			Proto: 6, SrcPort: 58012, DstPort: 80, Bytes: 2412, Packets: 33, SrcNAT: "198.51.100.2", SrcNATPort: 58012},
	},
	{
		name: "traffic/local-deny-rfc3164-host",
		line: `Nov 12 09:14:02 fw-hq date=2025-11-12 time=09:14:02 devname="FGT60F-HQ" devid="FGT60FTK21000001" logid="0001000014" type="traffic" subtype="local" level="notice" vd="root" srcip=198.51.100.77 srcport=61002 srcintf="wan1" srcintfrole="wan" dstip=192.0.2.10 dstport=3389 dstintf="root" dstintfrole="undefined" sessionid=2231 proto=6 action="deny" policyid=0 policytype="local-in-policy" service="RDP" dstcountry="Reserved" srccountry="United States" trandisp="noop" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 appcat="unscanned" crscore=5 craction=262144 crlevel="low"`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionBlock, InIface: "wan1", OutIface: "root", RuleID: "0",
			Session: "2231", Src: "198.51.100.77", Dst: "192.0.2.10", Proto: 6, SrcPort: 61002, DstPort: 3389},
		host: "fw-hq",
	},
	{
		name: "traffic/bare-values-udp-dnat",
		line: `date=2025-11-12 time=09:14:05 devname=FGT100F devid=FGT1HFT000000002 logid=0000000013 type=traffic subtype=forward level=notice vd=root srcip=203.0.113.9 srcport=40192 srcintf=port1 dstip=198.51.100.20 dstport=1194 dstintf=port2 sessionid=88121 proto=17 action=accept policyid=7 policyname=VPN-in service=OpenVPN trandisp=dnat tranip=10.0.0.5 tranport=1194 duration=30 sentbyte=4200 rcvdbyte=9000 sentpkt=30 rcvdpkt=28`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "port1", OutIface: "port2", Label: "VPN-in",
			RuleID: "7", Session: "88121", Src: "203.0.113.9", Dst: "198.51.100.20", Proto: 17, SrcPort: 40192, DstPort: 1194,
			Bytes: 13200, Packets: 58, DstNAT: "10.0.0.5", DstNATPort: 1194},
	},
	{
		name: "traffic/comma-variant",
		line: `date=2025-11-12,time=09:14:06,devname="FGT200E",devid="FG200E0000000003",logid="0000000013",type="traffic",subtype="forward",level="notice",vd="root",srcip=10.20.0.4,srcport=53123,srcintf="lan",dstip=192.0.2.53,dstport=53,dstintf="wan1",sessionid=4001,proto=17,action="accept",policyid=2,policyname="DNS, outbound",service="DNS",dstcountry="United States",duration=180,sentbyte=61,rcvdbyte=77,sentpkt=1,rcvdpkt=1`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "lan", OutIface: "wan1", Label: "DNS, outbound",
			RuleID: "2", Session: "4001", Src: "10.20.0.4", Dst: "192.0.2.53", Proto: 17, SrcPort: 53123, DstPort: 53,
			Bytes: 138, Packets: 2},
	},
	{
		name: "traffic/ipv6",
		line: `<189>date=2025-11-12 time=09:14:07 devname="FGT60F-HQ" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=2001:db8:10::44 srcport=50500 srcintf="internal" dstip=2001:db8:ffff::80 dstport=443 dstintf="wan1" sessionid=900 proto=6 action="timeout" policyid=3 service="HTTPS" sentbyte=40 rcvdbyte=0 sentpkt=1 rcvdpkt=0`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "internal", OutIface: "wan1", RuleID: "3",
			Session: "900", Src: "2001:db8:10::44", Dst: "2001:db8:ffff::80", Proto: 6, SrcPort: 50500, DstPort: 443,
			Bytes: 40, Packets: 1},
	},
	{
		name: "traffic/icmp-has-no-port",
		line: `<189>date=2025-11-12 time=09:14:08 devname="FGT60F-HQ" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.1.100.11 srcport=2048 srcintf="internal" dstip=192.0.2.1 dstport=2048 dstintf="wan1" sessionid=901 proto=1 action="accept" policyid=1 service="PING" sentbyte=84 rcvdbyte=84 sentpkt=1 rcvdpkt=1`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "internal", OutIface: "wan1", RuleID: "1",
			Session: "901", Src: "10.1.100.11", Dst: "192.0.2.1", Proto: 1, SrcPort: -1, DstPort: -1, Bytes: 168, Packets: 2},
	},
	{
		name: "anomaly/icmp-type-and-code-in-dstport",
		line: `<185>date=2025-11-12 time=09:14:09 devname="FGT60F-HQ" logid="0720018432" type="anomaly" subtype="anomaly" level="alert" vd="root" severity="critical" srcip=203.0.113.50 srccountry="Reserved" dstip=192.0.2.10 srcintf="wan1" sessionid=0 action="clear_session" proto=1 service="PING" count=1 attack="icmp_flood" srcport=0 dstport=20882 attackid=16777316 policyid=1 ref="http://www.fortinet.com/ids/VID16777316" msg="anomaly: icmp_flood, 251 > threshold 250"`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionBlock, InIface: "wan1", RuleID: "1", Session: "0",
			Src: "203.0.113.50", Dst: "192.0.2.10", Proto: 1, SrcPort: -1, DstPort: -1},
	},
	{
		name: "anomaly/tcp-syn-flood",
		line: `<185>date=2025-11-12 time=09:14:10 devname="FGT60F-HQ" logid="0720018432" type="anomaly" subtype="anomaly" level="alert" vd="root" severity="critical" srcip=203.0.113.51 dstip=192.0.2.10 srcintf="wan1" sessionid=0 action="detected" proto=6 service="tcp/445" count=512 attack="tcp_syn_flood" srcport=44321 dstport=445 attackid=100663396 policyid=1`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "wan1", RuleID: "1", Session: "0",
			Src: "203.0.113.51", Dst: "192.0.2.10", Proto: 6, SrcPort: 44321, DstPort: 445},
	},
	{
		name: "utm/ips-dropped",
		line: `<185>date=2025-11-12 time=09:14:11 devname="FGT60F-HQ" logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" vd="root" severity="critical" srcip=198.51.100.66 srccountry="Reserved" dstip=192.0.2.20 srcintf="wan1" dstintf="dmz" sessionid=7755 action="dropped" proto=6 service="HTTP" policyid=9 attack="Apache.Log4j.Error.Log.Remote.Code.Execution" srcport=55412 dstport=8080 direction="outgoing" attackid=51006 profile="default"`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionBlock, InIface: "wan1", OutIface: "dmz", RuleID: "9",
			Session: "7755", Src: "198.51.100.66", Dst: "192.0.2.20", Proto: 6, SrcPort: 55412, DstPort: 8080},
	},
	{
		name: "utm/webfilter-url-holding-keys-is-no-key",
		line: `<189>date=2025-11-12 time=09:14:12 devname="FGT60F-HQ" logid="0316013056" type="utm" subtype="webfilter" eventtype="ftgd_blk" level="warning" vd="root" policyid=1 sessionid=7801 user="" url="/login?dstip=192.0.2.99 dstport=22 proto=17 type=\"event\"" srcip=10.1.100.12 srcport=60112 srcintf="internal" dstip=203.0.113.80 dstport=443 dstintf="wan1" proto=6 service="HTTPS" hostname="bad.example" action="blocked" cat=26 catdesc="Malicious Websites"`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionBlock, InIface: "internal", OutIface: "wan1", RuleID: "1",
			Session: "7801", Src: "10.1.100.12", Dst: "203.0.113.80", Proto: 6, SrcPort: 60112, DstPort: 443},
	},
	{
		name: "utm/fortios5-type-name",
		line: `date=2016-02-12 time=11:11:29 devname=FG100D devid=FG100D3G00000004 logid=0317013312 type=webfilter subtype=ftgd_allow level=notice vd=root policyid=4 sessionid=5181 srcip=192.168.1.183 srcport=33709 srcintf="lan" dstip=192.0.2.184 dstport=80 dstintf="wan1" proto=6 service=HTTP hostname="www.example.com" action=passthrough`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "lan", OutIface: "wan1", RuleID: "4",
			Session: "5181", Src: "192.168.1.183", Dst: "192.0.2.184", Proto: 6, SrcPort: 33709, DstPort: 80},
	},
	{
		name: "traffic/masked-address-keeps-port",
		line: `date=2025-11-12 time=09:14:13 logid="0000000013" type="traffic" subtype="forward" srcip=10.1.100.11 srcport=58013 dstip=x.x.x.x dstport=25 proto=6 action="deny" policyid=5`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionBlock, RuleID: "5", Src: "10.1.100.11",
			Proto: 6, SrcPort: 58013, DstPort: 25},
	},
	{
		name: "traffic/rfc5424",
		line: `<189>1 2025-11-12T09:14:14+01:00 fw-branch - - - - date=2025-11-12 time=09:14:14 logid="0000000013" type="traffic" subtype="forward" srcip=10.9.0.7 srcport=50123 srcintf="lan" dstip=192.0.2.44 dstport=445 dstintf="wan1" sessionid=1 proto=6 action="server-rst" policyid=2`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "lan", OutIface: "wan1", RuleID: "2",
			Session: "1", Src: "10.9.0.7", Dst: "192.0.2.44", Proto: 6, SrcPort: 50123, DstPort: 445},
		host: "fw-branch",
	},
	{
		name: "traffic/journald",
		line: `{"__REALTIME_TIMESTAMP":"1762938855000000","_HOSTNAME":"collector","SYSLOG_IDENTIFIER":"fortigate","MESSAGE":"date=2025-11-12 time=09:14:15 logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" srcip=10.1.100.11 srcport=58099 dstip=203.0.113.35 dstport=8443 proto=6 action=\"close\" policyid=1 sessionid=77"}`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, RuleID: "1", Session: "77", Src: "10.1.100.11",
			Dst: "203.0.113.35", Proto: 6, SrcPort: 58099, DstPort: 8443},
		host: "collector",
	},
	{
		name: "cef/traffic",
		line: `Nov 12 09:14:16 fw-hq CEF:0|Fortinet|Fortigate|v6.4.8|00013|traffic:forward close|3|deviceExternalId=FGT60FTK21000001 FTNTFGTlogid=0000000013 cat=traffic:forward FTNTFGTsubtype=forward FTNTFGTlevel=notice FTNTFGTvd=root src=10.1.100.11 spt=54190 deviceInboundInterface=internal dst=203.0.113.235 dpt=443 deviceOutboundInterface=wan1 externalId=402 proto=6 act=close FTNTFGTpolicyid=1 FTNTFGTpolicyname=LAN to Internet app=HTTPS FTNTFGTdstcountry=United States sourceTranslatedAddress=198.51.100.2 sourceTranslatedPort=54190 out=3652 in=146668 FTNTFGTsentpkt=58 FTNTFGTrcvdpkt=105`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionPass, InIface: "internal", OutIface: "wan1",
			Label: "LAN to Internet", RuleID: "1", Session: "402", Src: "10.1.100.11", Dst: "203.0.113.235",
			Proto: 6, SrcPort: 54190, DstPort: 443, Bytes: 150320, Packets: 163, SrcNAT: "198.51.100.2", SrcNATPort: 54190},
		host: "fw-hq",
	},
	{
		name: "cef/blank-after-colon-fortios7-prefix",
		line: `<189>CEF: 0|Fortinet|FortiGate|v7.2.5|00013|traffic:local deny|4|FortinetFortiGatelogid=0001000014 cat=traffic:local src=198.51.100.99 spt=45000 dst=192.0.2.10 dpt=23 proto=6 act=deny externalId=31 FortinetFortiGatepolicyid=0`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionBlock, RuleID: "0", Session: "31", Src: "198.51.100.99",
			Dst: "192.0.2.10", Proto: 6, SrcPort: 45000, DstPort: 23},
	},
	{
		name: "cef/without-cef-prefix",
		line: `Nov 12 09:14:18 fw-hq 0|Fortinet|Fortigate|v6.4.8|00013|traffic:forward deny|4|FTNTFGTlogid=0000000013 cat=traffic:forward src=10.1.100.14 spt=41000 dst=192.0.2.77 dpt=6379 proto=6 act=deny FTNTFGTpolicyid=12`,
		want: vendorRecord{Format: FormatFortigate, Action: ActionBlock, RuleID: "12", Src: "10.1.100.14", Dst: "192.0.2.77",
			Proto: 6, SrcPort: 41000, DstPort: 6379},
		host: "fw-hq",
	},
}

// fortigateNotRecords are FortiGate lines that are no traffic record.
var fortigateNotRecords = []string{
	// VPN negotiation, admin login, an SSL event with a port: events.
	`<189>date=2025-11-12 time=09:15:00 devname="FGT60F-HQ" logid="0101037141" type="event" subtype="vpn" level="notice" vd="root" logdesc="IPsec tunnel statistics" msg="IPsec tunnel statistics" action="tunnel-stats" remip=198.51.100.200 locip=192.0.2.1 remport=500 locport=500 outintf="wan1" cookies="1a2b/3c4d" user="N/A" group="N/A" xauthuser="N/A" vpntunnel="to-branch" tunnelip=N/A tunnelid=100 tunneltype="ipsec" duration=3600 sentbyte=1000 rcvdbyte=2000`,
	`<190>date=2025-11-12 time=09:15:01 devname="FGT60F-HQ" logid="0100032001" type="event" subtype="system" level="information" vd="root" logdesc="Admin login successful" sn="1762938901" user="admin" ui="https(10.1.100.11)" method="https" srcip=10.1.100.11 dstip=10.1.100.1 action="login" status="success" reason="none" profile="super_admin" msg="Administrator admin logged in successfully from https(10.1.100.11)"`,
	`<189>date=2025-11-12 time=09:15:02 devname="FGT60F-HQ" logid="0105048039" type="event" subtype="wad" level="error" vd="root" logdesc="SSL Fatal Alert received" session_id=7fa3 policyid=1 srcip=10.1.100.11 srcport=50000 dstip=192.0.2.9 dstport=636 action="receive" alert="2" desc="unknown CA"`,
	// A CEF event log.
	`<189>CEF:0|Fortinet|Fortigate|v6.4.8|32001|event:system login success|3|FTNTFGTlogid=0100032001 cat=event:system src=10.1.100.11 dst=10.1.100.1 act=login`,
	// A traffic log without a destination.
	`date=2025-11-12 time=09:15:03 logid="0000000013" type="traffic" subtype="sniffer" srcip=10.1.100.11 proto=6`,
	// Another vendor's CEF.
	`CEF:0|Acme|Gateway|1.0|100|traffic|3|logid=7 src=10.0.0.1 dst=192.0.2.1 dpt=22 proto=6`,
}

var fortigateBroken = []brokenCase{
	{
		name: "protocol-out-of-range",
		line: `date=2025-11-12 time=09:15:04 logid="0000000013" type="traffic" srcip=10.1.100.11 srcport=1 dstip=192.0.2.1 dstport=2 proto=600 action="deny"`,
		at:   "600", msg: "bad protocol",
	},
	{
		name: "port-out-of-range",
		line: `date=2025-11-12 time=09:15:05 logid="0000000013" type="traffic" srcip=10.1.100.11 srcport=1 dstip=192.0.2.1 dstport=70000 proto=6 action="deny"`,
		at:   "70000", msg: "bad destination port",
	},
	{
		name: "cef-port-not-a-number",
		line: `CEF:0|Fortinet|Fortigate|v6.4.8|00013|traffic:forward deny|4|FTNTFGTlogid=0000000013 cat=traffic:forward src=10.1.100.14 spt=x dst=192.0.2.77 dpt=6379 proto=6 act=deny`,
		at:   "x dst", msg: "bad source port",
	},
}

func TestFortigate(t *testing.T) { testVendorRecords(t, fortigateCases) }

func TestFortigateNotRecords(t *testing.T) { testPassThrough(t, fortigateNotRecords) }

func TestFortigateBroken(t *testing.T) {
	testBroken(t, testParser(FormatUnknown), FormatFortigate, fortigateBroken)
}

func TestFortigateNoAllocs(t *testing.T) {
	testNoAllocs(t, vendorRecordCases(fortigateCases), fortigateBroken)
}

func FuzzFortigate(f *testing.F) {
	addSeeds(f, vendorRecordCases(fortigateCases), fortigateBroken, fortigateNotRecords)
	f.Fuzz(func(t *testing.T, line string) {
		msg := []byte(line)
		var r Record
		var e SyntaxError
		res := parseFortigate(msg, &r, &e)
		checkApplianceResult(t, "parseFortigate", msg, res, &r, &e)

		var r2 Record
		err := testParser(FormatFortigate).Parse(msg, &r2)
		checkParseAliases(t, msg, err, &r2)
	})
}

// BenchmarkFortigate reads the records of examples/fortigate.log.
func BenchmarkFortigate(b *testing.B) { benchFamily(b, FormatFortigate) }
