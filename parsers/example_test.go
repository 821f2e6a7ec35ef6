package parsers_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/portnote/portnote/parsers"
)

func Example() {
	p := parsers.Parser{Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	var r parsers.Record
	for _, line := range []string{
		"Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0",
		"<134>1 2026-11-25T06:25:15Z fw filterlog 72237 - - 5,,,1000000103,igb0,match,block,in,4,0x0,,53,11000,0,none,17,udp,1428,203.0.113.9,192.0.2.10,11211,41337,1400",
		"Nov 25 06:25:16 fw pf: rule 1/(match) pass out on em1: 192.0.2.20.41000 > 198.51.100.66.4444: S 1:1(0) win 64240",
		"Nov 25 06:25:17 fw kernel: DROP IN=eth0 OUT= SRC=192.0.2.20 DST=203.0.113.5 LEN=96 TOS=0x00 PREC=0xC0 TTL=64 ID=1 PROTO=ICMP TYPE=3 CODE=3 [SRC=203.0.113.5 DST=192.0.2.20 LEN=68 TOS=0x00 PREC=0x00 TTL=54 ID=2 PROTO=UDP SPT=53 DPT=40000 LEN=48 ]",
		"Nov 25 06:25:18 web1 sshd[4121]: Connection from 198.51.100.20 port 40412",
	} {
		switch err := p.Parse([]byte(line), &r); {
		case errors.Is(err, parsers.ErrNotRecord):
			fmt.Println("not a firewall record")
		case err != nil:
			fmt.Println("malformed:", err)
		case r.HasPorts:
			fmt.Printf("%s %s %s:%d -> %s:%d/%s at %s\n", r.Format, r.Action, r.Src, r.SrcPort, r.Dst, r.DstPort, r.Proto.Name(), r.Time.Format(time.RFC3339))
		default:
			fmt.Printf("%s %s %s -> %s %s, no ports\n", r.Format, r.Action, r.Src, r.Dst, r.Proto.Name())
		}
	}
	// Output:
	// netfilter block 203.0.113.45:51234 -> 192.0.2.10:23/tcp at 2026-11-25T06:25:14Z
	// filterlog block 203.0.113.9:11211 -> 192.0.2.10:41337/udp at 2026-11-25T06:25:15Z
	// pf pass 192.0.2.20:41000 -> 198.51.100.66:4444/tcp at 2026-11-25T06:25:16Z
	// netfilter block 192.0.2.20 -> 203.0.113.5 icmp, no ports
	// not a firewall record
}

func ExampleLookupProtocol() {
	for _, name := range []string{"TCP", "ICMPv6", "ipv6-icmp", "carp", "nope"} {
		p, ok := parsers.LookupProtocol([]byte(name))
		fmt.Println(name, uint8(p), p.Name(), ok)
	}
	// Output:
	// TCP 6 tcp true
	// ICMPv6 58 icmpv6 true
	// ipv6-icmp 58 icmpv6 true
	// carp 112 vrrp true
	// nope 0 hopopt false
}

// A caller that wants only where packets went, as portnote's plain text
// output does, can let the parser skip what it would not use. A netfilter
// record read past its envelope has no host, label or time; the packet is
// the same.
func ExampleParser_noEnvelope() {
	line := []byte("Nov 25 06:25:14 web1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.45 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=49 ID=1 PROTO=TCP SPT=51234 DPT=23 WINDOW=5840 RES=0x00 SYN URGP=0")
	for _, p := range []parsers.Parser{
		{Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)},
		{NoTime: true, NoAction: true, NoEnvelope: true},
	} {
		var r parsers.Record
		if err := p.Parse(line, &r); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s:%d -> %s:%d/%s host=%q label=%q action=%q time=%v\n",
			r.Src, r.SrcPort, r.Dst, r.DstPort, r.Proto.Name(), r.Host, r.Label, r.Action, !r.Time.IsZero())
	}
	// Output:
	// 203.0.113.45:51234 -> 192.0.2.10:23/tcp host="web1" label="[UFW BLOCK]" action="block" time=true
	// 203.0.113.45:51234 -> 192.0.2.10:23/tcp host="" label="" action="" time=false
}
