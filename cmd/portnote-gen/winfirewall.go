package main

// wfHost is a Windows machine whose Defender Firewall writes
// pfirewall.log: a W3C header, then a row per packet it dropped or let
// through. It is made on its first line, so that a mix without the family
// draws nothing for it and stays byte for byte what it was.
type wfHost struct {
	site   *site
	name   string
	header int // header lines written so far
	shapes [2]string
}

// wfHeader is what Windows writes at the top of the log: the column
// layout the rows follow, then an empty line.
var wfHeader = [...]string{
	"#Version: 1.5",
	"#Software: Microsoft Windows Firewall",
	"#Time Format: Local",
	"#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid",
	"",
}

// wfFlags are the tcpflags column's letters for each kind of TCP packet.
var wfFlags = [...]string{flSYN: "S", flSYNECN: "S", flSYNACK: "AS", flACK: "A", flPSHACK: "AP", flFINACK: "FA", flRST: "R", flRSTACK: "AR"}

func (g *generator) windowsFirewallLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	h := g.wfHost
	if h == nil {
		h = &wfHost{site: newSite(r, false), name: "WS-" + string(appendPad(nil, r.intn(10000), 4, '0'))}
		h.shapes = [2]string{"windows-firewall/bare", "windows-firewall/bsd-pri"}
		g.wfHost = h
	}
	if h.header < len(wfHeader) {
		h.header++
		return append(b, wfHeader[h.header-1]...), notRecord, "windows-firewall/noise/header"
	}
	var p packet
	for {
		g.newPacket(&p, h.site)
		if p.frag == 0 {
			break // Windows logs whole packets
		}
	}
	msg, t := g.wfRow(g.body[:0], &p)
	g.body = msg[:0]
	if r.permille(150) {
		// Forwarded by a log agent as RFC 3164 syslog.
		o := origin{host: h.name, tag: "pfirewall", pri: 134}
		return g.wrap(b, envBSDPri, &o, msg), t, h.shapes[1]
	}
	return append(b, msg...), t, h.shapes[0]
}

// wfRow appends the row for p in the default layout and returns its
// truth. Windows names TCP, UDP, ICMP and ICMPv6 and gives other
// protocols by number; only TCP and UDP rows have ports.
func (g *generator) wfRow(b []byte, p *packet) ([]byte, truth) {
	r := &g.r
	c := &g.clk
	c.fields()
	b = appendPad(b, c.year, 4, '0')
	b = append(b, '-')
	b = appendPad(b, int(c.mon), 2, '0')
	b = append(b, '-')
	b = appendPad(b, c.day, 2, '0')
	b = append(b, ' ')
	b = c.appendTime(b, false)
	if p.blocked {
		b = append(b, " DROP "...)
	} else {
		b = append(b, " ALLOW "...)
	}
	t := truth{port: -1, proto: protoNames[p.proto]}
	switch p.proto {
	case protoTCP:
		b = append(b, "TCP "...)
	case protoUDP:
		b = append(b, "UDP "...)
	case protoICMP:
		b = append(b, "ICMP "...)
	case protoICMPv6:
		b = append(b, "ICMPv6 "...)
	default:
		b = appendInt(b, int(p.proto))
		b = append(b, ' ')
	}
	b = p.src.AppendTo(b)
	b = append(b, ' ')
	b = p.dst.AppendTo(b)
	b = append(b, ' ')
	if (p.proto == protoTCP || p.proto == protoUDP) && p.ports {
		t.port = int32(p.dport)
		b = appendInt(b, int(p.sport))
		b = append(b, ' ')
		b = appendInt(b, int(p.dport))
	} else {
		b = append(b, "- -"...)
	}
	b = append(b, ' ')
	if p.dir == dirOut && !p.blocked {
		b = append(b, '0') // sent packets are logged before they have a size
	} else {
		b = appendInt(b, p.length)
	}
	b = append(b, ' ')
	if p.proto == protoTCP {
		b = append(b, wfFlags[p.flags]...)
		b = append(b, ' ')
		b = appendInt(b, int(p.seq))
		b = append(b, ' ')
		b = appendInt(b, int(p.ack))
		b = append(b, ' ')
		b = appendInt(b, p.win)
	} else {
		b = append(b, "- - - -"...)
	}
	b = append(b, ' ')
	if p.proto == protoICMP || p.proto == protoICMPv6 {
		b = appendInt(b, int(p.icmpType))
		b = append(b, ' ')
		b = appendInt(b, int(p.icmpCode))
	} else {
		b = append(b, "- -"...)
	}
	b = append(b, " - "...) // info
	pid := 4                // System, which receives for the kernel
	if p.dir == dirOut {
		b = append(b, "SEND "...)
		pid = r.between(500, 20000)
	} else {
		b = append(b, "RECEIVE "...)
	}
	return appendInt(b, pid), t
}
