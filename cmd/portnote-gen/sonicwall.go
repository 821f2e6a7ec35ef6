package main

// swFlavor is a SonicWall: its serial number and address in every line,
// its interfaces, and the message counter n=.
type swFlavor struct {
	site     *site
	sn, host string
	lan, wan string
	n        int
}

// swShape is one way a SonicWall line is written.
type swShape uint8

const (
	swBSDNoTag swShape = iota // "Mar  1 00:00:01 198.51.100.2 id=firewall ...", a collector's file
	swPri                     // "<134>id=firewall ..." as SonicOS sends it
	swRelay                   // "198.51.100.2 id=firewall ...", a relay's host before the message
	swCEF                     // "<134>CEF:0|SonicWall|...", the ArcSight format
	numSwShapes
)

var swShapeNames = [numSwShapes]string{"sonicwall/bsd-notag", "sonicwall/pri", "sonicwall/relay", "sonicwall/cef"}

var swShapes = table(choice[swShape]{swBSDNoTag, 50}, choice[swShape]{swPri, 25},
	choice[swShape]{swRelay, 10}, choice[swShape]{swCEF, 15})

// sonicwall returns the SonicWall of the log, made at its first line so
// that a mix without SonicWall lines draws nothing for it.
func (g *generator) sonicwall() *swFlavor {
	if g.swFlav == nil {
		r := &g.r
		f := &swFlavor{site: newSite(r, true), lan: "X0", wan: "X1", n: r.between(1000, 1<<24)}
		f.sn = string(r.appendRandHex([]byte("0040"), 8))
		f.host = f.site.wan4.String()
		g.swFlav = f
	}
	return g.swFlav
}

// swPrintable reports whether SonicOS logs p as this generator writes
// it: IP fragments, ICMP errors and link-local multicast are left out.
func swPrintable(p *packet) bool {
	switch p.proto {
	case protoIGMP, protoCARP, 103:
		return false
	}
	return p.frag == 0 && !p.hasQuote
}

func (g *generator) sonicwallLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	f := g.sonicwall()
	var p packet
	for {
		g.newPacket(&p, f.site)
		if swPrintable(&p) {
			break
		}
	}
	f.n++
	shape := swShapes.pick(r)
	var msg []byte
	if shape == swCEF {
		msg = g.sonicwallCEF(g.body[:0], f, &p)
	} else {
		msg = g.sonicwallKV(g.body[:0], f, &p)
	}
	g.body = msg[:0]
	switch shape {
	case swBSDNoTag:
		b = g.wrap(b, envBSDNoTag, &origin{host: f.host}, msg)
	case swPri, swCEF:
		b = appendPRI(b, 134)
		b = append(b, msg...)
	default:
		b = append(b, f.host...)
		b = append(b, ' ')
		b = append(b, msg...)
	}
	return b, p.truth(true), swShapeNames[shape]
}

// swEvent returns the message id and text SonicOS logs p with: a dropped
// packet of its protocol, or a connection opened or closed.
func swEvent(r *rng, p *packet) (id int, msg string, proto bool) {
	if p.blocked {
		switch p.proto {
		case protoTCP:
			return 36, "TCP packet dropped", false
		case protoUDP:
			return 37, "UDP packet dropped", false
		case protoICMP:
			return 38, "ICMP packet dropped", false
		}
		return 41, "Unknown protocol dropped", true
	}
	if r.intn(2) == 0 {
		return 98, "Connection Opened", true
	}
	return 537, "Connection Closed", true
}

// swEndpoint appends ADDRESS:PORT:INTERFACE, with the address apart in
// the V6 key for IPv6, and ICMP's id or type where the port would be.
func swEndpoint(b []byte, key, iface string, p *packet, src bool) []byte {
	a, port := p.dst, int(p.dport)
	if src {
		a, port = p.src, int(p.sport)
	}
	if !p.ports {
		port = int(p.icmpType)
		if src {
			port = int(p.icmpID)
		}
	}
	b = append(b, ' ')
	b = append(b, key...)
	b = append(b, '=')
	if !p.v6 {
		b = a.AppendTo(b)
	}
	b = append(b, ':')
	b = appendInt(b, port)
	b = append(b, ':')
	b = append(b, iface...)
	if p.v6 {
		b = append(b, ' ')
		b = append(b, key...)
		b = append(b, "V6="...)
		b = a.AppendTo(b)
	}
	return b
}

// sonicwallKV appends a message in SonicOS's Default syslog format.
func (g *generator) sonicwallKV(b []byte, f *swFlavor, p *packet) []byte {
	r := &g.r
	id, text, proto := swEvent(r, p)
	b = append(b, "id=firewall sn="...)
	b = append(b, f.sn...)
	b = append(b, ` time="`...)
	b = g.clk.appendISO(b, false, zoneColon)[:len(b)+10]
	b = append(b, ' ')
	b = g.clk.appendTime(b, false)
	b = append(b, ` UTC" fw=`...)
	b = append(b, f.host...)
	if p.blocked {
		b = append(b, " pri=5 c=64 m="...)
	} else {
		b = append(b, " pri=6 c=262144 m="...)
	}
	b = appendInt(b, id)
	b = append(b, ` msg="`...)
	b = append(b, text...)
	b = append(b, `" n=`...)
	b = appendInt(b, f.n)
	in, out := f.wan, f.wan
	if p.dir == dirFwd || p.dir == dirOut {
		in = f.lan
	}
	b = swEndpoint(b, "src", in, p, true)
	b = swEndpoint(b, "dst", out, p, false)
	if proto {
		b = append(b, " proto="...)
		b = append(b, protoNames[p.proto]...)
		if p.ports {
			b = append(b, '/')
			b = appendInt(b, int(p.dport))
		}
	}
	if p.blocked {
		return append(b, ` fw_action="drop"`...)
	}
	b = append(b, " sent="...)
	b = appendInt(b, r.between(40, 9000))
	return append(b, ` fw_action="NA"`...)
}

// sonicwallCEF appends the message in SonicOS's ArcSight format.
func (g *generator) sonicwallCEF(b []byte, f *swFlavor, p *packet) []byte {
	r := &g.r
	id, text, _ := swEvent(r, p)
	b = append(b, "CEF:0|SonicWall|NSa 2700|7.0.1-5095|"...)
	b = appendInt(b, id)
	b = append(b, '|')
	b = append(b, text...)
	b = append(b, "|5|dvchost=nsa2700 src="...)
	b = p.src.AppendTo(b)
	if p.ports {
		b = append(b, " spt="...)
		b = appendInt(b, int(p.sport))
	}
	b = append(b, " deviceInboundInterface="...)
	b = append(b, f.wan...)
	b = append(b, " dst="...)
	b = p.dst.AppendTo(b)
	if p.ports {
		b = append(b, " dpt="...)
		b = appendInt(b, int(p.dport))
	}
	b = append(b, " deviceOutboundInterface="...)
	b = append(b, f.lan...)
	b = append(b, " proto="...)
	return append(b, protoNames[p.proto]...)
}
