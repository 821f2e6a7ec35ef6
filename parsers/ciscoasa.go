package parsers

import (
	"bytes"
	"net/netip"
)

// Cisco ASA, PIX, FWSM and Firepower Threat Defense (FTD) log each event
// as a message tagged with its facility, severity and number, after
// whatever syslog header the device or a relay adds:
//
//	%ASA-4-106023: Deny tcp src outside:203.0.113.5/51234 dst dmz:192.0.2.10/23 by access-group "outside_in" [0x5b7c6b8f, 0x0]
//	%FTD-6-302013: Built inbound TCP connection 8812 for outside:203.0.113.5/51234 (203.0.113.5/51234) to inside:10.0.0.5/22 (192.0.2.10/22)
//	%FTD-1-430003: ..., SrcIP: 203.0.113.5, DstIP: 192.0.2.10, SrcPort: 51234, DstPort: 443, Protocol: tcp, ...
//
// Each message number has its own grammar, documented in Cisco's "Secure
// Firewall ASA Series Syslog Messages"; the ones read here are the
// access and connection messages, listed in asaKindOf. Other numbers (NAT
// slots 305011/305012, VPN, AAA, failover, local-host...) are not
// firewall records, even where they hold addresses and ports.
//
// The tag is looked for anywhere in the message, so that headers the
// syslog envelope does not strip (Cisco's "Mmm dd yyyy hh:mm:ss:" with
// its year, a relay's second header) do not hide it. Relays that take
// the tag for the syslog program name (rsyslog and syslog-ng do, and
// forward it as RFC 5424's APP-NAME) leave a message without it: such a
// message is read with the tag of its header. A message with no tag
// anywhere in its line is not read: the pre-check, which must keep other
// lines cheap, looks for the tag's '%'. (In a JSON object, whose
// pre-checks see the message alone, that includes a message whose tag
// is in another member.)
//
// Which end is the destination. A connection's messages name its two
// ends in a fixed order, the outside (lower security) interface's end
// first, whichever end opened it; "Built inbound" says the first end
// opened the connection, "Built outbound" the second. So in outbound
// messages the destination is the first end: 302013 "Built outbound TCP
// connection 9 for outside:198.51.100.1/443 (...) to inside:10.0.0.2/53496
// (...)" is 10.0.0.2 connecting to port 443. Each end is printed with
// its real address and, in parentheses, the address the other side sees
// (mapped): the record's source is the opener's real address, its
// destination the address the opener connected to, the other end's
// mapped one, before the firewall translated it; the NAT fields hold the
// translations (the opener's mapped address, the other end's real one)
// where they differ.
//
// Teardown messages (302014, 302016, 302021) keep that order but do not
// say which end opened the connection. A Parser with an input's State
// remembers which end opened each of the last asaConnSlots connections
// built in that input, by connection id and logging host, and reads a
// teardown as its Built message was: the opener's end is the source,
// the other end the destination, as the teardown prints them (their real
// addresses: with static port translation, a Built message's
// destination port may be the mapped one and its teardown's the real
// one). Without that memory (no State, a connection built before the
// input began or too many connections ago, 302021, which has no id), a
// teardown is a record of its protocol, connection id and bytes with no
// addresses, interfaces or ports, and Record.Direction unknown: either
// end may be the client. Only when both ends use the same port (NetBIOS
// 137 to 137) is that port the destination port however the connection
// went. Its text annotation is the protocol alone ("#pn tcp").
//
// ICMP "ports" are not ports: 302020/302021 print ICMP ids and types
// where ports would be, 106100 the type and code; such records have no
// ports. An ICMP message about IPv6 addresses is ICMPv6.
//
// An address that is not one (masked by an anonymiser, damaged) is left
// out of the record, which keeps its ports and protocol.

// asaMarkers are what a tagged message starts with.
var asaMarkers = []string{"%ASA-", "%FTD-", "%PIX-", "%FWSM-"}

// mayBeCiscoASA is the pre-check of Cisco's row: the '%' of a tag, in
// the message or in the syslog header.
func mayBeCiscoASA(s *lineShape) bool { return s.first('%') >= 0 }

// ciscoASA is the parser of Cisco's row. A message that lost its tag to
// the syslog header, as relays that take "%ASA-6-302013" for the
// program name leave it, is read with the header's.
func (p *Parser) ciscoASA(msg []byte, r *Record) result {
	return parseCiscoASA(msg, p.tag, p, r, &p.err)
}

// asaKind is a grammar shared by one or more message numbers.
type asaKind uint8

const (
	asaNone             asaKind = iota
	asaBuilt                    // 302013, 302015
	asaTeardown                 // 302014, 302016
	asaBuiltICMP                // 302020
	asaTeardownICMP             // 302021
	asaDenySrcDst               // 106023, 106010, 106014: "Deny ... src IF:A dst IF:A"
	asaFromTo                   // "... from A/P to A/P": see asaFromToSpecs
	asaACL                      // 106100
	asaICMPDenied               // 313001, 313004
	asaICMPNoConnection         // 313005
	asaRate                     // 733100
	asaFTDEvent                 // 430001-430005
)

// asaKindOf maps a message number to its grammar.
func asaKindOf(id int) asaKind {
	switch id {
	case 302013, 302015:
		return asaBuilt
	case 302014, 302016:
		return asaTeardown
	case 302020:
		return asaBuiltICMP
	case 302021:
		return asaTeardownICMP
	case 106010, 106014, 106023:
		return asaDenySrcDst
	case 106001, 106006, 106007, 106015, 106021, 106022, 110002, 710002, 710003, 710005, 710006:
		return asaFromTo
	case 106100:
		return asaACL
	case 313001, 313004:
		return asaICMPDenied
	case 313005:
		return asaICMPNoConnection
	case 733100:
		return asaRate
	case 430001, 430002, 430003, 430004, 430005:
		return asaFTDEvent
	}
	return asaNone
}

// parseCiscoASA reads a Cisco message; see the comment at the top of
// this file. p, when not nil, gives the state of the line's input
// (Parser.inputState), which Built and Teardown messages use.
func parseCiscoASA(msg, tag []byte, p *Parser, r *Record, e *SyntaxError) result {
	at, id, ok := asaFindTag(msg)
	if !ok {
		// The tag may be the syslog program name, without its ':'.
		if id, ok = asaTagID(tag); !ok {
			return notMine
		}
		at = skipSpaces(msg, 0)
	}
	kind := asaKindOf(id)
	if kind == asaNone {
		return notMine
	}
	c := asaCursor{b: msg, i: at, e: e, p: p}
	var res result
	switch kind {
	case asaBuilt:
		res = c.built(r)
	case asaTeardown:
		res = c.teardown(r)
	case asaBuiltICMP, asaTeardownICMP:
		res = c.icmpConnection(r, kind == asaBuiltICMP)
	case asaDenySrcDst:
		res = c.denySrcDst(r)
	case asaFromTo:
		res = c.fromTo(r, id)
	case asaACL:
		res = c.accessList(r)
	case asaICMPDenied:
		res = c.icmpDenied(r, id)
	case asaICMPNoConnection:
		res = c.icmpNoConnection(r)
	case asaRate:
		res = c.dropRate(r)
	case asaFTDEvent:
		res = c.ftdEvent(r)
	}
	if res == notMine {
		*r = Record{}
	}
	return res
}

// asaFindTag finds the first "%ASA-n-NNNNNN:" (or FTD, PIX, FWSM) in
// msg and returns where the message text after it starts and its
// number.
func asaFindTag(msg []byte) (text, id int, ok bool) {
	for k := 0; ; {
		j := bytes.IndexByte(msg[k:], '%')
		if j < 0 {
			return 0, 0, false
		}
		k += j
		if text, id, ok := asaTagAt(msg, k); ok {
			return text, id, true
		}
		k++
	}
}

// asaTagAt reads a tag at msg[k], which is '%': its number, then ':'
// (or, as some relays leave it, a blank).
func asaTagAt(msg []byte, k int) (text, id int, ok bool) {
	id, i, ok := asaTagNumber(msg, k)
	if !ok || i >= len(msg) || msg[i] != ':' && msg[i] != ' ' {
		return 0, 0, false
	}
	return skipSpaces(msg, i+1), id, true
}

// asaTagID reads a syslog program name that is a whole tag,
// "%ASA-6-302013", and returns its number.
func asaTagID(tag []byte) (int, bool) {
	id, i, ok := asaTagNumber(tag, 0)
	return id, ok && i == len(tag)
}

// asaTagNumber reads a marker at b[k] ("%ASA-"), a severity digit, '-'
// and a six-digit message number, and returns the number and where it
// ends.
func asaTagNumber(b []byte, k int) (id, end int, ok bool) {
	i := -1
	for _, m := range asaMarkers {
		if startsWith(b[k:], m) {
			i = k + len(m)
			break
		}
	}
	if i < 0 || i+8 > len(b) || !isDigit(b[i]) || b[i+1] != '-' {
		return 0, 0, false
	}
	v, ok := decimal(b[i+2:i+8], 6)
	return v, i + 8, ok
}

// asaCursor walks the text of one message. Its methods return notMine
// when the text is not the message its number promised (a different
// wording, which parseCiscoASA then leaves alone), and broken, with e
// set, when the message is that one but cannot be read.
type asaCursor struct {
	b []byte
	i int
	e *SyntaxError
	p *Parser // for the input's state; nil reads each line alone
}

// lit steps over s when the text continues with it.
func (c *asaCursor) lit(s string) bool {
	if startsWith(c.b[c.i:], s) {
		c.i += len(s)
		return true
	}
	return false
}

// word returns the next blank-separated word and steps over it and the
// blanks after it.
func (c *asaCursor) word() []byte {
	w, j := token(c.b, c.i)
	c.i = skipSpaces(c.b, j)
	return w
}

// seek steps to just after the next s, reporting whether there is one.
func (c *asaCursor) seek(s string) bool {
	k := bytes.Index(c.b[c.i:], []byte(s))
	if k < 0 {
		return false
	}
	c.i += k + len(s)
	return true
}

func (c *asaCursor) fail(at int, msg string) result { return brokenAt(c.e, at, msg) }

// asaEnd is one end of a connection or packet as a message prints it.
type asaEnd struct {
	iface   []byte
	addr    netip.Addr // invalid when the message's address is not one
	port    uint16
	hasPort bool
	// mapped is the end's address and port as the other side sees it,
	// where the message prints one in parentheses.
	mapped     netip.Addr
	mappedPort uint16
	hasMapped  bool
}

// asaEndName names an end in the errors about it.
type asaEndName struct {
	key, noKey                        string // ICMP's "faddr " and the like
	noIface, noAddr, badPort, noSlash string
}

var (
	asaSource      = asaEndNamed("source")
	asaDestination = asaEndNamed("destination")
	asaFirst       = asaEndNamed("first end")
	asaSecond      = asaEndNamed("second end")
	asaFaddr       = asaEndNamed("faddr")
	asaGaddr       = asaEndNamed("gaddr")
	asaLaddr       = asaEndNamed("laddr")
)

func asaEndNamed(what string) asaEndName {
	return asaEndName{
		key: what + " ", noKey: "missing " + what,
		noIface: "bad " + what + ": want interface:address", noAddr: "missing " + what + " address",
		badPort: "bad " + what + " port", noSlash: "bad " + what + ": want interface/address(port)",
	}
}

// asaMaxIface bounds an interface name: ASA allows 48 bytes, and a bound
// keeps a damaged line from taking half its text for one.
const asaMaxIface = 64

// end reads an end at the cursor: "IF:ADDR[/PORT]" when iface is set,
// else "ADDR[/PORT]", up to a blank, '(' or ','. An interface name may
// hold blanks ("NP Identity Ifc"), not ':' or '/'.
func (c *asaCursor) end(iface bool, what *asaEndName) (asaEnd, result) {
	var ep asaEnd
	start := c.i
	if iface {
		k := c.i
		for k < len(c.b) && k-start <= asaMaxIface && c.b[k] != ':' && c.b[k] != '/' {
			k++
		}
		if k >= len(c.b) || c.b[k] != ':' || k == start || k-start > asaMaxIface {
			return ep, c.fail(start, what.noIface)
		}
		ep.iface = c.b[start:k]
		c.i = k + 1
	}
	at := c.i
	j := at
	for j < len(c.b) && c.b[j] != ' ' && c.b[j] != '(' && c.b[j] != ',' {
		j++
	}
	tok := c.b[at:j]
	c.i = j
	if len(tok) == 0 {
		return ep, c.fail(at, what.noAddr)
	}
	if k := bytes.LastIndexByte(tok, '/'); k >= 0 {
		port, ok := parsePort(tok[k+1:])
		if !ok {
			return ep, c.fail(at+k+1, what.badPort)
		}
		ep.port, ep.hasPort = port, true
		tok = tok[:k]
	}
	ep.addr, _ = parseAddr(tok)
	return ep, parsed
}

// afterEnd reads what may follow an end: its mapped address and port
// "(A/P)", and user or group names "(LOCAL\alice)", in any number, with
// or without blanks before them.
func (c *asaCursor) afterEnd(ep *asaEnd) {
	for {
		k := skipSpaces(c.b, c.i)
		if k >= len(c.b) || c.b[k] != '(' {
			return
		}
		close := bytes.IndexByte(c.b[k:], ')')
		if close < 0 {
			return
		}
		in := c.b[k+1 : k+close]
		c.i = k + close + 1
		if ep.hasMapped {
			continue
		}
		if s := bytes.LastIndexByte(in, '/'); s > 0 {
			if a, ok := parseAddr(in[:s]); ok {
				if port, ok := parsePort(in[s+1:]); ok {
					ep.mapped, ep.mappedPort, ep.hasMapped = a, port, true
				}
			}
		}
	}
}

// asaProto reads a protocol as messages print it: a keyword in either
// case ("tcp", "TCP", "icmp", "gre") or a number.
func asaProto(w []byte) (Protocol, bool) {
	if n, ok := decimal(w, 3); ok {
		return Protocol(n), n <= 255
	}
	return LookupProtocol(w)
}

// setProto sets r's protocol, made ICMPv6 for ICMP between IPv6
// addresses, which ASA calls "icmp" too.
func setProto(r *Record, p Protocol, v6 bool) {
	if p == ProtoICMP && v6 {
		p = ProtoICMPv6
	}
	r.Proto, r.HasProto = p, true
}

// setEnds fills r's addresses and ports from src and dst: ports only for
// a protocol that has them and when both ends print one.
func setEnds(r *Record, src, dst *asaEnd) {
	r.Src, r.Dst = src.addr, dst.addr
	if r.HasProto && r.Proto.HasPorts() && src.hasPort && dst.hasPort {
		r.SrcPort, r.DstPort, r.HasPorts = src.port, dst.port, true
	}
}

// isV6 reports whether the ends' addresses are IPv6.
func isV6(a, b netip.Addr) bool {
	return a.IsValid() && !a.Is4() || b.IsValid() && !b.Is4()
}

// built reads 302013 and 302015: "Built inbound|outbound TCP|UDP
// connection ID for IF:A/P (A/P) to IF:A/P (A/P)", and remembers which
// end opened the connection for its teardown.
func (c *asaCursor) built(r *Record) result {
	if !c.lit("Built ") {
		return notMine
	}
	inbound := c.lit("inbound ")
	if !inbound && !c.lit("outbound ") {
		return notMine
	}
	proto, ok := asaProto(c.word())
	if !ok || !proto.HasPorts() || !c.lit("connection ") {
		return notMine
	}
	id, first, second, res := c.connection()
	if res != parsed {
		return res
	}
	opener, other := asaOpener(&first, &second, inbound, r)
	setProto(r, proto, false)
	// The opener sent to the other end's mapped address, which the
	// firewall translated to its real one.
	dst := *other
	if other.hasMapped {
		dst.addr, dst.port = other.mapped, other.mappedPort
	}
	setEnds(r, opener, &dst)
	if opener.hasMapped && (opener.mapped != opener.addr || opener.mappedPort != opener.port) {
		r.SrcNAT, r.SrcNATPort = opener.mapped, opener.mappedPort
	}
	if other.hasMapped && (other.mapped != other.addr || other.mappedPort != other.port) {
		r.DstNAT, r.DstNATPort = other.addr, other.port
	}
	r.Session = id
	if c.p != nil {
		if st := c.p.inputState(); st != nil {
			st.asaConns().remember(id, r.Host, inbound)
		}
	}
	return parsed
}

// connection reads what Built and Teardown messages share: "ID for
// IF:A/P ... to IF:A/P ...", each end with what may follow it.
func (c *asaCursor) connection() (id []byte, first, second asaEnd, res result) {
	id = c.word()
	if !c.lit("for ") {
		return id, first, second, c.fail(c.i, `missing "for"`)
	}
	if first, res = c.end(true, &asaFirst); res != parsed {
		return id, first, second, res
	}
	c.afterEnd(&first)
	c.i = skipSpaces(c.b, c.i)
	if !c.lit("to ") {
		return id, first, second, c.fail(c.i, `missing "to"`)
	}
	if second, res = c.end(true, &asaSecond); res != parsed {
		return id, first, second, res
	}
	c.afterEnd(&second)
	if !first.hasPort || !second.hasPort {
		return id, first, second, c.fail(c.i, "connection without ports")
	}
	return id, first, second, parsed
}

// asaOpener returns which of a connection's ends opened it, and the
// other, from its direction, and fills r's direction, verdict and
// interfaces.
func asaOpener(first, second *asaEnd, inbound bool, r *Record) (opener, other *asaEnd) {
	r.Action = ActionPass
	opener, other = first, second
	r.Direction = DirIn
	if !inbound {
		opener, other = second, first
		r.Direction = DirOut
	}
	r.InIface, r.OutIface = opener.iface, other.iface
	return opener, other
}

// teardown reads 302014 and 302016: "Teardown TCP|UDP connection ID for
// IF:A/P to IF:A/P duration H:MM:SS bytes N [reason] [(user)]". Which
// end opened the connection comes from the input's memory of its Built
// message; without it the record has no ends.
func (c *asaCursor) teardown(r *Record) result {
	if !c.lit("Teardown ") {
		return notMine
	}
	proto, ok := asaProto(c.word())
	if !ok || !proto.HasPorts() || !c.lit("connection ") {
		return notMine
	}
	id, first, second, res := c.connection()
	if res != parsed {
		return res
	}
	r.Action = ActionPass
	setProto(r, proto, false)
	r.Session = id
	if c.seek(" bytes ") {
		n, j, ok := number(c.b, c.i, 19)
		if ok && (j == len(c.b) || c.b[j] == ' ') {
			r.Bytes = uint64(n)
		}
	}
	if c.p != nil {
		if st := c.p.inputState(); st != nil {
			if inbound, ok := st.asaConns().recall(id, r.Host); ok {
				opener, other := asaOpener(&first, &second, inbound, r)
				setEnds(r, opener, other)
				return parsed
			}
		}
	}
	// Which end opened the connection is not said: only a port both
	// ends share is the destination port either way.
	if first.port == second.port {
		r.SrcPort, r.DstPort, r.HasPorts = first.port, second.port, true
	}
	return parsed
}

// asaConnSlots is how many connections the memory of an input holds.
// Connection ids count up, so it is the last that many connections
// built (per device, when a log holds several), whatever their
// duration: an id past it overwrites the slot of the one that many
// before.
const asaConnSlots = 1 << 16

// asaConns is an input's memory of its Built messages: which end opened
// each connection, so that its teardown, which does not say, can be
// read as the Built message was. Each slot holds a connection id, a
// hash of the logging host, and the direction.
type asaConns struct {
	slot [asaConnSlots]uint64
}

// asaConns returns the input's memory of connections, made on first use.
func (s *InputState) asaConns() *asaConns {
	if s.asa == nil {
		s.asa = new(asaConns)
	}
	return s.asa
}

const (
	asaConnUsed    = 1 << 63
	asaConnInbound = 1 << 62
	asaConnKey     = 1<<62 - 1 // the host's hash and the id
)

// key returns the slot and key of connection id of host, or ok false
// when id is not a 32-bit decimal number, as ASA's are.
func (m *asaConns) key(id, host []byte) (slot int, key uint64, ok bool) {
	n, ok := decimal(id, 10)
	if !ok || n > 1<<32-1 {
		return 0, 0, false
	}
	// FNV-1a of the host: two devices logging to one file keep apart.
	h := uint32(2166136261)
	for _, c := range host {
		h = (h ^ uint32(c)) * 16777619
	}
	h &= 1<<30 - 1
	return int((uint32(n) ^ h) % asaConnSlots), uint64(h)<<32 | uint64(n), true
}

// remember keeps the direction of connection id of host.
func (m *asaConns) remember(id, host []byte, inbound bool) {
	i, k, ok := m.key(id, host)
	if !ok {
		return
	}
	k |= asaConnUsed
	if inbound {
		k |= asaConnInbound
	}
	m.slot[i] = k
}

// recall returns the direction remembered for connection id of host.
func (m *asaConns) recall(id, host []byte) (inbound, ok bool) {
	i, k, ok := m.key(id, host)
	if !ok {
		return false, false
	}
	v := m.slot[i]
	if v&asaConnUsed == 0 || v&asaConnKey != k {
		return false, false
	}
	return v&asaConnInbound != 0, true
}

// icmpConnection reads 302020 and 302021: "Built inbound|outbound ICMP
// connection for faddr A/N gaddr A/N laddr A/N" and "Teardown ICMP
// connection for ...". faddr is the foreign end, laddr the local one,
// gaddr the address the foreign end sees for it.
func (c *asaCursor) icmpConnection(r *Record, built bool) result {
	inbound := false
	if built {
		if !c.lit("Built ") {
			return notMine
		}
		inbound = c.lit("inbound ")
		if !inbound && !c.lit("outbound ") {
			return notMine
		}
	} else if !c.lit("Teardown ") {
		return notMine
	}
	w := c.word()
	if string(w) != "ICMP" && string(w) != "ICMPv6" || !c.lit("connection ") {
		return notMine
	}
	c.seek("for ")
	var ends [3]asaEnd
	for k, name := range [...]*asaEndName{&asaFaddr, &asaGaddr, &asaLaddr} {
		c.i = skipSpaces(c.b, c.i)
		if !c.lit(name.key) {
			return c.fail(c.i, name.noKey)
		}
		ep, res := c.end(false, name)
		if res != parsed {
			return res
		}
		c.afterEnd(&ep)
		ends[k] = ep
	}
	foreign, global, local := &ends[0], &ends[1], &ends[2]
	r.Action = ActionPass
	setProto(r, ProtoICMP, string(w) == "ICMPv6" || isV6(foreign.addr, local.addr))
	if !built {
		return parsed // which end pinged which is not said
	}
	if inbound {
		r.Direction = DirIn
		r.Src, r.Dst = foreign.addr, global.addr
		if local.addr != global.addr {
			r.DstNAT = local.addr
		}
	} else {
		r.Direction = DirOut
		r.Src, r.Dst = local.addr, foreign.addr
		if local.addr != global.addr {
			r.SrcNAT = global.addr
		}
	}
	return parsed
}

// denySrcDst reads 106023 "Deny PROTO src IF:A[/P] dst IF:A[/P] [(type
// N, code N)] by access-group "ACL" [0xH, 0xH]", 106010 "Deny inbound
// protocol N src IF:A dst IF:A" and 106014 "Deny inbound icmp src IF:A
// dst IF:A (type N, code N)".
func (c *asaCursor) denySrcDst(r *Record) result {
	if !c.lit("Deny ") {
		return notMine
	}
	if c.lit("inbound ") {
		r.Direction = DirIn
	}
	protoAt := c.i
	w := c.word()
	if string(w) == "protocol" {
		protoAt = c.i
		w = c.word()
	}
	proto, ok := asaProto(w)
	if !ok {
		return c.fail(protoAt, "bad protocol")
	}
	if !c.lit("src ") {
		return notMine
	}
	src, res := c.end(true, &asaSource)
	if res != parsed {
		return res
	}
	c.afterEnd(&src)
	c.i = skipSpaces(c.b, c.i)
	if !c.lit("dst ") {
		return c.fail(c.i, `missing "dst"`)
	}
	dst, res := c.end(true, &asaDestination)
	if res != parsed {
		return res
	}
	c.afterEnd(&dst)
	r.Action = ActionBlock
	setProto(r, proto, isV6(src.addr, dst.addr))
	r.InIface, r.OutIface = src.iface, dst.iface
	setEnds(r, &src, &dst)
	if c.seek(`by access-group "`) {
		if k := bytes.IndexByte(c.b[c.i:], '"'); k >= 0 {
			r.Label = c.b[c.i : c.i+k]
			r.RuleID = asaHashes(c.b, c.i+k+1)
		}
	}
	return parsed
}

// asaHashes returns the "0xH, 0xH" inside the brackets that end an
// access-list message, which identify the access control entry, or nil.
func asaHashes(b []byte, i int) []byte {
	i = skipSpaces(b, i)
	if i >= len(b) || b[i] != '[' || !startsWith(b[i+1:], "0x") {
		return nil
	}
	k := bytes.IndexByte(b[i:], ']')
	if k < 0 {
		return nil
	}
	return b[i+1 : i+k]
}

// asaFromToSpec says how a "from A to B" message reads: the words
// around its protocol word, whether its source or destination has an
// interface, its verdict and direction.
type asaFromToSpec struct {
	lead      string // text before the protocol word; "" when it comes first
	tail      string // text after the protocol word, up to "from "
	srcIface  bool
	dstIface  bool
	action    Action
	direction Direction
}

// asaFromToSpecs holds the "from ... to ..." messages by number.
var asaFromToSpecs = map[int]asaFromToSpec{
	106001: {lead: "Inbound ", tail: "connection denied ", action: ActionBlock, direction: DirIn},
	106006: {lead: "Deny inbound ", action: ActionBlock, direction: DirIn},
	106007: {lead: "Deny inbound ", action: ActionBlock, direction: DirIn},
	106015: {lead: "Deny ", tail: "(no connection) ", action: ActionBlock},
	106021: {lead: "Deny ", tail: "reverse path check ", action: ActionBlock},
	106022: {lead: "Deny ", tail: "connection spoof ", action: ActionBlock},
	110002: {lead: "Failed to locate egress interface for ", srcIface: true, action: ActionBlock},
	710002: {tail: "access permitted ", dstIface: true, action: ActionPass},
	710003: {tail: "access denied by ACL ", dstIface: true, action: ActionBlock},
	710005: {tail: "request discarded ", dstIface: true, action: ActionBlock},
	710006: {tail: "request discarded ", dstIface: true, action: ActionBlock},
}

// fromTo reads the messages of asaFromToSpecs: "... PROTO ... from
// A[/P] to B[/P] ... [on interface IF]".
func (c *asaCursor) fromTo(r *Record, id int) result {
	spec := asaFromToSpecs[id]
	if !c.lit(spec.lead) {
		return notMine
	}
	protoAt := c.i
	proto, ok := asaProto(c.word())
	if !ok {
		return c.fail(protoAt, "bad protocol")
	}
	if !c.lit(spec.tail) || !c.lit("from ") {
		return notMine
	}
	src, res := c.end(spec.srcIface, &asaSource)
	if res != parsed {
		return res
	}
	c.afterEnd(&src)
	c.i = skipSpaces(c.b, c.i)
	if !c.lit("to ") {
		return c.fail(c.i, `missing "to"`)
	}
	dst, res := c.end(spec.dstIface, &asaDestination)
	if res != parsed {
		return res
	}
	c.afterEnd(&dst)
	r.Action, r.Direction = spec.action, spec.direction
	setProto(r, proto, isV6(src.addr, dst.addr))
	setEnds(r, &src, &dst)
	switch {
	case spec.srcIface:
		r.InIface = src.iface
	case spec.dstIface:
		r.InIface = dst.iface
	default:
		if c.seek(" on interface ") {
			r.InIface = asaTrailingName(c.b, c.i)
		}
	}
	return parsed
}

// asaTrailingName returns the interface name that ends a message at b[i:]:
// the rest of the text without a final period or blanks.
func asaTrailingName(b []byte, i int) []byte {
	n := b[i:]
	for len(n) > 0 && (n[len(n)-1] == ' ' || n[len(n)-1] == '.') {
		n = n[:len(n)-1]
	}
	if len(n) == 0 {
		return nil
	}
	return n
}

// accessList reads 106100: "access-list ACL permitted|denied|est-allowed
// PROTO IF/A(P) -> IF/A(P) hit-cnt N ...".
func (c *asaCursor) accessList(r *Record) result {
	if !c.lit("access-list ") {
		return notMine
	}
	acl := c.word()
	switch string(c.word()) {
	case "permitted", "est-allowed":
		r.Action = ActionPass
	case "denied":
		r.Action = ActionBlock
	default:
		return notMine
	}
	protoAt := c.i
	proto, ok := asaProto(c.word())
	if !ok {
		return c.fail(protoAt, "bad protocol")
	}
	src, res := c.slashEnd(&asaSource)
	if res != parsed {
		return res
	}
	c.i = skipSpaces(c.b, c.i)
	if !c.lit("-> ") {
		return c.fail(c.i, `missing "->"`)
	}
	dst, res := c.slashEnd(&asaDestination)
	if res != parsed {
		return res
	}
	setProto(r, proto, isV6(src.addr, dst.addr))
	r.InIface, r.OutIface = src.iface, dst.iface
	setEnds(r, &src, &dst)
	r.Label = acl
	if c.seek(" hit-cnt ") {
		// The hashes close the message: "[0xH, 0xH]".
		if k := bytes.LastIndexByte(c.b, '['); k >= c.i {
			r.RuleID = asaHashes(c.b, k)
		}
	}
	return parsed
}

// slashEnd reads an end as 106100 prints it: "IF/A(P)", then any user
// or group names in parentheses.
func (c *asaCursor) slashEnd(what *asaEndName) (asaEnd, result) {
	var ep asaEnd
	start := c.i
	k := bytes.IndexByte(c.b[start:], '/')
	if k <= 0 || k > asaMaxIface {
		return ep, c.fail(start, what.noSlash)
	}
	ep.iface = c.b[start : start+k]
	at := start + k + 1
	open := bytes.IndexByte(c.b[at:], '(')
	if open < 0 {
		return ep, c.fail(at, what.noSlash)
	}
	ep.addr, _ = parseAddr(c.b[at : at+open])
	portAt := at + open + 1
	close := bytes.IndexByte(c.b[portAt:], ')')
	if close < 0 {
		return ep, c.fail(portAt, what.badPort)
	}
	port, ok := parsePort(c.b[portAt : portAt+close])
	if !ok {
		return ep, c.fail(portAt, what.badPort)
	}
	ep.port, ep.hasPort = port, true
	c.i = portAt + close + 1
	var user asaEnd
	c.afterEnd(&user)
	return ep, parsed
}

// icmpDenied reads 313001 "Denied ICMP type=N, code=N from A on
// interface IF" and 313004 "Denied ICMP type=N, from laddr A on
// interface IF to B: no matching session".
func (c *asaCursor) icmpDenied(r *Record, id int) result {
	if !c.lit("Denied ICMP") || !c.seek(" from ") {
		return notMine
	}
	c.lit("laddr ")
	src, res := c.end(false, &asaSource)
	if res != parsed {
		return res
	}
	c.i = skipSpaces(c.b, c.i)
	if !c.lit("on interface ") {
		return c.fail(c.i, `missing "on interface"`)
	}
	ifaceAt := c.i
	r.Action = ActionBlock
	r.Src = src.addr
	if id == 313004 {
		k := bytes.Index(c.b[c.i:], []byte(" to "))
		if k < 0 {
			return c.fail(len(c.b), `missing "to"`)
		}
		r.InIface = c.b[ifaceAt : ifaceAt+k]
		c.i += k + len(" to ")
		j := nextBlank(c.b, c.i)
		r.Dst, _ = parseAddr(bytes.TrimSuffix(c.b[c.i:j], []byte(":")))
	} else {
		r.InIface = c.word()
	}
	setProto(r, ProtoICMP, isV6(r.Src, r.Dst))
	return parsed
}

// icmpNoConnection reads 313005: "No matching connection for ICMP error
// message: icmp src IF:A dst IF:A (type N, code N) on IF interface.
// Original IP payload: ...". The payload is the packet the error is
// about, whose ports are not this record's.
func (c *asaCursor) icmpNoConnection(r *Record) result {
	if !c.lit("No matching connection for ICMP error message: ") || !c.seek("src ") {
		return notMine
	}
	src, res := c.end(true, &asaSource)
	if res != parsed {
		return res
	}
	c.afterEnd(&src)
	c.i = skipSpaces(c.b, c.i)
	if !c.lit("dst ") {
		return c.fail(c.i, `missing "dst"`)
	}
	dst, res := c.end(true, &asaDestination)
	if res != parsed {
		return res
	}
	r.Action = ActionBlock
	setProto(r, ProtoICMP, isV6(src.addr, dst.addr))
	r.Src, r.Dst = src.addr, dst.addr
	r.InIface, r.OutIface = src.iface, dst.iface
	return parsed
}

// dropRate reads 733100, "[OBJECT] drop rate-N exceeded. ...", as a
// record only when the object is a port ("80/tcp", "80/HTTP"): the
// destination whose drops exceeded the rate. Other objects (a host,
// which may be attacker or target, "Scanning", "Bad pkts") name no
// destination. A port object without its transport ("HTTP") gives a
// record with ports and no protocol.
func (c *asaCursor) dropRate(r *Record) result {
	if !c.lit("[") {
		return notMine
	}
	k := bytes.IndexByte(c.b[c.i:], ']')
	if k < 0 || !startsWith(c.b[c.i+k:], "] drop rate") {
		return notMine
	}
	obj := trimSpace(c.b[c.i : c.i+k])
	s := bytes.IndexByte(obj, '/')
	if s <= 0 {
		return notMine
	}
	port, ok := parsePort(obj[:s])
	if !ok {
		return notMine
	}
	r.Action = ActionBlock
	r.DstPort, r.HasPorts = port, true
	switch proto, _ := LookupProtocol(obj[s+1:]); proto {
	case ProtoTCP, ProtoUDP:
		r.Proto, r.HasProto = proto, true
	}
	return parsed
}

// ftdEvent reads FTD's connection, intrusion, file and malware events
// (430001-430005): "Key: Value" pairs joined by ", ", whose values may
// hold ", " themselves (URLs, user agents), so a pair ends only where
// ", " is followed by a key and ": ". A record needs Protocol.
func (c *asaCursor) ftdEvent(r *Record) result {
	var src, dst, srcNAT, dstNAT asaEnd
	var proto Protocol
	var hasProto bool
	var initBytes, respBytes, initPackets, respPackets uint64
	b := c.b
	for i := c.i; i < len(b); {
		k := ftdKeyEnd(b, i)
		if k < 0 {
			break
		}
		key := b[i:k]
		v := min(k+2, len(b))
		j := v
		for {
			m := bytes.Index(b[j:], []byte(", "))
			if m < 0 {
				j = len(b)
				break
			}
			j += m
			if ftdKeyEnd(b, j+2) >= 0 {
				break
			}
			j += 2
		}
		val := b[v:j]
		i = j + 2
		switch string(key) {
		case "SrcIP":
			src.addr, _ = parseAddr(val)
		case "DstIP":
			dst.addr, _ = parseAddr(val)
		case "SrcPort":
			src.port, src.hasPort = parsePort(val)
		case "DstPort":
			dst.port, dst.hasPort = parsePort(val)
		case "Protocol":
			if proto, hasProto = asaProto(val); !hasProto {
				return c.fail(v, "bad protocol")
			}
		case "AccessControlRuleAction":
			r.Action = ftdAction(val)
		case "AccessControlRuleName":
			r.Label = val
		case "IngressInterface":
			r.InIface = val
		case "EgressInterface":
			r.OutIface = val
		case "ConnectionID":
			r.Session = val
		case "InitiatorBytes":
			initBytes = ftdCount(val)
		case "ResponderBytes":
			respBytes = ftdCount(val)
		case "InitiatorPackets":
			initPackets = ftdCount(val)
		case "ResponderPackets":
			respPackets = ftdCount(val)
		case "NAT_InitiatorIP":
			srcNAT.addr, _ = parseAddr(val)
		case "NAT_InitiatorPort":
			srcNAT.port, srcNAT.hasPort = parsePort(val)
		case "NAT_ResponderIP":
			dstNAT.addr, _ = parseAddr(val)
		case "NAT_ResponderPort":
			dstNAT.port, dstNAT.hasPort = parsePort(val)
		}
	}
	if !hasProto {
		return notMine
	}
	setProto(r, proto, isV6(src.addr, dst.addr))
	setEnds(r, &src, &dst)
	r.Bytes, r.Packets = initBytes+respBytes, initPackets+respPackets
	if srcNAT.addr.IsValid() && !srcNAT.addr.IsUnspecified() && (srcNAT.addr != src.addr || srcNAT.port != src.port) {
		r.SrcNAT, r.SrcNATPort = srcNAT.addr, srcNAT.port
	}
	if dstNAT.addr.IsValid() && !dstNAT.addr.IsUnspecified() && (dstNAT.addr != dst.addr || dstNAT.port != dst.port) {
		r.DstNAT, r.DstNATPort = dstNAT.addr, dstNAT.port
	}
	return parsed
}

// ftdKeyEnd returns the index of the ':' that ends a key starting at
// b[i] (a letter, then letters, digits, '_' and blanks, as in "Prefilter
// Policy") when a blank or the end of the line follows it, or -1.
func ftdKeyEnd(b []byte, i int) int {
	if i >= len(b) || !isLetter(b[i]) {
		return -1
	}
	for k := i + 1; k < len(b) && k-i <= 40; k++ {
		switch ch := b[k]; {
		case ch == ':':
			if k+1 == len(b) || b[k+1] == ' ' {
				return k
			}
			return -1
		case isLetter(ch), isDigit(ch), ch == '_', ch == ' ':
		default:
			return -1
		}
	}
	return -1
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// ftdCount reads a byte or packet count, 0 when it is not one.
func ftdCount(b []byte) uint64 {
	n, ok := decimal(b, 19)
	if !ok {
		return 0
	}
	return uint64(n)
}

// ftdAction maps an access control rule's action: Allow and Trust pass
// (as does a prefilter's Fastpath), Block drops, the "with reset" ones
// reject, Monitor only logs.
func ftdAction(w []byte) Action {
	switch string(w) {
	case "Allow", "Trust", "Fastpath":
		return ActionPass
	case "Block", "Interactive Block":
		return ActionBlock
	case "Block with reset", "Interactive Block with reset":
		return ActionReject
	case "Monitor":
		return ActionLog
	}
	return ActionUnknown
}
