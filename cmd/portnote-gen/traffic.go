package main

import "net/netip"

// A site is one logging firewall's view of its own addresses. The public
// ones are in the documentation ranges (RFC 5737, RFC 3849); the remote
// side of the traffic is random public-looking space.
type site struct {
	wan4, wan6 netip.Addr
	lan4       [3]byte // a private /24
	lan6       [8]byte // a ULA /64
	router     bool    // forwards traffic between a LAN and the internet
}

func newSite(r *rng, router bool) *site {
	s := &site{router: router}
	docNets := [3][3]byte{{192, 0, 2}, {198, 51, 100}, {203, 0, 113}}
	n := docNets[r.intn(3)]
	s.wan4 = netip.AddrFrom4([4]byte{n[0], n[1], n[2], byte(r.between(1, 254))})
	var a6 [16]byte
	a6[0], a6[1], a6[2], a6[3] = 0x20, 0x01, 0x0d, 0xb8
	a6[4], a6[5] = byte(r.intn(256)), byte(r.intn(256))
	a6[15] = byte(r.between(1, 255))
	s.wan6 = netip.AddrFrom16(a6)
	switch r.intn(3) {
	case 0:
		s.lan4 = [3]byte{192, 168, byte(r.intn(256))}
	case 1:
		s.lan4 = [3]byte{10, byte(r.intn(256)), byte(r.intn(256))}
	default:
		s.lan4 = [3]byte{172, byte(r.between(16, 31)), byte(r.intn(256))}
	}
	s.lan6 = [8]byte{0xfd, byte(r.intn(256)), byte(r.intn(256)), byte(r.intn(256)), byte(r.intn(256)), byte(r.intn(256)), 0, byte(r.intn(256))}
	return s
}

func (s *site) lanHost4(r *rng) netip.Addr {
	return netip.AddrFrom4([4]byte{s.lan4[0], s.lan4[1], s.lan4[2], byte(r.between(2, 254))})
}

func (s *site) lanHost6(r *rng) netip.Addr {
	var a [16]byte
	copy(a[:8], s.lan6[:])
	v := r.pcg.Uint64()
	for i := 8; i < 16; i++ {
		a[i] = byte(v >> (8 * (i - 8)))
	}
	return netip.AddrFrom16(a)
}

// world is the internet as the logs see it: recurring scanners, popular
// servers, and the scan in progress.
type world struct {
	scanners4 []netip.Addr
	scanners6 []netip.Addr
	servers4  []netip.Addr
	servers6  []netip.Addr
	scan      scan
}

// scan is a burst of probes from one source across many ports.
type scan struct {
	left       int
	src        netip.Addr
	sport      uint16 // masscan and zmap keep one source port per run
	next       uint16 // the next port of a sequential sweep, or 0 for popular ports
	randomized bool
}

func (w *world) init(r *rng) {
	w.scanners4 = make([]netip.Addr, 2048)
	for i := range w.scanners4 {
		w.scanners4[i] = publicV4(r)
	}
	w.scanners6 = make([]netip.Addr, 128)
	for i := range w.scanners6 {
		w.scanners6[i] = publicV6(r)
	}
	w.servers4 = make([]netip.Addr, 256)
	for i := range w.servers4 {
		w.servers4[i] = publicV4(r)
	}
	w.servers6 = make([]netip.Addr, 64)
	for i := range w.servers6 {
		w.servers6[i] = publicV6(r)
	}
}

// skewed picks from a pool so that a few entries recur often and most
// rarely, as a handful of scanners make most of a firewall log.
func skewed(r *rng, pool []netip.Addr) netip.Addr {
	return pool[r.intn(r.intn(len(pool))+1)]
}

// publicV4 returns a random address outside the private, loopback,
// link-local, shared, documentation and multicast ranges (whole /8s are
// skipped for brevity).
func publicV4(r *rng) netip.Addr {
	for {
		a := r.between(1, 223)
		switch a {
		case 10, 100, 127, 169, 172, 192, 198, 203:
			continue
		}
		return netip.AddrFrom4([4]byte{byte(a), byte(r.intn(256)), byte(r.intn(256)), byte(r.between(1, 254))})
	}
}

// v6Prefixes are first groups of allocated global unicast space.
var v6Prefixes = [...]uint16{0x2001, 0x2400, 0x2401, 0x2403, 0x2600, 0x2602, 0x2604, 0x2607, 0x2800, 0x2a01, 0x2a02, 0x2a03, 0x2a05, 0x2a06, 0x2c0f}

// publicV6 returns a random global address: a /48 under a real first
// group and either a small host number or a SLAAC-looking interface id.
func publicV6(r *rng) netip.Addr {
	var a [16]byte
	p := v6Prefixes[r.intn(len(v6Prefixes))]
	a[0], a[1] = byte(p>>8), byte(p)
	for i := 2; i < 8; i++ {
		a[i] = byte(r.intn(256))
	}
	if r.intn(2) == 0 {
		a[15] = byte(r.between(1, 255))
	} else {
		v := r.pcg.Uint64()
		for i := 8; i < 16; i++ {
			a[i] = byte(v >> (8 * (i - 8)))
		}
	}
	return netip.AddrFrom16(a)
}

// direction of a packet relative to the logging host.
type direction uint8

const (
	dirIn  direction = iota // to the host itself
	dirOut                  // from the host itself
	dirFwd                  // routed through it
)

// TCP flag combinations, as the kernel would print them.
type tcpFlags uint8

const (
	flSYN tcpFlags = iota
	flSYNECN
	flSYNACK
	flACK
	flPSHACK
	flFINACK
	flRST
	flRSTACK
)

// packet is one logged packet, independent of the log format that shows
// it. Each format prints what it can of it.
type packet struct {
	dir      direction
	v6       bool
	src, dst netip.Addr
	proto    uint8
	sport    uint16
	dport    uint16
	ports    bool // the transport header with the ports is there to print
	frag     int  // offset of a non-first fragment, in 8-byte units
	more     bool // more fragments follow
	flags    tcpFlags
	icmpType uint8
	icmpCode uint8
	icmpID   uint16
	icmpSeq  uint16
	mtu      int
	hasQuote bool   // an ICMP error quoting q
	q        quoted // the packet an ICMP error quotes
	length   int
	ttl      int
	id       int
	df       bool
	tos      uint8
	win      int
	seq, ack uint32
	spi      uint32
	blocked  bool // the firewall dropped or rejected it
}

// quoted is the offending packet an ICMP error carries.
type quoted struct {
	src, dst     netip.Addr
	proto        uint8
	sport, dport uint16
	length, ttl  int
	id           int
}

// class is the kind of traffic a packet belongs to.
type class uint8

const (
	clsSYN        class = iota // a probe for an open TCP port
	clsUDPProbe                // a probe for a UDP service
	clsReflect                 // the answer to a spoofed request: reflection
	clsLate                    // a packet of a connection the firewall no longer tracks
	clsOutbound                // the host's own connection out
	clsForward                 // a LAN host's connection, routed
	clsEcho                    // ping
	clsICMPError               // an ICMP error quoting the packet that caused it
	clsNDP                     // IPv6 neighbour discovery and multicast listener traffic
	clsIGMP                    // multicast group management
	clsTunnel                  // GRE, ESP, AH
	clsOtherProto              // SCTP, UDP-Lite, DCCP, 6in4, PIM
	clsFragment                // a non-first fragment: no ports to see
	clsCARP                    // a redundant firewall's CARP or VRRP advertisements
)

var classes = table(
	choice[class]{clsSYN, 430}, choice[class]{clsUDPProbe, 120}, choice[class]{clsReflect, 40},
	choice[class]{clsLate, 90}, choice[class]{clsOutbound, 80}, choice[class]{clsForward, 40},
	choice[class]{clsEcho, 60}, choice[class]{clsICMPError, 40}, choice[class]{clsNDP, 25},
	choice[class]{clsIGMP, 20}, choice[class]{clsTunnel, 20}, choice[class]{clsOtherProto, 15},
	choice[class]{clsFragment, 20}, choice[class]{clsCARP, 10},
)

func ports(vw ...int) weighted[uint16] {
	cs := make([]choice[uint16], 0, len(vw)/2)
	for i := 0; i+1 < len(vw); i += 2 {
		cs = append(cs, choice[uint16]{uint16(vw[i]), vw[i+1]})
	}
	return table(cs...)
}

// Destination ports of unsolicited TCP, weighted roughly as honeypot and
// DShield reports rank them: the scan magnets first, then databases,
// IoT and router management, then abused and backdoor ports.
var tcpScanPorts = ports(
	22, 120, 23, 70, 80, 90, 443, 70, 445, 60, 3389, 55, 8080, 35, 2323, 15,
	5555, 10, 7547, 10, 6379, 10, 1433, 12, 3306, 12, 5900, 10, 8443, 12,
	25, 12, 21, 15, 53, 4, 110, 5, 143, 5, 135, 8, 139, 8, 81, 8, 8000, 8,
	8888, 7, 9000, 5, 9200, 5, 27017, 6, 2375, 5, 37215, 6, 52869, 5,
	5432, 7, 1723, 4, 5060, 4, 8081, 5, 8291, 5, 10000, 3, 2222, 6, 222, 2,
	4444, 3, 31337, 1, 12345, 2, 6667, 2, 1080, 3, 3128, 3, 5985, 3, 7001, 3,
	9090, 3, 502, 2, 102, 1, 20000, 1, 60001, 2, 4567, 2, 50000, 2, 11211, 2,
	111, 3, 873, 2, 1521, 2, 2049, 2, 5901, 3, 6000, 2, 9100, 2, 1883, 3,
)

var udpProbePorts = ports(
	53, 20, 123, 15, 161, 12, 1900, 10, 5060, 15, 137, 8, 500, 6, 4500, 3,
	11211, 4, 19, 2, 389, 4, 3702, 4, 5353, 5, 1434, 3, 69, 3, 111, 4,
	520, 2, 47808, 2, 10001, 3, 5683, 2, 27015, 2, 3283, 1, 10074, 1,
	427, 2, 31337, 1, 6881, 3, 1194, 2, 51820, 2, 17, 1, 623, 2,
)

// Source ports of reflected traffic: memcached, NTP, chargen, SSDP, DNS,
// CLDAP, WS-Discovery, SNMP.
var reflectorPorts = ports(11211, 10, 123, 30, 19, 8, 1900, 20, 53, 25, 389, 10, 3702, 5, 161, 6)

var outboundTCPPorts = ports(443, 60, 80, 15, 22, 3, 853, 3, 993, 2, 8443, 2, 587, 2, 5222, 1)

var outboundUDPPorts = ports(53, 20, 123, 8, 443, 6, 51820, 2, 1194, 1, 3478, 2)

// Server ports whose late packets a stateful firewall drops.
var serverPorts = ports(443, 60, 80, 20, 993, 3, 22, 4, 8080, 2, 5228, 2)

// Ports forwarded to LAN hosts.
var forwardedPorts = ports(443, 20, 80, 10, 22, 6, 32400, 4, 25565, 3, 51413, 3, 8096, 2, 3389, 2)

var synWindows = uniform(1024, 1024, 65535, 64240, 29200, 14600, 8192, 42340)

// ephemeral returns a client source port: Linux's default range, the
// IANA dynamic range Windows and the BSDs use, or an old-style low one.
func ephemeral(r *rng) uint16 {
	switch x := r.intn(100); {
	case x < 55:
		return uint16(r.between(32768, 60999))
	case x < 90:
		return uint16(r.between(49152, 65535))
	}
	return uint16(r.between(1024, 32767))
}

// remoteTTL returns the TTL of a packet that crossed the internet: an
// initial 64, 128 or 255 less some hops.
func remoteTTL(r *rng) int {
	base := [...]int{64, 64, 128, 255, 128, 64}[r.intn(6)]
	return base - r.between(3, 28)
}

// newPacket fills p with one packet for a firewall at s.
func (g *generator) newPacket(p *packet, s *site) {
	*p = packet{}
	r := &g.r
	w := &g.world
	p.id = r.intn(65536)
	p.df = r.intn(2) == 0
	p.blocked = true
	cls := classes.pick(r)
	if w.scan.left > 0 {
		cls = clsSYN
	}
	if cls == clsForward && !s.router {
		cls = clsOutbound
	}
	v6 := r.permille(120)
	switch cls {
	case clsSYN:
		g.synProbe(p, s, v6)
	case clsUDPProbe:
		p.v6 = v6
		p.dir = dirIn
		p.src, p.dst = g.remote(v6), s.wan(v6)
		p.udp(ephemeral(r), udpProbePorts.pick(r), r.between(0, 120))
		p.ttl = remoteTTL(r)
	case clsReflect:
		p.v6 = v6
		p.dir = dirIn
		p.src, p.dst = g.remote(v6), s.wan(v6)
		p.udp(reflectorPorts.pick(r), ephemeral(r), r.between(40, 1400))
		p.ttl = remoteTTL(r)
	case clsLate:
		p.v6 = v6
		p.dir = dirIn
		p.src, p.dst = g.server(v6), s.wan(v6)
		p.tcp(r, serverPorts.pick(r), ephemeral(r), [...]tcpFlags{flACK, flPSHACK, flFINACK, flRST, flRSTACK, flACK}[r.intn(6)])
		p.ttl = remoteTTL(r)
		p.blocked = r.permille(900)
	case clsOutbound:
		p.v6 = v6
		p.dir = dirOut
		p.src, p.dst = s.wan(v6), g.server(v6)
		p.ttl = 64
		if r.intn(3) == 0 {
			p.udp(ephemeral(r), outboundUDPPorts.pick(r), r.between(20, 500))
		} else {
			p.tcp(r, ephemeral(r), outboundTCPPorts.pick(r), flSYN)
		}
		p.blocked = r.permille(300)
	case clsForward:
		g.forward(p, s, v6)
	case clsEcho:
		p.v6 = v6
		p.dir = dirIn
		p.src, p.dst = g.remote(v6), s.wan(v6)
		p.echo(r, r.permille(850))
		p.ttl = remoteTTL(r)
	case clsICMPError:
		g.icmpError(p, s, v6)
	case clsNDP:
		g.ndp(p)
	case clsIGMP:
		p.dir = dirIn
		p.proto = protoIGMP
		p.src = s.lanHost4(r)
		p.dst = [...]netip.Addr{
			netip.AddrFrom4([4]byte{224, 0, 0, 1}), netip.AddrFrom4([4]byte{224, 0, 0, 22}),
			netip.AddrFrom4([4]byte{239, 255, 255, 250}), netip.AddrFrom4([4]byte{224, 0, 0, 251}),
		}[r.intn(4)]
		p.ttl, p.length, p.tos, p.df = 1, [...]int{32, 36, 40}[r.intn(3)], 0xc0, false
	case clsTunnel:
		p.v6 = v6
		p.dir = dirIn
		p.src, p.dst = g.remote(v6), s.wan(v6)
		p.proto = [...]uint8{protoGRE, protoESP, protoESP, protoAH}[r.intn(4)]
		p.spi = r.u32()
		p.seq = uint32(r.between(1, 1<<20))
		p.length = r.between(60, 1400)
		p.ttl = remoteTTL(r)
	case clsOtherProto:
		g.otherProto(p, s, v6)
	case clsCARP:
		p.dir = dirIn
		p.proto = protoCARP
		p.src = s.lanHost4(r)
		p.dst = netip.AddrFrom4([4]byte{224, 0, 0, 18})
		p.ttl, p.length, p.tos, p.df = 255, 56, 0x10, true
	case clsFragment:
		p.v6 = v6
		p.dir = dirIn
		p.src, p.dst = g.remote(v6), s.wan(v6)
		p.udp(53, ephemeral(r), 0)
		p.ports = false
		p.frag = 185 * r.between(1, 3)
		p.more = r.intn(3) == 0
		p.df = false
		p.length = r.between(60, 1500)
		p.ttl = remoteTTL(r)
	}
	if p.v6 {
		p.df = false
	}
}

func (s *site) wan(v6 bool) netip.Addr {
	if v6 {
		return s.wan6
	}
	return s.wan4
}

// remote returns the source of unsolicited traffic: mostly a recurring
// scanner, sometimes an address seen once.
func (g *generator) remote(v6 bool) netip.Addr {
	if v6 {
		if g.r.intn(4) == 0 {
			return publicV6(&g.r)
		}
		return skewed(&g.r, g.world.scanners6)
	}
	if g.r.intn(10) < 3 {
		return publicV4(&g.r)
	}
	return skewed(&g.r, g.world.scanners4)
}

func (g *generator) server(v6 bool) netip.Addr {
	if v6 {
		return skewed(&g.r, g.world.servers6)
	}
	return skewed(&g.r, g.world.servers4)
}

func (p *packet) tcp(r *rng, sport, dport uint16, f tcpFlags) {
	p.proto = protoTCP
	p.sport, p.dport, p.ports = sport, dport, true
	p.flags = f
	p.seq = r.u32()
	switch f {
	case flSYN, flSYNECN:
		p.length = [...]int{40, 44, 52, 60, 60, 44}[r.intn(6)]
		p.win = synWindows.pick(r)
	default:
		p.ack = r.u32()
		p.length = [...]int{40, 52, 52, 40, 83, 1452}[r.intn(6)]
		p.win = r.between(0, 2100)
		if f == flRST {
			p.ack, p.win = 0, 0
		}
	}
	if p.v6 {
		p.length += 20
	}
}

func (p *packet) udp(sport, dport uint16, payload int) {
	p.proto = protoUDP
	p.sport, p.dport, p.ports = sport, dport, true
	p.length = 28 + payload
	if p.v6 {
		p.length += 20
	}
}

func (p *packet) echo(r *rng, request bool) {
	p.proto = protoICMP
	p.icmpType = 0
	if request {
		p.icmpType = 8
	}
	if p.v6 {
		p.proto = protoICMPv6
		p.icmpType = 129
		if request {
			p.icmpType = 128
		}
	}
	p.icmpID = uint16(r.intn(65536))
	p.icmpSeq = uint16(r.between(0, 60))
	p.length = [...]int{84, 60, 28, 92}[r.intn(4)]
	if p.v6 {
		p.length = 104
	}
}

func (g *generator) synProbe(p *packet, s *site, v6 bool) {
	r := &g.r
	w := &g.world
	p.dir = dirIn
	if w.scan.left == 0 && r.permille(10) {
		w.scan = scan{left: r.between(10, 80), src: g.remote(v6), sport: ephemeral(r), randomized: r.intn(2) == 0}
		if r.intn(3) == 0 {
			w.scan.next = uint16(r.between(1, 60000))
		}
	}
	var dport uint16
	sport := ephemeral(r)
	flags := flSYN
	if r.permille(30) {
		flags = flSYNECN
	}
	if w.scan.left > 0 {
		w.scan.left--
		v6 = w.scan.src.Is6()
		p.src = w.scan.src
		if !w.scan.randomized {
			sport = w.scan.sport
		}
		if w.scan.next != 0 {
			dport = w.scan.next
			w.scan.next++
		} else {
			dport = tcpScanPorts.pick(r)
		}
	} else {
		p.src = g.remote(v6)
		if r.intn(100) < 85 {
			dport = tcpScanPorts.pick(r)
		} else {
			dport = uint16(r.between(1, 65535))
		}
	}
	p.v6 = v6
	p.dst = s.wan(v6)
	p.tcp(r, sport, dport, flags)
	p.ttl = remoteTTL(r)
	p.blocked = !r.permille(40)
}

func (g *generator) forward(p *packet, s *site, v6 bool) {
	r := &g.r
	p.v6 = v6
	p.dir = dirFwd
	p.ttl = 63
	if r.intn(2) == 0 {
		// a LAN client going out
		if v6 {
			p.src = s.lanHost6(r)
		} else {
			p.src = s.lanHost4(r)
		}
		p.dst = g.server(v6)
		if r.intn(4) == 0 {
			p.udp(ephemeral(r), outboundUDPPorts.pick(r), r.between(20, 500))
		} else {
			p.tcp(r, ephemeral(r), outboundTCPPorts.pick(r), flSYN)
		}
		p.blocked = r.permille(200)
		return
	}
	// the internet reaching a forwarded port (the address after DNAT)
	p.src = g.remote(v6)
	if v6 {
		p.dst = s.lanHost6(r)
	} else {
		p.dst = s.lanHost4(r)
	}
	p.tcp(r, ephemeral(r), forwardedPorts.pick(r), flSYN)
	p.ttl = remoteTTL(r) - 1
	p.blocked = r.permille(400)
}

// icmpError makes an ICMP or ICMPv6 error about a packet the host sent:
// port unreachable for a UDP probe or answer, time exceeded for a
// traceroute, fragmentation needed on a path with a small MTU.
func (g *generator) icmpError(p *packet, s *site, v6 bool) {
	r := &g.r
	p.v6 = v6
	p.dir = dirIn
	p.src, p.dst = g.remote(v6), s.wan(v6)
	p.ttl = remoteTTL(r)
	p.blocked = r.permille(700)
	q := &p.q
	p.hasQuote = true
	q.src, q.dst = s.wan(v6), g.remote(v6)
	q.ttl = r.between(1, 64)
	q.id = r.intn(65536)
	q.proto = protoUDP
	q.sport, q.dport = ephemeral(r), uint16(r.between(33434, 33534))
	switch r.intn(3) {
	case 0:
		q.sport, q.dport = 53, ephemeral(r)
	case 1:
		q.proto = protoTCP
		q.sport, q.dport = ephemeral(r), outboundTCPPorts.pick(r)
	}
	q.length = 40 + r.intn(3)*20
	if v6 {
		p.proto = protoICMPv6
		switch r.intn(4) {
		case 0:
			p.icmpType, p.icmpCode = 3, 0 // time exceeded
		case 1:
			p.icmpType, p.icmpCode, p.mtu = 2, 0, 1280 // packet too big
		default:
			p.icmpType, p.icmpCode = 1, 4 // port unreachable
		}
		p.length = 48 + q.length
		return
	}
	p.proto = protoICMP
	switch r.intn(6) {
	case 0:
		p.icmpType, p.icmpCode = 11, 0
	case 1:
		p.icmpType, p.icmpCode = 3, 1
	case 2:
		p.icmpType, p.icmpCode = 3, 13
	case 3:
		p.icmpType, p.icmpCode, p.mtu = 3, 4, [...]int{1492, 1480, 1400, 1280}[r.intn(4)]
	default:
		p.icmpType, p.icmpCode = 3, 3
	}
	p.length = 28 + q.length
}

var (
	allNodes   = netip.MustParseAddr("ff02::1")
	mldv2      = netip.MustParseAddr("ff02::16")
	allRouters = netip.MustParseAddr("ff02::2")
)

// ndp makes IPv6 neighbour discovery and MLD traffic on the LAN side,
// link-local and multicast, which netfilter and pf log when a rule is
// too broad.
func (g *generator) ndp(p *packet) {
	r := &g.r
	p.v6 = true
	p.dir = dirIn
	p.proto = protoICMPv6
	var ll [16]byte
	ll[0], ll[1] = 0xfe, 0x80
	v := r.pcg.Uint64()
	for i := 8; i < 16; i++ {
		ll[i] = byte(v >> (8 * (i - 8)))
	}
	p.src = netip.AddrFrom16(ll)
	p.ttl = 255
	switch r.intn(5) {
	case 0:
		p.icmpType, p.dst, p.length = 134, allNodes, 120 // router advertisement
	case 1:
		p.icmpType, p.dst, p.length = 133, allRouters, 56 // router solicitation
	case 2:
		p.icmpType, p.dst, p.length, p.ttl = 143, mldv2, 96, 1 // MLDv2 report
	case 3:
		p.icmpType, p.dst, p.length = 136, allNodes, 72 // neighbour advertisement
	default:
		// neighbour solicitation to the solicited-node address
		var sn [16]byte
		sn[0], sn[1], sn[11], sn[12] = 0xff, 0x02, 0x01, 0xff
		sn[13], sn[14], sn[15] = byte(r.intn(256)), byte(r.intn(256)), byte(r.intn(256))
		p.icmpType, p.dst, p.length = 135, netip.AddrFrom16(sn), 72
	}
}

// otherProto makes the protocols that show up in small numbers: SCTP
// (SIGTRAN, Diameter, SIP), UDP-Lite and DCCP probes, 6in4 from a tunnel
// broker, PIM hellos on the LAN.
func (g *generator) otherProto(p *packet, s *site, v6 bool) {
	r := &g.r
	p.v6 = v6
	p.dir = dirIn
	p.src, p.dst = g.remote(v6), s.wan(v6)
	p.ttl = remoteTTL(r)
	switch r.intn(6) {
	case 0, 1:
		p.proto = protoSCTP
		p.sport = uint16(r.between(1024, 65535))
		p.dport = [...]uint16{2905, 3868, 5060, 36412, 9899}[r.intn(5)]
		p.ports = true
		p.length = 68
	case 2:
		p.proto = protoUDPLite
		p.sport, p.dport, p.ports = ephemeral(r), udpProbePorts.pick(r), true
		p.length = 28
	case 3:
		p.proto = 33 // DCCP
		p.sport, p.dport, p.ports = ephemeral(r), tcpScanPorts.pick(r), true
		p.length = 48
	case 4:
		p.v6 = false
		p.proto = 41 // IPv6 in IPv4
		p.src, p.dst = publicV4(r), s.wan4
		p.length = 124
	default:
		p.v6 = false
		p.proto = 103 // PIM
		p.src = s.lanHost4(r)
		p.dst = netip.AddrFrom4([4]byte{224, 0, 0, 13})
		p.ttl, p.length = 1, 54
	}
}

// portTruth is the truth for a record whose ports are shown when
// showPorts holds.
func (p *packet) truth(showPorts bool) truth {
	t := truth{port: -1, proto: protoNames[p.proto]}
	if showPorts && p.ports && p.frag == 0 {
		t.port = int32(p.dport)
	}
	return t
}
