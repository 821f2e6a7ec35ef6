package parsers

import (
	"bytes"
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

	// NoEnvelope lets Parse take a netfilter record straight from its
	// key=value body when the body's IN= holds the first '=' of the line,
	// as it does under the RFC 3164, ISO 8601, dmesg and ulogd envelopes,
	// without reading the timestamp, host, tag and log prefix before it.
	// Such a record has no Host, Label or Message, no Time and no Action,
	// whatever NoTime and NoAction say; every other field, and every
	// other line, is read as without it. It is for callers that want only
	// the packet, such as a text annotator.
	NoEnvelope bool

	// Now anchors year inference for RFC 3164 timestamps, which have no
	// year: a date is placed in Now's year, or the year before when that
	// would put it more than a day in the future. Zero means the wall
	// clock at the first line that needs it.
	Now time.Time

	err       SyntaxError
	nowCache  time.Time // wall clock for year inference when Now is zero
	lastCivil civil     // the memo of Parser.date
	lastDate  time.Time
	scratch   []byte // decoded journald MESSAGE with escapes
	tags      tagMemo
	verdicts  verdictMemo
}

// Parse recognises one line (without its newline; a trailing CR is
// tolerated) and fills r. It returns nil when r holds a record,
// ErrNotRecord when the line is not a firewall record, or a
// *SyntaxError when it looks like one but is malformed; r is then
// partially filled and must not be used.
//
// The returned *SyntaxError belongs to p and is overwritten by the next
// call. r's byte slices alias line. Parse does not allocate.
func (p *Parser) Parse(line []byte, r *Record) error {
	r.Reset()
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	eq := p.firstEquals(line)
	if !p.mayHoldRecord(line, eq) {
		return ErrNotRecord
	}
	if p.NoEnvelope && eq >= 0 {
		if done, err := p.bareNetfilter(line, eq, r); done {
			return err
		}
	}
	return p.parseLine(line, r)
}

// firstEquals returns where the first '=' of line is, or -1 when it has
// none or p does not look for netfilter records. Objects (journald) are
// not searched: their message may hold escapes.
func (p *Parser) firstEquals(line []byte) int {
	if (p.Format != FormatUnknown && p.Format != FormatNetfilter) || (len(line) > 0 && line[0] == '{') {
		return -1
	}
	return bytes.IndexByte(line, '=')
}

// bareNetfilter is the NoEnvelope shortcut for a line whose first '=' is
// at eq. It reports done false when the line must be read in full.
//
// Its result is the one parseLine would reach because no envelope it
// strips holds a '=' or ends inside a token, except RFC 5424's, whose
// fields and structured data may hold any: so parseLine's message starts
// at or before the IN=, holds no '=' before it, and netfilterBody finds
// the same body there. The syslog tag can put the pf or filterlog parser
// first, so the shortcut is only taken on lines neither of them could
// read.
func (p *Parser) bareNetfilter(line []byte, eq int, r *Record) (done bool, err error) {
	in := eq - len("IN")
	if in < 0 || line[in] != 'I' || line[in+1] != 'N' || !nfBodyInAt(line, in) || isRFC5424(line) {
		return false, nil
	}
	if p.Format == FormatUnknown && (mayHoldFilterlogFields(line) || mayHoldPFLabel(line)) {
		return false, nil
	}
	switch scanNetfilter(line, in, false, r, &p.err) {
	case parsed:
		r.Format = FormatNetfilter
		return true, nil
	case broken:
		p.err.Format = FormatNetfilter
		return true, &p.err
	}
	// scanBody turns away a body without SRC=, DST= and PROTO=; so would
	// parseLine's netfilter scan, and the other formats cannot read it.
	return true, ErrNotRecord
}

// isRFC5424 reports whether line starts with an RFC 5424 "<PRI>1 ".
func isRFC5424(line []byte) bool {
	j := skipPRI(line)
	return j > 0 && rfc5424VersionAt(line, j)
}

// parseLine is Parse without the quick look of mayHoldRecord, for a line
// without its CR and a reset r.
func (p *Parser) parseLine(line []byte, r *Record) error {
	msg, msgStart, tag := p.envelope(line, r)
	r.Message = msg

	// The syslog tag names the program for filterlog and pf, so try that
	// parser first: it saves a netfilter scan of every CSV line.
	order := [3]Format{FormatNetfilter, FormatFilterlog, FormatPF}
	switch {
	case isTag(tag, "filterlog"):
		order = [3]Format{FormatFilterlog, FormatNetfilter, FormatPF}
	case isTag(tag, "pf"), isTag(tag, "pflogd"), isTag(tag, "pflog"):
		order = [3]Format{FormatPF, FormatNetfilter, FormatFilterlog}
	}
	for _, f := range order {
		if p.Format != FormatUnknown && p.Format != f {
			continue
		}
		var res result
		switch f {
		case FormatNetfilter:
			res = parseNetfilter(msg, r, &p.err)
		case FormatFilterlog:
			res = parseFilterlog(msg, r, &p.err)
		case FormatPF:
			res = parsePF(msg, r, &p.err)
		}
		switch res {
		case parsed:
			r.Format = f
			if f == FormatNetfilter && !p.NoAction {
				r.Action = p.verdicts.action(r.Label)
			}
			return nil
		case broken:
			p.err.Format = f
			p.err.Offset += msgStart
			return &p.err
		}
	}
	return ErrNotRecord
}

// mayHoldRecord is a quick look at a whole line for what every record of
// the formats p detects must contain, so that most other lines are turned
// away in a few SIMD searches instead of an envelope and three parsers.
// A message is a part of its line except in a journald object, where it
// may be unescaped, so objects are always let through. The tests are
// ordered so that a netfilter line, the most common, passes at once, and
// a filterlog line after two searches. eq is firstEquals(line).
func (p *Parser) mayHoldRecord(line []byte, eq int) bool {
	if len(line) > 0 && line[0] == '{' {
		return true
	}
	f := p.Format
	// netfilter: scanBody and scan both need a PROTO= token.
	if eq >= 0 {
		return true
	}
	return (f == FormatUnknown || f == FormatFilterlog) && mayHoldFilterlogFields(line) ||
		(f == FormatUnknown || f == FormatPF) && mayHoldPFLabel(line)
}

// mayHoldPFLabel reports whether line has a '(' right after "rule " and
// a run of bytes other than blanks and '(': pfRuleLabel reads the label
// from the byte after "rule " to the first blank or '(', and wants '('.
func mayHoldPFLabel(line []byte) bool {
	for i := 0; ; {
		k := bytes.IndexByte(line[i:], '(')
		if k < 0 {
			return false
		}
		open := i + k
		j := open
		for j > 0 && line[j-1] != ' ' && line[j-1] != '(' {
			j--
		}
		if j < open && j >= len("rule ") && string(line[j-len("rule "):j]) == "rule " {
			return true
		}
		i = open + 1
	}
}

// mayHoldFilterlogFields reports whether line has the eight commas
// between the nine fields parseFilterlog reads before it accepts a line.
// Counting them is one SIMD pass; few other lines have as many.
func mayHoldFilterlogFields(line []byte) bool {
	return bytes.Count(line, comma) >= 8
}

var comma = []byte{','}

// isTag reports whether a syslog tag (program name, possibly with "[pid]")
// is name.
func isTag(tag []byte, name string) bool {
	if len(tag) < len(name) || string(tag[:len(name)]) != name {
		return false
	}
	return len(tag) == len(name) || tag[len(name)] == '['
}
