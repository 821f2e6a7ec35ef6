package main

import "net/netip"

// asaFlavor is a Cisco ASA or Firepower Threat Defense whose messages
// reach the log: through its own syslog client, Cisco's timestamp with
// the year and no host, or a relay.
type asaFlavor struct {
	name    string
	product string // "ASA" or "FTD"
	site    *site
	host    string
	envs    weighted[asaEnv]
	nextID  int // the next connection id
	open    [64]asaConn
	nOpen   int
	shapes  [numASAEnvs][numASAKinds]string
	outside string
	inside  string
	dmz     string
}

// asaConn is a connection a Built message opened, for its Teardown.
type asaConn struct {
	id       int
	proto    uint8
	inbound  bool
	outside  netip.Addr // the end on the outside interface
	oport    uint16
	insideIf string
	inAddr   netip.Addr // the end on the inside (or DMZ) interface
	iport    uint16
	env      asaEnv // how its Built message reached the log
}

// asaEnv is how a message reaches the log.
type asaEnv uint8

const (
	asaBSDPri    asaEnv = iota // "<166>Mar  1 00:00:01 fw %ASA-6-302013: ...", logging host
	asaStamp                   // "<166>Mar 01 2025 00:00:01: %ASA-6-302013: ...", logging timestamp, no device-id
	asaBSD                     // "Mar  1 00:00:01 fw %ASA-6-302013: ...", a relay's file
	asaRelay5424               // "<166>1 TIME fw %ASA-6-302013 - - - ...": the tag taken for the program name
	asaISO                     // "2025-03-01T00:00:01Z   %FTD-1-430003: ...", FTD without device-id
	asaBare                    // "%ASA-6-302013: ..."
	numASAEnvs
)

var asaEnvNames = [numASAEnvs]string{"bsd-pri", "stamp", "bsd", "relay-5424", "iso", "bare"}

// asaKind is a kind of message the generator writes.
type asaKind uint8

const (
	asaDeny asaKind = iota
	asaDenyNoACL
	asaLate
	asaBuilt
	asaTeardown
	asaICMP
	asaICMPError
	asaTunnel
	asaACL
	asaFTD
	asaNotRecord
	numASAKinds
)

var asaKindNames = [numASAKinds]string{"106023", "106001", "106015", "302013", "302014", "icmp", "313005", "106010", "106100", "430003", "noise/other"}

var asaKinds = table(
	choice[asaKind]{asaDeny, 30}, choice[asaKind]{asaDenyNoACL, 6}, choice[asaKind]{asaLate, 6},
	choice[asaKind]{asaBuilt, 20}, choice[asaKind]{asaTeardown, 18}, choice[asaKind]{asaICMP, 5},
	choice[asaKind]{asaICMPError, 2}, choice[asaKind]{asaTunnel, 1}, choice[asaKind]{asaACL, 4},
	choice[asaKind]{asaNotRecord, 8},
)

func (g *generator) asaFlavors() weighted[*asaFlavor] {
	r := &g.r
	fl := []choice[*asaFlavor]{
		{&asaFlavor{
			name: "asa", product: "ASA", host: "fw-edge", outside: "outside", inside: "inside", dmz: "dmz",
			envs: table(choice[asaEnv]{asaBSDPri, 40}, choice[asaEnv]{asaStamp, 25}, choice[asaEnv]{asaBSD, 20},
				choice[asaEnv]{asaRelay5424, 10}, choice[asaEnv]{asaBare, 5}),
		}, 70},
		{&asaFlavor{
			name: "ftd", product: "FTD", host: "ftd01", outside: "OUTSIDE", inside: "INSIDE", dmz: "DMZ-Servers",
			envs: table(choice[asaEnv]{asaISO, 60}, choice[asaEnv]{asaBSDPri, 40}),
		}, 30},
	}
	for _, c := range fl {
		f := c.v
		f.site = newSite(r, true)
		f.nextID = r.between(1000, 1<<28)
		for e := range f.shapes {
			for k := range f.shapes[e] {
				f.shapes[e][k] = "cisco-asa/" + f.name + "/" + asaEnvNames[e] + "/" + asaKindNames[k]
			}
		}
	}
	return table(fl...)
}

// asaLine writes one Cisco message in its envelope.
func (g *generator) asaLine(b []byte) ([]byte, truth, string) {
	r := &g.r
	f := g.asaFlav.pick(r)
	kind := asaKinds.pick(r)
	if f.product == "FTD" && r.intn(4) == 0 {
		kind = asaFTD
	}
	if kind == asaTeardown && f.nOpen == 0 {
		kind = asaBuilt
	}
	env := f.envs.pick(r)
	if kind == asaFTD && env == asaBSDPri {
		env = asaISO
	}
	msg, sev, id, t := g.asaMessage(g.body[:0], f, kind, &env)
	g.body = msg[:0]
	var tag [24]byte
	tg := append(tag[:0], '%')
	tg = append(tg, f.product...)
	tg = append(tg, '-')
	tg = appendInt(tg, sev)
	tg = append(tg, '-')
	tg = appendInt(tg, id)
	c := &g.clk
	switch env {
	case asaRelay5424:
		b = appendPRI(b, 160+sev)
		b = append(b, "1 "...)
		b = c.appendISO(b, true, zoneZ)
		b = append(b, ' ')
		b = append(b, f.host...)
		b = append(b, ' ')
		b = append(b, tg...)
		b = append(b, " - - - "...)
		return append(b, msg...), t, f.shapes[env][kind]
	case asaBSDPri:
		b = appendPRI(b, 160+sev)
		b = c.appendBSD(b, false, false)
		b = append(b, ' ')
		b = append(b, f.host...)
		b = append(b, ' ')
	case asaStamp:
		b = appendPRI(b, 160+sev)
		b = c.appendBSD(b, true, false)
		b = b[:len(b)-len("00:00:00")]
		b = appendInt(b, c.year)
		b = append(b, ' ')
		b = c.appendTime(b, false)
		b = append(b, ": "...)
	case asaBSD:
		b = c.appendBSD(b, false, false)
		b = append(b, ' ')
		b = append(b, f.host...)
		b = append(b, ' ')
	case asaISO:
		b = c.appendISO(b, false, zoneZ)
		b = append(b, "   "...)
	}
	b = append(b, tg...)
	b = append(b, ": "...)
	return append(b, msg...), t, f.shapes[env][kind]
}

// asaMessage appends the text of a message of kind k and returns its
// severity, number and truth. A connection's messages reach the log the
// same way, as a device's do: a Teardown takes its Built message's env.
func (g *generator) asaMessage(b []byte, f *asaFlavor, k asaKind, env *asaEnv) ([]byte, int, int, truth) {
	r := &g.r
	var p packet
	switch k {
	case asaDeny, asaDenyNoACL:
		for {
			g.newPacket(&p, f.site)
			if p.ports || k == asaDeny && (p.proto == protoICMP || p.proto == protoICMPv6) {
				break
			}
		}
		if k == asaDenyNoACL && p.proto == protoTCP && p.dir == dirIn {
			b = append(b, "Inbound TCP connection denied from "...)
			b = asaAddrPort(b, p.src, p.sport)
			b = append(b, " to "...)
			b = asaAddrPort(b, p.dst, p.dport)
			b = append(b, " flags SYN  on interface "...)
			b = append(b, f.outside...)
			return b, 2, 106001, truth{int32(p.dport), "tcp"}
		}
		if k == asaDenyNoACL && p.proto == protoUDP {
			b = append(b, "UDP request discarded from "...)
			b = asaAddrPort(b, p.src, p.sport)
			b = append(b, " to "...)
			b = append(b, f.outside...)
			b = append(b, ':')
			b = asaAddrPort(b, p.dst, p.dport)
			return b, 7, 710005, truth{int32(p.dport), "udp"}
		}
		b = append(b, "Deny "...)
		b = append(b, asaProtoWord(p.proto)...)
		b = append(b, " src "...)
		b = append(b, f.outside...)
		b = append(b, ':')
		dst := f.dmz
		if r.intn(2) == 0 {
			dst = f.outside
		}
		if p.ports {
			b = asaAddrPort(b, p.src, p.sport)
			b = append(b, " dst "...)
			b = append(b, dst...)
			b = append(b, ':')
			b = asaAddrPort(b, p.dst, p.dport)
		} else {
			b = p.src.AppendTo(b)
			b = append(b, " dst "...)
			b = append(b, dst...)
			b = append(b, ':')
			b = p.dst.AppendTo(b)
			b = append(b, " (type "...)
			b = appendInt(b, int(p.icmpType))
			b = append(b, ", code "...)
			b = appendInt(b, int(p.icmpCode))
			b = append(b, ')')
		}
		b = append(b, ` by access-group "outside_access_in" [0x5b7c6b8f, 0x0]`...)
		return b, 4, 106023, packetTruth(&p)
	case asaLate:
		dport := ephemeral(r)
		b = append(b, "Deny TCP (no connection) from "...)
		b = asaAddrPort(b, g.server(false), serverPorts.pick(r))
		b = append(b, " to "...)
		b = asaAddrPort(b, f.site.wan4, dport)
		b = append(b, " flags ACK  on interface "...)
		b = append(b, f.outside...)
		return b, 6, 106015, truth{int32(dport), "tcp"}
	case asaBuilt:
		return g.asaBuilt(b, f, *env)
	case asaTeardown:
		return g.asaTeardown(b, f, env)
	case asaICMP:
		v6 := r.permille(100)
		src, dst := g.remote(v6), f.site.wan(v6)
		b = append(b, "Built inbound ICMP connection for faddr "...)
		b = asaAddrPort(b, src, uint16(r.between(1, 65535)))
		b = append(b, " gaddr "...)
		b = asaAddrPort(b, dst, 0)
		b = append(b, " laddr "...)
		b = asaAddrPort(b, dst, 0)
		if v6 {
			return b, 6, 302020, truth{-1, "icmpv6"}
		}
		return b, 6, 302020, truth{-1, "icmp"}
	case asaICMPError:
		src, dst := g.remote(false), f.site.wan4
		b = append(b, "No matching connection for ICMP error message: icmp src "...)
		b = append(b, f.outside...)
		b = append(b, ':')
		b = src.AppendTo(b)
		b = append(b, " dst identity:"...)
		b = dst.AppendTo(b)
		b = append(b, " (type 3, code 3) on "...)
		b = append(b, f.outside...)
		b = append(b, " interface.  Original IP payload: udp src "...)
		b = asaAddrPort(b, dst, ephemeral(r))
		b = append(b, " dst "...)
		b = asaAddrPort(b, src, udpProbePorts.pick(r))
		b = append(b, '.')
		return b, 4, 313005, truth{-1, "icmp"}
	case asaTunnel:
		proto := [...]int{protoGRE, protoESP, protoAH}[r.intn(3)]
		b = append(b, "Deny inbound protocol "...)
		b = appendInt(b, proto)
		b = append(b, " src "...)
		b = append(b, f.outside...)
		b = append(b, ':')
		b = g.remote(false).AppendTo(b)
		b = append(b, " dst "...)
		b = append(b, f.outside...)
		b = append(b, ':')
		b = f.site.wan4.AppendTo(b)
		return b, 3, 106010, truth{-1, protoNames[proto]}
	case asaACL:
		src := f.site.lanHost4(r)
		dst := g.server(false)
		sport, dport := ephemeral(r), outboundTCPPorts.pick(r)
		b = append(b, "access-list inside_in permitted tcp "...)
		b = append(b, f.inside...)
		b = append(b, '/')
		b = src.AppendTo(b)
		b = append(b, '(')
		b = appendInt(b, int(sport))
		b = append(b, ") -> "...)
		b = append(b, f.outside...)
		b = append(b, '/')
		b = dst.AppendTo(b)
		b = append(b, '(')
		b = appendInt(b, int(dport))
		b = append(b, ") hit-cnt 1 first hit [0x3d1f9a22, 0x0]"...)
		return b, 6, 106100, truth{int32(dport), "tcp"}
	case asaFTD:
		return g.ftdEvent(b, f)
	}
	// Messages that are not records.
	switch r.intn(4) {
	case 0:
		b = append(b, "Built dynamic TCP translation from "...)
		b = append(b, f.inside...)
		b = append(b, ':')
		b = asaAddrPort(b, f.site.lanHost4(r), ephemeral(r))
		b = append(b, " to "...)
		b = append(b, f.outside...)
		b = append(b, ':')
		b = asaAddrPort(b, f.site.wan4, ephemeral(r))
		return b, 6, 305011, notRecord
	case 1:
		b = append(b, "Built local-host "...)
		b = append(b, f.inside...)
		b = append(b, ':')
		b = f.site.lanHost4(r).AppendTo(b)
		return b, 7, 609001, notRecord
	case 2:
		b = append(b, "[ Scanning] drop rate-1 exceeded. Current burst rate is "...)
		b = appendInt(b, r.between(10, 90))
		b = append(b, " per second, max configured rate is 10; Current average rate is "...)
		b = appendInt(b, r.between(5, 300))
		b = append(b, " per second, max configured rate is 5; Cumulative total count is "...)
		b = appendInt(b, r.between(100, 900000))
		return b, 4, 733100, notRecord
	}
	b = append(b, "IP = "...)
	b = g.remote(false).AppendTo(b)
	b = append(b, ", Received encrypted packet with no matching SA, dropping"...)
	return b, 5, 713904, notRecord
}

// asaBuilt writes a Built message and keeps its connection for a
// Teardown: a LAN host going out, or the internet reaching a DMZ server.
func (g *generator) asaBuilt(b []byte, f *asaFlavor, env asaEnv) ([]byte, int, int, truth) {
	r := &g.r
	c := asaConn{id: f.nextID, insideIf: f.inside, env: env}
	f.nextID++
	udp := r.intn(4) == 0
	if r.intn(3) == 0 {
		c.inbound, c.insideIf = true, f.dmz
		c.outside, c.oport = g.remote(false), ephemeral(r)
		c.inAddr, c.iport = f.site.lanHost4(r), forwardedPorts.pick(r)
		udp = false
	} else {
		c.outside = g.server(false)
		c.inAddr, c.iport = f.site.lanHost4(r), ephemeral(r)
		if udp {
			c.oport = outboundUDPPorts.pick(r)
		} else {
			c.oport = outboundTCPPorts.pick(r)
		}
	}
	id := 302013
	c.proto = protoTCP
	if udp {
		c.proto, id = protoUDP, 302015
	}
	b = append(b, "Built "...)
	if c.inbound {
		b = append(b, "inbound "...)
	} else {
		b = append(b, "outbound "...)
	}
	b = append(b, asaConnWord(c.proto)...)
	b = append(b, " connection "...)
	b = appendInt(b, c.id)
	b = append(b, " for "...)
	b = append(b, f.outside...)
	b = append(b, ':')
	b = asaAddrPort(b, c.outside, c.oport)
	b = append(b, " ("...)
	b = asaAddrPort(b, c.outside, c.oport)
	b = append(b, ") to "...)
	b = append(b, c.insideIf...)
	b = append(b, ':')
	b = asaAddrPort(b, c.inAddr, c.iport)
	b = append(b, " ("...)
	// The inside end's mapped address: its public one, and for a client
	// going out a translated port.
	mport := c.iport
	if !c.inbound {
		mport = ephemeral(r)
	}
	b = asaAddrPort(b, f.site.wan4, mport)
	b = append(b, ')')
	if f.nOpen < len(f.open) {
		f.open[f.nOpen] = c
		f.nOpen++
	} else {
		f.open[r.intn(len(f.open))] = c
	}
	port := c.oport
	if c.inbound {
		port = mport
	}
	return b, 6, id, truth{int32(port), protoNames[c.proto]}
}

// asaTeardown closes a connection a Built message opened. Its truth is
// that of a reader that remembers the Built message, earlier in the
// same output, as portnote does an input's: the destination port is
// that of the end the connection was opened to, as the teardown prints
// it (its real one).
func (g *generator) asaTeardown(b []byte, f *asaFlavor, env *asaEnv) ([]byte, int, int, truth) {
	r := &g.r
	k := r.intn(f.nOpen)
	c := f.open[k]
	*env = c.env
	f.nOpen--
	f.open[k] = f.open[f.nOpen]
	id := 302014
	if c.proto == protoUDP {
		id = 302016
	}
	b = append(b, "Teardown "...)
	b = append(b, asaConnWord(c.proto)...)
	b = append(b, " connection "...)
	b = appendInt(b, c.id)
	b = append(b, " for "...)
	b = append(b, f.outside...)
	b = append(b, ':')
	b = asaAddrPort(b, c.outside, c.oport)
	b = append(b, " to "...)
	b = append(b, c.insideIf...)
	b = append(b, ':')
	b = asaAddrPort(b, c.inAddr, c.iport)
	b = append(b, " duration 0:"...)
	b = appendPad(b, r.intn(60), 2, '0')
	b = append(b, ':')
	b = appendPad(b, r.intn(60), 2, '0')
	b = append(b, " bytes "...)
	b = appendInt(b, r.between(0, 2000000))
	if c.proto == protoTCP {
		b = append(b, [...]string{" TCP FINs", " TCP Reset-I", " TCP Reset-O", " SYN Timeout"}[r.intn(4)]...)
	}
	port := c.oport
	if c.inbound {
		port = c.iport
	}
	return b, 6, id, truth{int32(port), protoNames[c.proto]}
}

// ftdEvent writes a 430002 or 430003 connection event.
func (g *generator) ftdEvent(b []byte, f *asaFlavor) ([]byte, int, int, truth) {
	r := &g.r
	var p packet
	for {
		g.newPacket(&p, f.site)
		if p.ports || p.proto == protoICMP {
			break
		}
	}
	id := 430002
	if r.intn(2) == 0 {
		id = 430003
	}
	b = append(b, "EventPriority: Low, DeviceUUID: 6a9f1c2e-0d4b-11ee-8c3e-5d1a2b3c4d5e, InstanceID: 1, ConnectionID: "...)
	b = appendInt(b, r.between(1, 60000))
	b = append(b, ", AccessControlRuleAction: "...)
	if p.blocked {
		b = append(b, "Block"...)
	} else {
		b = append(b, "Allow"...)
	}
	b = append(b, ", SrcIP: "...)
	b = p.src.AppendTo(b)
	b = append(b, ", DstIP: "...)
	b = p.dst.AppendTo(b)
	if p.ports {
		b = append(b, ", SrcPort: "...)
		b = appendInt(b, int(p.sport))
		b = append(b, ", DstPort: "...)
		b = appendInt(b, int(p.dport))
	} else {
		b = append(b, ", ICMPType: "...)
		b = appendInt(b, int(p.icmpType))
		b = append(b, ", ICMPCode: 0"...)
	}
	b = append(b, ", Protocol: "...)
	b = append(b, protoNames[p.proto]...)
	b = append(b, ", IngressInterface: "...)
	b = append(b, f.outside...)
	b = append(b, ", EgressInterface: "...)
	b = append(b, f.dmz...)
	b = append(b, ", ACPolicy: Edge Policy, AccessControlRuleName: "...)
	if p.blocked {
		b = append(b, "Default Block"...)
	} else {
		b = append(b, "Allow Published, Web"...)
	}
	b = append(b, ", Prefilter Policy: Default Prefilter Policy, User: No Authentication Required"...)
	if id == 430003 {
		b = append(b, ", InitiatorPackets: 3, ResponderPackets: 2, InitiatorBytes: 180, ResponderBytes: 120"...)
	}
	return b, 1, id, packetTruth(&p)
}

// packetTruth is the truth of a record that shows p whole.
func packetTruth(p *packet) truth {
	t := truth{port: -1, proto: protoNames[p.proto]}
	if p.ports {
		t.port = int32(p.dport)
	}
	return t
}

// asaProtoWord is how ASA names a protocol in its messages.
func asaProtoWord(p uint8) string {
	switch p {
	case protoTCP:
		return "tcp"
	case protoUDP:
		return "udp"
	case protoICMP, protoICMPv6:
		return "icmp"
	}
	return protoNames[p]
}

// asaConnWord is how connection messages name the protocol.
func asaConnWord(p uint8) string {
	if p == protoUDP {
		return "UDP"
	}
	return "TCP"
}

// asaAddrPort appends "A/P", ASA's way.
func asaAddrPort(b []byte, a netip.Addr, port uint16) []byte {
	b = a.AppendTo(b)
	b = append(b, '/')
	return appendInt(b, int(port))
}
