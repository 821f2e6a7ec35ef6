package main

import "net/netip"

// pfFlavor is one way pf records reach a log: tcpdump's rendering of
// pflog packets, OpenBSD's own tcpdump or tcpdump.org's, read from the
// pflog file or piped into syslog.
type pfFlavor struct {
	name     string
	site     *site
	host     string
	wan, lan string
	modern   bool // tcpdump.org 4.x (FreeBSD, pfSense) rather than OpenBSD's tcpdump
	stamps   weighted[pfStamp]
}

// pfStamp is how a pf line starts: the timestamp tcpdump printed and the
// envelope around it.
type pfStamp uint8

const (
	pfRawTTTT   pfStamp = iota // OpenBSD "Mar  1 00:00:01.123456 rule ..." straight from tcpdump
	pfRawNone                  // tcpdump -t: "rule ..."
	pfRawDelta                 // tcpdump.org -ttt: "00:00:00.123456 rule ..."
	pfRawDate                  // tcpdump.org -tttt: "2025-03-01 00:00:01.123456 rule ..."
	pfSyslog                   // "Mar  1 00:00:01 host pf: <tcpdump stamp> rule ...", tcpdump | logger -t pf
	pfSyslogPID                // the same tagged "pf[pid]:"
	pfISO                      // rsyslog high precision around "rule ..."
	pfRFC5424                  // RFC 5424 around "rule ..."
	numPFStamps
)

var pfStampNames = [numPFStamps]string{"raw-ttt", "raw", "raw-delta", "raw-date", "syslog", "syslog-pid", "iso", "rfc5424"}

func (g *generator) pfFlavors() weighted[*pfFlavor] {
	r := &g.r
	fl := []choice[*pfFlavor]{
		{&pfFlavor{
			name: "openbsd", host: "obsd-gw", wan: "em0", lan: "em1",
			stamps: table(choice[pfStamp]{pfRawTTTT, 40}, choice[pfStamp]{pfRawNone, 10},
				choice[pfStamp]{pfSyslog, 40}, choice[pfStamp]{pfISO, 10}),
		}, 50},
		{&pfFlavor{
			name: "freebsd", host: "fbsd-fw", wan: "vtnet0", lan: "vtnet1", modern: true,
			stamps: table(choice[pfStamp]{pfRawDelta, 30}, choice[pfStamp]{pfRawDate, 10},
				choice[pfStamp]{pfSyslog, 30}, choice[pfStamp]{pfSyslogPID, 15},
				choice[pfStamp]{pfISO, 10}, choice[pfStamp]{pfRFC5424, 5}),
		}, 50},
	}
	for _, c := range fl {
		c.v.site = newSite(r, true)
	}
	return table(fl...)
}

// pfShapes names shapes by flavour, stamp and whether -v was given.
var pfShapes = func() (s [2][numPFStamps][2]string) {
	for m, name := range [2]string{"openbsd", "freebsd"} {
		for st := range numPFStamps {
			s[m][st][0] = "pf/" + name + "/" + pfStampNames[st]
			s[m][st][1] = "pf/" + name + "/" + pfStampNames[st] + "/v"
		}
	}
	return s
}()

// pfPrintable reports whether tcpdump prints p so that a reader can
// tell its protocol: 6in4 and PIM are decoded into their payload, DCCP
// into a header that names neither protocol nor ports. The generator
// draws another packet rather than write a pf line that shows neither a
// port nor a protocol, which the -truth file could not tell from a line
// that is not a record.
func pfPrintable(p *packet) bool {
	switch p.proto {
	case 33, 41, 103:
		return false
	}
	// an IPv6 fragment header hides the protocol from the text
	return !(p.v6 && p.frag != 0)
}

func (g *generator) pfLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	f := g.pfFlav.pick(r)
	var p packet
	for {
		g.newPacket(&p, f.site)
		if pfPrintable(&p) {
			break
		}
	}
	st := f.stamps.pick(r)
	// -v puts an IPv4 header before the addresses on a line of its own,
	// which only survives as one log line when syslog escaped the
	// newline (#012); IPv6's stays on the same line.
	verbose := f.modern && (p.v6 || st == pfSyslog || st == pfSyslogPID) && r.permille(150)

	msg := g.body[:0]
	switch st {
	case pfRawTTTT:
		msg = g.clk.appendBSD(msg, false, true)
		msg = append(msg, ' ')
	case pfRawDelta:
		msg = g.clk.appendDelta(msg)
		msg = append(msg, ' ')
	case pfRawDate:
		msg = g.pfDate(msg)
		msg = append(msg, ' ')
	case pfSyslog, pfSyslogPID:
		if f.modern {
			msg = g.clk.appendDelta(msg)
		} else {
			msg = g.clk.appendBSD(msg, false, true)
		}
		msg = append(msg, ' ')
	}
	msg = g.pfHeader(msg, f, &p)
	msg, t := g.pfPacket(msg, f, &p, verbose)
	g.body = msg[:0]

	shape := pfShapes[boolInt(f.modern)][st][boolInt(verbose)]
	o := origin{host: f.host, tag: "pf", pri: 134}
	switch st {
	case pfSyslog:
		return g.wrap(b, envBSD, &o, msg), t, shape
	case pfSyslogPID:
		o.pid = 22382
		return g.wrap(b, envBSD, &o, msg), t, shape
	case pfISO:
		return g.wrap(b, envISO, &o, msg), t, shape
	case pfRFC5424:
		return g.wrap(b, envRFC5424, &o, msg), t, shape
	}
	return append(b, msg...), t, shape
}

// pfDate appends tcpdump -tttt's "2025-03-01 00:00:01.123456".
func (g *generator) pfDate(b []byte) []byte {
	n := len(b)
	b = g.clk.appendISO(b, true, zoneColon)
	b = b[:len(b)-len(g.clk.zone)]
	b[n+10] = ' '
	return b
}

var pfReasons = table(
	choice[string]{"match", 960}, choice[string]{"bad-offset", 5}, choice[string]{"fragment", 10},
	choice[string]{"short", 5}, choice[string]{"normalize", 10}, choice[string]{"state-mismatch", 10},
)

// pfHeader appends "rule 12/(match) block in on em0: " (OpenBSD) or
// "rule 12/0(match): block in on em0: " (tcpdump.org).
func (g *generator) pfHeader(b []byte, f *pfFlavor, p *packet) []byte {
	r := &g.r
	b = append(b, "rule "...)
	b = appendInt(b, r.between(0, 60))
	if r.permille(60) {
		// a rule inside an anchor: "rule 1.ftp-proxy.3/(match)"
		b = append(b, '.')
		b = append(b, [...]string{"ftp-proxy", "relayd", "miniupnpd", "fRXG"}[r.intn(4)]...)
		b = append(b, '.')
		b = appendInt(b, r.between(0, 60))
	}
	b = append(b, '/')
	if f.modern {
		b = append(b, '0')
	}
	b = append(b, '(')
	b = append(b, pfReasons.pick(r)...)
	b = append(b, ')')
	if f.modern {
		b = append(b, ':')
	}
	b = append(b, ' ')
	switch {
	case r.permille(10):
		b = append(b, "match "...)
	case p.blocked:
		b = append(b, "block "...)
	default:
		b = append(b, "pass "...)
	}
	iface := f.wan
	switch {
	case p.dir == dirOut:
		b = append(b, "out"...)
	case p.dir == dirFwd && !(p.dst.IsPrivate() || p.dst.Is6() && p.dst.As16()[0] == 0xfd):
		// LAN client: logged entering the LAN interface
		b = append(b, "in"...)
		iface = f.lan
	default:
		b = append(b, "in"...)
	}
	b = append(b, " on "...)
	b = append(b, iface...)
	return append(b, ": "...)
}

// appendAddrPort appends tcpdump's "192.0.2.1.51234" / "2001:db8::1.51234".
func appendAddrPort(b []byte, a netip.Addr, port uint16, withPort bool) []byte {
	b = a.AppendTo(b)
	if withPort {
		b = append(b, '.')
		b = appendInt(b, int(port))
	}
	return b
}

var pfProtoHeaderNames = [256]string{
	protoICMP: "ICMP (1)", protoIGMP: "IGMP (2)", protoTCP: "TCP (6)", protoUDP: "UDP (17)",
	protoGRE: "GRE (47)", protoESP: "ESP (50)", protoAH: "AH (51)", protoICMPv6: "ICMPv6 (58)",
	protoCARP: "VRRP (112)", protoSCTP: "SCTP (132)", protoUDPLite: "UDPLite (136)",
}

// pfPacket appends the packet as tcpdump prints it after the pflog header
// and returns the truth: ports when tcpdump decoded a transport header,
// the protocol when the -v header or the text after the addresses
// reveals it.
func (g *generator) pfPacket(b []byte, f *pfFlavor, p *packet, verbose bool) ([]byte, truth) {
	r := &g.r
	if verbose {
		if p.v6 {
			b = append(b, "(class 0x00, flowlabel 0x"...)
			b = appendHex(b, uint64(r.intn(1<<20)), 5)
			b = append(b, ", hlim "...)
			b = appendInt(b, p.ttl)
			b = append(b, ", next-header "...)
			b = append(b, pfProtoHeaderNames[p.proto]...)
			b = append(b, " payload length: "...)
			b = appendInt(b, p.length-40)
			b = append(b, ") "...)
		} else {
			b = append(b, "(tos 0x"...)
			b = appendHex(b, uint64(p.tos), 1)
			b = append(b, ", ttl "...)
			b = appendInt(b, p.ttl)
			b = append(b, ", id "...)
			b = appendInt(b, p.id)
			b = append(b, ", offset "...)
			b = appendInt(b, p.frag*8)
			b = append(b, ", flags ["...)
			switch {
			case p.df:
				b = append(b, "DF"...)
			case p.more:
				b = append(b, '+')
			default:
				b = append(b, "none"...)
			}
			b = append(b, "], proto "...)
			b = append(b, pfProtoHeaderNames[p.proto]...)
			b = append(b, ", length "...)
			b = appendInt(b, p.length)
			if p.proto == protoIGMP {
				b = append(b, ", options (RA)"...)
			}
			b = append(b, ")#012    "...)
		}
	}
	// tcpdump decodes ports only from a first fragment of a protocol it
	// knows the header of; UDP-Lite it prints as ip-proto-136.
	showPorts := p.ports && p.frag == 0 && p.proto != protoUDPLite
	b = appendAddrPort(b, p.src, p.sport, showPorts)
	b = append(b, " > "...)
	b = appendAddrPort(b, p.dst, p.dport, showPorts)
	b = append(b, ": "...)
	t := truth{port: -1, proto: protoNames[p.proto]}
	if showPorts {
		t.port = int32(p.dport)
	}
	if p.frag != 0 {
		// tcpdump -n names the protocol of a non-first fragment by
		// number and decodes nothing more
		b = append(b, "ip-proto-"...)
		return appendInt(b, int(p.proto)), t
	}
	switch p.proto {
	case protoTCP:
		if f.modern {
			b = g.pfTCPModern(b, p)
		} else {
			b = g.pfTCPOld(b, p)
		}
	case protoUDP:
		switch {
		case (p.dport == 53 || p.sport == 53) && !verbose && r.intn(2) == 0:
			// the DNS decoder prints the query in place of "UDP":
			// tcpdump shows TCP by its flags, so this is UDP
			b = appendInt(b, r.intn(65536))
			b = append(b, "+ "...)
			b = append(b, [...]string{"A? ", "AAAA? ", "ANY? ", "TXT? "}[r.intn(4)]...)
			b = append(b, [...]string{"example.com. (29)", "version.bind. (30)", "sl. (20)", "www.example.org. (33)"}[r.intn(4)]...)
		case (p.dport == 123 || p.sport == 123) && f.modern && !verbose:
			if p.sport == 123 {
				b = append(b, "NTPv4, Server, length 48"...)
			} else {
				b = append(b, "NTPv4, Client, length 48"...)
			}
		case f.modern:
			b = append(b, "UDP, length "...)
			b = appendInt(b, p.length-28-boolInt(p.v6)*20)
		default:
			b = append(b, " udp "...)
			b = appendInt(b, p.length-28-boolInt(p.v6)*20)
		}
	case protoICMP, protoICMPv6:
		b = g.pfICMP(b, f, p)
	case protoIGMP:
		b = append(b, [...]string{"igmp query v3", "igmp v2 report 239.255.255.250", "igmp v3 report, 1 group record(s)"}[r.intn(3)]...)
		if f.modern {
			b = append(b, ", length 8"...)
		}
	case protoGRE:
		b = append(b, "GREv0, length "...)
		b = appendInt(b, p.length-20)
		b = append(b, ": IP 10.255.0.1 > 10.255.0.2: ICMP echo request, id 7, seq 1, length 64"...)
	case protoESP:
		b = append(b, "ESP(spi=0x"...)
		b = appendHex(b, uint64(p.spi), 8)
		b = append(b, ",seq=0x"...)
		b = appendHex(b, uint64(p.seq), 1)
		b = append(b, "), length "...)
		b = appendInt(b, p.length-20)
	case protoAH:
		b = append(b, "AH(spi=0x"...)
		b = appendHex(b, uint64(p.spi), 8)
		b = append(b, ",sumlen=16,seq=0x"...)
		b = appendHex(b, uint64(p.seq), 1)
		b = append(b, "): ESP(spi=0x"...)
		b = appendHex(b, uint64(p.spi^0x5a5a), 8)
		b = append(b, ",seq=0x"...)
		b = appendHex(b, uint64(p.seq), 1)
		b = append(b, "), length "...)
		b = appendInt(b, p.length-44)
	case protoCARP:
		b = append(b, "CARPv2-advertise 36: vhid="...)
		b = appendInt(b, r.between(1, 10))
		b = append(b, " advbase=1 advskew="...)
		b = appendInt(b, [...]int{0, 100}[r.intn(2)])
		b = append(b, " authlen=7 counter="...)
		b = appendInt(b, r.intn(1<<31))
	case protoSCTP:
		b = append(b, "sctp (1) [INIT] [init tag: "...)
		b = appendInt(b, int(r.u32()))
		b = append(b, "] [rwnd: 106496] [OS: 10] [MIS: 65535] [init TSN: "...)
		b = appendInt(b, int(r.u32()))
		b = append(b, ']')
	case protoUDPLite:
		b = append(b, "ip-proto-136 "...)
		b = appendInt(b, p.length-20)
	}
	return b, t
}

func (g *generator) pfTCPOld(b []byte, p *packet) []byte {
	r := &g.r
	seq := int(p.seq)
	switch p.flags {
	case flSYN, flSYNECN, flSYNACK:
		switch p.flags {
		case flSYN:
			b = append(b, "S "...)
		case flSYNECN:
			b = append(b, "SWE "...)
		default:
			b = append(b, "S "...)
		}
		b = appendInt(b, seq)
		b = append(b, ':')
		b = appendInt(b, seq)
		b = append(b, "(0) "...)
		if p.flags == flSYNACK {
			b = append(b, "ack "...)
			b = appendInt(b, int(p.ack))
			b = append(b, ' ')
		}
		b = append(b, "win "...)
		b = appendInt(b, p.win)
		if p.length > 40 {
			if r.permille(50) {
				b = append(b, " <mss 1460,nop,[|tcp]>"...)
			} else {
				b = append(b, " <mss 1460,nop,nop,sackOK,nop,wscale 6>"...)
			}
		}
	case flACK:
		b = append(b, ". ack "...)
		b = appendInt(b, int(p.ack))
		b = append(b, " win "...)
		b = appendInt(b, p.win)
	case flRST:
		b = append(b, "R "...)
		b = appendInt(b, seq)
		b = append(b, ':')
		b = appendInt(b, seq)
		b = append(b, "(0) win 0"...)
	default: // flags with data or an ack: P, F, R with ack
		b = append(b, [...]string{flPSHACK: "P ", flFINACK: "F ", flRSTACK: "R "}[p.flags]...)
		n := 0
		if p.flags == flPSHACK {
			n = p.length - 40
		}
		b = appendInt(b, seq)
		b = append(b, ':')
		b = appendInt(b, seq+n)
		b = append(b, '(')
		b = appendInt(b, n)
		b = append(b, ") ack "...)
		b = appendInt(b, int(p.ack))
		b = append(b, " win "...)
		b = appendInt(b, p.win)
	}
	if p.df {
		b = append(b, " (DF)"...)
	}
	return b
}

func (g *generator) pfTCPModern(b []byte, p *packet) []byte {
	b = append(b, "Flags ["...)
	b = append(b, [...]string{flSYN: "S", flSYNECN: "SEW", flSYNACK: "S.", flACK: ".", flPSHACK: "P.",
		flFINACK: "F.", flRST: "R", flRSTACK: "R."}[p.flags]...)
	b = append(b, "], "...)
	n := 0
	if p.flags == flPSHACK {
		n = p.length - 40
	}
	if p.flags != flACK {
		b = append(b, "seq "...)
		b = appendInt(b, int(p.seq))
		if n > 0 {
			b = append(b, ':')
			b = appendInt(b, int(p.seq)+n)
		}
		b = append(b, ", "...)
	}
	if p.flags != flSYN && p.flags != flSYNECN && p.flags != flRST {
		b = append(b, "ack "...)
		b = appendInt(b, int(p.ack))
		b = append(b, ", "...)
	}
	b = append(b, "win "...)
	b = appendInt(b, p.win)
	if (p.flags == flSYN || p.flags == flSYNECN) && p.length > 40 {
		b = append(b, ", options [mss 1460,sackOK,TS val "...)
		b = appendInt(b, int(p.ack>>4))
		b = append(b, " ecr 0,nop,wscale 7]"...)
	}
	b = append(b, ", length "...)
	return appendInt(b, n)
}

// pfICMP appends tcpdump's ICMP and ICMPv6 text.
func (g *generator) pfICMP(b []byte, f *pfFlavor, p *packet) []byte {
	q := &p.q
	if p.proto == protoICMP {
		if f.modern {
			b = append(b, "ICMP "...)
		} else {
			b = append(b, "icmp: "...)
		}
		switch {
		case p.icmpType == 8 || p.icmpType == 0:
			if p.icmpType == 8 {
				b = append(b, "echo request"...)
			} else {
				b = append(b, "echo reply"...)
			}
			if f.modern {
				b = append(b, ", id "...)
				b = appendInt(b, int(p.icmpID))
				b = append(b, ", seq "...)
				b = appendInt(b, int(p.icmpSeq))
			}
		case p.icmpType == 11:
			b = append(b, "time exceeded in-transit"...)
		case p.icmpCode == 3:
			b = q.dst.AppendTo(b)
			if q.proto == protoTCP {
				b = append(b, " tcp port "...)
			} else {
				b = append(b, " udp port "...)
			}
			b = appendInt(b, int(q.dport))
			b = append(b, " unreachable"...)
		case p.icmpCode == 4:
			b = q.dst.AppendTo(b)
			b = append(b, " unreachable - need to frag (mtu "...)
			b = appendInt(b, p.mtu)
			b = append(b, ')')
		case p.icmpCode == 13:
			b = append(b, "host "...)
			b = q.dst.AppendTo(b)
			b = append(b, " unreachable - admin prohibited filter"...)
		default:
			b = append(b, "host "...)
			b = q.dst.AppendTo(b)
			b = append(b, " unreachable"...)
		}
		if f.modern {
			b = append(b, ", length "...)
			b = appendInt(b, p.length-20)
		}
		return b
	}
	if f.modern {
		b = append(b, "ICMP6, "...)
	} else {
		b = append(b, "icmp6: "...)
	}
	switch p.icmpType {
	case 128, 129:
		if p.icmpType == 128 {
			b = append(b, "echo request"...)
		} else {
			b = append(b, "echo reply"...)
		}
		if f.modern {
			b = append(b, ", id "...)
			b = appendInt(b, int(p.icmpID))
			b = append(b, ", seq "...)
			b = appendInt(b, int(p.icmpSeq))
		}
	case 1:
		if f.modern {
			b = append(b, "destination unreachable, unreachable port, "...)
			b = q.dst.AppendTo(b)
			b = append(b, " udp port "...)
		} else {
			b = q.dst.AppendTo(b)
			b = append(b, " udp port "...)
		}
		b = appendInt(b, int(q.dport))
		if !f.modern {
			b = append(b, " unreachable"...)
		}
	case 2:
		b = append(b, "packet too big, mtu 1280"...)
	case 3:
		b = append(b, "time exceeded in-transit"...)
	case 133:
		b = append(b, "router solicitation"...)
	case 134:
		b = append(b, "router advertisement"...)
	case 135:
		b = append(b, "neighbor solicitation, who has "...)
		b = p.src.AppendTo(b)
	case 136:
		b = append(b, "neighbor advertisement, tgt is "...)
		b = p.src.AppendTo(b)
	default:
		b = append(b, "multicast listener report v2, 1 group record(s)"...)
	}
	if f.modern {
		b = append(b, ", length "...)
		b = appendInt(b, p.length-40)
	}
	return b
}
