package parsers

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// nfWant is what a netfilter line must parse to. Empty strings mean an
// empty (nil) field or the zero address.
type nfWant struct {
	action       Action
	dir          Direction
	in, out      string
	src, dst     string
	proto        Protocol
	ports        bool
	sport, dport uint16
	label        string
	host         string
}

var netfilterTests = []struct {
	name string
	line string
	want nfWant
}{
	{
		name: "ufw block, rfc3164 with kernel uptime",
		line: "Mar  3 06:25:41 web-1 kernel: [7263012.334563] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:07:fe:54:00:8e:1a:07:08:00 SRC=185.220.101.34 DST=203.0.113.10 LEN=44 TOS=0x00 PREC=0x00 TTL=241 ID=54321 PROTO=TCP SPT=43521 DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "185.220.101.34", dst: "203.0.113.10", proto: ProtoTCP, ports: true, sport: 43521, dport: 3389, label: "[UFW BLOCK]", host: "web-1"},
	},
	{
		name: "ufw allow, outbound, no MAC",
		line: "Mar  3 06:25:42 web-1 kernel: [7263013.001200] [UFW ALLOW] IN= OUT=eth0 SRC=203.0.113.10 DST=198.51.100.53 LEN=73 TOS=0x00 PREC=0x00 TTL=64 ID=40561 DF PROTO=UDP SPT=47002 DPT=53 LEN=53",
		want: nfWant{action: ActionPass, dir: DirOut, out: "eth0", src: "203.0.113.10", dst: "198.51.100.53", proto: ProtoUDP, ports: true, sport: 47002, dport: 53, label: "[UFW ALLOW]", host: "web-1"},
	},
	{
		name: "ufw audit, ICMPv6 neighbour solicitation, fully expanded addresses",
		line: "Mar  3 06:25:43 web-1 kernel: [7263014.110032] [UFW AUDIT] IN=eth0 OUT= MAC=33:33:ff:00:00:02:52:54:00:12:34:56:86:dd SRC=fe80:0000:0000:0000:5054:00ff:fe12:3456 DST=ff02:0000:0000:0000:0000:0001:ff00:0002 LEN=72 TC=0 HOPLIMIT=255 FLOWLBL=0 PROTO=ICMPv6 TYPE=135 CODE=0",
		want: nfWant{action: ActionLog, dir: DirIn, in: "eth0", src: "fe80::5054:ff:fe12:3456", dst: "ff02::1:ff00:2", proto: ProtoICMPv6, label: "[UFW AUDIT]", host: "web-1"},
	},
	{
		name: "ufw limit block",
		line: "Mar  3 06:26:01 web-1 kernel: [7263032.777001] [UFW LIMIT BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:07:fe:54:00:8e:1a:07:08:00 SRC=45.148.10.81 DST=203.0.113.10 LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=3301 DF PROTO=TCP SPT=50122 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "45.148.10.81", dst: "203.0.113.10", proto: ProtoTCP, ports: true, sport: 50122, dport: 22, label: "[UFW LIMIT BLOCK]", host: "web-1"},
	},
	{
		name: "firewalld FINAL_REJECT",
		line: "Apr 11 09:14:27 db-2 kernel: FINAL_REJECT: IN=ens192 OUT= MAC=00:50:56:a1:b2:c3:00:50:56:9f:00:01:08:00 SRC=10.20.30.40 DST=10.20.30.5 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=12099 DF PROTO=TCP SPT=39874 DPT=5432 WINDOW=29200 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionReject, dir: DirIn, in: "ens192", src: "10.20.30.40", dst: "10.20.30.5", proto: ProtoTCP, ports: true, sport: 39874, dport: 5432, label: "FINAL_REJECT:", host: "db-2"},
	},
	{
		name: "firewalld nftables filter_IN_public_REJECT",
		line: "Apr 11 09:15:02 db-2 kernel: filter_IN_public_REJECT: IN=ens192 OUT= MAC=00:50:56:a1:b2:c3:00:50:56:9f:00:01:08:00 SRC=10.20.30.41 DST=10.20.30.5 LEN=52 TOS=0x00 PREC=0x00 TTL=128 ID=2212 DF PROTO=TCP SPT=61522 DPT=445 WINDOW=64240 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionReject, dir: DirIn, in: "ens192", src: "10.20.30.41", dst: "10.20.30.5", proto: ProtoTCP, ports: true, sport: 61522, dport: 445, label: "filter_IN_public_REJECT:", host: "db-2"},
	},
	{
		name: "shorewall, prefix glued to IN=",
		line: "Jul 19 22:01:13 gw kernel: [ 8812.004311] Shorewall:net-fw:DROP:IN=ppp0 OUT= SRC=92.63.197.153 DST=198.51.100.2 LEN=40 TOS=0x00 PREC=0x00 TTL=243 ID=48722 PROTO=TCP SPT=47318 DPT=8291 WINDOW=1024 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "ppp0", src: "92.63.197.153", dst: "198.51.100.2", proto: ProtoTCP, ports: true, sport: 47318, dport: 8291, label: "Shorewall:net-fw:DROP:", host: "gw"},
	},
	{
		name: "SuSEfirewall2, empty MAC",
		line: "Feb  2 13:40:09 leap kernel: SFW2-INext-DROP-DEFLT IN=ppp0 OUT= MAC= SRC=77.83.36.12 DST=198.51.100.77 LEN=48 TOS=0x00 PREC=0x00 TTL=114 ID=2719 PROTO=UDP SPT=5093 DPT=1900 LEN=28",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "ppp0", src: "77.83.36.12", dst: "198.51.100.77", proto: ProtoUDP, ports: true, sport: 5093, dport: 1900, label: "SFW2-INext-DROP-DEFLT", host: "leap"},
	},
	{
		name: "SuSEfirewall2 ACC with TCP options",
		line: "Feb  2 13:41:10 leap kernel: [20474.050964] SFW2-INext-ACC-TCP IN=eth0 OUT= MAC=28:45:a7:f3:18:00:00:22:15:67:6a:25:08:00 SRC=192.168.7.21 DST=192.168.7.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=6429 DF PROTO=TCP SPT=59282 DPT=631 WINDOW=14600 RES=0x00 SYN URGP=0 OPT (020405B40402080A00825F5D0000000001030307)",
		want: nfWant{action: ActionPass, dir: DirIn, in: "eth0", src: "192.168.7.21", dst: "192.168.7.1", proto: ProtoTCP, ports: true, sport: 59282, dport: 631, label: "SFW2-INext-ACC-TCP", host: "leap"},
	},
	{
		name: "EdgeOS default drop glued to IN=, RFC 3164 with PRI",
		line: "<4>Oct 10 07:25:12 edge-router kernel: [WAN_LOCAL-default-D]IN=eth0 OUT= MAC=80:2a:a8:11:22:33:00:01:5c:aa:bb:cc:08:00 SRC=89.248.165.52 DST=198.51.100.9 LEN=40 TOS=0x00 PREC=0x00 TTL=246 ID=54321 PROTO=TCP SPT=49690 DPT=8443 WINDOW=65535 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "89.248.165.52", dst: "198.51.100.9", proto: ProtoTCP, ports: true, sport: 49690, dport: 8443, label: "[WAN_LOCAL-default-D]", host: "edge-router"},
	},
	{
		name: "EdgeOS accept, forwarded",
		line: "Jan  5 20:17:01 edge-router kernel: [WAN_OUT-2000-A]IN=eth1 OUT=eth0 MAC=80:2a:a8:11:22:34:00:0c:29:dd:ee:ff:08:00 SRC=192.168.1.50 DST=140.82.121.3 LEN=52 TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=50093 DPT=443 WINDOW=2853 RES=0x00 ACK URGP=0",
		want: nfWant{action: ActionPass, in: "eth1", out: "eth0", src: "192.168.1.50", dst: "140.82.121.3", proto: ProtoTCP, ports: true, sport: 50093, dport: 443, label: "[WAN_OUT-2000-A]", host: "edge-router"},
	},
	{
		name: "UniFi, repeated hostname, DESCR in prefix, TOS without 0x, MARK",
		line: "Jun 13 23:29:15 UDM-Pro UDM-Pro [WAN_LOCAL-D-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\" IN=eth8 OUT= MAC=74:ac:b9:1c:62:e5:00:17:10:2b:31:a9:08:00 SRC=141.98.11.23 DST=198.51.100.30 LEN=122 TOS=00 PREC=0x00 TTL=49 ID=45366 DF PROTO=UDP SPT=38451 DPT=5060 LEN=102 MARK=1a0000",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth8", src: "141.98.11.23", dst: "198.51.100.30", proto: ProtoUDP, ports: true, sport: 38451, dport: 5060, label: "[WAN_LOCAL-D-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\"", host: "UDM-Pro"},
	},
	{
		name: "OpenWRT DROP(src wan)",
		line: "Nov 18 13:39:49 OpenWrt kernel: [10051.313745] DROP(src wan)IN=eth0.2 OUT= MAC=c2:56:27:73:33:cf:c4:f0:81:b0:93:24:08:00 SRC=205.210.31.7 DST=192.0.2.100 LEN=44 TOS=0x00 PREC=0x00 TTL=31 ID=8549 PROTO=TCP SPT=40952 DPT=23 WINDOW=64144 RES=0x00 SYN URGP=0 MARK=0xff00",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0.2", src: "205.210.31.7", dst: "192.0.2.100", proto: ProtoTCP, ports: true, sport: 40952, dport: 23, label: "DROP(src wan)", host: "OpenWrt"},
	},
	{
		name: "Proxmox policy DROP, no OUT=",
		line: "0 5 PVEFW-HOST-IN 15/Nov/2022:10:12:45 +0100 policy DROP: IN=vmbr0 MAC=24:8a:07:9a:2a:f2:24:8a:07:50:2c:9e:08:00 SRC=10.3.94.11 DST=10.3.94.12 LEN=52 TOS=0x00 PREC=0xC0 TTL=255 ID=64317 DF PROTO=UDP SPT=49152 DPT=3784 LEN=32",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "vmbr0", src: "10.3.94.11", dst: "10.3.94.12", proto: ProtoUDP, ports: true, sport: 49152, dport: 3784, label: "0 5 PVEFW-HOST-IN 15/Nov/2022:10:12:45 +0100 policy DROP:"},
	},
	{
		name: "Proxmox OUT= only",
		line: "0 1 PVEFW-HOST-OUT 15/Nov/2022:10:16:23 +0100 REJECT: OUT=vmbr0 SRC=10.3.94.12 DST=10.3.94.10 LEN=60 TOS=0x10 PREC=0x00 TTL=64 ID=59156 DF PROTO=TCP SPT=49566 DPT=22 SEQ=708451139 ACK=0 WINDOW=64240 SYN",
		want: nfWant{action: ActionReject, dir: DirOut, out: "vmbr0", src: "10.3.94.12", dst: "10.3.94.10", proto: ProtoTCP, ports: true, sport: 49566, dport: 22, label: "0 1 PVEFW-HOST-OUT 15/Nov/2022:10:16:23 +0100 REJECT:"},
	},
	{
		name: "Proxmox bridge, PHYSIN/PHYSOUT, SEQ= and ACK= keys, IPv6",
		line: "101 1 tap101i0-IN 15/Nov/2022:10:13:32 +0100 ACCEPT: IN=fwbr101i0 OUT=fwbr101i0 PHYSIN=fwln101i0 PHYSOUT=tap101i0 MAC=24:8a:07:50:2c:ef:5e:29:c3:7c:13:a3:86:dd SRC=2001:db8:15::a DST=2001:db8:15::17 LEN=40 TC=0 FLOWLBL=634336 HOPLIMIT=64 PROTO=TCP SPT=59368 DPT=22 SEQ=3146558957 ACK=0 WINDOW=64800 SYN ",
		want: nfWant{action: ActionPass, in: "fwbr101i0", out: "fwbr101i0", src: "2001:db8:15::a", dst: "2001:db8:15::17", proto: ProtoTCP, ports: true, sport: 59368, dport: 22, label: "101 1 tap101i0-IN 15/Nov/2022:10:13:32 +0100 ACCEPT:"},
	},
	{
		name: "free-text prefix",
		line: "Sep  9 04:00:01 nas kernel: iptables denied: IN=eth0 OUT= MAC=00:11:32:aa:bb:cc:f0:9f:c2:11:22:33:08:00 SRC=162.142.125.9 DST=192.168.1.5 LEN=44 TOS=0x00 PREC=0x00 TTL=53 ID=7761 PROTO=TCP SPT=55318 DPT=5000 WINDOW=1024 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "162.142.125.9", dst: "192.168.1.5", proto: ProtoTCP, ports: true, sport: 55318, dport: 5000, label: "iptables denied:", host: "nas"},
	},
	{
		name: "prefix without verdict",
		line: "Sep  9 04:00:02 nas kernel: TRACE: raw:PREROUTING:policy:3 IN=wlan0 OUT= MAC=00:0b:81:84:37:27:7c:d1:c3:e7:e1:d3:08:00 SRC=192.168.8.103 DST=93.184.216.34 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=2018 DF PROTO=ICMP TYPE=8 CODE=0 ID=48650 SEQ=1",
		want: nfWant{dir: DirIn, in: "wlan0", src: "192.168.8.103", dst: "93.184.216.34", proto: ProtoICMP, label: "TRACE: raw:PREROUTING:policy:3", host: "nas"},
	},
	{
		name: "prefix glued to IN= after a word",
		line: "Sep  9 04:00:03 nas kernel: droppedIN=eth0 OUT= MAC=00:11:32:aa:bb:cc:f0:9f:c2:11:22:33:08:00 SRC=162.142.125.10 DST=192.168.1.5 LEN=44 TOS=0x00 PREC=0x00 TTL=53 ID=7762 PROTO=TCP SPT=55319 DPT=5001 WINDOW=1024 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "162.142.125.10", dst: "192.168.1.5", proto: ProtoTCP, ports: true, sport: 55319, dport: 5001, label: "dropped", host: "nas"},
	},
	{
		name: "nftables log prefix with trailing space, ISO timestamp",
		line: "2024-12-29T08:20:39.570483+01:00 fw01 kernel: nft in drop: IN=enp3s0 OUT= MAC=e4:5f:01:aa:bb:cc:3c:7c:3f:dd:ee:ff:08:00 SRC=103.145.13.9 DST=198.51.100.4 LEN=40 TOS=0x08 PREC=0x20 TTL=237 ID=27319 PROTO=TCP SPT=49402 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "enp3s0", src: "103.145.13.9", dst: "198.51.100.4", proto: ProtoTCP, ports: true, sport: 49402, dport: 23, label: "nft in drop:", host: "fw01"},
	},
	{
		name: "ulogd LOGEMU without prefix or kernel tag",
		line: "Jan 29 00:00:28 gw  IN=eth1 OUT=eth0 MAC=00:0d:b9:11:22:33:00:0d:b9:44:55:66:08:00 SRC=192.168.10.20 DST=151.101.1.69 LEN=60 TOS=00 PREC=0x00 TTL=63 ID=49201 DF PROTO=TCP SPT=41822 DPT=443 SEQ=3322116791 ACK=0 WINDOW=64240 SYN URGP=0 MARK=0",
		want: nfWant{in: "eth1", out: "eth0", src: "192.168.10.20", dst: "151.101.1.69", proto: ProtoTCP, ports: true, sport: 41822, dport: 443, host: "gw"},
	},
	{
		name: "ICMP port unreachable quoting a UDP packet",
		line: "Jan  8 03:37:09 DENY: IN=eth0 OUT= MAC=90:10:28:5f:62:24:90:10:18:5a:89:2a:08:00 SRC=192.0.2.71 DST=192.0.2.83 LEN=88 TOS=0x00 PREC=0x00 TTL=118 ID=21684 PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.83 DST=198.51.100.191 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP SPT=21458 DPT=62936 LEN=40 ]",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "192.0.2.71", dst: "192.0.2.83", proto: ProtoICMP, label: "DENY:"},
	},
	{
		name: "ICMP error whose quote is cut off",
		line: "Jan  8 03:37:10 gw kernel: DENY: IN=eth0 OUT= SRC=192.0.2.71 DST=192.0.2.83 LEN=88 TOS=0x00 PREC=0x00 TTL=118 ID=21685 PROTO=ICMP TYPE=11 CODE=0 [SRC=192.0.2.83 DST=198.51.100.191 LEN=60 TOS=0x00 PREC=0x00 TTL=1 ID=0 PROTO=TCP SPT=21458 DPT=80",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "192.0.2.71", dst: "192.0.2.83", proto: ProtoICMP, label: "DENY:", host: "gw"},
	},
	{
		name: "ICMPv6 packet too big quoting a TCP packet",
		line: "May 14 11:02:33 r6 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:11:22:33:00:16:3e:44:55:66:86:dd SRC=2001:0db8:0001:0000:0000:0000:0000:0001 DST=2001:0db8:0002:0000:0000:0000:0000:0002 LEN=1280 TC=0 HOPLIMIT=62 FLOWLBL=0 PROTO=ICMPv6 TYPE=2 CODE=0 [SRC=2001:0db8:0002:0000:0000:0000:0000:0002 DST=2001:0db8:0003:0000:0000:0000:0000:0003 LEN=1500 TC=0 HOPLIMIT=63 FLOWLBL=0 PROTO=TCP SPT=443 DPT=51515 WINDOW=501 RES=0x00 ACK URGP=0 ] MTU=1280",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "2001:db8:1::1", dst: "2001:db8:2::2", proto: ProtoICMPv6, label: "[UFW BLOCK]", host: "r6"},
	},
	{
		name: "IGMP as a number",
		line: "Apr 24 12:06:50 localhost kernel: [ 3445.031964] Shorewall:wlan0_mac:DROP:IN=wlan0 OUT= MAC=01:00:5e:00:00:01:18:53:33:33:d6:41:08:00 SRC=192.168.10.1 DST=224.0.0.1 LEN=36 TOS=0x00 PREC=0xC0 TTL=1 ID=0 DF PROTO=2",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "wlan0", src: "192.168.10.1", dst: "224.0.0.1", proto: ProtoIGMP, label: "Shorewall:wlan0_mac:DROP:", host: "localhost"},
	},
	{
		name: "GRE as a number",
		line: "Apr 24 12:07:00 localhost kernel: DROP IN=eth0 OUT= SRC=198.51.100.200 DST=192.0.2.1 LEN=72 TOS=0x00 PREC=0x00 TTL=60 ID=31337 PROTO=47",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "198.51.100.200", dst: "192.0.2.1", proto: ProtoGRE, label: "DROP", host: "localhost"},
	},
	{
		name: "ESP with SPI",
		line: "Jan  5 20:17:01 firewall kernel: [4276041.728154] IN=eno1 OUT= MAC=0c:c4:7a:0f:51:0c:d4:66:24:80:d8:da:08:00 SRC=203.0.113.77 DST=198.51.100.25 LEN=120 TOS=0x00 PREC=0x00 TTL=55 ID=0 DF PROTO=ESP SPI=0xcb886522",
		want: nfWant{dir: DirIn, in: "eno1", src: "203.0.113.77", dst: "198.51.100.25", proto: ProtoESP, host: "firewall"},
	},
	{
		name: "AH with SPI",
		line: "Jan  5 20:17:02 firewall kernel: ACCEPT IN=eno1 OUT= SRC=203.0.113.77 DST=198.51.100.25 LEN=140 TOS=0x00 PREC=0x00 TTL=55 ID=0 DF PROTO=AH SPI=0x1000",
		want: nfWant{action: ActionPass, dir: DirIn, in: "eno1", src: "203.0.113.77", dst: "198.51.100.25", proto: ProtoAH, label: "ACCEPT", host: "firewall"},
	},
	{
		name: "UDPLITE with ports",
		line: "Mar 15 20:59:01 linux kernel: [810520.1] DROP IN=eth0 OUT= SRC=192.168.10.55 DST=192.168.10.1 LEN=28 TOS=0x00 PREC=0x00 TTL=42 ID=45961 PROTO=UDPLITE SPT=39480 DPT=5004 LEN=8",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "192.168.10.55", dst: "192.168.10.1", proto: ProtoUDPLite, ports: true, sport: 39480, dport: 5004, label: "DROP", host: "linux"},
	},
	{
		name: "SCTP by name with ports, as ulogd prints it",
		line: "Mar 15 20:59:02 sig1 ulogd-drop: IN=eth0 OUT= SRC=10.1.1.1 DST=10.1.1.2 LEN=100 TOS=00 PREC=0x00 TTL=64 ID=0 DF PROTO=SCTP SPT=2905 DPT=2905",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "10.1.1.1", dst: "10.1.1.2", proto: ProtoSCTP, ports: true, sport: 2905, dport: 2905, label: "ulogd-drop:", host: "sig1"},
	},
	{
		name: "SCTP as a number has no ports",
		line: "Mar 15 20:59:03 linux kernel: DROP IN=eth0 OUT= SRC=192.168.10.55 DST=192.168.10.1 LEN=20 TOS=0x00 PREC=0x00 TTL=56 ID=50515 PROTO=132",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "192.168.10.55", dst: "192.168.10.1", proto: ProtoSCTP, label: "DROP", host: "linux"},
	},
	{
		name: "IPv6 with OPT ( ) extension headers before PROTO",
		line: "Dec 20 20:10:01 rohan kernel: [  449.059230] DROP IN=eth0 OUT= MAC=00:1b:b9:76:9c:e4:00:13:46:3a:41:36:86:dd SRC=2001:0db8:1234:0000:0000:0000:0000:0001 DST=2001:0db8:1234:0000:0000:0000:0000:0002 LEN=132 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( ) OPT ( ) OPT ( ) PROTO=TCP SPT=58537 DPT=1234 WINDOW=8192 RES=0x00 SYN URGP=0 ",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "2001:db8:1234::1", dst: "2001:db8:1234::2", proto: ProtoTCP, ports: true, sport: 58537, dport: 1234, label: "DROP", host: "rohan"},
	},
	{
		name: "IPv6 fragment header, non-first fragment has no ports",
		line: "Dec 20 20:10:02 rohan kernel: DROP IN=eth0 OUT= SRC=2001:db8::1 DST=2001:db8::2 LEN=1280 TC=0 HOPLIMIT=64 FLOWLBL=0 OPT ( FRAG:1232 ID:4f1c2a3b ) PROTO=UDP ",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "2001:db8::1", dst: "2001:db8::2", proto: ProtoUDP, label: "DROP", host: "rohan"},
	},
	{
		name: "IPv4 fragment has no ports",
		line: "Dec 20 20:10:03 rohan kernel: DROP IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.2 LEN=548 TOS=0x00 PREC=0x00 TTL=57 ID=4242 FRAG:185 PROTO=TCP ",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "198.51.100.1", dst: "192.0.2.2", proto: ProtoTCP, label: "DROP", host: "rohan"},
	},
	{
		name: "incomplete TCP header has no ports",
		line: "Dec 20 20:10:04 rohan kernel: DROP IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.2 LEN=28 TOS=0x00 PREC=0x00 TTL=57 ID=4243 PROTO=TCP INCOMPLETE [8 bytes] ",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "198.51.100.1", dst: "192.0.2.2", proto: ProtoTCP, label: "DROP", host: "rohan"},
	},
	{
		name: "UID, GID and MARK, LEN and ID twice",
		line: "[2948936.567854] OUTPUT reject: IN= OUT=eth0 SRC=10.11.12.13 DST=10.11.12.14 LEN=83 TOS=0x00 PREC=0x00 TTL=64 ID=62592 DF PROTO=UDP SPT=54252 DPT=8140 LEN=63 UID=0 GID=0 MARK=0x2a ",
		want: nfWant{action: ActionReject, dir: DirOut, out: "eth0", src: "10.11.12.13", dst: "10.11.12.14", proto: ProtoUDP, ports: true, sport: 54252, dport: 8140, label: "OUTPUT reject:"},
	},
	{
		name: "odd-length MAC",
		line: "2025-04-27T07:32:12.419185+02:00 frankfurt-vps kernel: [UFW BLOCK] IN=ens3 OUT= MAC=fa:16:3e SRC=64.62.156.116 DST=203.0.113.17 LEN=48 TOS=0x00 PREC=0x00 TTL=34 ID=3543 DF PROTO=UDP SPT=25997 DPT=523 LEN=28",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "ens3", src: "64.62.156.116", dst: "203.0.113.17", proto: ProtoUDP, ports: true, sport: 25997, dport: 523, label: "[UFW BLOCK]", host: "frankfurt-vps"},
	},
	{
		name: "RFC 5424 envelope",
		line: "<4>1 2025-01-15T10:20:30.123456Z fw2 kernel - - - [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:07:fe:54:00:8e:1a:07:08:00 SRC=198.51.100.66 DST=203.0.113.10 LEN=40 TOS=0x00 PREC=0x00 TTL=244 ID=1 PROTO=TCP SPT=1024 DPT=6379 WINDOW=1024 RES=0x00 SYN URGP=0",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "198.51.100.66", dst: "203.0.113.10", proto: ProtoTCP, ports: true, sport: 1024, dport: 6379, label: "[UFW BLOCK]", host: "fw2"},
	},
	{
		name: "journalctl -o json",
		line: `{"__REALTIME_TIMESTAMP":"1736936430123456","_HOSTNAME":"fw3","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:07:fe:54:00:8e:1a:07:08:00 SRC=198.51.100.67 DST=203.0.113.10 LEN=40 TOS=0x00 PREC=0x00 TTL=244 ID=2 PROTO=TCP SPT=1025 DPT=27017 WINDOW=1024 RES=0x00 SYN URGP=0"}`,
		want: nfWant{action: ActionBlock, dir: DirIn, in: "eth0", src: "198.51.100.67", dst: "203.0.113.10", proto: ProtoTCP, ports: true, sport: 1025, dport: 27017, label: "[UFW BLOCK]", host: "fw3"},
	},
	{
		name: "line cut at its start by a relay",
		line: "May  5 20:46:46 office-gw kernel: L=126 ID=8698 DF PROTO=TCP SPT=88 DPT=51179 WINDOW=2053 RES=0x00 ACK URGP=0",
		want: nfWant{proto: ProtoTCP, ports: true, sport: 88, dport: 51179, host: "office-gw"},
	},
	{
		name: "line cut inside a value",
		line: "May  5 20:47:09 office-gw kernel: 0 TTL=126 ID=15461 DF PROTO=TCP SPT=59289 DPT=443 WINDOW=8208 RES=0x00 ACK PSH URGP=0",
		want: nfWant{proto: ProtoTCP, ports: true, sport: 59289, dport: 443, host: "office-gw"},
	},
	{
		// A fixture mutates IN= into XX=: the body then starts at OUT=
		// and the unknown token is kept as the prefix.
		name: "unknown key before OUT=",
		line: "Jun  8 14:34:33 sd-126005 kernel: [50028442.088484] XX=enp1s0 OUT= MAC=00:08:a2:0c:1f:12:00:c8:8b:e2:d6:87:08:00 SRC=195.54.160.107 DST=51.15.166.67 LEN=40 TOS=0x00 PREC=0x00 TTL=245 ID=37308 PROTO=TCP SPT=8080 DPT=8123 WINDOW=1024 RES=0x00 SYN URGP=0",
		want: nfWant{src: "195.54.160.107", dst: "51.15.166.67", proto: ProtoTCP, ports: true, sport: 8080, dport: 8123, label: "XX=enp1s0", host: "sd-126005"},
	},
	{
		name: "dmesg -T",
		line: "[Tue Jan  2 03:04:05 2024] [UFW BLOCK] IN=wlp2s0 OUT= MAC=01:00:5e:00:00:fb:a4:83:e7:11:22:33:08:00 SRC=192.168.1.23 DST=224.0.0.251 LEN=32 TOS=0x00 PREC=0x00 TTL=1 ID=0 DF PROTO=2 ",
		want: nfWant{action: ActionBlock, dir: DirIn, in: "wlp2s0", src: "192.168.1.23", dst: "224.0.0.251", proto: ProtoIGMP, label: "[UFW BLOCK]"},
	},
}

var netfilterNotRecords = []struct{ name, line string }{
	{"sshd mentioning netfilter keys", "Jun 27 09:02:22 gw sshd[454008]: bogus DPT=80 PROTO=TCP in text"},
	{"application echoing a rule", "Jun 27 09:02:23 gw fwctl[77]: added rule PROTO=TCP SPT=1 DPT=22 to chain"},
	{"IN= and PROTO= in application text", "Jun 27 09:02:23 gw vpnd[12]: tunnel IN=eth0 PROTO=TCP established"},
	{"no PROTO", "Jun 27 09:02:24 gw kernel: IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:06 ARP HTYPE=1 PTYPE=0x0800 OPCODE=1"},
	{"PROTO only inside MACPROTO", "Jun 27 09:02:25 gw kernel: IN=br0 OUT= MACSRC=00:11:22:33:44:55 MACDST=ff:ff:ff:ff:ff:ff MACPROTO=0806 ARP HTYPE=1 PTYPE=0x0800 OPCODE=1"},
	{"PROTO only in a quoted packet of a cut line", "Jun 27 09:02:26 gw kernel: L=54 ID=0 DF PROTO=UDP SPT=21458 DPT=62936 LEN=40 ]"},
	{"bracketed tag before netfilter-like tokens", "Jun 27 09:02:27 gw [collector] PROTO=TCP SPT=1 DPT=2"},
	{"kernel segfault", "[1994647.950748] test[28779]: segfault at 1 ip 000034421bfaaa46 sp 00007fffffffffff error 4 in libc-2.29.so[7ffffffff000+1c0000]"},
	{"blank", ""},
	{"dhcpd", "Oct 10 07:25:12 gw dhcpd: DHCPACK on 192.168.1.20 to 00:11:22:33:44:55 via em1"},
}

var netfilterBroken = []brokenCase{
	{"port out of range", "Jul 1 10:00:00 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 LEN=40 PROTO=TCP SPT=1234 DPT=99999 WINDOW=1024", "99999", "invalid destination port"},
	{"unknown protocol name", "Jul 1 10:00:03 gw kernel: DROP IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 LEN=40 PROTO=BOGUS", "BOGUS", "unknown protocol"},
	{"protocol number out of range", "Jul 1 10:00:04 gw kernel: DROP IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 LEN=40 PROTO=300", "300", "unknown protocol"},
	{"source port not a number", "Jul 1 10:00:05 gw kernel: DROP IN=eth0 OUT= SRC=198.51.100.1 DST=192.0.2.1 LEN=40 PROTO=UDP SPT=x1 DPT=53", "x1", "invalid source port"},
	{"cut line with a bad port", "May  5 20:46:46 office-gw kernel: L=126 ID=8698 DF PROTO=TCP SPT=88 DPT=651179 WINDOW=2053", "651179", "invalid destination port"},
}

var nfNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func TestNetfilter(t *testing.T) {
	p := Parser{Now: nfNow}
	for _, tt := range netfilterTests {
		t.Run(tt.name, func(t *testing.T) {
			var r Record
			if err := p.Parse([]byte(tt.line), &r); err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkNetfilterRecord(t, &r, tt.want)
		})
	}
}

func checkNetfilterRecord(t *testing.T, r *Record, w nfWant) {
	t.Helper()
	if r.Format != FormatNetfilter {
		t.Errorf("Format = %v, want netfilter", r.Format)
	}
	if r.Action != w.action {
		t.Errorf("Action = %q, want %q", r.Action, w.action)
	}
	if r.Direction != w.dir {
		t.Errorf("Direction = %q, want %q", r.Direction, w.dir)
	}
	for _, f := range []struct {
		name      string
		got, want string
		isNil     bool
	}{
		{"InIface", string(r.InIface), w.in, r.InIface == nil},
		{"OutIface", string(r.OutIface), w.out, r.OutIface == nil},
		{"Label", string(r.Label), w.label, r.Label == nil},
		{"Host", string(r.Host), w.host, r.Host == nil},
	} {
		if f.got != f.want || (f.want == "") != f.isNil {
			t.Errorf("%s = %q (nil %v), want %q", f.name, f.got, f.isNil, f.want)
		}
	}
	nfCheckAddr(t, "Src", r.Src, w.src)
	nfCheckAddr(t, "Dst", r.Dst, w.dst)
	if !r.HasProto || r.Proto != w.proto {
		t.Errorf("Proto = %d (HasProto %v), want %d", r.Proto, r.HasProto, w.proto)
	}
	if r.HasPorts != w.ports || r.SrcPort != w.sport || r.DstPort != w.dport {
		t.Errorf("ports = %d > %d (HasPorts %v), want %d > %d (%v)", r.SrcPort, r.DstPort, r.HasPorts, w.sport, w.dport, w.ports)
	}
}

func nfCheckAddr(t *testing.T, name string, got netip.Addr, want string) {
	t.Helper()
	var w netip.Addr
	if want != "" {
		w = netip.MustParseAddr(want)
	}
	if got != w {
		t.Errorf("%s = %v, want %v", name, got, w)
	}
}

func TestNetfilterNotRecord(t *testing.T) {
	p := Parser{Now: nfNow}
	for _, tt := range netfilterNotRecords {
		t.Run(tt.name, func(t *testing.T) {
			var r Record
			if err := p.Parse([]byte(tt.line), &r); !errors.Is(err, ErrNotRecord) {
				t.Errorf("Parse = %v (record %+v), want ErrNotRecord", err, r)
			}
		})
	}
}

func TestNetfilterBroken(t *testing.T) {
	testBroken(t, &Parser{Now: nfNow}, FormatNetfilter, netfilterBroken)
}

func TestNfPrefixAction(t *testing.T) {
	for _, tt := range []struct {
		prefix string
		want   Action
	}{
		{"[UFW BLOCK]", ActionBlock},
		{"[UFW ALLOW]", ActionPass},
		{"[UFW AUDIT]", ActionLog},
		{"[UFW LIMIT BLOCK]", ActionBlock},
		{"FINAL_REJECT:", ActionReject},
		{"\"filter_IN_public_REJECT: \"", ActionReject},
		{"filter_FWD_public_DROP:", ActionBlock},
		{"Shorewall:net-fw:DROP:", ActionBlock},
		{"SFW2-INext-DROP-DEFLT", ActionBlock},
		{"SFW2-IN-ACC-RELATED", ActionPass},
		{"[WAN_LOCAL-default-D]", ActionBlock},
		{"[WAN_OUT-2000-A]", ActionPass},
		{"[LAN_IN-3000-R]", ActionReject},
		{"[WAN_LOCAL-D-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\"", ActionBlock},
		{"[WAN_LOCAL-A-2147483647] DESCR=\"[WAN_LOCAL]Block All Traffic\"", ActionPass},
		{"DROP(src wan)", ActionBlock},
		{"0 5 PVEFW-HOST-IN 15/Nov/2022:10:12:45 +0100 policy DROP:", ActionBlock},
		{"101 1 tap101i0-IN 20/Jun/2022:13:13:32 +0200 PVEFW-reject:", ActionReject},
		{"0 5 GROUP-security1-IN 20/Jun/2022:15:52:26 +0200", ActionUnknown},
		{"AIF:Dropped INPUT packet:", ActionBlock},
		{"Packet denied", ActionBlock},
		{"iptables ACCEPTED", ActionPass},
		{"A packet", ActionUnknown},
		{"TRACE: raw:PREROUTING:policy:3", ActionUnknown},
		{"", ActionUnknown},
	} {
		if got := nfPrefixAction([]byte(tt.prefix)); got != tt.want {
			t.Errorf("nfPrefixAction(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
}

// TestVerdictMemo checks that the memo answers as nfPrefixAction does
// when prefixes outnumber its slots, so that slots are filled, evicted
// and filled again, with prefixes of every length sharing slots.
func TestVerdictMemo(t *testing.T) {
	words := []string{"DROP", "ACCEPT", "REJECT", "AUDIT", "LOG", "D", "A", "x", "nft in", "PVEFW-reject"}
	var prefixes []string
	for i := range 4 << verdictMemoBits {
		p := fmt.Sprintf("[%s-%d] %s", words[i%len(words)], i, strings.Repeat("y", i%40))
		if i%3 == 0 {
			p = words[(i/3)%len(words)] + "-" + strconv.Itoa(i)
		}
		prefixes = append(prefixes, p)
	}
	var m verdictMemo
	for round := range 3 {
		for k := range prefixes {
			p := []byte(prefixes[(k*7+round)%len(prefixes)])
			if got, want := m.action(p), nfPrefixAction(p); got != want {
				t.Fatalf("round %d: memo says %v for %q, want %v", round, got, p, want)
			}
		}
	}
}

// TestNoAction checks that NoAction changes nothing but the action of
// netfilter records, on every line of the mix: the same verdict whether
// the line is a record or not, the same fields.
func TestNoAction(t *testing.T) {
	lines, _ := loadMix(t)
	full, skip := Parser{NoTime: true}, Parser{NoTime: true, NoAction: true}
	var want, got Record
	verdicts := 0
	for _, line := range lines {
		werr, gerr := full.Parse(line, &want), skip.Parse(line, &got)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("NoAction changed the verdict from %v to %v: %q", werr, gerr, line)
		}
		if werr != nil {
			continue
		}
		if want.Format == FormatNetfilter {
			if got.Action != ActionUnknown {
				t.Fatalf("NoAction read the action %v: %q", got.Action, line)
			}
			if want.Action != ActionUnknown {
				verdicts++
			}
			want.Action = ActionUnknown
		}
		if d := parseDiff(line, werr, &want, gerr, &got); d != "" {
			t.Fatalf("NoAction changed %s\n\t%q", d, line)
		}
	}
	if verdicts == 0 {
		t.Fatal("no netfilter record in the mix has a verdict in its prefix")
	}
}

// netfilterExampleLines returns the lines of this file's tables:
// records, lines that are not records, and broken records.
func netfilterExampleLines() []string {
	var lines []string
	for _, tt := range netfilterTests {
		lines = append(lines, tt.line)
	}
	for _, tt := range netfilterNotRecords {
		lines = append(lines, tt.line)
	}
	for _, tt := range netfilterBroken {
		lines = append(lines, tt.line)
	}
	return lines
}

// TestNetfilterNoAllocs parses every example line with the full parser
// and with the one plain text mode uses, which reads netfilter records
// past their envelope.
func TestNetfilterNoAllocs(t *testing.T) {
	var lines [][]byte
	for _, l := range netfilterExampleLines() {
		lines = append(lines, []byte(l))
	}
	for _, p := range []Parser{{Now: nfNow}, {NoTime: true, NoAction: true, NoEnvelope: true}} {
		var r Record
		allocs := testing.AllocsPerRun(50, func() {
			for _, l := range lines {
				nfErrSink = p.Parse(l, &r)
			}
		})
		if allocs != 0 {
			t.Errorf("Parse (NoEnvelope %v) allocates %v times per run of %d lines, want 0", p.NoEnvelope, allocs, len(lines))
		}
	}
}

// FuzzNetfilter checks parseNetfilter alone, where every slice of the
// record must alias the message, and through Parser.Parse.
func FuzzNetfilter(f *testing.F) {
	for _, l := range netfilterExampleLines() {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := []byte(s)
		var r Record
		var e SyntaxError
		switch parseNetfilter(msg, &r, &e) {
		case notMine:
			if !nfZeroRecord(&r) || e != (SyntaxError{}) {
				t.Fatalf("notMine touched the record or error: %+v %+v", r, e)
			}
		case broken:
			if !nfZeroRecord(&r) {
				t.Fatalf("broken touched the record: %+v", r)
			}
			if e.Msg == "" || e.Offset < 0 || e.Offset > len(msg) {
				t.Fatalf("broken with error %+v for a %d-byte message", e, len(msg))
			}
		case parsed:
			nfCheckInvariants(t, &r, msg, nil)
		}

		p := Parser{Now: nfNow}
		line := []byte(s)
		if err := p.Parse(line, &r); err == nil {
			nfCheckInvariants(t, &r, line, r.Message)
		} else if se, ok := err.(*SyntaxError); ok && (se.Offset < 0 || se.Offset > len(line)) {
			t.Fatalf("offset %d outside the %d-byte line", se.Offset, len(line))
		}
	})
}

func nfZeroRecord(r *Record) bool {
	return r.Format == 0 && r.Action == 0 && r.Direction == 0 && r.InIface == nil &&
		r.OutIface == nil && r.Src == (netip.Addr{}) && r.Dst == (netip.Addr{}) &&
		r.Proto == 0 && !r.HasProto && r.SrcPort == 0 && r.DstPort == 0 &&
		!r.HasPorts && r.Label == nil && r.Host == nil && r.Time.IsZero() && r.Message == nil
}

// nfCheckInvariants checks that a parsed record has a protocol and
// that its slices point into in (or into alt: a journald message decoded
// into the parser's scratch buffer).
func nfCheckInvariants(t *testing.T, r *Record, in, alt []byte) {
	t.Helper()
	if r.Format == FormatNetfilter && !r.HasProto {
		t.Fatalf("netfilter record without protocol: %+v", r)
	}
	if !r.HasPorts && (r.SrcPort != 0 || r.DstPort != 0) {
		t.Fatalf("ports %d > %d set without HasPorts", r.SrcPort, r.DstPort)
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{"InIface", r.InIface}, {"OutIface", r.OutIface}, {"Label", r.Label}, {"Host", r.Host}, {"Message", r.Message}} {
		if len(f.b) > 0 && !nfWithin(f.b, in) && !nfWithin(f.b, alt) {
			t.Fatalf("%s %q does not alias the input", f.name, f.b)
		}
	}
}

// nfWithin reports whether b lies inside buf's memory.
func nfWithin(b, buf []byte) bool {
	if len(buf) == 0 {
		return false
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= lo && p+uintptr(len(b)) <= lo+uintptr(len(buf))
}

var (
	nfErrSink    error
	nfRecordSink Record
	nfResultSink result
)

// netfilterBenchLines are typical lines, one per common source.
var netfilterBenchLines = []struct{ name, line string }{
	{"ufw", "Mar  3 06:25:41 web-1 kernel: [7263012.334563] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:07:fe:54:00:8e:1a:07:08:00 SRC=185.220.101.34 DST=203.0.113.10 LEN=44 TOS=0x00 PREC=0x00 TTL=241 ID=54321 PROTO=TCP SPT=43521 DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0"},
	{"firewalld", "Apr 11 09:14:27 db-2 kernel: FINAL_REJECT: IN=ens192 OUT= MAC=00:50:56:a1:b2:c3:00:50:56:9f:00:01:08:00 SRC=10.20.30.40 DST=10.20.30.5 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=12099 DF PROTO=TCP SPT=39874 DPT=5432 WINDOW=29200 RES=0x00 SYN URGP=0"},
	{"edgeos", "<4>Oct 10 07:25:12 edge-router kernel: [WAN_LOCAL-default-D]IN=eth0 OUT= MAC=80:2a:a8:11:22:33:00:01:5c:aa:bb:cc:08:00 SRC=89.248.165.52 DST=198.51.100.9 LEN=40 TOS=0x00 PREC=0x00 TTL=246 ID=54321 PROTO=TCP SPT=49690 DPT=8443 WINDOW=65535 RES=0x00 SYN URGP=0"},
	{"udp", "Feb  2 13:40:09 leap kernel: SFW2-INext-DROP-DEFLT IN=ppp0 OUT= MAC= SRC=77.83.36.12 DST=198.51.100.77 LEN=48 TOS=0x00 PREC=0x00 TTL=114 ID=2719 PROTO=UDP SPT=5093 DPT=1900 LEN=28"},
	{"ipv6", "Dec 20 20:10:01 rohan kernel: [  449.059606] DROP IN=eth0 OUT= MAC=00:1b:b9:76:9c:e4:00:13:46:3a:41:36:86:dd SRC=2001:0db8:1234:0000:0000:0000:0000:0001 DST=2001:0db8:1234:0000:0000:0000:0000:0002 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=46395 DPT=80 WINDOW=5760 RES=0x00 SYN URGP=0"},
	{"icmp-error", "Jan  8 03:37:09 gw kernel: DENY: IN=eth0 OUT= MAC=90:10:28:5f:62:24:90:10:18:5a:89:2a:08:00 SRC=192.0.2.71 DST=192.0.2.83 LEN=88 TOS=0x00 PREC=0x00 TTL=118 ID=21684 PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.83 DST=198.51.100.191 LEN=60 TOS=0x00 PREC=0x00 TTL=54 ID=0 DF PROTO=UDP SPT=21458 DPT=62936 LEN=40 ]"},
	{"proxmox", "101 1 tap101i0-IN 20/Jun/2022:13:12:46 +0200 REJECT: IN=fwbr101i0 OUT=fwbr101i0 PHYSIN=fwln101i0 PHYSOUT=tap101i0 MAC=a2:1b:bb:df:61:a5:6e:68:28:cc:2a:0c:08:00 SRC=10.3.95.34 DST=10.3.95.200 LEN=60 TOS=0x10 PREC=0x00 TTL=63 ID=37700 DF PROTO=TCP SPT=51604 DPT=22 SEQ=3673568222 ACK=0 WINDOW=64240 SYN "},
}

// netfilterBenchOthers are lines of other formats, which parseNetfilter
// must turn away quickly.
var netfilterBenchOthers = []struct{ name, line string }{
	{"sshd", "Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2"},
	{"filterlog", "5,,,1000000103,igb0,match,block,in,4,0x0,,242,54321,0,none,6,tcp,40,185.220.101.34,203.0.113.10,43521,3389,0,S,1234567890,,1024,,"},
}

func BenchmarkNetfilter(b *testing.B) {
	for _, bl := range netfilterBenchLines {
		line := []byte(bl.line)
		b.Run("line/"+bl.name, func(b *testing.B) {
			p := Parser{Now: nfNow}
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				nfErrSink = p.Parse(line, &nfRecordSink)
			}
		})
	}
	p := Parser{Now: nfNow}
	for _, bl := range append(netfilterBenchLines[:len(netfilterBenchLines):len(netfilterBenchLines)], netfilterBenchOthers...) {
		var msg []byte
		if err := p.Parse([]byte(bl.line), &nfRecordSink); err == nil {
			msg = nfRecordSink.Message
		} else {
			msg = []byte(bl.line)
		}
		b.Run("msg/"+bl.name, func(b *testing.B) {
			var e SyntaxError
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				nfRecordSink.Reset()
				nfResultSink = parseNetfilter(msg, &nfRecordSink, &e)
			}
		})
	}
}
