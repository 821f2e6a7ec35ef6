package parsers

import (
	"bytes"
	"math/bits"
	"net/netip"
	"time"
)

// Windows Defender Firewall writes pfirewall.log in the W3C extended log
// file format: header lines ("#Version: 1.5", "#Software: Microsoft
// Windows Firewall", "#Time Format: Local", "#Fields: ..."), then one
// space-separated row per packet, "-" for an empty field:
//
//	#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid
//	2026-03-02 14:05:11 DROP TCP 203.0.113.9 192.0.2.10 51234 3389 52 S 1743 0 64240 - - - RECEIVE 4
//
// The "#Fields:" line names the columns, and so is per-input state: it
// holds for the rows after it in the same input, until another replaces
// it. Without one, rows are read in the layout above, which every
// Windows version writes (pid is Windows 10's addition). Time is the
// host's local time, without a zone: it is read in Parser.Location.
//
// The verdict is ALLOW or DROP; Windows XP's firewall wrote OPEN,
// OPEN-INBOUND and CLOSE for connections it let through, which are read
// as passed. INFO-EVENTS-LOST rows count events the log lost and are no
// records, nor are the header lines. "path" is SEND (outbound), RECEIVE
// (inbound) or FORWARD. ICMP rows carry type and code in their own
// columns, and no ports even where the port columns hold numbers.

// mayBeWindowsFirewall is true for a line with a verdict of the family as
// a word of its own (each has an 'O': ALLOW, DROP, OPEN, CLOSE,
// OPEN-INBOUND), which every record holds whatever its columns, and for a
// header line, which comes alone.
func mayBeWindowsFirewall(s *lineShape) bool {
	if len(s.b) > 0 && s.b[0] == '#' {
		return true
	}
	line := s.b
	for k := s.first('O'); k >= 0; {
		if w3cVerdictAt(line, k) {
			return true
		}
		n := bytes.IndexByte(line[k+1:], 'O')
		if n < 0 {
			break
		}
		k += 1 + n
	}
	return false
}

// w3cVerdictAt reports whether the 'O' at line[k] is in a verdict word
// standing between blanks. The letter before it says where the word
// would start.
func w3cVerdictAt(line []byte, k int) bool {
	i := k // OPEN, OPEN-INBOUND
	switch {
	case k >= 2 && line[k-1] == 'R': // DROP
		i = k - 2
	case k >= 3 && line[k-1] == 'L' && line[k-2] == 'L': // ALLOW
		i = k - 3
	case k >= 2 && line[k-1] == 'L': // CLOSE
		i = k - 2
	}
	if i > 0 && line[i-1] != ' ' {
		return false
	}
	j := k + 1
	for j < len(line) && line[j] != ' ' && j-i < len("OPEN-INBOUND") {
		j++
	}
	_, ok := w3cVerdict(line[i:j])
	return ok && (j == len(line) || line[j] == ' ')
}

// w3cVerdict maps a record's verdict word to its Action. INFO-EVENTS-LOST
// is no record's, nor is anything else.
func w3cVerdict(w []byte) (Action, bool) {
	switch string(w) {
	case "DROP":
		return ActionBlock, true
	case "ALLOW", "OPEN", "OPEN-INBOUND", "CLOSE":
		return ActionPass, true
	}
	return ActionUnknown, false
}

// The columns of a row that are read: a "#Fields:" name's kind.
const (
	w3cOther uint8 = iota
	w3cDate
	w3cTime
	w3cAction
	w3cProtocol
	w3cSrcIP
	w3cDstIP
	w3cSrcPort
	w3cDstPort
	w3cTCPFlags
	w3cPath
	w3cKinds
)

// w3cKindOf is the kind of the column a "#Fields:" name names.
func w3cKindOf(name []byte) uint8 {
	switch string(name) {
	case "date":
		return w3cDate
	case "time":
		return w3cTime
	case "action":
		return w3cAction
	case "protocol":
		return w3cProtocol
	case "src-ip":
		return w3cSrcIP
	case "dst-ip":
		return w3cDstIP
	case "src-port":
		return w3cSrcPort
	case "dst-port":
		return w3cDstPort
	case "tcpflags":
		return w3cTCPFlags
	case "path":
		return w3cPath
	}
	return w3cOther
}

// w3cDefault is the layout of rows without a "#Fields:" line before
// them, the one Windows writes.
var w3cDefault = layoutOf([]byte("date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid"), w3cKindOf)

// w3cState is windows-firewall's part of InputState: the columns of the
// last "#Fields:" line, when they differ from w3cDefault.
type w3cState struct {
	cols columns
}

// windowsFirewall is the parser of windows-firewall's row.
func (p *Parser) windowsFirewall(msg []byte, r *Record) result {
	if len(msg) > 0 && msg[0] == '#' {
		p.w3cHeader(msg)
		return notMine
	}
	if p.State != nil && p.State.w3c.cols.n > 0 {
		return p.w3cRow(msg, &p.State.w3c.cols, r)
	}
	return p.w3cDefaultRow(msg, r)
}

// w3cTCPFlagLetters reads the tcpflags column: a letter for each flag
// set, "A" ACK, "F" FIN, "P" PSH, "R" RST, "S" SYN, "U" URG, as
// Microsoft documents them.
func w3cTCPFlagLetters(b []byte) (TCPFlags, bool) {
	var f TCPFlags
	for _, c := range b {
		switch c {
		case 'A':
			f |= TCPAck
		case 'F':
			f |= TCPFin
		case 'P':
			f |= TCPPsh
		case 'R':
			f |= TCPRst
		case 'S':
			f |= TCPSyn
		case 'U':
			f |= TCPUrg
		default:
			return 0, false
		}
	}
	return f, true
}

// w3cHeader learns the columns of a "#Fields:" line. Other header lines
// ("#Version:", "#Software:", "#Time Format:") say nothing rows need.
func (p *Parser) w3cHeader(msg []byte) {
	names, ok := bytes.CutPrefix(msg, []byte("#Fields:"))
	if !ok {
		return
	}
	st := p.inputState()
	if st == nil {
		return
	}
	c := layoutOf(names, w3cKindOf)
	if c.sameStart(&w3cDefault) {
		// The default's columns, or the first of them: rows read the
		// same either way, and need not wait for this line.
		c = columns{}
	}
	st.w3c.cols = c
}

// w3cRow reads a row in the layout cols.
func (p *Parser) w3cRow(row []byte, cols *columns, r *Record) result {
	var at [w3cKinds][2]int32
	cols.find(row, at[:])
	field := func(k uint8) []byte { return columnAt(row, at[k]) }
	// Mine when the verdict is, and so are the date and time where the
	// layout has them.
	action, ok := w3cVerdict(field(w3cAction))
	if !ok {
		return notMine
	}
	var year, mon, day, h, m, s int
	date, clk := field(w3cDate), field(w3cTime)
	if date != nil {
		var j int
		if year, mon, day, j, ok = isoDate(date, 0); !ok || j != len(date) || mon < 1 || mon > 12 || day < 1 || day > 31 {
			return notMine
		}
	}
	if clk != nil {
		var j int
		if h, m, s, _, j, ok = clock(clk, 0); !ok || j != len(clk) {
			return notMine
		}
	}

	proto := field(w3cProtocol)
	if proto == nil {
		return brokenAt(&p.err, len(row), "row ends before its protocol")
	}
	if r.Proto, ok = w3cProto(proto); !ok {
		return brokenAt(&p.err, int(at[w3cProtocol][0])-1, "unknown protocol")
	}
	r.HasProto = true
	r.Action = action
	if a := field(w3cSrcIP); a != nil && string(a) != "-" {
		if r.Src, ok = parseAddr(a); !ok {
			return brokenAt(&p.err, int(at[w3cSrcIP][0])-1, "bad source address")
		}
	}
	if a := field(w3cDstIP); a != nil && string(a) != "-" {
		if r.Dst, ok = parseAddr(a); !ok {
			return brokenAt(&p.err, int(at[w3cDstIP][0])-1, "bad destination address")
		}
	}
	if r.Proto.HasPorts() {
		if d := field(w3cDstPort); d != nil && string(d) != "-" {
			if r.DstPort, ok = parsePort(d); !ok {
				return brokenAt(&p.err, int(at[w3cDstPort][0])-1, "bad destination port")
			}
			r.HasPorts = true
			if sp := field(w3cSrcPort); sp != nil && string(sp) != "-" {
				if r.SrcPort, ok = parsePort(sp); !ok {
					return brokenAt(&p.err, int(at[w3cSrcPort][0])-1, "bad source port")
				}
			}
		}
	}
	if r.Proto == ProtoTCP && !p.NoTCPFlags {
		if f := field(w3cTCPFlags); f != nil && string(f) != "-" {
			if r.TCPFlags, ok = w3cTCPFlagLetters(f); !ok {
				return brokenAt(&p.err, int(at[w3cTCPFlags][0])-1, "bad tcp flags")
			}
			r.HasTCPFlags = true
		}
	}
	switch string(field(w3cPath)) {
	case "SEND":
		r.Direction = DirOut
	case "RECEIVE":
		r.Direction = DirIn
	}
	if !p.NoTime && date != nil {
		r.Time = p.date(year, time.Month(mon), day, h, m, s, 0, p.loc())
	}
	return parsed
}

// w3cDefaultRow is w3cRow for the default layout, what nearly every row
// is read by: it reads the columns one after the other, each value as it
// is found (a dotted quad, a port) rather than its column first and the
// value after, and skips the columns it does not read.
func (p *Parser) w3cDefaultRow(row []byte, r *Record) result {
	year, mon, day, h, m, s, i, ok := w3cStamp(row)
	if !ok {
		var date, clk []byte
		var j int
		date, i = w3cToken(row, 0)
		clk, i = w3cToken(row, i)
		if year, mon, day, j, ok = isoDate(date, 0); !ok || j != len(date) || mon < 1 || mon > 12 || day < 1 || day > 31 {
			return notMine
		}
		if h, m, s, _, j, ok = clock(clk, 0); !ok || j != len(clk) {
			return notMine
		}
	}
	action, i, ok := w3cVerdictColumn(row, i)
	if !ok {
		return notMine
	}
	at := i
	proto, i := w3cToken(row, i)
	if proto == nil {
		return brokenAt(&p.err, len(row), "row ends before its protocol")
	}
	if r.Proto, ok = w3cProto(proto); !ok {
		return brokenAt(&p.err, at, "unknown protocol")
	}
	r.HasProto = true
	r.Action = action
	at = i
	if r.Src, i, ok = w3cAddr(row, i); !ok {
		return brokenAt(&p.err, at, "bad source address")
	}
	at = i
	if r.Dst, i, ok = w3cAddr(row, i); !ok {
		return brokenAt(&p.err, at, "bad destination address")
	}
	sportAt := i
	sport, sportOK, i := w3cPort(row, i)
	dportAt := i
	dport, dportOK, i := w3cPort(row, i)
	if r.Proto.HasPorts() && dport != w3cNoPort {
		if !dportOK {
			return brokenAt(&p.err, dportAt, "bad destination port")
		}
		r.DstPort, r.HasPorts = uint16(dport), true
		if sport != w3cNoPort {
			if !sportOK {
				return brokenAt(&p.err, sportAt, "bad source port")
			}
			r.SrcPort = uint16(sport)
		}
	}
	i = w3cSkip(row, i, 1) // size
	flagsAt := i
	flags, i := w3cToken(row, i)
	if r.Proto == ProtoTCP && !p.NoTCPFlags && flags != nil && string(flags) != "-" {
		if r.TCPFlags, ok = w3cTCPFlagLetters(flags); !ok {
			return brokenAt(&p.err, flagsAt, "bad tcp flags")
		}
		r.HasTCPFlags = true
	}
	i = w3cSkip(row, i, 6) // tcpsyn tcpack tcpwin icmptype icmpcode info
	switch path, _ := w3cToken(row, i); string(path) {
	case "SEND":
		r.Direction = DirOut
	case "RECEIVE":
		r.Direction = DirIn
	}
	if !p.NoTime {
		r.Time = p.date(year, time.Month(mon), day, h, m, s, 0, p.loc())
	}
	return parsed
}

// w3cStamp reads the date and time that start a row as Windows writes
// them, "2026-03-02 14:05:11 ", all their digits at once, and returns
// where the next column starts. It reports false for anything else,
// which isoDate and clock are left to judge.
func w3cStamp(row []byte) (year, mon, day, h, m, s, next int, ok bool) {
	if len(row) < 20 || row[4] != '-' || row[7] != '-' || row[10] != ' ' || row[13] != ':' || row[16] != ':' || row[19] != ' ' {
		return 0, 0, 0, 0, 0, 0, 0, false
	}
	b := row[:19]
	y0, y1, y2, y3 := b[0]-'0', b[1]-'0', b[2]-'0', b[3]-'0'
	m0, m1, d0, d1 := b[5]-'0', b[6]-'0', b[8]-'0', b[9]-'0'
	h0, h1, n0, n1, s0, s1 := b[11]-'0', b[12]-'0', b[14]-'0', b[15]-'0', b[17]-'0', b[18]-'0'
	if notDigit(y0)|notDigit(y1)|notDigit(y2)|notDigit(y3)|notDigit(m0)|notDigit(m1)|notDigit(d0)|notDigit(d1)|
		notDigit(h0)|notDigit(h1)|notDigit(n0)|notDigit(n1)|notDigit(s0)|notDigit(s1) != 0 {
		return 0, 0, 0, 0, 0, 0, 0, false
	}
	year = int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3)
	mon, day = int(m0)*10+int(m1), int(d0)*10+int(d1)
	h, m, s = int(h0)*10+int(h1), int(n0)*10+int(n1), int(s0)*10+int(s1)
	ok = mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && h <= 23 && m <= 59 && s <= 60
	return year, mon, day, h, m, s, 20, ok
}

// w3cVerdictColumn reads the verdict column at row[i], and returns where
// the next column starts: w3cVerdict without looking for the column's
// end first.
func w3cVerdictColumn(row []byte, i int) (Action, int, bool) {
	if i >= len(row) {
		return ActionUnknown, i, false
	}
	w := row[i:min(i+len("OPEN-INBOUND "), len(row))]
	n := 0
	switch {
	case startsWith(w, "DROP"):
		n = len("DROP")
	case startsWith(w, "ALLOW"):
		n = len("ALLOW")
	case startsWith(w, "OPEN-INBOUND"):
		n = len("OPEN-INBOUND")
	case startsWith(w, "OPEN"):
		n = len("OPEN")
	case startsWith(w, "CLOSE"):
		n = len("CLOSE")
	default:
		return ActionUnknown, i, false
	}
	if n < len(w) && w[n] != ' ' {
		return ActionUnknown, i, false
	}
	a, _ := w3cVerdict(w[:n])
	return a, i + n + 1, true
}

// w3cNoPort is w3cPort's answer for "-" or a row that ends before the
// port.
const w3cNoPort = -1

// w3cPort reads a port column at row[i]: its value (w3cNoPort for none)
// and whether it is a port, and where the next column starts.
func w3cPort(row []byte, i int) (port int, ok bool, next int) {
	v, j := 0, i
	for ; j < len(row) && isDigit(row[j]) && j-i < 6; j++ {
		v = v*10 + int(row[j]-'0')
	}
	if j > i && (j == len(row) || row[j] == ' ') {
		return v, j-i <= 5 && v <= 65535, j + 1
	}
	tok, next := w3cToken(row, i)
	if tok == nil || string(tok) == "-" {
		return w3cNoPort, true, next
	}
	return 0, false, next
}

// w3cProto reads a protocol column: a name, or a number for a
// protocol without one.
func w3cProto(b []byte) (Protocol, bool) {
	switch string(b) {
	case "TCP":
		return ProtoTCP, true
	case "UDP":
		return ProtoUDP, true
	}
	if v, ok := decimal(b, 3); ok && v <= 255 {
		return Protocol(v), true
	}
	return LookupProtocol(b)
}

// w3cAddr reads an address column at row[i], and returns where the next
// column starts: no address for "-" or a row that ends before it.
func w3cAddr(row []byte, i int) (netip.Addr, int, bool) {
	var a [4]byte
	if end, ok := dottedQuadPrefix(row, i, &a); ok && (end == len(row) || row[end] == ' ') {
		return netip.AddrFrom4(a), end + 1, true
	}
	tok, next := w3cToken(row, i)
	if tok == nil || string(tok) == "-" {
		return netip.Addr{}, next, true
	}
	addr, ok := parseAddr(tok)
	return addr, next, ok
}

// w3cToken returns the column of row that starts at i, nil when the row
// ends before it, and where the next one starts.
func w3cToken(row []byte, i int) ([]byte, int) {
	if i >= len(row) {
		return nil, i
	}
	j := i
	for j < len(row) && row[j] != ' ' {
		j++
	}
	return row[i:j], j + 1
}

// w3cSkip returns where the column n columns after the one at row[i]
// starts: after the n-th blank from i, or past the row's end. The blanks
// are counted eight bytes at a time.
func w3cSkip(row []byte, i, n int) int {
	const low7 = ^uint64(msbs)
	for ; i < len(row); i += 8 {
		// The high bit of each blank's byte: exactly those, unlike
		// zeroBytes, which may mark bytes above the first. Bytes past
		// the row load as zeros, which are not blanks.
		x := load8(row, i) ^ (lsbs * ' ')
		blanks := ^((x&low7 + low7) | x | low7)
		if k := bits.OnesCount64(blanks); k < n {
			n -= k
			continue
		}
		for ; n > 1; n-- {
			blanks &= blanks - 1
		}
		return i + bits.TrailingZeros64(blanks)/8 + 1
	}
	return len(row) + 1
}
