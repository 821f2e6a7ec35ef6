package parsers

import "testing"

// The lines follow the SFOS syslog guides (versions 17.5, 18 and 20:
// "Firewall" and "IDP" logs) and the field list of the UTM 9 packet
// filter log.
var sophosCases = []vendorCase{
	{
		name: "sfos/allowed-tcp-nat",
		line: `device="SFW" date=2025-11-12 time=09:14:02 timezone="CET" device_name="XG125w" device_id=C44313350024- P29PUA log_id=010101600001 log_type="Firewall" log_component="Firewall Rule" log_subtype="Allowed" status="Allow" priority=Information duration=30 fw_rule_id=5 nat_rule_id=2 policy_type=1 user_name="" user_gp="" iap=13 ips_policy_id=0 appfilter_policy_id=0 application="" application_risk=0 in_interface="Port2" out_interface="Port1" src_mac=00:50:56:99:51:94 dst_mac=00:50:56:99:3D:AC src_ip=10.146.13.30 src_country_code= dst_ip=203.0.113.181 dst_country_code=USA protocol="TCP" src_port=45294 dst_port=443 sent_pkts=12 recv_pkts=10 sent_bytes=1500 recv_bytes=9000 tran_src_ip=198.51.100.2 tran_src_port=40000 tran_dst_ip= tran_dst_port=0 srczonetype="LAN" srczone="LAN" dstzonetype="WAN" dstzone="WAN" dir_disp="" connevent="Stop" connid="2674291981" vconnid="" hb_health="No Heartbeat" message="" appresolvedby="Signature" app_is_cloud=0`,
		want: vendorRecord{Format: FormatSophos, Action: ActionPass, InIface: "Port2", OutIface: "Port1", RuleID: "5", Session: "2674291981",
			Src: "10.146.13.30", Dst: "203.0.113.181", Proto: 6, SrcPort: 45294, DstPort: 443, Bytes: 10500, Packets: 22,
			SrcNAT: "198.51.100.2", SrcNATPort: 40000},
	},
	{
		name: "sfos/denied-udp-rfc3164",
		line: `Nov 12 09:14:03 xg125w device="SFW" date=2025-11-12 time=09:14:03 timezone="CET" device_name="XG125w" device_id=SFDemo-763180a log_id=010302602002 log_type="Firewall" log_component="Appliance Access" log_subtype="Denied" status="Deny" priority=Information duration=0 fw_rule_id=2 policy_type=0 in_interface="Port2.611" out_interface="" src_mac=c8:5b:76:ab:72:d3 src_ip=10.198.38.184 src_country_code= dst_ip=10.198.39.255 dst_country_code= protocol="UDP" src_port=137 dst_port=137 sent_pkts=0 recv_pkts=0 sent_bytes=0 recv_bytes=0 tran_src_ip= tran_src_port=0 tran_dst_ip= tran_dst_port=0 connid="" vconnid=""`,
		want: vendorRecord{Format: FormatSophos, Action: ActionBlock, InIface: "Port2.611", RuleID: "2",
			Src: "10.198.38.184", Dst: "10.198.39.255", Proto: 17, SrcPort: 137, DstPort: 137},
		host: "xg125w",
	},
	{
		name: "sfos/icmp-has-no-ports",
		line: `device="SFW" date=2025-11-12 time=09:14:04 timezone="CET" device_name="XG125w" device_id=SFDemo-763180a log_id=010102600002 log_type="Firewall" log_component="Firewall Rule" log_subtype="Denied" status="Deny" priority=Information duration=0 fw_rule_id=1 policy_type=1 in_interface="Port1" out_interface="Port2.531" src_ip=10.198.32.19 src_country_code= dst_ip=203.0.113.4 dst_country_code= protocol="ICMP" icmp_type=8 icmp_code=0 sent_pkts=0 recv_pkts=0 sent_bytes=0 recv_bytes=0`,
		want: vendorRecord{Format: FormatSophos, Action: ActionBlock, InIface: "Port1", OutIface: "Port2.531", RuleID: "1",
			Src: "10.198.32.19", Dst: "203.0.113.4", Proto: 1, SrcPort: -1, DstPort: -1},
	},
	{
		name: "sfos/fragment-protocol-0",
		line: `device="SFW" date=2025-11-12 time=09:14:05 timezone="CET" device_name="XG125w" device_id=SFDemo-763180a log_id=011402601301 log_type="Firewall" log_component="Fragmented Traffic" log_subtype="Denied" status="Deny" priority=Information duration=0 fw_rule_id=0 policy_type=0 src_ip=0.0.0.0 src_country_code= dst_ip=0.0.0.0 dst_country_code= protocol="0" src_port=0 dst_port=0 sent_pkts=0 recv_pkts=0`,
		want: vendorRecord{Format: FormatSophos, Action: ActionBlock, RuleID: "0",
			Src: "0.0.0.0", Dst: "0.0.0.0", Proto: -1, SrcPort: 0, DstPort: 0},
	},
	{
		name: "sfos/ends-inside-a-quote",
		line: `device="SFW" date=2025-11-12 time=09:14:06 timezone="CET" device_name="XG125w" device_id=SFDemo-763180a log_id=010202601001 log_type="Firewall" log_component="Invalid Traffic" log_subtype="Denied" status="Deny" priority=Information duration=0 fw_rule_id=0 policy_type=0 in_interface="" out_interface="" src_mac= src_ip=10.198.32.19 src_country_code= dst_ip=203.0.113.4 dst_country_code= protocol="UDP" src_port=1353 dst_port=0 sent_pkts=0 recv_pkts=0 message="Invalid UDP destination." appresolvedby="Signature`,
		want: vendorRecord{Format: FormatSophos, Action: ActionBlock, RuleID: "0",
			Src: "10.198.32.19", Dst: "203.0.113.4", Proto: 17, SrcPort: 1353, DstPort: 0},
	},
	{
		name: "sfos/bare-values-with-blanks",
		line: `device="SFW" date=2025-11-12 time=09:14:07 timezone="CET" device_name="SF01V" device_id=SFDemo-ta-vm-55 log_id=010101600001 log_type="Firewall" log_component="Firewall Rule" log_subtype="Allowed" status="Allow" priority=Information duration=0 fw_rule_id=5 nat_rule_id=2 policy_type=1 vlan_id="" ether_type=Unknown (0x0000) bridge_name="" in_interface="Port2" out_interface="Port1" src_ip=10.146.13.30 src_country_code= dst_ip=10.8.142.181 dst_country_code= protocol="TCP" src_port=45294 dst_port=8443 connevent="Start" connid="2674291982"`,
		want: vendorRecord{Format: FormatSophos, Action: ActionPass, InIface: "Port2", OutIface: "Port1", RuleID: "5", Session: "2674291982",
			Src: "10.146.13.30", Dst: "10.8.142.181", Proto: 6, SrcPort: 45294, DstPort: 8443},
	},
	{
		name: "sfos19/quoted-rule-name",
		line: `<30>Nov 12 09:14:08 xgs2100 timestamp="2025-11-12T09:14:08+0100" device_model="XGS2100" device_serial_id="X21000000001" log_id="010101600001" log_type="Firewall" log_component="Firewall Rule" log_subtype="Allowed" log_version=1 severity="Information" fw_rule_id="7" fw_rule_name="LAN to WAN" fw_rule_section="Local rule" nat_rule_id="2" nat_rule_name="Default SNAT" fw_rule_type="NETWORK" in_interface="Port1" out_interface="Port2" src_mac="00:53:00:12:34:56" src_ip="192.168.1.20" src_country="R1" dst_ip="198.51.100.77" dst_country="USA" protocol="UDP" src_port="51413" dst_port="53" packets_sent="1" packets_received="1" bytes_sent="61" bytes_received="77" src_trans_ip="203.0.113.2" src_trans_port="51413" con_id="3377001"`,
		want: vendorRecord{Format: FormatSophos, Action: ActionPass, InIface: "Port1", OutIface: "Port2", Label: "LAN to WAN", RuleID: "7",
			Session: "3377001", Src: "192.168.1.20", Dst: "198.51.100.77", Proto: 17, SrcPort: 51413, DstPort: 53,
			Bytes: 138, Packets: 2, SrcNAT: "203.0.113.2", SrcNATPort: 51413},
		host: "xgs2100",
	},
	{
		name: "sfos/idp-drop",
		line: `device="SFW" date=2025-11-12 time=09:14:09 timezone="CET" device_name="XG310" device_id=SFDemo-9a04c43 log_id=020804402001 log_type="IDP" log_component="Signatures" log_subtype="Drop" priority=Warning idp_policy_id=5 fw_rule_id=3 user_name="" signature_id=58722 signature_msg="SERVER-APACHE Apache Log4j logging remote code execution attempt" classification="Attempted User Privilege Gain" rule_priority=1 src_ip=203.0.113.66 src_country_code=NLD dst_ip=198.51.100.20 dst_country_code=R1 protocol="TCP" src_port=55412 dst_port=8080 platform="Linux" category="Server-Apache" target="Server"`,
		want: vendorRecord{Format: FormatSophos, Action: ActionBlock, RuleID: "3",
			Src: "203.0.113.66", Dst: "198.51.100.20", Proto: 6, SrcPort: 55412, DstPort: 8080},
	},
	{
		name: "utm/packetfilter-drop",
		line: `<30>2025:11:12-09:14:10 utm ulogd[5208]: id="2001" severity="info" sys="SecureNet" sub="packetfilter" name="Packet filter rule #3" action="drop" fwrule="3" initf="eth1" srcmac="00:1a:8c:50:6a:8c" dstmac="00:1a:8c:11:22:33" srcip="203.0.113.9" dstip="198.51.100.2" proto="6" length="60" tos="0x00" prec="0x00" ttl="52" srcport="40192" dstport="23" tcpflags="SYN"`,
		want: vendorRecord{Format: FormatSophos, Action: ActionBlock, InIface: "eth1", Label: "Packet filter rule #3", RuleID: "3",
			Src: "203.0.113.9", Dst: "198.51.100.2", Proto: 6, SrcPort: 40192, DstPort: 23},
	},
	{
		name: "utm/packetfilter-accept-udp",
		line: `2025:11:12-09:14:11 utm ulogd[5208]: id="2002" severity="info" sys="SecureNet" sub="packetfilter" name="Packet accepted" action="accept" fwrule="6" initf="eth0" outitf="eth1" srcmac="00:1a:8c:50:6a:8c" dstmac="00:1a:8c:11:22:33" srcip="192.168.2.10" dstip="192.0.2.53" proto="17" length="61" tos="0x00" prec="0x00" ttl="63" srcport="53413" dstport="53"`,
		want: vendorRecord{Format: FormatSophos, Action: ActionPass, InIface: "eth0", OutIface: "eth1", Label: "Packet accepted", RuleID: "6",
			Src: "192.168.2.10", Dst: "192.0.2.53", Proto: 17, SrcPort: 53413, DstPort: 53},
	},
	{
		name: "utm/packetfilter-icmp",
		line: `2025:11:12-09:14:12 utm ulogd[5208]: id="2001" severity="info" sys="SecureNet" sub="packetfilter" name="Packet filter rule #1" action="drop" fwrule="1" initf="eth1" srcip="203.0.113.50" dstip="198.51.100.2" proto="1" length="84" tos="0x00" prec="0x00" ttl="50" type="8" code="0"`,
		want: vendorRecord{Format: FormatSophos, Action: ActionBlock, InIface: "eth1", Label: "Packet filter rule #1", RuleID: "1",
			Src: "203.0.113.50", Dst: "198.51.100.2", Proto: 1, SrcPort: -1, DstPort: -1},
	},
}

// sophosNotRecords are Sophos lines in the same grammar that are no
// firewall record.
var sophosNotRecords = []string{
	`device="SFW" date=2025-11-12 time=09:15:00 timezone="CET" device_name="XG125w" device_id=SFDemo-763180a log_id=050901616001 log_type="Content Filtering" log_component="HTTP" log_subtype="Allowed" status="" priority=Information fw_rule_id=5 user_name="" category="Search Engines" url="https://www.example.com/?dst_ip=1.2.3.4" src_ip=10.1.1.30 dst_ip=203.0.113.9 protocol="TCP" src_port=50123 dst_port=443`,
	`device="SFW" date=2025-11-12 time=09:15:01 timezone="CET" device_name="XG125w" log_id=075000617050 log_type="WAF" log_component="Web Application Firewall" priority=Information fw_rule_id=12 user_name="" server="www.example.com" sourceip=203.0.113.77 localip=198.51.100.2 ws_protocol="HTTP/1.1" dst_ip=10.2.2.20 url="/login" httpstatus=403`,
	`device="SFW" date=2025-11-12 time=09:15:02 timezone="CET" device_name="XG125w" log_id=062910617701 log_type="Event" log_component="Firewall Authentication" log_subtype="Authentication" status="Failed" priority=Information user_name="jdoe" usergroupname="" auth_client="CTA" auth_mechanism="AD" reason="" src_ip=10.1.1.40 dst_ip=10.1.1.1 fw_rule_id=0 message="User jdoe failed to login"`,
	`device="SFW" date=2025-11-12 time=09:15:03 timezone="CET" device_name="XG125w" log_id=130101200001 log_type="SD-WAN" log_component="SLA" log_subtype="Status" fw_rule_id=0 gateway_name="WAN1" gateway_ip=198.51.100.1 dst_ip=192.0.2.1 message="Gateway WAN1 is up"`,
	`2025:11:12-09:15:04 utm httpproxy[4122]: id="0001" severity="info" sys="SecureWeb" sub="http" name="http access" action="pass" method="GET" srcip="192.168.2.10" dstip="203.0.113.80" user="" statuscode="200" fwrule="0" url="http://www.example.com/" dstport="80"`,
}

var sophosBroken = []brokenCase{
	{
		name: "unknown-protocol-name",
		line: `device="SFW" date=2025-11-12 time=09:15:05 log_type="Firewall" log_subtype="Denied" status="Deny" fw_rule_id=1 src_ip=10.1.1.30 dst_ip=203.0.113.4 protocol="XYZZY" src_port=1 dst_port=2`,
		at:   "XYZZY", msg: "unknown protocol",
	},
	{
		name: "utm-port-out-of-range",
		line: `id="2001" severity="info" sys="SecureNet" sub="packetfilter" name="Packet filter rule #1" action="drop" fwrule="1" srcip="203.0.113.9" dstip="198.51.100.2" proto="6" srcport="1" dstport="65536"`,
		at:   "65536", msg: "bad destination port",
	},
}

func TestSophos(t *testing.T) { testVendorRecords(t, sophosCases) }

func TestSophosNotRecords(t *testing.T) { testPassThrough(t, sophosNotRecords) }

func TestSophosBroken(t *testing.T) {
	testBroken(t, testParser(FormatUnknown), FormatSophos, sophosBroken)
}

func TestSophosNoAllocs(t *testing.T) {
	testNoAllocs(t, vendorRecordCases(sophosCases), sophosBroken)
}

func FuzzSophos(f *testing.F) {
	addSeeds(f, vendorRecordCases(sophosCases), sophosBroken, sophosNotRecords)
	f.Fuzz(func(t *testing.T, line string) {
		msg := []byte(line)
		var r Record
		var e SyntaxError
		res := parseSophos(msg, &r, &e)
		checkApplianceResult(t, "parseSophos", msg, res, &r, &e)

		var r2 Record
		err := testParser(FormatSophos).Parse(msg, &r2)
		checkParseAliases(t, msg, err, &r2)
	})
}

// BenchmarkSophos reads the records of examples/sophos.log.
func BenchmarkSophos(b *testing.B) { benchFamily(b, FormatSophos) }
