package parsers

import (
	"errors"
	"strconv"
	"time"
)

// ErrNotRecord is returned for a line that is not a firewall record: an
// sshd message, a blank line, binary junk. Such lines pass through a
// filter untouched.
var ErrNotRecord = errors.New("not a firewall record")

// SyntaxError describes a line that has the shape of a firewall record
// (a netfilter key=value run, a pf "rule N/..." header, a filterlog CSV)
// but could not be parsed. It is counted and explained, never fatal.
type SyntaxError struct {
	Format Format // the family the line looked like
	Offset int    // byte offset in the line where parsing gave up
	Msg    string // what was wrong, lower case
}

func (e *SyntaxError) Error() string {
	return e.Format.String() + ": at byte " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// result is what a format parser says about a message.
type result uint8

const (
	notMine result = iota // not this format: try the next one
	parsed                // r holds a record
	broken                // this format, but malformed: e says why
)

// Parser recognises firewall records in log lines, whatever the format
// and syslog envelope. The zero value detects every format, reads
// timestamps without a zone as UTC and infers RFC 3164 years from the
// wall clock.
//
// A Parser is not safe for concurrent use: it holds the SyntaxError it
// returns. Use one per goroutine; they are cheap.
type Parser struct {
	// Format, when set, restricts detection to that one family.
	Format Format

	// Location is the time zone of envelope timestamps that carry none
	// (RFC 3164, dmesg -T, journalctl short). Nil means UTC.
	Location *time.Location

	// NoTime leaves Record.Time zero: envelopes are still recognised and
	// stripped, but their timestamps are not converted, which is a good
	// part of the cost of a line for callers that never look at the time.
	NoTime bool

	// NoAction leaves Record.Action unknown on netfilter records. Their
	// verdict is not a field but words to find in the free-text log
	// prefix ("UFW BLOCK", "Shorewall:net2fw:DROP:"), a search callers
	// that never look at the action can skip. pf and filterlog records
	// carry it in a field and always have it.
	NoAction bool

	// NoTCPFlags leaves Record.TCPFlags unknown: they follow the ports
	// (netfilter's words before URGP=, pf's letters, filterlog's field
	// after the data length), further than callers that never look at
	// them need to read.
	NoTCPFlags bool

	// NoEnvelope lets Parse take a netfilter record straight from its
	// key=value body when the body's IN= holds the first '=' of the line,
	// as it does under the RFC 3164, ISO 8601, dmesg and ulogd envelopes,
	// without reading the timestamp, host, tag and log prefix before it.
	// Such a record has no Host, Label or Message, no Time and no Action,
	// whatever NoTime and NoAction say. The appliance families (FortiGate,
	// PAN-OS, SonicWall, Sophos), whose records name much besides the
	// packet, stop reading once they have the addresses, ports and
	// protocol: their records have no Action, Label, RuleID, interfaces,
	// Session, counters or NAT. Every other field, and every other line,
	// is read as without it. It is for callers that want only the packet,
	// such as a text annotator.
	NoEnvelope bool

	// Now anchors year inference for RFC 3164 timestamps, which have no
	// year: a date is placed in Now's year, or the year before when that
	// would put it more than a day in the future. Zero means the wall
	// clock at the first line that needs it.
	Now time.Time

	// State, when set, is the state of the input whose lines the Parser
	// reads: what header lines say about the rows after them (see
	// InputState). Parse then learns from each line and reads records
	// by what it learnt, so the input's lines must come in their order.
	// Nil reads every line on its own: records in their family's default
	// layout, header lines learnt from by nothing (but marked Stateful).
	State *InputState

	err       SyntaxError
	stateful  bool      // the line read or changed the input's state
	tag       []byte    // the syslog tag of the line being parsed, for the parsers
	nowCache  time.Time // wall clock for year inference when Now is zero
	lastCivil civil     // the memo of Parser.date
	lastDate  time.Time
	scratch   []byte // decoded journald MESSAGE with escapes
	tags      tagMemo
	verdicts  verdictMemo
	shape     lineShape // of the line being parsed
}

// Parse recognises one line (without its newline; a trailing CR is
// tolerated) and fills r. It returns nil when r holds a record,
// ErrNotRecord when the line is not a firewall record, or a
// *SyntaxError when it looks like one but is malformed; r is then
// partially filled and must not be used.
//
// The returned *SyntaxError belongs to p and is overwritten by the next
// call. r's byte slices alias line. Parse does not allocate. With a
// State, it learns from the line (see Stateful).
func (p *Parser) Parse(line []byte, r *Record) error {
	if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
		return p.parseIndented(line, r)
	}
	r.Reset()
	p.stateful = false
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	// The shape lives in p: handed to the pre-checks through function
	// values, a local one would escape to the heap.
	s := &p.shape
	s.reset(line)
	if (p.Format == FormatUnknown || p.Format == FormatNetfilter) && len(line) > 0 && line[0] != '{' {
		// Most lines are netfilter records, which netfilter's pre-check
		// knows by their first '=': it is asked first, and under
		// NoEnvelope bareNetfilter may take the record at once.
		eq := s.firstEquals()
		if nfEqualsOfIN(line, eq) {
			s.pre[netfilterRow] = preYes // netfilter's pre-check, answered
		}
		if p.NoEnvelope {
			if done, err := p.bareNetfilter(s, eq, r); done {
				return err
			}
		}
	}
	if !p.mayHoldRecord(s) {
		return ErrNotRecord
	}
	return p.parseLine(line, s, r)
}

// parseIndented is Parse for a line that starts with blanks, as pasted
// lines often do: no envelope starts so, and the line is read without
// them.
func (p *Parser) parseIndented(line []byte, r *Record) error {
	k := 0
	for k < len(line) && (line[k] == ' ' || line[k] == '\t') {
		k++
	}
	err := p.Parse(line[k:], r)
	if err == error(&p.err) {
		p.err.Offset += k
	}
	return err
}

// bareNetfilter is the NoEnvelope shortcut for a line that is not a
// JSON object and whose first '=' is at eq. It reports done false when
// the line must be read in full.
//
// Its result is the one parseLine would reach when the first '=' of the
// line is that of an IN= starting a netfilter body, because no envelope
// it strips holds a '=' or ends inside a token, except RFC 5424's, whose
// fields and structured data may hold any: so parseLine's message starts
// at or before the IN=, holds no '=' before it, and netfilterBody finds
// the same body there. Netfilter's answer stands unless another row
// could come first (preempted). A body netfilter turns away may still be
// another family's record: parseLine reads it.
func (p *Parser) bareNetfilter(s *lineShape, eq int, r *Record) (done bool, err error) {
	line := s.b
	in := eq - len("IN")
	if in < 0 || line[in] != 'I' || line[in+1] != 'N' || !nfBodyInAt(line, in) || isRFC5424(line) {
		return false, nil
	}
	if p.Format == FormatUnknown && preempted(s, in) {
		return false, nil
	}
	switch scanNetfilter(line, in, false, !p.NoTCPFlags, r, &p.err) {
	case parsed:
		r.Format = FormatNetfilter
		return true, nil
	case broken:
		p.err.Format = FormatNetfilter
		return true, &p.err
	}
	return false, nil
}

// isRFC5424 reports whether line starts with an RFC 5424 "<PRI>1 ".
func isRFC5424(line []byte) bool {
	j := skipPRI(line)
	return j > 0 && rfc5424VersionAt(line, j)
}

// parseLine is Parse past the quick look of mayHoldRecord, for a line
// without its CR, its shape s and a reset r.
func (p *Parser) parseLine(line []byte, s *lineShape, r *Record) error {
	// A row that a line may hold alone is read whole first when it is
	// the first whose pre-check passes: no row before it can take the
	// line, and an envelope would take the row's date for its own.
	whole := -1
	if k := int(s.firstYes) - 1; k >= 0 && families[k].whole && line[0] != '{' {
		whole = k
		switch families[k].parse(p, line, r) {
		case parsed:
			r.Format = families[k].format
			r.Message = line
			return nil
		case broken:
			p.err.Format = families[k].format
			return &p.err
		}
	}
	msg, msgStart, tag := p.envelope(line, r)
	r.Message = msg
	p.tag = tag
	if len(line) > 0 && line[0] == '{' {
		// The message of an object may be unescaped: the pre-checks
		// look at it, not at the line.
		s.reset(msg)
	}
	// The row the syslog tag or a marker names goes first: it saves the
	// others' work on its lines, and settles lines two families read.
	lead := leaderOf(tag, msg)
	for k := -1; k < len(families); k++ {
		i := k
		if k < 0 {
			i = lead
		} else if k == lead {
			continue
		}
		if i < 0 || p.Format != FormatUnknown && p.Format != families[i].format || i == whole && msgStart == 0 || !s.may(i) {
			continue // (a whole row has read this very message)
		}
		switch families[i].parse(p, msg, r) {
		case parsed:
			r.Format = families[i].format
			return nil
		case broken:
			p.err.Format = families[i].format
			p.err.Offset += msgStart
			return &p.err
		}
	}
	return ErrNotRecord
}

// mayHoldRecord is a quick look at a whole line through the pre-checks
// of the families p detects, so that most other lines are turned away
// in a few SIMD searches instead of an envelope and every parser. A
// message is a part of its line except in a JSON object, where it may
// be unescaped, so objects are always let through. Netfilter's row comes
// first, so that its records, the most common, pass at once.
func (p *Parser) mayHoldRecord(s *lineShape) bool {
	if len(s.b) > 0 && s.b[0] == '{' {
		return true
	}
	if p.Format != FormatUnknown {
		if p.Format < FormatCount && rowOf[p.Format] >= 0 && s.may(rowOf[p.Format]) {
			s.firstYes = int8(rowOf[p.Format]) + 1
			return true
		}
		return false
	}
	for i := range families {
		if s.may(i) {
			s.firstYes = int8(i) + 1
			return true
		}
	}
	return false
}

// isTag reports whether a syslog tag (program name, possibly with "[pid]")
// is name.
func isTag(tag []byte, name string) bool {
	if len(tag) < len(name) || string(tag[:len(name)]) != name {
		return false
	}
	return len(tag) == len(name) || tag[len(name)] == '['
}
