package main

// paFlavor is a Palo Alto Networks firewall: its serial number, host
// name, interfaces and session counter.
type paFlavor struct {
	site     *site
	serial   string
	host     string
	lan, wan string
	session  int
	seq      int
}

// paShape is one way a PAN-OS line is written.
type paShape uint8

const (
	paBSD      paShape = iota // "<14>Mar  1 00:00:01 PA-3220 1,2025/03/01 00:00:01,...", PAN-OS's BSD syslog
	paBare                    // the CSV alone, as Panorama exports it
	paHostLost                // "Mar  1 00:00:01 1,2025/03/01 ...": no host, the first field looks like one
	paCEF                     // "<14>Mar  1 00:00:01 PA-3220 CEF:0|Palo Alto Networks|PAN-OS|...", CEF format
	numPaShapes
)

var paShapeNames = [numPaShapes]string{"panos/bsd", "panos/bare", "panos/host-lost", "panos/cef"}

var paShapes = table(choice[paShape]{paBSD, 60}, choice[paShape]{paBare, 15},
	choice[paShape]{paHostLost, 10}, choice[paShape]{paCEF, 15})

// panos returns the PAN-OS firewall of the log, made at its first line
// so that a mix without PAN-OS lines draws nothing for it.
func (g *generator) panos() *paFlavor {
	if g.paFlav == nil {
		r := &g.r
		f := &paFlavor{site: newSite(r, true), host: "PA-3220", lan: "ethernet1/2", wan: "ethernet1/1",
			session: r.between(1000, 1<<24), seq: r.between(1<<20, 1<<30)}
		f.serial = string(appendInt([]byte("0128010"), r.between(10000, 99999)))
		g.paFlav = f
	}
	return g.paFlav
}

// paPrintable reports whether the generator writes p as a PAN-OS log:
// PAN-OS logs sessions, not fragments, ICMP errors or link-local
// multicast.
func paPrintable(p *packet) bool {
	switch p.proto {
	case protoIGMP, protoCARP, 103:
		return false
	}
	return p.frag == 0 && !p.hasQuote
}

// paProtoName is PAN-OS's name of a protocol.
func paProtoName(proto uint8) string {
	if proto == protoICMPv6 {
		return "ipv6-icmp"
	}
	return protoNames[proto]
}

func (g *generator) panosLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	f := g.panos()
	var p packet
	for {
		g.newPacket(&p, f.site)
		if paPrintable(&p) {
			break
		}
	}
	f.session++
	f.seq++
	shape := paShapes.pick(r)
	var msg []byte
	if shape == paCEF {
		msg = g.panosCEF(g.body[:0], f, &p)
	} else {
		msg = g.panosCSV(g.body[:0], f, &p)
	}
	g.body = msg[:0]
	switch shape {
	case paBSD, paCEF:
		b = appendPRI(b, 14)
		b = g.wrap(b, envBSDNoTag, &origin{host: f.host}, msg)
	case paHostLost:
		b = g.wrap(b, envBSDBare, &origin{}, msg)
	default:
		b = append(b, msg...)
	}
	return b, p.truth(true), paShapeNames[shape]
}

// paRoute returns the zones, interfaces and rule of p.
func paRoute(f *paFlavor, p *packet) (from, to, in, out, rule string) {
	if p.dir == dirIn {
		return "untrust", "untrust", f.wan, "", "interzone-default"
	}
	return "trust", "untrust", f.lan, f.wan, "LAN out"
}

// panosCSV appends a TRAFFIC log in PAN-OS's CSV layout.
func (g *generator) panosCSV(b []byte, f *paFlavor, p *packet) []byte {
	r := &g.r
	var stamp [32]byte
	date := g.clk.appendISO(stamp[:0], false, zoneColon)[:10]
	for k := range date {
		if date[k] == '-' {
			date[k] = '/'
		}
	}
	when := append(append(date, ' '), g.clk.appendTime(nil, false)...)
	from, to, in, out, rule := paRoute(f, p)
	subtype, action := "end", "allow"
	if p.blocked {
		subtype, action = "deny", "deny"
		if r.intn(3) == 0 {
			subtype, action = "drop", "drop"
		}
	}
	sport, dport := 0, 0
	if p.ports {
		sport, dport = int(p.sport), int(p.dport)
	}
	b = append(b, "1,"...)
	b = append(b, when...)
	b = append(b, ',')
	b = append(b, f.serial...)
	b = append(b, ",TRAFFIC,"...)
	b = append(b, subtype...)
	b = append(b, ",2816,"...)
	b = append(b, when...)
	b = append(b, ',')
	b = p.src.AppendTo(b)
	b = append(b, ',')
	b = p.dst.AppendTo(b)
	if p.v6 {
		b = append(b, ",::,::,"...)
	} else {
		b = append(b, ",0.0.0.0,0.0.0.0,"...)
	}
	b = append(b, rule...)
	b = append(b, ",,,not-applicable,vsys1,"...)
	b = append(b, from...)
	b = append(b, ',')
	b = append(b, to...)
	b = append(b, ',')
	b = append(b, in...)
	b = append(b, ',')
	b = append(b, out...)
	b = append(b, ",default,"...)
	b = append(b, when...)
	b = append(b, ',')
	b = appendInt(b, f.session)
	b = append(b, ",1,"...)
	b = appendInt(b, sport)
	b = append(b, ',')
	b = appendInt(b, dport)
	b = append(b, ",0,0,0x0,"...)
	b = append(b, paProtoName(p.proto)...)
	b = append(b, ',')
	b = append(b, action...)
	bytes := p.length
	b = append(b, ',')
	b = appendInt(b, bytes)
	b = append(b, ',')
	b = appendInt(b, bytes)
	b = append(b, ",0,1,"...)
	b = append(b, when...)
	b = append(b, ",0,any,0,"...)
	b = appendInt(b, f.seq)
	b = append(b, ",0x0,United States,10.0.0.0-10.255.255.255,0,1,0,policy-deny,0,0,0,0,,"...)
	b = append(b, f.host...)
	return append(b, ",from-policy,,,0,,0,,N/A,0,0,0,0"...)
}

// panosCEF appends the TRAFFIC log in PAN-OS's default CEF layout.
func (g *generator) panosCEF(b []byte, f *paFlavor, p *packet) []byte {
	r := &g.r
	from, to, in, out, rule := paRoute(f, p)
	subtype, action := "end", "allow"
	if p.blocked {
		subtype, action = "deny", "deny"
		if r.intn(3) == 0 {
			subtype, action = "drop", "drop"
		}
	}
	b = append(b, "CEF:0|Palo Alto Networks|PAN-OS|10.2.4|"...)
	b = append(b, subtype...)
	b = append(b, "|TRAFFIC|1|deviceExternalId="...)
	b = append(b, f.serial...)
	b = append(b, " src="...)
	b = p.src.AppendTo(b)
	b = append(b, " dst="...)
	b = p.dst.AppendTo(b)
	b = append(b, " cs1Label=Rule cs1="...)
	b = append(b, rule...)
	b = append(b, " cs4Label=Source Zone cs4="...)
	b = append(b, from...)
	b = append(b, " cs5Label=Destination Zone cs5="...)
	b = append(b, to...)
	b = append(b, " deviceInboundInterface="...)
	b = append(b, in...)
	b = append(b, " deviceOutboundInterface="...)
	b = append(b, out...)
	b = append(b, " cn1Label=SessionID cn1="...)
	b = appendInt(b, f.session)
	if p.ports {
		b = append(b, " spt="...)
		b = appendInt(b, int(p.sport))
		b = append(b, " dpt="...)
		b = appendInt(b, int(p.dport))
	} else {
		b = append(b, " spt=0 dpt=0"...)
	}
	b = append(b, " proto="...)
	b = append(b, paProtoName(p.proto)...)
	b = append(b, " act="...)
	return append(b, action...)
}
