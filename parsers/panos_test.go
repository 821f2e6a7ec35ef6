package parsers

import (
	"strings"
	"testing"
)

// The lines follow the PAN-OS syslog field descriptions (Traffic and
// Threat log fields, 10.x and 11.x), the CEF format of the PAN-OS CEF
// configuration guide and the log schema of Strata Logging Service.

// paTrafficTail is what a PAN-OS 10 TRAFFIC log writes after its packet
// counters: start time, elapsed, category, sequence number, action flags,
// locations, packet counts, end reason and the fields appended since.
const paTrafficTail = `,2025/11/12 09:12:06,116,computer-and-internet-info,0,7350121711,0x8000000000000000,192.168.0.0-192.168.255.255,Netherlands,0,17,40,tcp-fin,0,0,0,0,,PA-3220,from-policy,,,0,,0,,N/A,0,0,0,0,ce7a8c2c-0c5e-4f5a-8b5a-8a3f2c0b0e11,0,0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,2025-11-12T09:14:02.118+01:00,,,encrypted-tunnel,networking,browser-based,4,"used-by-malware,able-to-transfer-file,has-known-vulnerability,tunnel-other-application,pervasive-use",,ssl,no,no,0`

var panosCases = []vendorCase{
	{
		name: "traffic/end-rfc3164",
		line: `<14>Nov 12 09:14:02 PA-3220 1,2025/11/12 09:14:02,012801000001,TRAFFIC,end,2816,2025/11/12 09:14:02,192.168.10.21,203.0.113.35,198.51.100.2,203.0.113.35,LAN out,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:14:02,105048,1,58012,443,40012,443,0x40001c,tcp,allow,49412,1188,48224,57` + paTrafficTail,
		want: vendorRecord{Format: FormatPanos, Action: ActionPass, InIface: "ethernet1/2", OutIface: "ethernet1/1", Label: "LAN out",
			Session: "105048", Src: "192.168.10.21", Dst: "203.0.113.35", Proto: 6, SrcPort: 58012, DstPort: 443,
			Bytes: 49412, Packets: 57, SrcNAT: "198.51.100.2", SrcNATPort: 40012, DstNAT: "203.0.113.35", DstNATPort: 443},
		host: "PA-3220",
	},
	{
		name: "traffic/deny-bare-csv",
		line: `1,2025/11/12 09:14:03,012801000001,TRAFFIC,deny,2816,2025/11/12 09:14:03,203.0.113.77,198.51.100.2,0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,vsys1,untrust,untrust,ethernet1/1,,default,2025/11/12 09:14:03,0,1,61002,3389,0,0,0x0,tcp,deny,60,60,0,1` + paTrafficTail,
		want: vendorRecord{Format: FormatPanos, Action: ActionBlock, InIface: "ethernet1/1", Label: "interzone-default", Session: "0",
			Src: "203.0.113.77", Dst: "198.51.100.2", Proto: 6, SrcPort: 61002, DstPort: 3389, Bytes: 60, Packets: 1},
	},
	{
		name: "traffic/drop-udp-pan6-short",
		line: `<14>Nov 12 09:14:04 PA-220 1,2025/11/12 09:14:04,001606000003,TRAFFIC,drop,1,2025/11/12 09:14:04,10.2.1.8,192.168.1.10,0.0.0.0,0.0.0.0,DropLog,,,not-applicable,vsys1,intern,VPN,vlan.1,,Std-Log-Forward,2025/11/12 09:14:04,0,1,137,137,0,0,0x0,udp,deny,114,114,0,1,2025/11/12 09:14:03,0,any,0,9953744,0x0,192.168.0.0-192.168.255.255,DE,0,1,0,policy-deny,19,0,0,0,,PAN1,from-policy`,
		want: vendorRecord{Format: FormatPanos, Action: ActionBlock, InIface: "vlan.1", Label: "DropLog", Session: "0",
			Src: "10.2.1.8", Dst: "192.168.1.10", Proto: 17, SrcPort: 137, DstPort: 137, Bytes: 114, Packets: 1},
		host: "PA-220",
	},
	{
		name: "traffic/icmp-has-no-port",
		line: `1,2025/11/12 09:14:05,012801000001,TRAFFIC,end,2816,2025/11/12 09:14:05,192.168.10.21,198.51.100.1,198.51.100.2,198.51.100.1,LAN out,,,ping,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:14:05,105060,1,0,0,0,0,0x19,icmp,allow,196,98,98,2` + paTrafficTail,
		want: vendorRecord{Format: FormatPanos, Action: ActionPass, InIface: "ethernet1/2", OutIface: "ethernet1/1", Label: "LAN out",
			Session: "105060", Src: "192.168.10.21", Dst: "198.51.100.1", Proto: 1, SrcPort: -1, DstPort: -1, Bytes: 196, Packets: 2,
			SrcNAT: "198.51.100.2", DstNAT: "198.51.100.1"},
	},
	{
		name: "traffic/ipv6",
		line: `1,2025/11/12 09:14:06,012801000001,TRAFFIC,start,2816,2025/11/12 09:14:06,2001:db8:10::44,2001:db8:ffff::80,::,::,LAN out v6,,,smtp,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:14:06,105070,1,50500,25,0,0,0x0,tcp,allow,74,74,0,1` + paTrafficTail,
		want: vendorRecord{Format: FormatPanos, Action: ActionPass, InIface: "ethernet1/2", OutIface: "ethernet1/1", Label: "LAN out v6",
			Session: "105070", Src: "2001:db8:10::44", Dst: "2001:db8:ffff::80", Proto: 6, SrcPort: 50500, DstPort: 25, Bytes: 74, Packets: 1},
	},
	{
		name: "traffic/first-field-taken-for-a-host",
		line: `Nov 12 09:14:07 1,2025/11/12 09:14:07,012801000001,TRAFFIC,end,2816,2025/11/12 09:14:07,192.168.10.22,203.0.113.36,0.0.0.0,0.0.0.0,LAN out,,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:14:07,105071,1,58013,80,0,0,0x1c,tcp,allow,900,300,600,8` + paTrafficTail,
		want: vendorRecord{Format: FormatPanos, Action: ActionPass, InIface: "ethernet1/2", OutIface: "ethernet1/1", Label: "LAN out",
			Session: "105071", Src: "192.168.10.22", Dst: "203.0.113.36", Proto: 6, SrcPort: 58013, DstPort: 80, Bytes: 900, Packets: 8},
		host: "1,2025/11/12",
	},
	{
		name: "threat/vulnerability-url-with-commas",
		line: `<11>Nov 12 09:14:08 PA-3220 1,2025/11/12 09:14:08,012801000001,THREAT,vulnerability,2816,2025/11/12 09:14:08,203.0.113.66,198.51.100.20,0.0.0.0,0.0.0.0,Publish web,,,web-browsing,vsys1,untrust,dmz,ethernet1/1,ethernet1/3,default,2025/11/12 09:14:08,105090,1,55412,8080,0,0,0x80402000,tcp,reset-both,"/?q=a,b,""c"",TRAFFIC,999",Apache Log4j Remote Code Execution Vulnerability(91991),any,critical,client-to-server,7350121799,0x8000000000000000,Netherlands,10.0.0.0-10.255.255.255,0,,0,,,0,,,,,,,,0,0,0,0,0,,PA-3220,,,,,0,,0,,N/A,code-execution,AppThreat-8765-8001,0x0,0,4294967295`,
		want: vendorRecord{Format: FormatPanos, Action: ActionReject, InIface: "ethernet1/1", OutIface: "ethernet1/3", Label: "Publish web",
			Session: "105090", Src: "203.0.113.66", Dst: "198.51.100.20", Proto: 6, SrcPort: 55412, DstPort: 8080},
		host: "PA-3220",
	},
	{
		name: "threat/server-to-client-keeps-the-log-reading",
		line: `1,2025/11/12 09:14:09,012801000001,THREAT,virus,2816,2025/11/12 09:14:09,203.0.113.99,192.168.10.21,203.0.113.99,198.51.100.2,LAN out,,,web-browsing,vsys1,untrust,trust,ethernet1/1,ethernet1/2,default,2025/11/12 09:14:09,105095,1,80,51787,80,25025,0x400000,tcp,reset-both,"eicar.com",Eicar Test File(100000),computer-and-internet-info,medium,server-to-client,7350121800,0x0,Netherlands,192.168.0.0-192.168.255.255,0,,0,,,1,,,"","",,,,0,19,0,0,0,,PA-3220,`,
		want: vendorRecord{Format: FormatPanos, Action: ActionReject, InIface: "ethernet1/1", OutIface: "ethernet1/2", Label: "LAN out",
			Session: "105095", Src: "203.0.113.99", Dst: "192.168.10.21", Proto: 6, SrcPort: 80, DstPort: 51787,
			SrcNAT: "203.0.113.99", SrcNATPort: 80, DstNAT: "198.51.100.2", DstNATPort: 25025},
	},
	{
		name: "cef/traffic",
		line: `Nov 12 09:14:10 PA-3220 CEF:0|Palo Alto Networks|PAN-OS|10.2.4|end|TRAFFIC|1|rt=Nov 12 2025 09:14:10 GMT deviceExternalId=012801000001 src=192.168.10.23 dst=203.0.113.37 sourceTranslatedAddress=198.51.100.2 destinationTranslatedAddress=203.0.113.37 cs1Label=Rule cs1=LAN out suser= duser= app=dns cs3Label=Virtual System cs3=vsys1 cs4Label=Source Zone cs4=trust cs5Label=Destination Zone cs5=untrust deviceInboundInterface=ethernet1/2 deviceOutboundInterface=ethernet1/1 cs6Label=LogProfile cs6=default cn1Label=SessionID cn1=105100 cnt=1 spt=50333 dpt=53 sourceTranslatedPort=40333 destinationTranslatedPort=53 flexString1Label=Flags flexString1=0x19 proto=udp act=allow flexNumber1Label=Total bytes flexNumber1=138 in=77 out=61 cn2Label=Packets cn2=2`,
		want: vendorRecord{Format: FormatPanos, Action: ActionPass, InIface: "ethernet1/2", OutIface: "ethernet1/1", Label: "LAN out",
			Session: "105100", Src: "192.168.10.23", Dst: "203.0.113.37", Proto: 17, SrcPort: 50333, DstPort: 53, Bytes: 138,
			SrcNAT: "198.51.100.2", SrcNATPort: 40333, DstNAT: "203.0.113.37", DstNATPort: 53},
		host: "PA-3220",
	},
	{
		name: "cef/threat",
		line: `<14>CEF:0|Palo Alto Networks|PAN-OS|11.1.0|spyware|THREAT|5|rt=Nov 12 2025 09:14:11 GMT deviceExternalId=012801000001 src=192.168.10.24 dst=203.0.113.38 cs1Label=Rule cs1=LAN out deviceInboundInterface=ethernet1/2 deviceOutboundInterface=ethernet1/1 cn1Label=SessionID cn1=105101 spt=50334 dpt=4444 proto=tcp act=drop request="c2.example/beacon"`,
		want: vendorRecord{Format: FormatPanos, Action: ActionBlock, InIface: "ethernet1/2", OutIface: "ethernet1/1", Label: "LAN out",
			Session: "105101", Src: "192.168.10.24", Dst: "203.0.113.38", Proto: 6, SrcPort: 50334, DstPort: 4444},
	},
	{
		name: "json/strata-logging-service",
		line: `{"TimeReceived":"2025-11-12T09:14:12.000000Z","DeviceSN":"012801000001","LogType":"TRAFFIC","Subtype":"end","ConfigVersion":"10.2","TimeGenerated":"2025-11-12T09:14:12.000000Z","SourceAddress":"192.168.10.25","DestinationAddress":"203.0.113.39","NATSource":"198.51.100.2","NATDestination":"203.0.113.39","Rule":"LAN out","SourceUser":null,"DestinationUser":null,"Application":"ssl","VirtualLocation":"vsys1","FromZone":"trust","ToZone":"untrust","InboundInterface":"ethernet1/2","OutboundInterface":"ethernet1/1","LogSetting":"default","SessionID":105102,"RepeatCount":1,"SourcePort":58020,"DestinationPort":8443,"NATSourcePort":40020,"NATDestinationPort":8443,"Protocol":"tcp","Action":"allow","Bytes":5000,"BytesSent":1000,"BytesReceived":4000,"PacketsTotal":20,"SessionStartTime":"2025-11-12T09:12:00.000000Z","SessionDuration":132,"URLCategory":"computer-and-internet-info","SequenceNo":7350121801,"SourceLocation":"192.168.0.0-192.168.255.255","DestinationLocation":"NL","PacketsSent":10,"PacketsReceived":10,"SessionEndReason":"tcp-fin","DeviceName":"PA-3220"}`,
		want: vendorRecord{Format: FormatPanos, Action: ActionPass, InIface: "ethernet1/2", OutIface: "ethernet1/1", Label: "LAN out",
			Session: "105102", Src: "192.168.10.25", Dst: "203.0.113.39", Proto: 6, SrcPort: 58020, DstPort: 8443, Bytes: 5000, Packets: 20,
			SrcNAT: "198.51.100.2", SrcNATPort: 40020, DstNAT: "203.0.113.39", DstNATPort: 8443},
	},
}

// panosNotRecords are PAN-OS logs of the kinds that are no traffic
// record, though some carry addresses and ports.
var panosNotRecords = []string{
	`<14>Nov 12 09:15:00 PA-3220 1,2025/11/12 09:15:00,012801000001,SYSTEM,general,2816,2025/11/12 09:15:00,,general,,0,0,general,informational,"Deviating device: Prisma Access, Serial: 012801000001, Object: N/A, Metric: mp-cpu, Value: 34",7350121900,0x0,0,0,0,0,,PA-3220,0,0,2025-11-12T09:15:00.000+01:00`,
	`<14>Nov 12 09:15:01 PA-3220 1,2025/11/12 09:15:01,012801000001,CONFIG,0,2816,2025/11/12 09:15:01,192.168.10.5,,set,admin,Web,Succeeded, deviceconfig system,7350121901,0x0,0,0,0,0,,PA-3220,"","",,2025-11-12T09:15:01.000+01:00`,
	`<14>Nov 12 09:15:02 PA-3220 1,2025/11/12 09:15:02,012801000001,USERID,login,2816,2025/11/12 09:15:02,vsys1,192.168.10.21,example\jdoe,,0,1,2700,0,0,ad-server,agent,7350121902,0x0,0,0,0,0,,PA-3220,1,,2025/11/12 09:15:02,1,0x0,jdoe,,,,,,,,,,,,,,2025-11-12T09:15:02.000+01:00`,
	`<14>Nov 12 09:15:03 PA-3220 1,2025/11/12 09:15:03,012801000001,GLOBALPROTECT,0,2816,2025/11/12 09:15:03,vsys1,gateway-auth,login,LDAP,,jdoe,NL,laptop-17,203.0.113.50,0.0.0.0,10.200.0.5,0.0.0.0,,,Windows,Windows 10,1,,,,success,,0,user-logon,0,,GP-gw,7350121903,0x0,2025-11-12T09:15:03.000+01:00,,,,,,0,0,0,0,,PA-3220,1`,
	`<14>Nov 12 09:15:04 PA-3220 1,2025/11/12 09:15:04,012801000001,HIPMATCH,0,2816,2025/11/12 09:15:04,jdoe,vsys1,laptop-17,Windows,192.168.10.21,corp-compliant,1,profile,0,0,7350121904,0x0,0,0,0,0,,PA-3220,1,0.0.0.0,00:53:00:00:00:01,4C4C4544-0000,,2025-11-12T09:15:04.000+01:00`,
	`<14>Nov 12 09:15:05 PA-3220 1,2025/11/12 09:15:05,012801000001,DECRYPTION,0,2816,2025/11/12 09:15:05,192.168.10.21,203.0.113.35,198.51.100.2,203.0.113.35,LAN out,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:15:05,105048,1,58012,443,40012,443,0x400000,tcp,allow,,,,,,,,,,,,,,,,,,,`,
	// A TRAFFIC log cut before its action (by a relay's size limit).
	`1,2025/11/12 09:15:08,012801000001,TRAFFIC,end,2816,2025/11/12 09:15:08,192.168.10.21,203.0.113.35,0.0.0.0,0.0.0.0,LAN out,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:15:08,1,1,58012,443,0,0,0x0`,
	// CSV of another shape, and another vendor's CEF.
	`1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32`,
	`CEF:0|Acme|Gateway|1.0|end|TRAFFIC|1|src=10.0.0.1 dst=192.0.2.1 spt=1 dpt=22 proto=tcp`,
}

var panosBroken = []brokenCase{
	{
		name: "unknown-protocol",
		line: `1,2025/11/12 09:15:06,012801000001,TRAFFIC,end,2816,2025/11/12 09:15:06,192.168.10.21,203.0.113.35,0.0.0.0,0.0.0.0,LAN out,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:15:06,1,1,58012,443,0,0,0x0,pigeon,allow,1,1,0,1`,
		at:   "pigeon", msg: "unknown protocol",
	},
	{
		name: "port-out-of-range",
		line: `1,2025/11/12 09:15:07,012801000001,TRAFFIC,end,2816,2025/11/12 09:15:07,192.168.10.21,203.0.113.35,0.0.0.0,0.0.0.0,LAN out,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:15:07,1,1,58012,70000,0,0,0x0,tcp,allow,1,1,0,1`,
		at:   "70000", msg: "bad destination port",
	},
}

func TestPanos(t *testing.T) { testVendorRecords(t, panosCases) }

func TestPanosNotRecords(t *testing.T) { testPassThrough(t, panosNotRecords) }

func TestPanosBroken(t *testing.T) {
	testBroken(t, testParser(FormatUnknown), FormatPanos, panosBroken)
}

func TestPanosNoAllocs(t *testing.T) {
	testNoAllocs(t, vendorRecordCases(panosCases), panosBroken)
}

// TestPanosCSVQuotes checks the reading of quoted fields: a quoted field
// may hold commas and doubled quotes, and an unclosed one runs to the
// end.
func TestPanosCSVQuotes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`a,"b,c",d`, []string{"a", "b,c", "d"}},
		{`"x ""y"", z",,`, []string{`x ""y"", z`, "", ""}},
		{`"open,end`, []string{"open,end"}},
		{``, []string{""}},
	} {
		c := paCSV{b: []byte(tc.in)}
		var got []string
		for v, ok := c.next(); ok; v, ok = c.next() {
			got = append(got, string(v.val))
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("fields of %q = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzPanos(f *testing.F) {
	addSeeds(f, vendorRecordCases(panosCases), panosBroken, panosNotRecords)
	f.Fuzz(func(t *testing.T, line string) {
		msg := []byte(line)
		var r Record
		var e SyntaxError
		res := parsePanos(msg, &r, &e)
		checkApplianceResult(t, "parsePanos", msg, res, &r, &e)

		var r2 Record
		err := testParser(FormatPanos).Parse(msg, &r2)
		checkParseAliases(t, msg, err, &r2)
	})
}

// BenchmarkPanos reads the records of examples/panos.log.
func BenchmarkPanos(b *testing.B) { benchFamily(b, FormatPanos) }
