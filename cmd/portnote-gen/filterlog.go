package main

// flFlavor is a pfSense or OPNsense firewall whose filterlog daemon turns
// pflog packets into CSV lines.
type flFlavor struct {
	name     string
	site     *site
	host     string
	wan, lan string
	opnsense bool // hex-hash trackers, RFC 5424 with [meta sequenceId=]
	envs     weighted[flEnv]
	seq      int // OPNsense's sequenceId
	shapes   [numFlEnvs]string
}

// flEnv is how a filterlog line reaches the log.
type flEnv uint8

const (
	flRemoteBSD   flEnv = iota // "<134>Mar  1 00:00:01 filterlog[72237]: CSV", pfSense's remote syslog
	flBSDHost                  // "Mar  1 00:00:01 host filterlog[72237]: CSV"
	flBSDNoPID                 // "Mar  1 00:00:01 host filterlog: CSV"
	flRFC5424                  // "<134>1 TIME host filterlog 72237 - - CSV"
	flRFC5424Meta              // "<134>1 TIME host filterlog 72237 - [meta sequenceId="42"] CSV"
	flISONoColon               // "TIME host filterlog[72237] CSV", pfSense 2.6's filter.log
	flBare                     // "CSV", clog output and filter.log without its header
	numFlEnvs
)

var flEnvNames = [numFlEnvs]string{"remote-bsd", "bsd", "bsd-nopid", "rfc5424", "rfc5424-meta", "iso-nocolon", "bare"}

func (g *generator) filterlogFlavors() weighted[*flFlavor] {
	r := &g.r
	fl := []choice[*flFlavor]{
		{&flFlavor{
			name: "pfsense", host: "pfSense.home.arpa", wan: "igb0", lan: "igb1.12",
			envs: table(choice[flEnv]{flRemoteBSD, 25}, choice[flEnv]{flBSDHost, 15}, choice[flEnv]{flBSDNoPID, 10},
				choice[flEnv]{flRFC5424, 25}, choice[flEnv]{flISONoColon, 15}, choice[flEnv]{flBare, 10}),
		}, 60},
		{&flFlavor{
			name: "opnsense", host: "OPNsense.localdomain", wan: "vtnet0", lan: "ixl1_vlan70", opnsense: true,
			envs: table(choice[flEnv]{flRFC5424Meta, 70}, choice[flEnv]{flBSDHost, 30}),
		}, 40},
	}
	for _, c := range fl {
		f := c.v
		f.site = newSite(r, true)
		f.seq = r.between(1, 1<<22)
		for e := range f.shapes {
			f.shapes[e] = "filterlog/" + f.name + "/" + flEnvNames[e]
		}
	}
	return table(fl...)
}

// pfSense's own rule trackers; OPNsense uses hashes instead.
var pfsenseTrackers = uniform("1000000103", "1000000105", "1000102433", "1000102631", "1770009999", "1535324496", "1000000003")

func (g *generator) filterlogLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	f := g.flFlav.pick(r)
	var p packet
	for {
		g.newPacket(&p, f.site)
		if !p.v6 || p.frag == 0 {
			break // IPv6 fragments: how filterlog shows them is not documented
		}
	}
	msg, t := g.filterlogCSV(g.body[:0], f, &p)
	g.body = msg[:0]
	env := f.envs.pick(r)
	o := origin{host: f.host, tag: "filterlog", pid: 72237, pri: 134}
	switch env {
	case flRemoteBSD:
		b = g.wrap(b, envBSDNoHost, &o, msg)
	case flBSDHost:
		b = g.wrap(b, envBSD, &o, msg)
	case flBSDNoPID:
		o.pid = 0
		b = g.wrap(b, envBSD, &o, msg)
	case flRFC5424:
		b = g.wrap(b, envRFC5424, &o, msg)
	case flRFC5424Meta:
		f.seq++
		g.sd = append(g.sd[:0], `[meta sequenceId="`...)
		g.sd = appendInt(g.sd, f.seq)
		o.sd = append(g.sd, `"]`...)
		g.sd = o.sd
		b = g.wrap(b, envRFC5424SD, &o, msg)
	case flISONoColon:
		o.noColon = true
		b = g.wrap(b, envISO, &o, msg)
	default:
		b = append(b, msg...)
	}
	return b, t, f.shapes[env]
}

// filterlogCSV appends the CSV record and returns its truth. The layout
// differs by IP version: IPv4 has tos, ecn, ttl, id, offset, flags,
// protocol number then name; IPv6 has class, flow label, hop limit,
// protocol name then number.
func (g *generator) filterlogCSV(b []byte, f *flFlavor, p *packet) ([]byte, truth) {
	r := &g.r
	t := truth{port: -1, proto: protoNames[p.proto]}
	fragment := p.frag != 0 && !p.v6
	// rule number, sub-rule, anchor, tracker
	if fragment {
		b = append(b, "4294967295,,,0,"...)
	} else {
		b = appendInt(b, r.between(4, 160))
		b = append(b, ',')
		if r.permille(100) {
			b = append(b, "16777216"...)
		}
		b = append(b, ",,"...)
		if f.opnsense {
			b = r.appendRandHex(b, 32)
		} else {
			b = append(b, pfsenseTrackers.pick(r)...)
		}
		b = append(b, ',')
	}
	iface, dir := f.wan, "in"
	switch {
	case p.dir == dirOut:
		dir = "out"
	case p.dir == dirFwd && !(p.dst.IsPrivate() || p.dst.Is6() && p.dst.As16()[0] == 0xfd):
		iface = f.lan
	}
	b = append(b, iface...)
	b = append(b, ',')
	if fragment {
		b = append(b, "fragment,"...)
	} else {
		b = append(b, "match,"...)
	}
	switch {
	case p.blocked && r.permille(30):
		b = append(b, "reject,"...)
	case p.blocked:
		b = append(b, "block,"...)
	default:
		b = append(b, "pass,"...)
	}
	b = append(b, dir...)
	b = append(b, ',')

	name := protoNames[p.proto]
	if p.proto == protoCARP {
		name = "carp" // pfSense's /etc/protocols name for 112
	}
	if p.v6 {
		b = append(b, "6,0x"...)
		b = appendHex(b, uint64(p.tos), 2)
		b = append(b, ",0x"...)
		b = appendHex(b, uint64(r.intn(1<<20)), 5)
		b = append(b, ',')
		b = appendInt(b, p.ttl)
		b = append(b, ',')
		mld := p.proto == protoICMPv6 && p.icmpType == 143
		switch {
		case mld:
			// MLD travels behind a hop-by-hop header, which filterlog
			// reports as the protocol
			b = append(b, "Options,0,"...)
			t.proto = protoNames[0]
		case p.proto == protoICMPv6:
			b = append(b, [...]string{"ICMPv6", "ipv6-icmp"}[r.intn(2)]...)
			b = append(b, ",58,"...)
		case p.proto == protoTCP || p.proto == protoUDP:
			if r.intn(2) == 0 {
				b = append(b, upper(name)...)
			} else {
				b = append(b, name...)
			}
			b = append(b, ',')
			b = appendInt(b, int(p.proto))
			b = append(b, ',')
		default:
			b = append(b, name...)
			b = append(b, ',')
			b = appendInt(b, int(p.proto))
			b = append(b, ',')
		}
		b = appendInt(b, p.length-40)
		b = append(b, ',')
		b = p.src.AppendTo(b)
		b = append(b, ',')
		b = p.dst.AppendTo(b)
		b = append(b, ',')
		if mld {
			return append(b, "HBH,PADN,RTALERT,0x0000,"...), t
		}
	} else {
		b = append(b, "4,0x"...)
		b = appendHex(b, uint64(p.tos), 1)
		b = append(b, ",,"...) // ECN is empty unless set
		b = appendInt(b, p.ttl)
		b = append(b, ',')
		b = appendInt(b, p.id)
		b = append(b, ',')
		b = appendInt(b, p.frag*8)
		b = append(b, ',')
		switch {
		case p.df:
			b = append(b, "DF,"...)
		case p.more:
			b = append(b, "+,"...)
		default:
			b = append(b, "none,"...)
		}
		b = appendInt(b, int(p.proto))
		b = append(b, ',')
		b = append(b, name...)
		b = append(b, ',')
		b = appendInt(b, p.length)
		b = append(b, ',')
		b = p.src.AppendTo(b)
		b = append(b, ',')
		b = p.dst.AppendTo(b)
		b = append(b, ',')
		if fragment {
			// a non-first fragment has no transport header to report
			return b, t
		}
	}

	datalen := p.length - 20 - boolInt(p.v6)*20
	switch p.proto {
	case protoTCP, protoUDP, protoSCTP:
		t.port = int32(p.dport)
		b = appendInt(b, int(p.sport))
		b = append(b, ',')
		b = appendInt(b, int(p.dport))
		b = append(b, ',')
		if p.proto != protoTCP {
			return appendInt(b, datalen-8), t
		}
		if !p.v6 && r.permille(5) {
			// filterlog could not parse the TCP header
			return append(b, "-12,R,errormsg='[bad hdr length 32 - too long, > 20]',"...), t
		}
		n := datalen - 20
		if p.flags != flPSHACK {
			n = 0
		}
		b = appendInt(b, n)
		b = append(b, ',')
		b = append(b, [...]string{flSYN: "S", flSYNECN: "SEC", flSYNACK: "SA", flACK: "A", flPSHACK: "PA",
			flFINACK: "FA", flRST: "R", flRSTACK: "RA"}[p.flags]...)
		b = append(b, ',')
		b = appendInt(b, int(p.seq))
		if n > 0 {
			b = append(b, ':')
			b = appendInt(b, int(p.seq)+n)
		}
		b = append(b, ',')
		if p.flags != flSYN && p.flags != flSYNECN && p.flags != flRST {
			b = appendInt(b, int(p.ack))
		}
		b = append(b, ',')
		b = appendInt(b, p.win)
		b = append(b, ",,"...)
		if p.flags == flSYN || p.flags == flSYNECN {
			b = append(b, [...]string{"mss", "mss;nop;wscale;nop;nop;sackOK", "mss;sackOK;TS;nop;wscale"}[r.intn(3)]...)
		}
		return b, t
	case protoICMP:
		return g.filterlogICMP(b, p, datalen), t
	case protoCARP:
		b = append(b, "advertise,255,"...)
		b = appendInt(b, r.between(1, 10))
		b = append(b, ",2,"...)
		b = appendInt(b, [...]int{0, 100}[r.intn(2)])
		return append(b, ",1"...), t
	case 41:
		return append(b, "IPV6-IN-IPV4,"...), t
	case protoICMPv6:
		if r.intn(2) == 0 {
			return b, t // filterlog prints nothing more for most ICMPv6
		}
	}
	b = append(b, "datalength="...)
	return appendInt(b, datalen), t
}

// filterlogICMP appends the ICMP fields. filterlog glues the data length
// to some of them without a comma ("unreachport,192.0.2.1,UDP,3343436");
// it is copied here because parsers meet it in real logs.
func (g *generator) filterlogICMP(b []byte, p *packet, datalen int) []byte {
	q := &p.q
	switch {
	case p.icmpType == 8 || p.icmpType == 0:
		if p.icmpType == 8 {
			b = append(b, "request,"...)
		} else {
			b = append(b, "reply,"...)
		}
		b = appendInt(b, int(p.icmpID))
		b = append(b, ',')
		return appendInt(b, int(p.icmpSeq))
	case p.icmpType == 3 && p.icmpCode == 3:
		b = append(b, "unreachport,"...)
		b = q.dst.AppendTo(b)
		if q.proto == protoTCP {
			b = append(b, ",TCP,"...)
		} else {
			b = append(b, ",UDP,"...)
		}
		b = appendInt(b, int(q.dport))
		return appendInt(b, datalen)
	case p.icmpType == 3 && p.icmpCode == 4:
		b = append(b, "needfrag,"...)
		b = q.dst.AppendTo(b)
		b = append(b, ',')
		return appendInt(b, p.mtu)
	case p.icmpType == 3:
		b = append(b, "unreach,host "...)
		b = q.dst.AppendTo(b)
		b = append(b, " unreachable"...)
		return appendInt(b, datalen)
	case p.icmpType == 11:
		b = append(b, "timexceed,time exceeded in-transit"...)
		return appendInt(b, datalen)
	}
	b = append(b, "datalength="...)
	return appendInt(b, datalen)
}

func upper(s string) string {
	switch s {
	case "tcp":
		return "TCP"
	case "udp":
		return "UDP"
	}
	return s
}
