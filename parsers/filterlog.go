package parsers

// mayBeFilterlog is filterlog's pre-check: the eight commas between
// the nine fields parseFilterlog reads before it accepts a line.
// Counting them is one SIMD pass; few other lines have as many.
func mayBeFilterlog(s *lineShape) bool { return s.commaCount() >= 8 }

// filterlog is the parser of filterlog's row.
func (p *Parser) filterlog(msg []byte, r *Record) result {
	return readFilterlog(msg, !p.NoTCPFlags, r, &p.err)
}

// parseFilterlog reads the comma-separated record that pfSense's and
// OPNsense's filterlog daemon writes for each packet pf logs (pfSense
// documents it as the "raw filter log format"). The fields, 0-based:
//
//	0 rule number   1 sub-rule   2 anchor   3 tracker (pfSense: number,
//	OPNsense: hex hash or UUID)   4 interface   5 reason   6 action
//	7 direction   8 IP version
//	IPv4:  9 tos  10 ecn  11 ttl  12 id  13 fragment offset  14 flags
//	       15 protocol number  16 protocol name  17 length  18 src  19 dst
//	IPv6:  9 class  10 flow label  11 hop limit  12 protocol name
//	       13 protocol number  14 length  15 src  16 dst
//
// followed, for TCP, UDP and SCTP, by source port, destination port and
// data length, then protocol-specific fields (TCP flags and sequence
// numbers, ICMP types with their own sub-fields, CARP advertisements,
// "datalength=N") that are not read. In particular an ICMP error's
// quoted protocol and port ("unreachport,192.0.2.1,UDP,844761") belong
// to the quoted packet, not to this record.
//
// Fields 0 to 8 decide whether a line is filterlog at all: a numeric
// rule, a lower-case reason and action, "in" or "out", "4" or "6". So
// bare CSV without a syslog tag is recognised, and other CSV is not.
//
// Record.Label is fields 0 to 3 as they appear ("146,,,1535324496"):
// rule, sub-rule, anchor and tracker together identify the rule. The
// protocol comes from its number; a known name that disagrees with the
// number is a syntax error. An address that is none (masked before the
// log was shared: "198.51.xxx.xxx") is left out, and the record marked
// partial. A non-first IPv4 fragment (offset other than 0) has no ports,
// whatever its protocol, and neither has a record whose port fields are
// empty or absent.
func parseFilterlog(msg []byte, r *Record, e *SyntaxError) result {
	return readFilterlog(msg, true, r, e)
}

// readFilterlog is parseFilterlog, which reads the TCP flags only when
// flags is set.
func readFilterlog(msg []byte, flags bool, r *Record, e *SyntaxError) result {
	if len(msg) < len("0,,,,a,b,c,in,4") || !isDigit(msg[0]) {
		return notMine
	}
	c := csvCursor{b: msg}
	rule, _, _ := c.next()
	sub, _, _ := c.next()
	c.next() // anchor
	tracker, at, _ := c.next()
	labelEnd := at + len(tracker)
	iface, _, _ := c.next()
	reason, _, _ := c.next()
	action, _, _ := c.next()
	dir, _, _ := c.next()
	version, _, ok := c.next()
	if !ok || !isDecimal(rule, 10) || (len(sub) > 0 && !isDecimal(sub, 10)) ||
		hasBlank(tracker) || len(iface) == 0 || hasBlank(iface) ||
		!isLowerWord(reason, true) || !isLowerWord(action, false) ||
		(string(dir) != "in" && string(dir) != "out") ||
		(string(version) != "4" && string(version) != "6") {
		return notMine
	}
	r.Label = msg[:labelEnd]
	r.RuleID = rule
	if len(tracker) > 0 {
		r.RuleID = tracker // unique to the rule, where the number is its place
	}
	r.Action = filterlogAction(action)
	if dir[0] == 'i' {
		r.Direction, r.InIface = DirIn, iface
	} else {
		r.Direction, r.OutIface = DirOut, iface
	}

	var protoNum, protoName []byte
	var protoAt, offset int
	if version[0] == '4' {
		c.skip(4) // tos, ecn, ttl, id
		off, offAt, _ := c.next()
		if len(off) > 0 {
			if !isDecimal(off, 5) {
				return brokenAt(e, offAt, "bad fragment offset")
			}
			offset, _, _ = number(off, 0, 5)
		}
		c.next() // flags
		protoNum, protoAt, _ = c.next()
		protoName, _, _ = c.next()
	} else {
		c.skip(3) // class, flow label, hop limit
		protoName, _, _ = c.next()
		protoNum, protoAt, _ = c.next()
	}
	c.next() // length
	src, srcAt, _ := c.next()
	dst, _, ok := c.next()
	if !ok {
		return brokenAt(e, len(msg), "record ends before the addresses")
	}

	proto, ok := filterlogProto(protoNum, protoName)
	if !ok {
		return brokenAt(e, protoAt, "bad or inconsistent protocol")
	}
	var good bool
	// An address masked before the log was shared ("198.51.xxx.xxx")
	// is left out: its place in the record says what it was.
	if r.Src, good = parseAddr(src); !good {
		r.Partial |= PartialSrc
	}
	if r.Dst, good = parseAddr(dst); !good {
		r.Partial |= PartialDst
	}
	v4 := version[0] == '4'
	if r.Src.IsValid() && r.Src.Is4() != v4 || r.Dst.IsValid() && r.Dst.Is4() != v4 {
		return brokenAt(e, srcAt, "address family does not match the ip version")
	}
	r.Proto, r.HasProto = proto, true

	if !proto.HasPorts() || offset != 0 {
		return parsed
	}
	sport, sportAt, ok := c.next()
	if !ok || len(sport) == 0 || startsWith(sport, "datalength=") {
		return parsed
	}
	dport, dportAt, _ := c.next()
	if r.SrcPort, good = parsePort(sport); !good {
		return brokenAt(e, sportAt, "bad source port")
	}
	if r.DstPort, good = parsePort(dport); !good {
		return brokenAt(e, dportAt, "bad destination port")
	}
	r.HasPorts = true
	if flags && proto == ProtoTCP {
		c.next() // data length
		if f, _, ok := c.next(); ok {
			r.TCPFlags, r.HasTCPFlags = filterlogTCPFlags(f)
		}
	}
	return parsed
}

// filterlogTCPFlags reads filterlog's TCP flags field, pf's letters for
// the flags set: "S", "SA", "FPA", "" for none.
func filterlogTCPFlags(w []byte) (TCPFlags, bool) {
	var f TCPFlags
	for _, c := range w {
		switch c {
		case 'F':
			f |= TCPFin
		case 'S':
			f |= TCPSyn
		case 'R':
			f |= TCPRst
		case 'P':
			f |= TCPPsh
		case 'A':
			f |= TCPAck
		case 'U':
			f |= TCPUrg
		case 'E':
			f |= TCPEce
		case 'W':
			f |= TCPCwr
		default:
			return 0, false
		}
	}
	return f, true
}

// filterlogProto reads the protocol from its number, or from its name
// when the number is missing. A name we know must agree with the number;
// one we do not ("unknown", which pfSense prints for unassigned numbers)
// is ignored.
func filterlogProto(num, name []byte) (Protocol, bool) {
	var byName Protocol
	var known bool
	// filterlog's own spellings first, as LookupProtocol reads them.
	switch string(name) {
	case "tcp", "TCP":
		byName, known = ProtoTCP, true
	case "udp", "UDP":
		byName, known = ProtoUDP, true
	default:
		byName, known = LookupProtocol(name)
	}
	if len(num) == 0 {
		return byName, known
	}
	n, j, ok := number(num, 0, 3)
	if !ok || j != len(num) || n > 255 {
		return 0, false
	}
	if known && byName != Protocol(n) {
		return 0, false
	}
	return Protocol(n), true
}

// filterlogAction maps the action field. pf's rule actions all appear;
// the translation ones only in setups that log them, and the "no-" forms
// (rules exempting a packet from translation) are still translation.
func filterlogAction(w []byte) Action {
	switch string(w) {
	case "block", "synproxy-drop":
		return ActionBlock
	case "pass":
		return ActionPass
	case "reject":
		return ActionReject
	case "match":
		return ActionMatch
	case "rdr", "no-rdr":
		return ActionRedirect
	case "nat", "no-nat", "binat", "no-binat":
		return ActionNAT
	}
	return ActionUnknown
}

// csvCursor walks the fields of a comma-separated line without quoting,
// which filterlog never uses.
type csvCursor struct {
	b []byte
	i int // start of the next field; len(b)+1 once the last was read
}

// next returns the next field and its offset, or ok false when the line
// has no more fields.
func (c *csvCursor) next() (field []byte, at int, ok bool) {
	at = c.i
	if at > len(c.b) {
		return nil, len(c.b), false
	}
	j := at
	for j < len(c.b) && c.b[j] != ',' {
		j++
	}
	c.i = j + 1
	return c.b[at:j], at, true
}

func (c *csvCursor) skip(n int) {
	for ; n > 0; n-- {
		c.next()
	}
}

// hasBlank reports whether the short field b holds a blank; a loop is
// quicker than an IndexByte call for the few bytes of a field.
func hasBlank(b []byte) bool {
	for _, c := range b {
		if c == ' ' {
			return true
		}
	}
	return false
}

// isDecimal reports whether b is one to max decimal digits.
func isDecimal(b []byte, max int) bool {
	if len(b) == 0 || len(b) > max {
		return false
	}
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// isLowerWord reports whether b is a non-empty run of lower-case letters
// and hyphens, as filterlog prints reasons ("bad-offset") and actions
// ("synproxy-drop"). With numbered, digits and parentheses are allowed
// too, for a reason pf added after filterlog was built ("unkn(22)").
func isLowerWord(b []byte, numbered bool) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', c == '-':
		case numbered && (isDigit(c) || c == '(' || c == ')'):
		default:
			return false
		}
	}
	return true
}
