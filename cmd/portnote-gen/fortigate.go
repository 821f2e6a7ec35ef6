package main

// fgFlavor is a FortiGate: its name and serial in every line, its
// interfaces, and how its logs reach the file.
type fgFlavor struct {
	site           *site
	devname, devid string
	host           string // the name a collector writes before the message
	lan, wan       string
	session        int
}

// fgShape is one way a FortiGate line is written.
type fgShape uint8

const (
	fgPri         fgShape = iota // "<189>date=... time=..." as FortiOS sends it
	fgBSDNoTag                   // "Mar  1 00:00:01 host date=...", a collector's file
	fgRFC5424                    // "<189>1 2025-...+01:00 host - - - - date=..." (FortiOS 7 rfc5424 format)
	fgBare                       // the message alone
	fgComma                      // the comma variant, "date=...,time=...,..."
	fgCEF                        // "host CEF:0|Fortinet|Fortigate|...", CEF format
	fgCEFNoPrefix                // the same without "CEF:", as some relays pass it
	numFgShapes
)

var fgShapeNames = [numFgShapes]string{
	"fortigate/pri", "fortigate/bsd-notag", "fortigate/rfc5424", "fortigate/bare",
	"fortigate/comma", "fortigate/cef", "fortigate/cef-noprefix",
}

var fgShapes = table(
	choice[fgShape]{fgPri, 40}, choice[fgShape]{fgBSDNoTag, 15}, choice[fgShape]{fgRFC5424, 10},
	choice[fgShape]{fgBare, 5}, choice[fgShape]{fgComma, 10}, choice[fgShape]{fgCEF, 15},
	choice[fgShape]{fgCEFNoPrefix, 5},
)

// fortigate returns the FortiGate of the log, made at its first line so
// that a mix without FortiGate lines draws nothing for it.
func (g *generator) fortigate() *fgFlavor {
	if g.fgFlav == nil {
		r := &g.r
		g.fgFlav = &fgFlavor{
			site: newSite(r, true), devname: "FGT60F-HQ", host: "fw-hq",
			lan: "internal", wan: "wan1", session: r.between(1000, 1<<24),
		}
		g.fgFlav.devid = string(r.appendRandHex([]byte("FGT60FTK2"), 7))
	}
	return g.fgFlav
}

// fgPrintable reports whether FortiGate logs p as a session: IP
// fragments and ICMP errors belong to the session they are part of,
// and link-local multicast (IGMP, CARP, PIM) is not forwarded.
func fgPrintable(p *packet) bool {
	switch p.proto {
	case protoIGMP, protoCARP, 103:
		return false
	}
	return p.frag == 0 && !p.hasQuote
}

func (g *generator) fortigateLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	f := g.fortigate()
	var p packet
	for {
		g.newPacket(&p, f.site)
		if fgPrintable(&p) {
			break
		}
	}
	f.session++
	shape := fgShapes.pick(r)
	var msg []byte
	if shape == fgCEF || shape == fgCEFNoPrefix {
		msg = g.fortigateCEF(g.body[:0], f, &p, shape == fgCEF)
	} else {
		msg = g.fortigateKV(g.body[:0], f, &p, shape == fgComma)
	}
	g.body = msg[:0]
	o := origin{host: f.host, pri: 189}
	switch shape {
	case fgPri:
		b = appendPRI(b, 189)
		b = append(b, msg...)
	case fgBSDNoTag, fgComma, fgCEF, fgCEFNoPrefix:
		b = g.wrap(b, envBSDNoTag, &o, msg)
	case fgRFC5424:
		b = appendPRI(b, 189)
		b = append(b, "1 "...)
		b = g.clk.appendISO(b, false, zoneColon)
		b = append(b, ' ')
		b = append(b, f.host...)
		b = append(b, " - - - - "...)
		b = append(b, msg...)
	default:
		b = append(b, msg...)
	}
	return b, p.truth(true), fgShapeNames[shape]
}

// fgRoute returns the interfaces, the log subtype and the policy of p:
// traffic to the FortiGate itself is local, the rest forwarded.
func fgRoute(f *fgFlavor, p *packet) (in, out, subtype string, policy int) {
	switch p.dir {
	case dirIn:
		return f.wan, "root", "local", 0
	case dirOut:
		return "root", f.wan, "local", 0
	}
	if p.src.IsPrivate() {
		return f.lan, f.wan, "forward", 1
	}
	return f.wan, f.lan, "forward", 7
}

// fgPorts returns what FortiOS writes in srcport= and dstport=: the
// ports, or for ICMP the type and code where a port would be.
func fgPorts(p *packet) (sport, dport int) {
	if p.ports {
		return int(p.sport), int(p.dport)
	}
	if p.proto == protoICMP || p.proto == protoICMPv6 {
		return int(p.icmpID), int(p.icmpType)<<8 | int(p.icmpCode)
	}
	return 0, 0
}

// fortigateKV appends a traffic log in FortiOS's key=value form, or its
// comma variant.
func (g *generator) fortigateKV(b []byte, f *fgFlavor, p *packet, comma bool) []byte {
	r := &g.r
	sep := byte(' ')
	if comma {
		sep = ','
	}
	pair := func(k, v string, quote bool) {
		if len(b) > 0 {
			b = append(b, sep)
		}
		b = append(b, k...)
		b = append(b, '=')
		if quote {
			b = append(b, '"')
		}
		b = append(b, v...)
		if quote {
			b = append(b, '"')
		}
	}
	num := func(k string, v int) {
		b = append(b, sep)
		b = append(b, k...)
		b = append(b, '=')
		b = appendInt(b, v)
	}
	addr := func(k string, a []byte) {
		b = append(b, sep)
		b = append(b, k...)
		b = append(b, '=')
		b = append(b, a...)
	}
	in, out, subtype, policy := fgRoute(f, p)
	sport, dport := fgPorts(p)
	var stamp [32]byte
	pair("date", string(g.clk.appendISO(stamp[:0], false, zoneColon)[:10]), false)
	pair("time", string(g.clk.appendTime(stamp[:0], false)), false)
	pair("devname", f.devname, true)
	pair("devid", f.devid, true)
	logid := "0000000013"
	if subtype == "local" {
		logid = "0001000014"
	}
	pair("logid", logid, true)
	pair("type", "traffic", true)
	pair("subtype", subtype, true)
	pair("level", "notice", true)
	pair("vd", "root", true)
	addr("srcip", p.src.AppendTo(stamp[:0]))
	num("srcport", sport)
	pair("srcintf", in, true)
	addr("dstip", p.dst.AppendTo(stamp[:0]))
	num("dstport", dport)
	pair("dstintf", out, true)
	num("sessionid", f.session)
	num("proto", int(p.proto))
	action := [...]string{"accept", "close", "close", "timeout", "server-rst", "client-rst"}[r.intn(6)]
	if p.blocked {
		action = "deny"
	}
	pair("action", action, true)
	num("policyid", policy)
	if policy != 0 {
		pair("policyname", [...]string{"", "LAN to Internet", "", "", "", "", "", "Publish web"}[policy], true)
	}
	sent, rcvd := 0, 0
	if !p.blocked {
		sent, rcvd = r.between(40, 20000), r.between(0, 200000)
	}
	num("duration", r.intn(300))
	num("sentbyte", sent)
	num("rcvdbyte", rcvd)
	num("sentpkt", sent/500+1)
	num("rcvdpkt", rcvd/1200)
	pair("appcat", "unscanned", true)
	return b
}

// fortigateCEF appends the traffic log in CEF form, with or without the
// "CEF:" before the version.
func (g *generator) fortigateCEF(b []byte, f *fgFlavor, p *packet, prefix bool) []byte {
	r := &g.r
	in, out, subtype, policy := fgRoute(f, p)
	sport, dport := fgPorts(p)
	act := [...]string{"accept", "close", "timeout"}[r.intn(3)]
	if p.blocked {
		act = "deny"
	}
	if prefix {
		b = append(b, "CEF:"...)
	}
	b = append(b, "0|Fortinet|Fortigate|v7.0.12|00013|traffic:"...)
	b = append(b, subtype...)
	b = append(b, ' ')
	b = append(b, act...)
	b = append(b, "|3|deviceExternalId="...)
	b = append(b, f.devid...)
	b = append(b, " FTNTFGTlogid=0000000013 cat=traffic:"...)
	b = append(b, subtype...)
	b = append(b, " FTNTFGTsubtype="...)
	b = append(b, subtype...)
	b = append(b, " FTNTFGTlevel=notice FTNTFGTvd=root src="...)
	b = p.src.AppendTo(b)
	b = append(b, " spt="...)
	b = appendInt(b, sport)
	b = append(b, " deviceInboundInterface="...)
	b = append(b, in...)
	b = append(b, " dst="...)
	b = p.dst.AppendTo(b)
	b = append(b, " dpt="...)
	b = appendInt(b, dport)
	b = append(b, " deviceOutboundInterface="...)
	b = append(b, out...)
	b = append(b, " externalId="...)
	b = appendInt(b, f.session)
	b = append(b, " proto="...)
	b = appendInt(b, int(p.proto))
	b = append(b, " act="...)
	b = append(b, act...)
	b = append(b, " FTNTFGTpolicyid="...)
	b = appendInt(b, policy)
	b = append(b, " FTNTFGTdstcountry=United States FTNTFGTsrccountry=Reserved"...)
	return b
}
