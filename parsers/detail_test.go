package parsers

import "testing"

// detailCase is a record and the fields beyond its destination that the
// log shows: TCP flags and the rule's id.
type detailCase struct {
	name, line string
	flags      TCPFlags
	hasFlags   bool
	ruleID     string
}

var nfTCPHead = "Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:00:11:22:33:44:55:08:00 SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=23 "

var detailCases = []detailCase{
	{"netfilter/syn", nfTCPHead + "WINDOW=5840 RES=0x00 SYN URGP=0", TCPSyn, true, ""},
	{"netfilter/syn-ecn", nfTCPHead + "WINDOW=64240 RES=0x00 CWR ECE SYN URGP=0", TCPCwr | TCPEce | TCPSyn, true, ""},
	{"netfilter/sequence", nfTCPHead + "SEQ=3158237361 ACK=1 WINDOW=501 RES=0x00 ACK PSH URGP=0 OPT (0101080A)", TCPAck | TCPPsh, true, ""},
	{"netfilter/null-scan", nfTCPHead + "WINDOW=1024 RES=0x00 URGP=0", 0, true, ""},
	{"netfilter/xmas-scan", nfTCPHead + "WINDOW=1024 RES=0x00 URG PSH FIN URGP=0", TCPUrg | TCPPsh | TCPFin, true, ""},
	{"netfilter/rst-ack-uid", nfTCPHead + "WINDOW=0 RES=0x00 ACK RST URGP=0 UID=0 GID=0", TCPAck | TCPRst, true, ""},
	{"netfilter/accurate-ecn", nfTCPHead + "WINDOW=64240 RES=0x00 AE ACK URGP=0", TCPAE | TCPAck, true, ""},
	{"netfilter/word-glued-to-res", nfTCPHead + "WINDOW=64240 RES=0x00SYN URGP=0", 0, true, ""},
	{"netfilter/cut-before-urgp", nfTCPHead + "WINDOW=5840 RES=0x00 SYN", 0, false, ""},
	{"netfilter/udp", "Nov 25 06:25:14 web1 kernel: DROP IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.10 LEN=28 TOS=0x00 PREC=0x00 TTL=53 ID=1 PROTO=UDP SPT=11211 DPT=41337 LEN=8", 0, false, ""},

	{"pf/tcpdump-syn", "rule 0/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.22: Flags [S], seq 3158237361, win 65535, length 0", TCPSyn, true, "0"},
	{"pf/tcpdump-syn-ack", "rule 2/0(match): pass out on em0: 198.51.100.7.22 > 203.0.113.5.5678: Flags [S.], seq 1, ack 3158237362, win 65160, length 0", TCPSyn | TCPAck, true, "2"},
	{"pf/tcpdump-none", "rule 0/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.22: Flags [none], win 1024, length 0", 0, true, "0"},
	{"pf/tcpdump-xmas", "rule 0/0(match): block in on em0: 203.0.113.5.5678 > 198.51.100.7.22: Flags [FPU], seq 1, win 1024, urg 0, length 0", TCPFin | TCPPsh | TCPUrg, true, "0"},
	{"pf/openbsd-syn", "rule 12/(match) block in on em0: 203.0.113.5.51234 > 198.51.100.7.23: S 1:1(0) win 65535 <mss 1460>", TCPSyn, true, "12"},
	{"pf/openbsd-syn-ack", "rule 3/(match) pass out on em0: 198.51.100.7.23 > 203.0.113.5.51234: S 9:9(0) ack 2 win 16384 <mss 1460>", TCPSyn | TCPAck, true, "3"},
	{"pf/openbsd-ack", "rule 3/(match) pass in on em0: 203.0.113.5.51234 > 198.51.100.7.23: . ack 1 win 512", TCPAck, true, "3"},
	{"pf/openbsd-push-ack", "Mar 30 15:32:33.483712 rule 2/(match) pass in on xl0: 192.0.2.3.6667 > 198.51.100.10.16290: P 7408:7677(269) ack 1773 win 2520 <nop,nop,timestamp 1 2> (DF)", TCPPsh | TCPAck, true, "2"},
	{"pf/openbsd-urgent", "rule 3/(match) pass in on em0: 203.0.113.5.51234 > 198.51.100.7.23: FP 5:5(0) urg 1 win 1024", TCPFin | TCPPsh | TCPUrg, true, "3"},
	{"pf/truncated", "rule 4/(match) block in on lo0: 127.0.0.1.48784 > 127.0.0.1.23: [|tcp] (DF)", 0, false, "4"},
	{"pf/anchor", "rule 1.fRXG.48/0(match): block in on igb0: 203.0.113.5.5678 > 198.51.100.7.22: Flags [S], seq 1, win 1024, length 0", TCPSyn, true, "1.fRXG.48"},
	{"pf/udp", "rule 3/(match) pass out on xl0: 192.168.2.10.1514 > 192.168.2.190.1030:  udp 73", 0, false, "3"},

	{"filterlog/syn", "<134>Jul  3 19:10:30 filterlog[72237]: 146,,,1535324496,igb1.12,match,block,in,4,0x0,,63,12617,0,DF,6,tcp,60,192.0.2.50,198.51.100.1,49724,853,0,S,1891286705,,64240,,mss;sackOK;TS;nop;wscale", TCPSyn, true, "1535324496"},
	{"filterlog/syn-ack", "Nov 25 06:25:14 fw filterlog[1]: 5,,,1000000103,igb0,match,pass,out,4,0x0,,64,0,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,22,51234,0,SA,1,2,64240,,mss", TCPSyn | TCPAck, true, "1000000103"},
	{"filterlog/null-scan", "Nov 25 06:25:14 fw filterlog[1]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,40,192.0.2.1,198.51.100.2,51234,22,0,,1,,1024,,", 0, true, "1000000103"},
	{"filterlog/xmas-ipv6", "Nov 25 06:25:14 fw filterlog[1]: 5,,,1000000103,igb0,match,block,in,6,0x00,0x00000,64,tcp,6,40,2001:db8::1,2001:db8::2,51234,22,0,FPU,1,,1024,,", TCPFin | TCPPsh | TCPUrg, true, "1000000103"},
	{"filterlog/no-tracker", "Nov 25 06:25:14 fw filterlog[1]: 5,,,,igb0,match,block,in,4,0x0,,64,0,0,DF,17,udp,60,192.0.2.1,198.51.100.2,1000,53,40", 0, false, "5"},
	{"filterlog/cut-before-flags", "Nov 25 06:25:14 fw filterlog[1]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,51234,22,0", 0, false, "1000000103"},
}

func TestDetail(t *testing.T) {
	for _, tc := range detailCases {
		t.Run(tc.name, func(t *testing.T) {
			var p Parser
			var r Record
			if err := p.Parse([]byte(tc.line), &r); err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if r.TCPFlags != tc.flags || r.HasTCPFlags != tc.hasFlags {
				t.Errorf("TCP flags %q (known %v), want %q (known %v)", r.TCPFlags, r.HasTCPFlags, tc.flags, tc.hasFlags)
			}
			if string(r.RuleID) != tc.ruleID {
				t.Errorf("RuleID %q, want %q", r.RuleID, tc.ruleID)
			}
			// Plain text mode reads the flags no more, and every other
			// field as before.
			q := Parser{NoTCPFlags: true}
			var s Record
			if err := q.Parse([]byte(tc.line), &s); err != nil {
				t.Fatalf("Parse with NoTCPFlags: %v", err)
			}
			if s.HasTCPFlags || s.TCPFlags != 0 {
				t.Errorf("NoTCPFlags read the flags %q", s.TCPFlags)
			}
			s.TCPFlags, s.HasTCPFlags = r.TCPFlags, r.HasTCPFlags
			if d := parseDiff([]byte(tc.line), nil, &r, nil, &s); d != "" {
				t.Errorf("NoTCPFlags changed %s", d)
			}
		})
	}
}

func TestTCPFlagsNames(t *testing.T) {
	for _, tt := range []struct {
		f    TCPFlags
		want string
	}{
		{0, ""},
		{TCPSyn, "syn"},
		{TCPSyn | TCPAck, "syn,ack"},
		{TCPFin | TCPPsh | TCPUrg, "fin,psh,urg"},
		{TCPCwr | TCPEce | TCPAE, "ece,cwr,ae"},
		{0x1ff, "fin,syn,rst,psh,ack,urg,ece,cwr,ae"},
	} {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%#x: %q, want %q", uint16(tt.f), got, tt.want)
		}
	}
	if got := string((TCPSyn | TCPAck).AppendNames(nil, `","`)); got != `syn","ack` {
		t.Errorf(`AppendNames(nil, "\",\"") = %q`, got)
	}
}

func TestDetailNoAllocs(t *testing.T) {
	var p Parser
	var r Record
	for _, tc := range detailCases {
		line := []byte(tc.line)
		if n := testing.AllocsPerRun(50, func() { p.Parse(line, &r) }); n != 0 {
			t.Errorf("%s: %v allocations per Parse", tc.name, n)
		}
	}
}
