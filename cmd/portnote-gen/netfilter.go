package main

import "net/netip"

// nfStyle is who printed the key=value body.
type nfStyle uint8

const (
	nfKernel  nfStyle = iota // the kernel's nf_log_syslog
	nfUniFi                  // the kernel on a UniFi gateway: "TOS=00", "MARK=1a0000", DESCR=
	nfProxmox                // pvefw-logger, with its own line layout
)

// nfFlavor is one kind of host that logs netfilter records: a firewall
// front end with its log prefixes, interfaces and usual envelopes.
type nfFlavor struct {
	name         string
	style        nfStyle
	site         *site
	host         string
	wan, lan     string // interface names
	in, out, fwd weighted[string]
	envs         weighted[envKind]
	hostMAC      [6]byte
	gwMAC        [6]byte
	noMAC        bool // a point-to-point link: "MAC= " is empty
	truncate     int  // permille of lines whose start a relay cut off
	shapes       [numEnvs]string
	cutShape     string
}

func envs(cs ...choice[envKind]) weighted[envKind] { return table(cs...) }

func prefixes(pw ...any) weighted[string] {
	cs := make([]choice[string], 0, len(pw)/2)
	for i := 0; i+1 < len(pw); i += 2 {
		cs = append(cs, choice[string]{pw[i].(string), pw[i+1].(int)})
	}
	return table(cs...)
}

func (g *generator) netfilterFlavors() weighted[*nfFlavor] {
	r := &g.r
	syslogAll := envs(
		choice[envKind]{envBSD, 35}, choice[envKind]{envBSDPri, 5}, choice[envKind]{envJournalShort, 8},
		choice[envKind]{envJournalPrecise, 3}, choice[envKind]{envISO, 20}, choice[envKind]{envISOShort, 5},
		choice[envKind]{envJSON, 10}, choice[envKind]{envRFC5424, 5}, choice[envKind]{envRFC5424SD, 3},
		choice[envKind]{envDmesg, 4}, choice[envKind]{envDmesgT, 2},
	)
	router := envs(
		choice[envKind]{envBSD, 55}, choice[envKind]{envBSDPri, 20}, choice[envKind]{envISO, 15},
		choice[envKind]{envRFC5424, 10},
	)
	fl := []choice[*nfFlavor]{
		{&nfFlavor{
			name: "ufw", host: "web-01", wan: "ens3", envs: syslogAll,
			in:  prefixes("[UFW BLOCK] ", 85, "[UFW AUDIT] ", 6, "[UFW ALLOW] ", 4, "[UFW LIMIT BLOCK] ", 5),
			out: prefixes("[UFW BLOCK] ", 4, "[UFW AUDIT] ", 4, "[UFW ALLOW] ", 2),
		}, 30},
		{&nfFlavor{
			name: "firewalld", host: "db-02.example.net", wan: "enp1s0",
			envs: envs(choice[envKind]{envJSON, 35}, choice[envKind]{envJournalShort, 25}, choice[envKind]{envBSD, 20},
				choice[envKind]{envISO, 10}, choice[envKind]{envRFC5424SD, 10}),
			in: prefixes("FINAL_REJECT: ", 30, "IN_public_DROP: ", 20, "filter_IN_public_REJECT: ", 25,
				"STATE_INVALID_DROP: ", 10, "filter_IN_public_DROP: ", 15),
			out: prefixes("FINAL_REJECT: ", 1),
		}, 12},
		{&nfFlavor{
			name: "shorewall", host: "gw", wan: "eth0", lan: "eth1",
			envs: envs(choice[envKind]{envBSD, 60}, choice[envKind]{envBSDNoTag, 10}, choice[envKind]{envISO, 20}, choice[envKind]{envBSDPri, 10}),
			in:   prefixes("Shorewall:net2fw:DROP:", 60, "Shorewall:net-fw:REJECT:", 20, "Shorewall:net2fw:ACCEPT:", 5),
			out:  prefixes("Shorewall:fw2net:REJECT:", 1),
			fwd:  prefixes("Shorewall:net2loc:DROP:", 5, "Shorewall:loc2net:REJECT:", 3, "Shorewall:FORWARD:REJECT:", 2),
		}, 8},
		{&nfFlavor{
			name: "susefirewall2", host: "linux-sfw2", wan: "ppp0", noMAC: true,
			envs: envs(choice[envKind]{envBSD, 80}, choice[envKind]{envBSDPri, 10}, choice[envKind]{envDmesg, 10}),
			in: prefixes("SFW2-INext-DROP-DEFLT ", 60, "SFW2-INext-ACC-TCP ", 10, "SFW2-IN-ACC-RELATED ", 10,
				"SFW2-INext-DROP-DEFLT-INV ", 10, "SFW2-INext-REJECT ", 10),
			out: prefixes("SFW2-OUT-ERROR ", 1),
		}, 5},
		{&nfFlavor{
			name: "edgeos", host: "ubnt-edge", wan: "eth0", lan: "eth1.90", envs: router, truncate: 60,
			in:  prefixes("[WAN_LOCAL-default-D]", 60, "[WAN_LOCAL-10-A]", 10, "[WAN_LOCAL-20-D]", 10),
			out: prefixes("[LAN_LOCAL-default-A]", 1),
			fwd: prefixes("[WAN_IN-default-D]", 5, "[WAN_IN-2000-A]", 2, "[LAN_IN-default-A]", 2, "[WAN_OUT-2000-A]", 2),
		}, 6},
		{&nfFlavor{
			name: "unifi", style: nfUniFi, host: "UDM-Pro", wan: "eth8", lan: "br0",
			envs: envs(choice[envKind]{envBSDNoTag, 70}, choice[envKind]{envBSD, 30}),
			in: prefixes(`[WAN_LOCAL-D-2147483647] DESCR="[WAN_LOCAL]Block All Traffic" `, 80,
				`[WAN_LOCAL-A-2000] DESCR="[WAN_LOCAL]Allow WireGuard" `, 10),
			out: prefixes(`[LAN_LOCAL-A-2147483647] DESCR="[LAN_LOCAL]Allow All Traffic" `, 1),
			fwd: prefixes(`[WAN_IN-D-2147483647] DESCR="[WAN_IN]Block All Traffic" `, 6,
				`[LAN_IN-A-2000] DESCR="[LAN_IN]Allow Established" `, 2, `[LAN_IN-RET-30000]`, 1),
		}, 5},
		{&nfFlavor{
			name: "openwrt", host: "OpenWrt", wan: "pppoe-wan", lan: "br-lan", noMAC: true, envs: router,
			in:  prefixes("DROP(src wan)", 45, "REJECT(src wan)", 20, "drop wan in: ", 15, "reject wan in: ", 15),
			out: prefixes("REJECT(dest wan)", 1, "reject wan out: ", 1),
			fwd: prefixes("reject wan forward: ", 3, "DROP(src wan)", 3, "ACCEPT(dest wan)", 1),
		}, 6},
		{&nfFlavor{
			name: "proxmox", style: nfProxmox, host: "pve1", wan: "vmbr0", lan: "fwbr101i0",
			envs: envs(choice[envKind]{envNone, 1}),
			in:   prefixes("policy DROP: ", 60, "DROP: ", 15, "REJECT: ", 15, "ACCEPT: ", 10),
			out:  prefixes("REJECT: ", 2, "ACCEPT: ", 1),
			fwd:  prefixes("policy DROP: ", 3, "REJECT: ", 2, "ACCEPT: ", 2, "PVEFW-reject: ", 1),
		}, 5},
		{&nfFlavor{
			name: "nftables", host: "nas", wan: "eth0",
			envs: envs(choice[envKind]{envBSD, 30}, choice[envKind]{envBSDBare, 3}, choice[envKind]{envJournalShort, 10},
				choice[envKind]{envISO, 15}, choice[envKind]{envJSON, 15}, choice[envKind]{envDmesg, 12},
				choice[envKind]{envDmesgT, 8}, choice[envKind]{envRFC5424, 7}),
			in: prefixes("nft drop in: ", 15, "inbound drop: ", 10, "[nftables] INPUT DROP: ", 10,
				"iptables DROP_INPUT: ", 15, "IPTABLES-DROP: ", 15, "INPUT reject: ", 10, "DROP ", 10,
				"DENY: ", 5, "TRACE: raw:PREROUTING:policy:3 ", 3, "", 5, "dropped", 2),
			out: prefixes("FIREWALL_OUT ", 3, "OUTPUT reject: ", 2, "nft drop out: ", 2, "", 1),
		}, 23},
	}
	for _, c := range fl {
		f := c.v
		f.site = newSite(r, f.lan != "")
		f.hostMAC = randMAC(r)
		f.gwMAC = randMAC(r)
		for e := range f.shapes {
			f.shapes[e] = "netfilter/" + f.name + "/" + envNames[e]
		}
		f.cutShape = "netfilter/" + f.name + "/cut-start"
	}
	return table(fl...)
}

// randMAC returns a locally plausible unicast MAC address.
func randMAC(r *rng) [6]byte {
	v := r.pcg.Uint64()
	var m [6]byte
	for i := range m {
		m[i] = byte(v >> (8 * i))
	}
	m[0] &^= 1 // unicast
	return m
}

// prefix picks the log prefix for a packet's direction.
func (f *nfFlavor) prefix(r *rng, d direction) string {
	switch {
	case d == dirOut && len(f.out.vals) > 0:
		return f.out.pick(r)
	case d == dirFwd && len(f.fwd.vals) > 0:
		return f.fwd.pick(r)
	}
	return f.in.pick(r)
}

func (g *generator) netfilterLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	f := g.nfFlav.pick(r)
	var p packet
	g.newPacket(&p, f.site)
	if f.style == nfProxmox {
		return g.proxmoxLine(b, f, &p)
	}
	env := f.envs.pick(r)
	body := append(g.body[:0], f.prefix(r, p.dir)...)
	body = g.nfBody(body, f, &p)
	t := p.truth(true)
	shape := f.shapes[env]
	if !p.v6 && p.ports && p.frag == 0 && f.truncate > 0 && r.permille(f.truncate) {
		// A relay that limits line length cut the start of the message
		// somewhere between PREC= and TTL= ("0 TTL=..", "L=..").
		if k := indexOf(body, " TTL="); k > 0 {
			body = body[k+r.between(-1, 3):]
			shape = f.cutShape
		}
	}
	g.body = body[:0]
	o := origin{host: f.host, tag: "kernel", pri: 4}
	if f.style == nfUniFi && env == envBSDNoTag && r.intn(2) == 0 {
		o.host = "UDM-Pro UDM-Pro" // some UniFi releases repeat the host name
	}
	if shape == f.cutShape && (env == envBSD || env == envBSDPri) && r.intn(2) == 0 {
		o.host = f.host + " user.info" // a collector that prints facility.level
	}
	return g.wrap(b, env, &o, body), t, shape
}

func indexOf(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}

// interfaces returns IN= and OUT= for a packet's direction.
func (f *nfFlavor) interfaces(p *packet) (in, out string) {
	switch p.dir {
	case dirOut:
		return "", f.wan
	case dirFwd:
		if p.dst.IsPrivate() || p.dst.Is6() && p.dst.As16()[0] == 0xfd {
			return f.wan, f.lan
		}
		return f.lan, f.wan
	}
	return f.wan, ""
}

// nfBody appends the kernel's key=value rendering of p, field for field
// as nf_log_syslog prints it, trailing blank included.
func (g *generator) nfBody(b []byte, f *nfFlavor, p *packet) []byte {
	r := &g.r
	in, out := f.interfaces(p)
	b = append(b, "IN="...)
	b = append(b, in...)
	b = append(b, " OUT="...)
	b = append(b, out...)
	b = append(b, ' ')
	if in != "" {
		b = append(b, "MAC="...)
		if !f.noMAC || in != f.wan {
			b = appendMACHeader(b, p, f.hostMAC, f.gwMAC)
		}
		b = append(b, ' ')
	}
	b = g.nfIP(b, p, f.style == nfUniFi)
	b = g.nfTransport(b, p)
	if p.dir == dirOut && r.permille(150) {
		b = append(b, "UID=0 GID=0 "...) // --log-uid on locally generated packets
	}
	if f.style == nfUniFi {
		b = append(b, "MARK=1a0000 "...)
	} else if r.permille(30) {
		b = append(b, "MARK=0x"...)
		b = appendHex(b, uint64(r.between(1, 0xff00)), 1)
		b = append(b, ' ')
	}
	return b
}

// appendMACHeader appends the link header netfilter prints as MAC=:
// destination, source, ethertype. Multicast goes to the group's MAC.
func appendMACHeader(b []byte, p *packet, host, gw [6]byte) []byte {
	dst := host
	if p.dst.IsMulticast() {
		a := p.dst.As16()
		if p.v6 {
			dst = [6]byte{0x33, 0x33, a[12], a[13], a[14], a[15]}
		} else {
			dst = [6]byte{0x01, 0x00, 0x5e, a[13] & 0x7f, a[14], a[15]}
		}
	}
	b = appendMAC(b, dst)
	b = append(b, ':')
	b = appendMAC(b, gw)
	if p.v6 {
		return append(b, ":86:dd"...)
	}
	return append(b, ":08:00"...)
}

func appendMAC(b []byte, m [6]byte) []byte {
	for i, x := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[x>>4], hexDigits[x&15])
	}
	return b
}

// appendFullIPv6 appends an IPv6 address as the kernel's %pI6 does:
// eight zero-padded groups, no "::".
func appendFullIPv6(b []byte, a netip.Addr) []byte {
	x := a.As16()
	for i := 0; i < 16; i += 2 {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[x[i]>>4], hexDigits[x[i]&15], hexDigits[x[i+1]>>4], hexDigits[x[i+1]&15])
	}
	return b
}

func appendHex2Upper(b []byte, v uint8) []byte {
	const upper = "0123456789ABCDEF"
	return append(b, upper[v>>4], upper[v&15])
}

// nfIP appends the IP header fields.
func (g *generator) nfIP(b []byte, p *packet, unifi bool) []byte {
	r := &g.r
	b = append(b, "SRC="...)
	if p.v6 {
		b = appendFullIPv6(b, p.src)
		b = append(b, " DST="...)
		b = appendFullIPv6(b, p.dst)
	} else {
		b = p.src.AppendTo(b)
		b = append(b, " DST="...)
		b = p.dst.AppendTo(b)
	}
	b = append(b, " LEN="...)
	b = appendInt(b, p.length)
	if p.v6 {
		b = append(b, " TC="...)
		b = appendInt(b, int(p.tos))
		b = append(b, " HOPLIMIT="...)
		b = appendInt(b, p.ttl)
		b = append(b, " FLOWLBL="...)
		if p.proto == protoICMPv6 && p.icmpType >= 130 {
			b = append(b, '0')
		} else {
			b = appendInt(b, r.intn(1<<20))
		}
		b = append(b, ' ')
		switch {
		case p.frag != 0:
			// the fragment header, inside OPT ( ) with --log-ip-options
			opt := r.intn(3) == 0
			if opt {
				b = append(b, "OPT ( "...)
			}
			b = append(b, "FRAG:"...)
			b = appendInt(b, p.frag*8)
			b = append(b, ' ')
			if p.more {
				b = append(b, "INCOMPLETE "...)
			}
			b = append(b, "ID:"...)
			b = appendHex(b, uint64(r.u32()), 8)
			b = append(b, ' ')
			if opt {
				b = append(b, ") "...)
			}
		case p.proto == protoTCP && r.permille(20):
			// hop-by-hop and destination options headers, logged with
			// --log-ip-options but not decoded
			for n := r.between(1, 4); n > 0; n-- {
				b = append(b, "OPT ( ) "...)
			}
		}
		return b
	}
	b = append(b, " TOS="...)
	if unifi {
		b = appendHex2Upper(b, p.tos&0x1e)
	} else {
		b = append(b, "0x"...)
		b = appendHex2Upper(b, p.tos&0x1e)
	}
	b = append(b, " PREC=0x"...)
	b = appendHex2Upper(b, p.tos&0xe0)
	b = append(b, " TTL="...)
	b = appendInt(b, p.ttl)
	b = append(b, " ID="...)
	b = appendInt(b, p.id)
	b = append(b, ' ')
	if p.df {
		b = append(b, "DF "...)
	}
	if p.more {
		b = append(b, "MF "...)
	}
	if p.frag != 0 {
		b = append(b, "FRAG:"...)
		b = appendInt(b, p.frag)
		b = append(b, ' ')
	}
	if p.proto == protoIGMP {
		b = append(b, "OPT (94040000) "...) // IGMP carries the router alert option
	}
	return b
}

// nfTransport appends PROTO= and what follows it.
func (g *generator) nfTransport(b []byte, p *packet) []byte {
	r := &g.r
	b = append(b, "PROTO="...)
	switch p.proto {
	case protoTCP:
		b = append(b, "TCP "...)
		if p.frag != 0 {
			return b
		}
		if r.permille(3) {
			// a packet cut short before the TCP header
			b = append(b, "INCOMPLETE ["...)
			b = appendInt(b, r.between(0, 19))
			p.ports = false
			return append(b, " bytes] "...)
		}
		b = appendPorts(b, p.sport, p.dport)
		if r.permille(100) {
			b = append(b, "SEQ="...) // --log-tcp-sequence
			b = appendInt(b, int(p.seq))
			b = append(b, " ACK="...)
			b = appendInt(b, int(p.ack))
			b = append(b, ' ')
		}
		b = append(b, "WINDOW="...)
		b = appendInt(b, p.win)
		b = append(b, " RES=0x00 "...)
		b = append(b, nfFlagNames[p.flags]...)
		b = append(b, "URGP=0 "...)
		if (p.flags == flSYN || p.flags == flSYNECN) && r.permille(100) {
			b = append(b, "OPT (020405B4"...) // --log-tcp-options: MSS 1460, then more
			if p.length > 44 {
				b = append(b, "0402080A"...)
				b = appendHex(b, uint64(r.u32()), 8)
				b = append(b, "0000000001030307"...)
			}
			b = append(b, ") "...)
		}
	case protoUDP, protoUDPLite:
		if p.proto == protoUDP {
			b = append(b, "UDP "...)
		} else {
			b = append(b, "UDPLITE "...)
		}
		if p.frag != 0 {
			return b
		}
		b = appendPorts(b, p.sport, p.dport)
		b = append(b, "LEN="...)
		b = appendInt(b, p.length-20-boolInt(p.v6)*20)
		b = append(b, ' ')
	case protoICMP:
		b = append(b, "ICMP TYPE="...)
		b = appendInt(b, int(p.icmpType))
		b = append(b, " CODE="...)
		b = appendInt(b, int(p.icmpCode))
		b = append(b, ' ')
		switch {
		case p.icmpType == 0 || p.icmpType == 8:
			b = appendEchoIDs(b, p)
		case p.hasQuote:
			b = append(b, '[')
			b = nfQuoted(b, p)
			b = append(b, "] "...)
			if p.mtu > 0 {
				b = append(b, "MTU="...)
				b = appendInt(b, p.mtu)
				b = append(b, ' ')
			}
		}
	case protoICMPv6:
		b = append(b, "ICMPv6 TYPE="...)
		b = appendInt(b, int(p.icmpType))
		b = append(b, " CODE="...)
		b = appendInt(b, int(p.icmpCode))
		b = append(b, ' ')
		switch {
		case p.icmpType == 128 || p.icmpType == 129:
			b = appendEchoIDs(b, p)
		case p.hasQuote:
			b = append(b, '[')
			b = nfQuoted(b, p)
			b = append(b, "] "...)
			if p.mtu > 0 {
				b = append(b, "MTU="...)
				b = appendInt(b, p.mtu)
				b = append(b, ' ')
			}
		}
	case protoESP, protoAH:
		if p.proto == protoESP {
			b = append(b, "ESP SPI=0x"...)
		} else {
			b = append(b, "AH SPI=0x"...)
		}
		b = appendHex(b, uint64(p.spi), 1)
		b = append(b, ' ')
	default:
		// SCTP, DCCP, GRE, IGMP and the rest: the kernel prints only the
		// number, and no ports even for SCTP and DCCP.
		b = appendInt(b, int(p.proto))
		b = append(b, ' ')
		p.ports = false
	}
	return b
}

var nfFlagNames = [...]string{
	flSYN: "SYN ", flSYNECN: "CWR ECE SYN ", flSYNACK: "ACK SYN ", flACK: "ACK ",
	flPSHACK: "ACK PSH ", flFINACK: "ACK FIN ", flRST: "RST ", flRSTACK: "ACK RST ",
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func appendPorts(b []byte, sport, dport uint16) []byte {
	b = append(b, "SPT="...)
	b = appendInt(b, int(sport))
	b = append(b, " DPT="...)
	b = appendInt(b, int(dport))
	return append(b, ' ')
}

func appendEchoIDs(b []byte, p *packet) []byte {
	b = append(b, "ID="...)
	b = appendInt(b, int(p.icmpID))
	b = append(b, " SEQ="...)
	b = appendInt(b, int(p.icmpSeq))
	return append(b, ' ')
}

// nfQuoted appends the packet an ICMP error quotes, as the kernel dumps
// it between brackets: IP header and transport ports, no interfaces.
func nfQuoted(b []byte, p *packet) []byte {
	q := &p.q
	b = append(b, "SRC="...)
	if p.v6 {
		b = appendFullIPv6(b, q.src)
		b = append(b, " DST="...)
		b = appendFullIPv6(b, q.dst)
		b = append(b, " LEN="...)
		b = appendInt(b, q.length)
		b = append(b, " TC=0 HOPLIMIT="...)
		b = appendInt(b, q.ttl)
		b = append(b, " FLOWLBL=0 "...)
	} else {
		b = q.src.AppendTo(b)
		b = append(b, " DST="...)
		b = q.dst.AppendTo(b)
		b = append(b, " LEN="...)
		b = appendInt(b, q.length)
		b = append(b, " TOS=0x00 PREC=0x00 TTL="...)
		b = appendInt(b, q.ttl)
		b = append(b, " ID="...)
		b = appendInt(b, q.id)
		b = append(b, ' ')
	}
	if q.proto == protoTCP {
		b = append(b, "PROTO=TCP "...)
		b = appendPorts(b, q.sport, q.dport)
		return append(b, "WINDOW=64240 RES=0x00 SYN URGP=0 "...)
	}
	b = append(b, "PROTO=UDP "...)
	b = appendPorts(b, q.sport, q.dport)
	b = append(b, "LEN="...)
	b = appendInt(b, q.length-20-boolInt(p.v6)*20)
	return append(b, ' ')
}

// proxmoxLine appends a line of /var/log/pve-firewall.log as pvefw-logger
// writes it: "VMID LOGLEVEL CHAIN TIME PREFIX: " and a body of its own
// making, which omits an empty IN= or OUT=, prints IPv6 compressed, puts
// FLOWLBL before HOPLIMIT and always logs TCP sequence numbers.
func (g *generator) proxmoxLine(b []byte, f *nfFlavor, p *packet) ([]byte, truth, string) {
	r := &g.r
	vm := 0
	chain := "PVEFW-HOST-IN"
	if p.dir == dirOut {
		chain = "PVEFW-HOST-OUT"
	}
	bridged := p.dir == dirFwd
	if bridged {
		vm = r.between(100, 120) // the VM's own chain, "tap<vmid>i0-IN"
	}
	if p.frag != 0 {
		p.frag, p.more, p.ports = 0, false, true
	}
	b = appendInt(b, vm)
	b = append(b, ' ')
	b = appendInt(b, r.between(0, 7))
	b = append(b, ' ')
	if bridged {
		b = append(b, "tap"...)
		b = appendInt(b, vm)
		b = append(b, "i0-IN "...)
	} else {
		b = append(b, chain...)
		b = append(b, ' ')
	}
	b = g.clk.appendCLF(b)
	b = append(b, ' ')
	b = append(b, f.prefix(r, p.dir)...)
	switch {
	case bridged:
		b = append(b, "IN=fwbr"...)
		b = appendInt(b, vm)
		b = append(b, "i0 OUT=fwbr"...)
		b = appendInt(b, vm)
		b = append(b, "i0 PHYSIN=fwln"...)
		b = appendInt(b, vm)
		b = append(b, "i0 PHYSOUT=tap"...)
		b = appendInt(b, vm)
		b = append(b, "i0 MAC="...)
		b = appendMACHeader(b, p, f.hostMAC, f.gwMAC)
		b = append(b, ' ')
	case p.dir == dirOut:
		b = append(b, "OUT="...)
		b = append(b, f.wan...)
		b = append(b, ' ')
	default:
		b = append(b, "IN="...)
		b = append(b, f.wan...)
		b = append(b, " MAC="...)
		b = appendMACHeader(b, p, f.hostMAC, f.gwMAC)
		b = append(b, ' ')
	}
	b = append(b, "SRC="...)
	b = p.src.AppendTo(b)
	b = append(b, " DST="...)
	b = p.dst.AppendTo(b)
	b = append(b, " LEN="...)
	b = appendInt(b, p.length)
	if p.v6 {
		b = append(b, " TC=0 FLOWLBL="...)
		b = appendInt(b, r.intn(1<<20))
		b = append(b, " HOPLIMIT="...)
		b = appendInt(b, p.ttl)
		b = append(b, ' ')
	} else {
		b = append(b, " TOS=0x00 PREC=0x00 TTL="...)
		b = appendInt(b, p.ttl)
		b = append(b, " ID="...)
		b = appendInt(b, p.id)
		b = append(b, ' ')
		if p.df {
			b = append(b, "DF "...)
		}
	}
	b = append(b, "PROTO="...)
	switch p.proto {
	case protoTCP:
		b = append(b, "TCP "...)
		b = appendPorts(b, p.sport, p.dport)
		b = append(b, "SEQ="...)
		b = appendInt(b, int(p.seq))
		b = append(b, " ACK="...)
		b = appendInt(b, int(p.ack))
		b = append(b, " WINDOW="...)
		b = appendInt(b, p.win)
		b = append(b, ' ')
		b = append(b, nfFlagNames[p.flags]...)
	case protoUDP:
		b = append(b, "UDP "...)
		b = appendPorts(b, p.sport, p.dport)
		b = append(b, "LEN="...)
		b = appendInt(b, p.length-20-boolInt(p.v6)*20)
	case protoICMP, protoICMPv6:
		if p.proto == protoICMP {
			b = append(b, "ICMP TYPE="...)
		} else {
			b = append(b, "ICMPv6 TYPE="...)
		}
		b = appendInt(b, int(p.icmpType))
		b = append(b, " CODE="...)
		b = appendInt(b, int(p.icmpCode))
		if p.icmpType == 0 || p.icmpType == 8 || p.icmpType == 128 || p.icmpType == 129 {
			b = append(b, ' ')
			b = appendEchoIDs(b, p)
		}
	default:
		b = appendInt(b, int(p.proto))
		p.ports = false
	}
	return b, p.truth(true), "netfilter/proxmox/pve-firewall.log"
}
