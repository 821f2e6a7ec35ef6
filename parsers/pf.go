package parsers

import (
	"bytes"
	"net/netip"
)

// pf has no text log of its own: pflogd(8) writes packets with a pflog(4)
// header to a pcap file, and people read them with "tcpdump -n -e" (from
// the file or live on pflog0), often piping the output into syslog. So a
// pf record is tcpdump's rendering of one packet, and parsePF reads the
// two renderings in use:
//
//	OpenBSD tcpdump:  rule 12/(match) block in on em0: 203.0.113.5.51234 > 198.51.100.7.23: S 1:1(0) win 65535 <mss 1460>
//	tcpdump.org 4.x:  rule 0/0(match): block in on em0: 203.0.113.5.51234 > 198.51.100.7.23: Flags [S], seq 1, win 65535, length 0
//
// The parts, in order:
//
//   - An optional capture timestamp, which the tcpdump -t options shape:
//     "Mar 30 15:32:33.483712" (OpenBSD -ttt), "00:00:05.679886" (FreeBSD
//     -ttt), "000145" (old -ttt deltas), "1711809153.483712" (-tt),
//     "2024-03-30 15:32:33.483712" (-tttt). It is skipped, not read:
//     Record.Time comes from the syslog envelope only.
//   - "rule " and the rule label, which becomes Record.Label without the
//     "rule " keyword: "12/(match)", "0/0(match)", "def/(match)",
//     "1.anchor.2/(match)", "1.fRXG.48/0(match)", "3/(unkn 42)". The
//     label is how a line is recognised as pf: the text from the rule
//     number to the ")" closing the reason, with a "/" before the "(".
//   - Bracketed annotations, skipped wherever tcpdump puts them: "[uid 0]"
//     and "[ridentifier N]" before the colon (tcpdump.org), "[uid 0, pid
//     1]" and "[orig src A:p, dst B:p]" with -v (OpenBSD).
//   - The action (Record.Action), direction (Record.Direction: "in" or
//     "out"; tcpdump.org's "in/out" and "fwd" leave it unknown), "on" and
//     the interface with its colon (Record.InIface for "in",
//     Record.OutIface for "out"; InIface when the direction is unknown).
//   - The packet as tcpdump prints IP: an optional "IP "/"IP6 " prefix,
//     an optional -v header in parentheses ("(tos 0x0, ttl 64, ..., proto
//     TCP (6), length 60)" or "(class 0x00, ..., next-header UDP (17)
//     payload length: 40)"), an optional protocol word (OpenBSD -v prints
//     "carp A > B:", "gre A > B:"), then "SRC > DST:" where a port, when
//     there is one, is the last dot-separated part of each address:
//     "192.0.2.1.51234", "2001:db8::1.51234". Addresses must be numeric
//     (tcpdump -n); a name is a syntax error. One masked before the log
//     was shared ("45.FOO.BAR.IP.23", "203.0.113.xxx", "…") or mistyped is
//     left out, and the record marked partial (pfMasked).
//
// The transport is the -v header's protocol number when there is one,
// else what the text after "DST:" shows, past IPv6 extension headers
// ("HBH ICMP6, ..."): TCP flags ("S 1:1(0)", ". ack 1", "Flags [S.]"),
// "udp 73", "UDP, length 22", "icmp:", "ICMP echo request", "icmp6:",
// "ICMP6,", "[|tcp]" and the like, "ip-proto-N". A packet with ports
// that shows no TCP flags is UDP, whose payload tcpdump may have decoded
// in place of "UDP" ("12345+ A? example.com. (29)" for DNS, "NTPv4,
// Client"): see pfTailProto. Only a line that ends at its addresses, or
// with a bracket that names nothing, leaves the transport unknown.
//
// What is not read: output without -e, which has no rule header and
// nothing that says pf; -v output split over two lines by the terminal
// newline tcpdump prints before the IPv4 addresses (rsyslog's "#012"
// escape of it is read); the inner packet of ip-in-ip, which OpenBSD
// prints without the outer addresses unless -v is given.
func parsePF(msg []byte, r *Record, e *SyntaxError) result {
	return readPF(msg, true, r, e)
}

// readPF is parsePF, which reads the TCP flags only when flags is set.
func readPF(msg []byte, flags bool, r *Record, e *SyntaxError) result {
	at, ok := pfRuleKeyword(msg)
	if !ok {
		return notMine
	}
	label, i, ok := pfRuleLabel(msg, at+len("rule "))
	if !ok {
		return notMine
	}
	r.Label = label
	r.RuleID = label[:bytes.LastIndexByte(label[:bytes.IndexByte(label, '(')], '/')]

	i = pfSkipAnnotations(msg, i)
	if i < len(msg) && msg[i] == ':' {
		i++
	}
	i = pfSkipAnnotations(msg, i)
	action, next := token(msg, i)
	if len(action) == 0 {
		return brokenAt(e, i, "missing action after the rule")
	}
	i = skipSpaces(msg, next)
	dir, next := token(msg, i)
	if len(dir) == 0 {
		return brokenAt(e, i, "missing direction after the action")
	}
	i = skipSpaces(msg, next)
	on, next := token(msg, i)
	if string(on) != "on" {
		return brokenAt(e, i, `missing "on" before the interface`)
	}
	i = skipSpaces(msg, next)
	iface, next := token(msg, i)
	if len(iface) < 2 || iface[len(iface)-1] != ':' {
		return brokenAt(e, i, "interface not followed by a colon")
	}
	r.Action = pfAction(action)
	iface = iface[:len(iface)-1]
	switch string(dir) {
	case "out":
		r.Direction = DirOut
		r.OutIface = iface
	case "in":
		r.Direction = DirIn
		fallthrough
	default:
		r.InIface = iface
	}
	return pfPacket(msg, skipSpaces(msg, next), flags, r, e)
}

// mayBePF is pf's pre-check: a '(' right after "rule " and a run of
// bytes other than blanks and '(', as pfRuleLabel wants it.
func mayBePF(s *lineShape) bool {
	line := s.b
	for i := s.first('('); i >= 0; {
		j := i
		for j > 0 && line[j-1] != ' ' && line[j-1] != '(' {
			j--
		}
		if j < i && j >= len("rule ") && string(line[j-len("rule "):j]) == "rule " {
			return true
		}
		k := bytes.IndexByte(line[i+1:], '(')
		if k < 0 {
			return false
		}
		i += 1 + k
	}
	return false
}

// pf is the parser of pf's row.
func (p *Parser) pf(msg []byte, r *Record) result { return readPF(msg, !p.NoTCPFlags, r, &p.err) }

// pfPacket reads tcpdump's rendering of the IP packet, from msg[i], and
// its TCP flags when flags is set.
func pfPacket(msg []byte, i int, flags bool, r *Record, e *SyntaxError) result {
	// t is always the token at i, read once for the several looks.
	i = pfSkipAnnotations(msg, i)
	t, next := token(msg, i)
	if string(t) == "IP" || string(t) == "IP6" {
		i = skipSpaces(msg, next)
		t, next = token(msg, i)
	}
	var proto Protocol
	hasProto := false
	if i < len(msg) && msg[i] == '(' {
		end := pfCloseParen(msg, i)
		if end < 0 {
			return brokenAt(e, i, "unterminated header in parentheses")
		}
		proto, hasProto = pfHeaderProto(msg[i+1 : end])
		i = pfSkipGap(msg, end+1)
		t, next = token(msg, i)
	}
	if len(t) > 0 && !hasDotOrColon(t) {
		// OpenBSD -v: "carp 192.0.2.1 > 224.0.0.18: CARPv2-advertise".
		if p, ok := LookupProtocol(t); ok && p != 0 {
			if !hasProto {
				proto, hasProto = p, true
			}
			i = skipSpaces(msg, next)
			t, next = token(msg, i)
		}
	}
	if i >= len(msg) {
		return brokenAt(e, i, "missing packet addresses")
	}
	src, sport, srcPort, bad := pfEndpoint(t)
	if bad != "" {
		return brokenAt(e, i, bad)
	}
	i = next + 1
	if i+1 >= len(msg) || msg[i] != '>' || msg[i+1] != ' ' {
		return brokenAt(e, next, `missing ">" after the source address`)
	}
	i += 2
	dstTok, next := token(msg, i)
	if n := len(dstTok); n > 0 && dstTok[n-1] == ':' {
		dstTok = dstTok[:n-1]
	}
	dst, dport, dstPort, bad := pfEndpoint(dstTok)
	if bad != "" {
		return brokenAt(e, i, bad)
	}
	if src.IsValid() && dst.IsValid() && src.Is4() != dst.Is4() {
		return brokenAt(e, i, "source and destination address families differ")
	}
	if srcPort|dstPort == pfPort|pfNoPort {
		return brokenAt(e, i, "only one of the addresses has a port")
	}
	hasPorts := srcPort == pfPort || dstPort == pfPort
	if hasPorts && dstPort != pfPort {
		return brokenAt(e, i, "masked destination port")
	}
	tail := msg[skipSpaces(msg, next):]
	if !hasProto || pfIsIPv6ExtensionHeader(proto) {
		proto, hasProto = pfTailProto(tail, hasPorts)
	}
	if hasPorts && hasProto && !proto.HasPorts() {
		return brokenAt(e, i, "port on a protocol that has none")
	}
	r.Src, r.Dst = src, dst
	if !src.IsValid() {
		r.Partial |= PartialSrc
	}
	if !dst.IsValid() {
		r.Partial |= PartialDst
	}
	r.Proto, r.HasProto = proto, hasProto
	if hasPorts {
		r.SrcPort, r.DstPort, r.HasPorts = sport, dport, true
		if srcPort != pfPort {
			r.Partial |= PartialSrcPort
		}
	}
	if flags && hasProto && proto == ProtoTCP {
		r.TCPFlags, r.HasTCPFlags = pfTCPFlags(tail)
	}
	return parsed
}

// pfTCPFlags reads the flags tcpdump prints first after the addresses of
// a TCP packet:
//
//	tcpdump.org:  Flags [S.], seq 1, ...     ('.' is ACK; "[none]")
//	OpenBSD:      S 1:1(0) win 65535 ...    (SFRPWE, or '.' for none of
//	              . ack 1 win 512 ...        them; ACK and URG show as
//	              P 7:9(2) ack 3 urg 1 ...   the "ack" and "urg" fields)
//
// A header tcpdump could not read ("[|tcp]") shows none: unknown.
func pfTCPFlags(tail []byte) (TCPFlags, bool) {
	if startsWith(tail, "Flags [") {
		end := bytes.IndexByte(tail, ']')
		if end < 0 {
			return 0, false
		}
		in := tail[len("Flags ["):end]
		if string(in) == "none" {
			return 0, true
		}
		return pfFlagLetters(in, true)
	}
	word, next := token(tail, 0)
	f, ok := pfFlagLetters(word, false)
	if !ok {
		return 0, false
	}
	// The fields that follow, up to the window: a sequence range,
	// "ack N", "urg N".
	for k := 0; k < 6; k++ {
		i := skipSpaces(tail, next)
		word, next = token(tail, i)
		switch string(word) {
		case "ack":
			f |= TCPAck
		case "urg":
			f |= TCPUrg
		case "win", "":
			return f, true
		}
	}
	return f, true
}

// pfFlagLetters reads tcpdump's letters for TCP flags. In the bracketed
// form of tcpdump.org, '.' is ACK and 'e' AE; in OpenBSD's, a lone '.'
// means none of S, F, R and P, whose "ack" field says the rest.
func pfFlagLetters(w []byte, bracketed bool) (TCPFlags, bool) {
	if len(w) == 0 || len(w) > 9 {
		return 0, false
	}
	var f TCPFlags
	for _, c := range w {
		switch c {
		case 'S':
			f |= TCPSyn
		case 'F':
			f |= TCPFin
		case 'R':
			f |= TCPRst
		case 'P':
			f |= TCPPsh
		case 'U':
			f |= TCPUrg
		case 'W':
			f |= TCPCwr
		case 'E':
			f |= TCPEce
		case 'e':
			if !bracketed {
				return 0, false
			}
			f |= TCPAE
		case '.':
			if bracketed || len(w) > 1 {
				f |= TCPAck
			}
		default:
			return 0, false
		}
	}
	return f, true
}

// pfRuleKeyword returns the index of "rule " at the start of msg or right
// after a capture timestamp. It looks at a handful of bytes before
// giving up, so other formats are turned away cheaply.
func pfRuleKeyword(msg []byte) (int, bool) {
	if len(msg) < len("rule 0/(x)") {
		return 0, false
	}
	i := 0
	switch c := msg[0]; {
	case c == 'r':
	case isDigit(c):
		i = pfSkipStamp(msg, 0)
		if i < len(msg) && isDigit(msg[i]) { // -tttt: "2024-03-30 15:32:33.483712"
			i = pfSkipStamp(msg, i)
		}
	default:
		if _, ok := monthAt(msg, 0); !ok {
			return 0, false
		}
		_, j, ok := paddedNumber(msg, 4)
		if !ok || j >= len(msg) || msg[j] != ' ' {
			return 0, false
		}
		if _, _, _, _, j, ok = clock(msg, j+1); !ok || j >= len(msg) || msg[j] != ' ' {
			return 0, false
		}
		i = skipSpaces(msg, j)
	}
	if i == 0 && msg[0] != 'r' || !startsWith(msg[i:], "rule ") {
		return 0, false
	}
	return i, true
}

// pfSkipStamp skips a run of digits, ':', '.' and '-' and the blanks after
// it, or returns 0 when the run is not followed by a blank.
func pfSkipStamp(msg []byte, i int) int {
	j := i
	for j < len(msg) && (isDigit(msg[j]) || msg[j] == ':' || msg[j] == '.' || msg[j] == '-') {
		j++
	}
	if j == i || j >= len(msg) || msg[j] != ' ' {
		return 0
	}
	return skipSpaces(msg, j)
}

// pfRuleLabel reads the rule label starting at msg[i], the byte after
// "rule ": a rule number (or "def", or "-1" from the old pflog header),
// optional ".ruleset.subrule" anchor parts, "/", an optional reason
// number and the reason in parentheses. It returns the label and the
// index after it.
func pfRuleLabel(msg []byte, i int) ([]byte, int, bool) {
	if i >= len(msg) {
		return nil, i, false
	}
	if c := msg[i]; !isDigit(c) && c != 'd' && c != '-' {
		return nil, i, false
	}
	open := i
	for open < len(msg) && msg[open] != '(' && msg[open] != ' ' {
		open++
	}
	if open == len(msg) || msg[open] != '(' || bytes.LastIndexByte(msg[i:open], '/') < 1 {
		return nil, i, false
	}
	// The reason may hold a blank ("unkn 42") but never another '('.
	end := open + 1
	for end < len(msg) && end-open < 32 && msg[end] != ')' && msg[end] != '(' {
		end++
	}
	if end >= len(msg) || msg[end] != ')' {
		return nil, i, false
	}
	return msg[i : end+1], end + 1, true
}

// pfSkipAnnotations skips blanks and "[...]" groups such as "[uid 0]",
// but not tcpdump's truncation marks like "[|tcp]".
func pfSkipAnnotations(msg []byte, i int) int {
	for {
		i = skipSpaces(msg, i)
		if i+1 >= len(msg) || msg[i] != '[' || msg[i+1] == '|' {
			return i
		}
		k := bytes.IndexByte(msg[i:], ']')
		if k < 0 {
			return i
		}
		i += k + 1
	}
}

// pfSkipGap skips the blanks between the -v header and the addresses,
// including the newline tcpdump prints there after rsyslog escaped it as
// "#012" (and tabs, "#011").
func pfSkipGap(msg []byte, i int) int {
	for i < len(msg) {
		switch {
		case msg[i] == ' ' || msg[i] == '\t':
			i++
		case startsWith(msg[i:], "#012") || startsWith(msg[i:], "#011"):
			i += 4
		default:
			return i
		}
	}
	return i
}

// pfCloseParen returns the index of the ')' matching the '(' at msg[i],
// or -1.
func pfCloseParen(msg []byte, i int) int {
	depth := 0
	for j := i; j < len(msg); j++ {
		switch msg[j] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

var (
	pfProtoKey      = []byte("proto ")
	pfNextHeaderKey = []byte("next-header")
)

// pfHeaderProto finds the protocol number in a tcpdump -v IP header:
// "proto TCP (6)" for IPv4, "next-header UDP (17)" or "next-header: UDP
// (17)" for IPv6.
func pfHeaderProto(h []byte) (Protocol, bool) {
	k := bytes.Index(h, pfProtoKey)
	if k >= 0 {
		k += len(pfProtoKey)
	} else if k = bytes.Index(h, pfNextHeaderKey); k >= 0 {
		k += len(pfNextHeaderKey)
		if k < len(h) && h[k] == ':' {
			k++
		}
	} else {
		return 0, false
	}
	k = skipSpaces(h, k)
	_, k = token(h, k) // the name: the number in parentheses is authoritative
	k = skipSpaces(h, k)
	if k >= len(h) || h[k] != '(' {
		return 0, false
	}
	n, j, ok := number(h, k+1, 3)
	if !ok || n > 255 || j >= len(h) || h[j] != ')' {
		return 0, false
	}
	return Protocol(n), true
}

// pfIsIPv6ExtensionHeader reports whether p is an IPv6 extension header
// that tcpdump -v names as "next-header" in place of the transport.
func pfIsIPv6ExtensionHeader(p Protocol) bool {
	switch p {
	case 0, 43, 44, 60: // hop-by-hop, routing, fragment, destination options
		return true
	}
	return false
}

// pfTailProto infers the transport from what tcpdump printed after the
// addresses, past any IPv6 extension headers ("HBH ICMP6, ..."). For a
// packet with ports, tcpdump starts a TCP segment with its flags ("Flags
// [S]", "S 1:1(0)", or "[|tcp]" when the header was cut), and SCTP and
// DCCP with their names; whatever else it prints there ("udp 73", "UDP,
// length 48", or a decoded payload: "NTPv4, Client", DNS's "12345+ A?
// example.org. (29)" or "[|domain]", "SYSLOG local0.info", "NBT UDP
// PACKET(137)", "BOOTP/DHCP", "RIPv2", "isakmp:", "SIP"...) is a UDP
// datagram's.
func pfTailProto(t []byte, ports bool) (Protocol, bool) {
	if len(t) == 0 {
		return 0, false
	}
	if pfExtensionStart[t[0]] {
		if t = pfSkipExtensionHeaders(t); len(t) == 0 {
			return 0, false
		}
	}
	switch t[0] {
	case 'F':
		if startsWith(t, "Flags [") {
			return ProtoTCP, true
		}
	case 'U':
		if startsWith(t, "UDP,") {
			return ProtoUDP, true
		}
	case 'T':
		if startsWith(t, "TCP,") { // gopacket's -q: "TCP, length 0"
			return ProtoTCP, true
		}
	case 'D':
		if startsWith(t, "DCCP") {
			return ProtoDCCP, true
		}
	case 'I':
		switch {
		case startsWith(t, "ICMP6"):
			return ProtoICMPv6, true
		case startsWith(t, "ICMP "), startsWith(t, "ICMP,"):
			return ProtoICMP, true
		}
	case 'i':
		switch {
		case startsWith(t, "icmp6:"):
			return ProtoICMPv6, true
		case startsWith(t, "icmp:"):
			return ProtoICMP, true
		case startsWith(t, "igmp"):
			return ProtoIGMP, true
		case startsWith(t, "ip-proto-"):
			if n, _, ok := number(t, len("ip-proto-"), 3); ok && n <= 255 {
				return Protocol(n), true
			}
		}
	case 'u':
		if startsWith(t, "udp ") && len(t) > 4 && isDigit(t[4]) {
			return ProtoUDP, true
		}
	case 't':
		if startsWith(t, "tcp ") && len(t) > 4 && isDigit(t[4]) {
			return ProtoTCP, true
		}
	case 's':
		if startsWith(t, "sctp") {
			return ProtoSCTP, true
		}
	case 'G':
		if startsWith(t, "GREv") {
			return ProtoGRE, true
		}
	case 'E':
		if startsWith(t, "ESP(") {
			return ProtoESP, true
		}
	case 'A':
		if startsWith(t, "AH(") {
			return ProtoAH, true
		}
	case 'C', 'V':
		if startsWith(t, "CARPv") || startsWith(t, "VRRPv") {
			return 112, true
		}
	case '[':
		// Truncated: "[|tcp]", "[|udp]", "[|icmp]", "[|icmp6]", "[|sctp]";
		// "[|ip]" is a cut IP header, not protocol 0. A payload cut
		// short, "[|domain]", "[|ntp]", is a datagram's: a cut TCP
		// header shows as "[|tcp]". Other brackets ("[bad hdr
		// length]") say nothing.
		if len(t) > 2 && t[1] == '|' {
			if k := bytes.IndexByte(t, ']'); k > 2 {
				if p, ok := LookupProtocol(t[2:k]); ok {
					return p, p != 0
				}
				return pfDatagram(ports)
			}
		}
		return 0, false
	}
	if pfOldTCPFlags(t) {
		return ProtoTCP, true
	}
	return pfDatagram(ports)
}

// pfDatagram is pfTailProto's answer for a tail that is not a segment's:
// UDP for a packet with ports, and nothing known for one without.
func pfDatagram(ports bool) (Protocol, bool) {
	if ports {
		return ProtoUDP, true
	}
	return 0, false
}

// pfExtensionStart holds the first bytes of what pfSkipExtensionHeaders
// skips: most tails start with none of them.
var pfExtensionStart = [256]bool{'H': true, 'D': true, 'f': true, 's': true}

// pfSkipExtensionHeaders skips what tcpdump prints for IPv6 extension
// headers before the transport: "HBH " and "DSTOPT " (with -v, their
// options in parentheses), "frag (0x1234:0|1448) ", "srcrt (...) ".
func pfSkipExtensionHeaders(t []byte) []byte {
	for {
		var w int
		switch {
		case startsWith(t, "HBH "):
			w = len("HBH ")
		case startsWith(t, "DSTOPT "):
			w = len("DSTOPT ")
		case startsWith(t, "frag ("), startsWith(t, "srcrt ("):
			w = bytes.IndexByte(t, ' ') + 1
		default:
			return t
		}
		t = t[w:]
		// The options, or the header's fields, and tcpdump -v's
		// checksum notes ("[icmp6 sum ok]").
		for len(t) > 0 && (t[0] == '(' || t[0] == '[' && len(t) > 1 && t[1] != '|') {
			end := pfCloseParen(t, 0)
			if t[0] == '[' {
				end = bytes.IndexByte(t, ']')
			}
			if end < 0 {
				return t
			}
			t = t[skipSpaces(t, end+1):]
		}
	}
}

// pfOldTCPFlags recognises the flags OpenBSD's and old tcpdump's TCP
// printer starts with: letters from "SFRPWEU", or "." for none of SFRP,
// followed by a sequence range, "ack", "win" or "urg".
func pfOldTCPFlags(t []byte) bool {
	n := 0
	for ; n < len(t) && t[n] != ' '; n++ {
		switch t[n] {
		case 'S', 'F', 'R', 'P', 'W', 'E', 'U', '.':
		default:
			return false
		}
	}
	if n == 0 || n > 7 {
		return false
	}
	rest := t[skipSpaces(t, n):]
	if len(rest) == 0 {
		return true
	}
	return isDigit(rest[0]) || startsWith(rest, "ack ") || startsWith(rest, "win ") || startsWith(rest, "urg ")
}

// pfAddrPort splits tcpdump's "address.port" and parses both. IPv4 has
// four dot-separated parts without a port, five with one; in IPv6 the
// port follows the last group after a dot ("2001:db8::1.51234"), and an
// embedded IPv4 tail ("::ffff:192.0.2.1") counts as for IPv4. bad is the
// error message when the token is not a numeric address.
func pfAddrPort(tok []byte) (addr netip.Addr, port uint16, hasPort bool, bad string) {
	// IPv4, with or without a port, is read in one pass when it is
	// well-formed: four octets and then the end of the token, or a dot
	// and a last part with no dot nor colon. Those are the cases below
	// with last == 0 and dots == 3 or 4, where parseAddr takes the same
	// four octets.
	var quad [4]byte
	if end, ok := dottedQuadPrefix(tok, 0, &quad); ok {
		if end == len(tok) {
			return netip.AddrFrom4(quad), 0, false, ""
		}
		if rest := tok[end+1:]; tok[end] == '.' && !hasDotOrColon(rest) {
			p, ok := parsePort(rest)
			if !ok {
				return addr, 0, false, "bad port number"
			}
			return netip.AddrFrom4(quad), p, true, ""
		}
	}
	// One pass finds what three searches would: the byte after the last
	// ':' (0 for IPv4), the dots after it and the last dot.
	last, dots, lastDot := 0, 0, -1
	for k, c := range tok {
		switch c {
		case ':':
			last, dots = k+1, 0
		case '.':
			dots++
			lastDot = k
		}
	}
	switch {
	case last == 0 && dots == 4, last > 0 && (dots == 1 || dots == 4):
		k := lastDot
		p, ok := parsePort(tok[k+1:])
		if !ok {
			return addr, 0, false, "bad port number"
		}
		port, hasPort = p, true
		tok = tok[:k]
	case last == 0 && dots != 3, last > 0 && dots != 0 && dots != 3:
		return addr, 0, false, "bad address"
	}
	a, ok := parseAddr(tok)
	if !ok {
		return addr, 0, false, "bad address"
	}
	return a, port, hasPort, ""
}

// pfPortState says whether an address token of tcpdump's carries a
// port: the bits are chosen so that pfNoPort|pfPort is a mismatch.
type pfPortState uint8

const (
	pfNoPort      pfPortState = 1 << iota
	pfPort                        // and its number was read
	pfPortUnknown pfPortState = 0 // masked: whether there is one, or which
)

// pfEndpoint reads an address token as pfAddrPort does, and, when the
// address is none, reads it as masked (pfMasked): an address left out,
// and a port where the token's shape shows one. bad is pfAddrPort's
// message for a token that is neither.
func pfEndpoint(tok []byte) (netip.Addr, uint16, pfPortState, string) {
	addr, port, hasPort, bad := pfAddrPort(tok)
	if bad != "" {
		return pfMaskedEndpoint(tok, bad)
	}
	state := pfNoPort
	if hasPort {
		state = pfPort
	}
	return addr, port, state, ""
}

// pfMaskedEndpoint is pfEndpoint for a token pfAddrPort turned away
// with bad.
func pfMaskedEndpoint(tok []byte, bad string) (netip.Addr, uint16, pfPortState, string) {
	if port, state, ok := pfMasked(tok); ok {
		return netip.Addr{}, port, state, ""
	}
	return netip.Addr{}, 0, 0, bad
}

// pfMasked reads a token where tcpdump printed an address that is none:
// masked before the log was shared ("45.FOO.BAR.IP.23", pf's port still
// the last dot-separated part, "35.xxx.xxx.xxx", "…") or a mistyped IPv6
// ("2001:db8::1::5.443"). The address is lost; whether a port follows
// it is told by the token's shape, as pfAddrPort tells it: five
// dot-separated parts, or a dot after the last ':', mean one. ok is
// false for a token that is not such a shape, such as a host name
// (tcpdump without -n), and for one whose address part is an address:
// the port is then what is wrong.
func pfMasked(tok []byte) (port uint16, state pfPortState, ok bool) {
	last, dots, lastDot := 0, 0, -1
	part, longest := 0, 0 // dot-separated parts: the current one's length, the longest
	for k, c := range tok {
		switch c {
		case ':':
			last, dots = k+1, 0
		case '.':
			dots++
			lastDot = k
			longest, part = max(longest, part), 0
			continue
		}
		part++
	}
	if len(tok) == 0 {
		return 0, 0, false
	}
	var hasPort bool
	switch {
	case last > 0 && (dots == 0 || dots == 3), last == 0 && dots == 3:
	case last > 0 && (dots == 1 || dots == 4), last == 0 && dots == 4:
		hasPort = true
	case last == 0 && dots == 0 && pfMaskWord(tok):
		return 0, pfPortUnknown, true
	default:
		return 0, 0, false
	}
	addr := tok
	if hasPort {
		addr = tok[:lastDot]
	} else {
		longest = max(longest, part)
	}
	// Masked octets are short ("xxx", "FOO", "*"), and some are not
	// numbers: a name's labels are mostly longer, and digits alone are
	// an address that lost the dot before its port ("192.0.2.1223").
	if last == 0 && (longest > 4 || !hasNonDigit(addr)) {
		return 0, 0, false
	}
	if _, valid := parseAddr(addr); valid {
		return 0, 0, false
	}
	if !hasPort {
		return 0, pfNoPort, true
	}
	if p, ok := parsePort(tok[lastDot+1:]); ok {
		return p, pfPort, true
	}
	return 0, pfPortUnknown, true
}

// hasNonDigit reports whether b holds a byte other than a digit or a
// dot.
func hasNonDigit(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) && c != '.' {
			return true
		}
	}
	return false
}

// pfMaskWord reports whether w, a token without dots or colons, is what
// people put in place of an address and its port: "…", "xxx", "***".
func pfMaskWord(w []byte) bool {
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c == 'x', c == 'X', c == '*', c == '?', c == '#':
		case startsWith(w[i:], "…"):
			i += len("…") - 1
		default:
			return false
		}
	}
	return true
}

// hasDotOrColon reports whether b holds a '.' or a ':'.
func hasDotOrColon(b []byte) bool {
	for _, c := range b {
		if c == '.' || c == ':' {
			return true
		}
	}
	return false
}

// pfAction maps tcpdump's action word. The "no" forms are rules that
// exempt a packet from translation; they are still translation rules.
func pfAction(w []byte) Action {
	switch string(w) {
	case "block", "synproxy-drop":
		return ActionBlock
	case "pass":
		return ActionPass
	case "match":
		return ActionMatch
	case "rdr", "nordr":
		return ActionRedirect
	case "nat", "nonat", "binat", "nobinat":
		return ActionNAT
	}
	return ActionUnknown
}

// startsWith is bytes.HasPrefix for a string prefix, without converting
// the prefix to a slice.
func startsWith(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// brokenAt records where and why a line of our format is malformed.
func brokenAt(e *SyntaxError, offset int, msg string) result {
	e.Offset = offset
	e.Msg = msg
	return broken
}
