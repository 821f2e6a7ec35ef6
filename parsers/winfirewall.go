package parsers

import (
	"bytes"
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
		if _, ok := w3cVerdictAround(line, k); ok {
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

// w3cVerdictAround returns the verdict of the word of line around line[k]
// if it is a record's verdict word standing between blanks.
func w3cVerdictAround(line []byte, k int) (Action, bool) {
	i := k
	for i > 0 && w3cVerdictByte(line[i-1]) {
		i--
	}
	j := k + 1
	for j < len(line) && w3cVerdictByte(line[j]) {
		j++
	}
	if i > 0 && line[i-1] != ' ' || j < len(line) && line[j] != ' ' {
		return ActionUnknown, false
	}
	return w3cVerdict(line[i:j])
}

func w3cVerdictByte(c byte) bool { return 'A' <= c && c <= 'Z' || c == '-' }

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
	case "path":
		return w3cPath
	}
	return w3cOther
}

// w3cDefault is the layout of rows without a "#Fields:" line before
// them, the one Windows writes.
var w3cDefault = func() (c columns) {
	for _, name := range bytes.Fields([]byte("date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path pid")) {
		c.kind[c.n] = w3cKindOf(name)
		c.n++
	}
	return c
}()

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
	cols := &w3cDefault
	if p.State != nil && p.State.w3c.cols.n > 0 {
		cols = &p.State.w3c.cols
	}
	// A row on a line of its own starts with a date and time that the
	// envelope takes for a syslog timestamp, and its verdict and
	// protocol for a host and a message: the row is the whole line.
	if line := p.shape.b; len(line) > len(msg) && isDigit(line[0]) {
		if res := p.w3cRow(line, cols, r); res != notMine {
			if res == broken {
				p.err.Offset -= len(line) - len(msg) // the dispatcher counts from msg
			}
			r.Host, r.Message = nil, line
			return res
		}
	}
	return p.w3cRow(msg, cols, r)
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
	var c columns
	same := true
	for i := 0; i < len(names) && c.n < maxColumns; {
		i = skipSpaces(names, i)
		if i == len(names) {
			break
		}
		name, next := token(names, i)
		k := w3cKindOf(name)
		same = same && c.n < w3cDefault.n && k == w3cDefault.kind[c.n]
		c.kind[c.n] = k
		c.n++
		i = next
	}
	if same {
		c = columns{} // the default: rows need not wait for it
	}
	st.w3c.cols = c
}

// w3cRow reads a row in the layout cols.
func (p *Parser) w3cRow(row []byte, cols *columns, r *Record) result {
	// Where each column that is read lies: start and end, +1 (0: not
	// there, the row being shorter than its layout).
	var at [w3cKinds][2]int
	i := 0
	for col := 0; col < int(cols.n) && i < len(row); col++ {
		j := nextBlank(row, i)
		if k := cols.kind[col]; k != w3cOther {
			at[k] = [2]int{i + 1, j + 1}
		}
		i = j + 1
	}
	field := func(k uint8) []byte {
		if at[k][0] == 0 {
			return nil
		}
		return row[at[k][0]-1 : at[k][1]-1]
	}
	// Mine when the verdict is, and so are the date and time where the
	// layout has them.
	action, ok := w3cVerdict(field(w3cAction))
	if !ok {
		return notMine
	}
	var year, mon, day, h, m, s int
	date, clk := field(w3cDate), field(w3cTime)
	if at[w3cDate][0] != 0 {
		var j int
		if year, mon, day, j, ok = isoDate(date, 0); !ok || j != len(date) || mon < 1 || mon > 12 || day < 1 || day > 31 {
			return notMine
		}
	}
	if at[w3cTime][0] != 0 {
		var j int
		if h, m, s, _, j, ok = clock(clk, 0); !ok || j != len(clk) {
			return notMine
		}
	}

	proto := field(w3cProtocol)
	if proto == nil {
		return brokenAt(&p.err, len(row), "row ends before its protocol")
	}
	if v, ok := decimal(proto, 3); ok && v <= 255 {
		r.Proto = Protocol(v)
	} else if pr, ok := LookupProtocol(proto); ok {
		r.Proto = pr
	} else {
		return brokenAt(&p.err, at[w3cProtocol][0]-1, "unknown protocol")
	}
	r.HasProto = true
	r.Action = action
	if a := field(w3cSrcIP); a != nil && string(a) != "-" {
		if r.Src, ok = parseAddr(a); !ok {
			return brokenAt(&p.err, at[w3cSrcIP][0]-1, "bad source address")
		}
	}
	if a := field(w3cDstIP); a != nil && string(a) != "-" {
		if r.Dst, ok = parseAddr(a); !ok {
			return brokenAt(&p.err, at[w3cDstIP][0]-1, "bad destination address")
		}
	}
	if r.Proto.HasPorts() {
		if d := field(w3cDstPort); d != nil && string(d) != "-" {
			if r.DstPort, ok = parsePort(d); !ok {
				return brokenAt(&p.err, at[w3cDstPort][0]-1, "bad destination port")
			}
			r.HasPorts = true
			if sp := field(w3cSrcPort); sp != nil && string(sp) != "-" {
				if r.SrcPort, ok = parsePort(sp); !ok {
					return brokenAt(&p.err, at[w3cSrcPort][0]-1, "bad source port")
				}
			}
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
