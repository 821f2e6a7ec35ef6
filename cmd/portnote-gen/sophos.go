package main

import "strings"

// soFlavor is a Sophos firewall: an SFOS appliance (the version 18 and
// the version 19 layout) and a UTM 9 behind it, and the connection ids
// SFOS counts.
type soFlavor struct {
	site   *site
	host   string
	serial string
	connid int
}

// soShape is one way a Sophos line is written.
type soShape uint8

const (
	soSFOS18 soShape = iota // "Mar  1 00:00:01 host device="SFW" date=... log_type="Firewall" ..."
	soSFOS19                // "<30>Mar  1 00:00:01 host timestamp="..." ... quoted values"
	soUTM                   // "<30>2025:03:01-00:00:01 utm ulogd[5208]: id="2001" ... sub="packetfilter""
	numSoShapes
)

var soShapeNames = [numSoShapes]string{"sophos/sfos18", "sophos/sfos19", "sophos/utm"}

var soShapes = table(choice[soShape]{soSFOS18, 45}, choice[soShape]{soSFOS19, 35}, choice[soShape]{soUTM, 20})

// sophos returns the Sophos firewall of the log, made at its first line
// so that a mix without Sophos lines draws nothing for it.
func (g *generator) sophos() *soFlavor {
	if g.soFlav == nil {
		r := &g.r
		f := &soFlavor{site: newSite(r, true), host: "xg125w", connid: r.between(1000, 1<<30)}
		f.serial = string(r.appendRandHex([]byte("C4431"), 9))
		g.soFlav = f
	}
	return g.soFlav
}

// soPrintable reports whether the generator writes p as a Sophos log:
// IP fragments, ICMP errors and link-local multicast are left out.
func soPrintable(p *packet) bool {
	switch p.proto {
	case protoIGMP, protoCARP, 103:
		return false
	}
	return p.frag == 0 && !p.hasQuote
}

// soProtoName is SFOS's name of a protocol: its IANA keyword in capitals
// ("TCP", "ESP"), but for "ICMPv6".
func soProtoName(proto uint8) string {
	if proto == protoICMPv6 {
		return "ICMPv6"
	}
	return strings.ToUpper(protoNames[proto])
}

func (g *generator) sophosLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	f := g.sophos()
	var p packet
	for {
		g.newPacket(&p, f.site)
		if soPrintable(&p) {
			break
		}
	}
	f.connid++
	shape := soShapes.pick(r)
	switch shape {
	case soSFOS18:
		msg := g.sophosSFOS(g.body[:0], f, &p, false)
		g.body = msg[:0]
		b = g.wrap(b, envBSDNoTag, &origin{host: f.host}, msg)
	case soSFOS19:
		msg := g.sophosSFOS(g.body[:0], f, &p, true)
		g.body = msg[:0]
		b = appendPRI(b, 30)
		b = g.clk.appendBSD(b, false, false)
		b = append(b, ' ')
		b = append(b, f.host...)
		b = append(b, ' ')
		b = append(b, msg...)
	default:
		b = g.sophosUTM(b, &p)
	}
	return b, p.truth(true), soShapeNames[shape]
}

// sophosSFOS appends an SFOS firewall log, in the version 18 layout or,
// with v19, the quoted one of version 19 on.
func (g *generator) sophosSFOS(b []byte, f *soFlavor, p *packet, v19 bool) []byte {
	r := &g.r
	q := func(k, v string) {
		b = append(b, ' ')
		b = append(b, k...)
		b = append(b, `="`...)
		b = append(b, v...)
		b = append(b, '"')
	}
	n := func(k string, v int) {
		b = append(b, ' ')
		b = append(b, k...)
		b = append(b, '=')
		if v19 {
			b = append(b, '"')
		}
		b = appendInt(b, v)
		if v19 {
			b = append(b, '"')
		}
	}
	a := func(k string, v []byte) {
		b = append(b, ' ')
		b = append(b, k...)
		b = append(b, '=')
		if v19 {
			b = append(b, '"')
		}
		b = append(b, v...)
		if v19 {
			b = append(b, '"')
		}
	}
	var tmp [48]byte
	subtype, status, logID := "Allowed", "Allow", "010101600001"
	if p.blocked {
		subtype, status, logID = "Denied", "Deny", "010102600002"
	}
	rule := 5
	if p.blocked {
		rule = 1
	}
	if v19 {
		b = append(b, `timestamp="`...)
		b = g.clk.appendISO(b, false, zoneBasic)
		b = append(b, '"')
		q("device_model", "XGS2100")
		q("device_serial_id", f.serial)
		q("log_id", logID)
	} else {
		b = append(b, `device="SFW" date=`...)
		b = append(b, g.clk.appendISO(tmp[:0], false, zoneColon)[:10]...)
		b = append(b, " time="...)
		b = g.clk.appendTime(b, false)
		q("timezone", "CET")
		q("device_name", "XG125w")
		b = append(b, " device_id="...)
		b = append(b, f.serial...)
		b = append(b, " log_id="...)
		b = append(b, logID...)
	}
	q("log_type", "Firewall")
	q("log_component", "Firewall Rule")
	q("log_subtype", subtype)
	if !v19 {
		q("status", status)
		b = append(b, " priority=Information"...)
	}
	n("fw_rule_id", rule)
	if v19 {
		q("fw_rule_name", [...]string{"", "Drop WAN", "", "", "", "LAN to WAN"}[rule])
	}
	q("in_interface", "Port2")
	q("out_interface", "Port1")
	a("src_ip", p.src.AppendTo(tmp[:0]))
	a("dst_ip", p.dst.AppendTo(tmp[:0]))
	q("protocol", soProtoName(p.proto))
	switch {
	case p.ports:
		n("src_port", int(p.sport))
		n("dst_port", int(p.dport))
	case p.proto == protoICMP || p.proto == protoICMPv6:
		n("icmp_type", int(p.icmpType))
		n("icmp_code", int(p.icmpCode))
	}
	sent, rcvd := 0, 0
	if !p.blocked {
		sent, rcvd = r.between(40, 9000), r.between(0, 90000)
	}
	if v19 {
		n("bytes_sent", sent)
		n("bytes_received", rcvd)
		q("con_id", string(appendInt(tmp[:0], f.connid)))
		return append(b, ` hb_status="No Heartbeat" message=""`...)
	}
	n("sent_bytes", sent)
	n("recv_bytes", rcvd)
	q("connid", string(appendInt(tmp[:0], f.connid)))
	return append(b, ` hb_health="No Heartbeat" message=""`...)
}

// sophosUTM appends a UTM 9 packet filter line, with its own timestamp
// ("2025:03:01-00:00:01") and ulogd's tag.
func (g *generator) sophosUTM(b []byte, p *packet) []byte {
	c := &g.clk
	b = appendPRI(b, 30)
	c.fields()
	b = appendPad(b, c.year, 4, '0')
	b = append(b, ':')
	b = appendPad(b, int(c.mon), 2, '0')
	b = append(b, ':')
	b = appendPad(b, c.day, 2, '0')
	b = append(b, '-')
	b = c.appendTime(b, false)
	id, name, action, rule := `"2002"`, `"Packet accepted"`, `"accept"`, `"6"`
	if p.blocked {
		id, name, action, rule = `"2001"`, `"Packet filter rule #1"`, `"drop"`, `"1"`
	}
	b = append(b, " utm ulogd[5208]: id="...)
	b = append(b, id...)
	b = append(b, ` severity="info" sys="SecureNet" sub="packetfilter" name=`...)
	b = append(b, name...)
	b = append(b, " action="...)
	b = append(b, action...)
	b = append(b, " fwrule="...)
	b = append(b, rule...)
	b = append(b, ` initf="eth1" srcip="`...)
	b = p.src.AppendTo(b)
	b = append(b, `" dstip="`...)
	b = p.dst.AppendTo(b)
	b = append(b, `" proto="`...)
	b = appendInt(b, int(p.proto))
	b = append(b, `" length="`...)
	b = appendInt(b, p.length)
	b = append(b, `" ttl="`...)
	b = appendInt(b, p.ttl)
	b = append(b, '"')
	switch {
	case p.ports:
		b = append(b, ` srcport="`...)
		b = appendInt(b, int(p.sport))
		b = append(b, `" dstport="`...)
		b = appendInt(b, int(p.dport))
		b = append(b, '"')
	case p.proto == protoICMP || p.proto == protoICMPv6:
		b = append(b, ` type="`...)
		b = appendInt(b, int(p.icmpType))
		b = append(b, `" code="`...)
		b = appendInt(b, int(p.icmpCode))
		b = append(b, '"')
	}
	return b
}
