package parsers

import (
	"bytes"
	"encoding/binary"
	"time"
)

// envelope strips the wrapping a logger put around a firewall message:
// an RFC 3164 or RFC 5424 syslog header (with or without <PRI>, with or
// without hostname, with or without the "<local0.info>" or "<16.6>"
// priority FreeBSD's syslogd -v and -vv put after the timestamp, or
// only the tag, "kernel: "), an ISO 8601 timestamp (rsyslog high precision,
// journalctl short-iso), a journalctl -o json object, a dmesg uptime or
// dmesg -T stamp, and the "[12345.678901] " uptime the kernel adds after
// "kernel:". It sets r.Host and r.Time when the envelope carries them and
// returns the message, its offset in line, and the syslog tag (program
// name with optional "[pid]") if one was found.
//
// A line without a recognisable envelope is returned whole. The message
// aliases line except for a journald MESSAGE with JSON escapes, which is
// decoded into p's scratch buffer (offset 0).
func (p *Parser) envelope(line []byte, r *Record) (msg []byte, start int, tag []byte) {
	if len(line) > 0 && line[0] == '{' {
		if m, tag, ok := p.journalJSON(line, r); ok {
			return m, 0, tag
		}
		return line, 0, nil
	}
	i := 0
	if len(line) > 0 && line[0] == '<' {
		if j := skipPRI(line); j > 0 {
			i = j
			if rfc5424VersionAt(line, i) {
				return p.rfc5424(line, i+2, r)
			}
		}
	}
	switch {
	case i < len(line) && line[i] == '[':
		// dmesg: "[  123.456789] msg" or dmesg -T "[Tue Jan  2 03:04:05 2024] msg".
		if j, t, ok := p.dmesgStamp(line, i); ok {
			r.Time = t
			return line[j:], j, nil
		}
		return line[i:], i, nil
	case i < len(line) && isDigit(line[i]):
		if t, j, ok := p.parseISO(line, i, p.loc()); ok {
			r.Time = t
			return p.hostAndTag(line, j, r)
		}
	default:
		if t, j, ok := p.parse3164Time(line, i); ok {
			r.Time = t
			return p.hostAndTag(line, j, r)
		}
		// A line that starts with its tag, "filterlog: 5,,,..." or
		// "kernel: [UFW BLOCK] IN=...", as some relays and pastes
		// leave it.
		tok, next := token(line, i)
		if t, ok := tagToken(tok); ok && !isLogPrefix(line, t, next) {
			return p.afterTag(line, next, t)
		}
	}
	return line[i:], i, nil
}

// hostAndTag reads what follows a syslog timestamp: an optional hostname
// (UniFi repeats it), then an optional "tag:" / "tag[pid]:" / "tag[pid]".
// A token of capitals such as "DENY:" or "FINAL_REJECT:" is a netfilter
// log prefix, not a program name, and stays in the message.
func (p *Parser) hostAndTag(line []byte, i int, r *Record) ([]byte, int, []byte) {
	from := i
	set, w0, w1 := p.tags.set(line, from)
	for k := range set {
		m := &set[k]
		if !m.matches(line, from, w0, w1) {
			continue
		}
		next, tag := from+int(m.n), line[from+int(m.tagStart):from+int(m.tagEnd)]
		if !m.recheck || !isLogPrefix(line, tag, next) {
			if m.hostEnd > 0 {
				r.Host = line[from+int(m.hostStart) : from+int(m.hostEnd)]
			}
			return p.afterTag(line, next, tag)
		}
		break // no other slot can hold a reading of these bytes
	}
	i = skipSpaces(line, i)
	if i < len(line) && line[i] == '<' {
		// FreeBSD syslogd -v: the priority comes before the host.
		if j := skipFacilityPriority(line, i); j > 0 {
			i = skipSpaces(line, j)
		}
	}
	tok, next := token(line, i)
	if t, ok := tagToken(tok); ok && !isLogPrefix(line, t, next) {
		set.remember(line, from, next, from, from, i, t) // no host
		return p.afterTag(line, next, t)
	}
	// A hostname never ends in ':' nor holds '=' or starts with '[':
	// such a token already belongs to the message. Nor is it "rule":
	// that is OpenBSD's "tcpdump -ttt -e -r pflog", whose timestamp looks
	// like syslog's and is followed by the pf rule at once.
	if len(tok) == 0 || tok[len(tok)-1] == ':' || bytes.IndexByte(tok, '=') >= 0 || tok[0] == '[' ||
		string(tok) == "rule" {
		return line[i:], i, nil
	}
	r.Host = tok
	host := i
	i = skipSpaces(line, next)
	tok, next = token(line, i)
	if bytes.Equal(tok, r.Host) || isFacilityLevel(tok) {
		// UniFi repeats the host ("UDMP-DTC UDMP-DTC [WAN_LOCAL-D-...]");
		// EdgeOS and others log the priority as "user.info" there.
		i = skipSpaces(line, next)
		tok, next = token(line, i)
	}
	if t, ok := tagToken(tok); ok && !isLogPrefix(line, t, next) {
		set.remember(line, from, next, host, host+len(r.Host), i, t)
		return p.afterTag(line, next, t)
	}
	return line[i:], i, nil
}

// tagMemo remembers how hostAndTag read the host and tag of recent lines.
// A log interleaves a few sources, and each repeats the same bytes
// between its timestamp and its message ("web-01 kernel:"), which are
// cheaper to compare with the last line of that source than to read
// again. hostAndTag's reading of a line whose tag it took depends on
// those bytes, on the blank that ends the tag, and on isLogPrefix, which
// looks past the tag unless the tag holds a pid or is "kernel": a
// reading replayed for such a tag asks isLogPrefix again, and is not
// replayed when the answer is no longer false.
//
// The set of slots for a line is picked by the twelve bytes after the
// timestamp, which are mostly the host and the start of the tag, not the
// message, so that the lines of one source share a set whatever their
// message. A host may log through more than one program (the kernel and
// filterlog, or a daemon whose lines hold a '='), so a set holds two
// readings, the last one kept first.
type tagMemo [32]tagSet

// tagSet is the slots of one set, the most recently filled first.
type tagSet [2]tagSlot

// tagSlot is one remembered reading: seg[:n] are the bytes from where
// hostAndTag started to the end of the tag, and the offsets, relative to
// that start, are those of the host (none when hostEnd is 0) and the tag.
type tagSlot struct {
	seg                                     [48]byte
	n, hostStart, hostEnd, tagStart, tagEnd uint8
	recheck                                 bool // ask isLogPrefix again
}

// set returns the set for a reading that starts at line[i], and the
// sixteen bytes from there (load8 of i and i+8) for matches.
func (t *tagMemo) set(line []byte, i int) (set *tagSet, w0, w1 uint64) {
	w0, w1 = load8(line, i), load8(line, i+8)
	h := (w0 ^ uint64(uint32(w1))*0x9e3779b97f4a7c15) * 0x9e3779b97f4a7c15
	return &t[h>>59], w0, w1
}

// matches reports whether the remembered reading holds for line[i:], whose
// first sixteen bytes are w0 and w1. Those are compared as words, which
// settles most readings without a call to compare bytes.
func (m *tagSlot) matches(line []byte, i int, w0, w1 uint64) bool {
	n := int(m.n)
	if n == 0 || i+n >= len(line) || line[i+n] != ' ' {
		return false
	}
	// The bytes compared are in line: i+n < len(line).
	mask0 := uint64(1)<<(8*min(n, 8)) - 1 // all ones for eight bytes
	mask1 := uint64(1)<<(8*min(max(n-8, 0), 8)) - 1
	if (w0^binary.LittleEndian.Uint64(m.seg[0:]))&mask0 != 0 ||
		(w1^binary.LittleEndian.Uint64(m.seg[8:]))&mask1 != 0 {
		return false
	}
	return n <= 16 || string(line[i+16:i+n]) == string(m.seg[16:n])
}

// remember keeps hostAndTag's reading of line[from:next], which took the
// tag, when a blank ends the tag and the bytes fit, in place of the
// reading kept longest.
func (s *tagSet) remember(line []byte, from, next, hostStart, hostEnd, tagStart int, tag []byte) {
	m := &s[0]
	n := next - from
	if n > len(m.seg) || next >= len(line) || line[next] != ' ' {
		return
	}
	s[1] = s[0]
	m.n = uint8(copy(m.seg[:], line[from:next]))
	m.hostStart, m.hostEnd = uint8(hostStart-from), uint8(hostEnd-from)
	m.tagStart, m.tagEnd = uint8(tagStart-from), uint8(tagStart-from+len(tag))
	m.recheck = bytes.IndexByte(tag, '[') < 0 && string(tag) != "kernel"
}

// isLogPrefix reports whether what looks like a tag is a netfilter log
// prefix on a line that has no program tag ("nas fw-drop: IN=eth0 ..."
// from ulogd or a kernel log without "kernel:"): a tag without [pid]
// followed at once by the packet's first key. Keeping it in the message
// keeps the verdict it names.
func isLogPrefix(line, tag []byte, next int) bool {
	if bytes.IndexByte(tag, '[') >= 0 || string(tag) == "kernel" {
		return false
	}
	rest := line[skipSpaces(line, next):]
	return bytes.HasPrefix(rest, []byte("IN=")) || bytes.HasPrefix(rest, []byte("OUT="))
}

// isFacilityLevel recognises a textual syslog priority such as
// "kern.warning" or "user.info", in the names of syslog.h, FreeBSD's
// among them.
func isFacilityLevel(tok []byte) bool {
	fac, lvl, ok := bytes.Cut(tok, []byte("."))
	if !ok {
		return false
	}
	switch string(fac) {
	case "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
		"authpriv", "ftp", "ntp", "security", "console", "local0", "local1", "local2", "local3",
		"local4", "local5", "local6", "local7":
	default:
		return false
	}
	switch string(lvl) {
	case "emerg", "panic", "alert", "crit", "err", "error", "warn", "warning", "notice", "info", "debug":
		return true
	}
	return false
}

// skipFacilityPriority returns the index after the priority that
// FreeBSD's syslogd -v writes after the timestamp, "<16.6>" (facility
// and level numbers), or with -vv "<local0.info>" (their names), and
// that some relays write as a "<134>" PRI there; 0 when line[i:] does
// not start with one.
func skipFacilityPriority(line []byte, i int) int {
	end := bytes.IndexByte(line[i:min(len(line), i+len("<security.warning>"))], '>')
	if end < 2 {
		return 0
	}
	in := line[i+1 : i+end]
	if fac, lvl, ok := bytes.Cut(in, []byte(".")); ok && isDecimal(fac, 2) && isDecimal(lvl, 1) ||
		!ok && isDecimal(in, 3) || isFacilityLevel(in) {
		return i + end + 1
	}
	return 0
}

// afterTag skips the blank after a tag and the kernel's own uptime stamp.
func (p *Parser) afterTag(line []byte, i int, tag []byte) ([]byte, int, []byte) {
	i = skipSpaces(line, i)
	if i < len(line) && line[i] == '[' {
		if j, ok := skipUptime(line, i); ok {
			i = j
		}
	}
	return line[i:], i, tag
}

// tagToken reports whether tok is a syslog tag and returns it without the
// trailing colon: "kernel:", "filterlog[61076]:", "filterlog[61076]",
// "pf:". The program name must contain a lower-case letter so that
// netfilter prefixes like "DROP:" are not mistaken for one.
func tagToken(tok []byte) ([]byte, bool) {
	n := len(tok)
	if n < 2 {
		return nil, false
	}
	colon := tok[n-1] == ':'
	if colon {
		tok = tok[:n-1]
		n--
	} else if tok[n-1] != ']' {
		return nil, false // neither "tag:" nor "tag[pid]": a hostname, mostly
	}
	// One pass over the name: its bytes, up to a '[' that starts the pid.
	lower := false
	k := 0
	for ; k < n; k++ {
		c := tok[k]
		switch {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z', isDigit(c), c == '-', c == '_', c == '.', c == '/':
		case c == '[' && k > 0:
			if tok[n-1] != ']' || k+2 > n-1 {
				return nil, false
			}
			for _, c := range tok[k+1 : n-1] {
				if !isDigit(c) {
					return nil, false
				}
			}
			return tok, lower
		default:
			return nil, false
		}
	}
	if !colon {
		return nil, false
	}
	return tok, lower
}

// rfc5424 parses "TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]",
// starting after "<PRI>1 ".
func (p *Parser) rfc5424(line []byte, i int, r *Record) ([]byte, int, []byte) {
	// The timestamp and the hostname are long tokens, whose blanks are
	// found eight bytes a step.
	next := nextBlank(line, i)
	if t, j, ok := p.parseISO(line, i, p.loc()); ok && j == next {
		r.Time = t
	} else if string(line[i:next]) != "-" {
		return line[i:], i, nil
	}
	i = skipSpaces(line, next)
	next = nextBlank(line, i)
	host := line[i:next]
	if string(host) != "-" {
		r.Host = host
	}
	i = skipSpaces(line, next)
	app, next := token(line, i)
	if string(app) == "-" {
		app = nil
	}
	i = skipSpaces(line, next)
	_, next = token(line, i) // PROCID
	i = skipSpaces(line, next)
	_, next = token(line, i) // MSGID
	i = skipSpaces(line, next)
	i = skipStructuredData(line, i)
	if i < len(line) && line[i] == ' ' {
		i++
	}
	if bytes.HasPrefix(line[i:], []byte("\xef\xbb\xbf")) {
		i += 3
	}
	return line[i:], i, app
}

// skipStructuredData skips "-" or one or more "[id k="v" ...]" elements,
// honouring the \] and \" escapes RFC 5424 allows in values.
func skipStructuredData(line []byte, i int) int {
	if i < len(line) && line[i] == '-' {
		return i + 1
	}
	for i < len(line) && line[i] == '[' {
		inQuote := false
		i++
		for ; i < len(line); i++ {
			c := line[i]
			if inQuote {
				if c == '\\' {
					i++
				} else if c == '"' {
					inQuote = false
				}
				continue
			}
			if c == '"' {
				inQuote = true
			} else if c == ']' {
				i++
				break
			}
		}
	}
	// An escape at the very end of a cut line steps past it.
	return min(i, len(line))
}

// rfc5424VersionAt reports whether RFC 5424's version, "1 ", is at
// line[i], after a "<PRI>".
func rfc5424VersionAt(line []byte, i int) bool {
	return len(line) > i+1 && line[i] == '1' && line[i+1] == ' '
}

// skipPRI returns the index after a "<N>" priority (N up to 191), or 0.
func skipPRI(line []byte) int {
	v := 0
	for i := 1; i < len(line) && i <= 4; i++ {
		c := line[i]
		if c == '>' {
			if i == 1 || v > 191 {
				return 0
			}
			return i + 1
		}
		if !isDigit(c) {
			return 0
		}
		v = v*10 + int(c-'0')
	}
	return 0
}

// skipUptime skips a kernel "[ 12345.678901] " stamp starting at line[i].
func skipUptime(line []byte, i int) (int, bool) {
	j := i + 1
	for j < len(line) && line[j] == ' ' {
		j++
	}
	digits, dot := 0, false
	for ; j < len(line); j++ {
		c := line[j]
		switch {
		case isDigit(c):
			digits++
			continue
		case c == '.' && !dot:
			dot = true
			continue
		case c == ']' && digits > 0 && dot:
			return skipSpaces(line, j+1), true
		}
		return i, false
	}
	return i, false
}

// dmesgStamp parses the stamp at the start of a dmesg line: the uptime
// "[  123.456789]" (no wall time) or dmesg -T's "[Tue Jan  2 03:04:05 2024]".
func (p *Parser) dmesgStamp(line []byte, i int) (int, time.Time, bool) {
	if j, ok := skipUptime(line, i); ok {
		return j, time.Time{}, true
	}
	// "[Www Mmm dd hh:mm:ss yyyy] "
	j := i + 1
	if len(line) < j+4 || line[j+3] != ' ' {
		return i, time.Time{}, false
	}
	j += 4
	mon, ok := monthAt(line, j)
	if !ok {
		return i, time.Time{}, false
	}
	j += 4
	day, j, ok := paddedNumber(line, j)
	if !ok || j >= len(line) || line[j] != ' ' {
		return i, time.Time{}, false
	}
	h, m, s, ns, j, ok := clock(line, j+1)
	if !ok || j >= len(line) || line[j] != ' ' {
		return i, time.Time{}, false
	}
	year, j, ok := number(line, j+1, 4)
	if !ok || j >= len(line) || line[j] != ']' {
		return i, time.Time{}, false
	}
	t := p.date(year, mon, day, h, m, s, ns, p.loc())
	return skipSpaces(line, j+1), t, true
}

// parse3164Time parses "Mmm dd hh:mm:ss[.frac]" (day space- or
// zero-padded, journalctl short-precise fractions) and infers the year.
// It also reads the stamp Cisco devices write with "logging timestamp",
// "Mmm dd yyyy hh:mm:ss", whose year is given, and the ':' that ends it
// when no device id follows.
func (p *Parser) parse3164Time(line []byte, i int) (time.Time, int, bool) {
	mon, ok := monthAt(line, i)
	if !ok {
		return time.Time{}, i, false
	}
	day, j, ok := paddedNumber(line, i+4)
	if !ok || day < 1 || day > 31 || j >= len(line) || line[j] != ' ' {
		return time.Time{}, i, false
	}
	year := 0
	if y, k, ok := number(line, j+1, 4); ok && k-j == 5 && k < len(line) && line[k] == ' ' {
		year, j = y, k
	}
	h, m, s, ns, j, ok := clock(line, j+1)
	if ok && year != 0 && j < len(line) && line[j] == ':' {
		j++
	}
	if !ok || (j < len(line) && line[j] != ' ') {
		return time.Time{}, i, false
	}
	if p.NoTime {
		return time.Time{}, j, true
	}
	loc := p.loc()
	if year != 0 {
		return p.date(year, mon, day, h, m, s, ns, loc), j, true
	}
	now := p.now()
	t := p.date(now.Year(), mon, day, h, m, s, ns, loc)
	if t.Sub(now) > 24*time.Hour {
		// Maybe the year turned since p.now was read: look again.
		p.nowCache = time.Time{}
		now = p.now()
		t = p.date(now.Year(), mon, day, h, m, s, ns, loc)
		if t.Sub(now) > 24*time.Hour {
			t = p.date(now.Year()-1, mon, day, h, m, s, ns, loc)
		}
	}
	return t, j, true
}

// civil is a calendar time to the second, in a location.
type civil struct {
	year                int
	month               time.Month
	day, hour, min, sec int
	loc                 *time.Location
}

// date is time.Date, remembering its last answer: consecutive log lines
// mostly share their second, and time.Date is the dearest step of reading
// an envelope. The fraction is added afterwards so that it does not
// defeat the memo.
func (p *Parser) date(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) time.Time {
	if p.NoTime {
		return time.Time{}
	}
	c := civil{year, month, day, hour, min, sec, loc}
	if c != p.lastCivil || p.lastDate.IsZero() {
		p.lastCivil, p.lastDate = c, time.Date(year, month, day, hour, min, sec, 0, loc)
	}
	return p.lastDate.Add(time.Duration(nsec))
}

func (p *Parser) loc() *time.Location {
	if p.Location != nil {
		return p.Location
	}
	return time.UTC
}

func (p *Parser) now() time.Time {
	if !p.Now.IsZero() {
		return p.Now
	}
	if p.nowCache.IsZero() {
		p.nowCache = time.Now()
	}
	return p.nowCache
}

// parseISO parses an RFC 3339 / ISO 8601 timestamp at line[i]:
// "2024-12-29T08:20:39.570483+01:00", "2021-03-12T14:10:18Z",
// "2024-01-02T03:04:05+0100" (journalctl short-iso) or a space instead
// of the T. Without a zone it is read in loc. A zoned time is returned
// in UTC, which keeps the conversion allocation-free.
func (p *Parser) parseISO(line []byte, i int, loc *time.Location) (time.Time, int, bool) {
	year, mon, day, j, ok := isoDate(line, i)
	if !ok || mon < 1 || mon > 12 || day < 1 || day > 31 || j >= len(line) || (line[j] != 'T' && line[j] != ' ') {
		return time.Time{}, i, false
	}
	h, m, s, ns, j, ok := clock(line, j+1)
	if !ok {
		return time.Time{}, i, false
	}
	if j < len(line) {
		switch c := line[j]; c {
		case 'Z', 'z':
			return p.date(year, time.Month(mon), day, h, m, s, ns, time.UTC), j + 1, true
		case '+', '-':
			oh, k, ok := number(line, j+1, 2)
			if !ok || k-j != 3 {
				return time.Time{}, i, false
			}
			if k < len(line) && line[k] == ':' {
				k++
			}
			om, k2, ok := number(line, k, 2)
			if !ok || k2-k != 2 {
				return time.Time{}, i, false
			}
			off := time.Duration(oh)*time.Hour + time.Duration(om)*time.Minute
			if c == '-' {
				off = -off
			}
			if p.NoTime {
				return time.Time{}, k2, true // not the zero time moved by the offset
			}
			t := p.date(year, time.Month(mon), day, h, m, s, ns, time.UTC).Add(-off)
			return t, k2, true
		}
	}
	return p.date(year, time.Month(mon), day, h, m, s, ns, loc), j, true
}

// isoDate reads the "yyyy-m[m]-d[d]" of an ISO 8601 date at line[i]: four
// digits of year, then up to two each of month and day.
func isoDate(line []byte, i int) (year, mon, day, j int, ok bool) {
	// Nearly always all the digits are there: check the ten bytes at
	// once, with no loop to mispredict.
	if i+10 <= len(line) {
		b := line[i : i+10]
		y0, y1, y2, y3 := b[0]-'0', b[1]-'0', b[2]-'0', b[3]-'0'
		m0, m1, d0, d1 := b[5]-'0', b[6]-'0', b[8]-'0', b[9]-'0'
		if notDigit(y0)|notDigit(y1)|notDigit(y2)|notDigit(y3)|notDigit(m0)|notDigit(m1)|notDigit(d0)|notDigit(d1) == 0 &&
			b[4] == '-' && b[7] == '-' {
			year = int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3)
			return year, int(m0)*10 + int(m1), int(d0)*10 + int(d1), i + 10, true
		}
	}
	return isoDateByNumbers(line, i)
}

// isoDateByNumbers is isoDate reading each number digit by digit.
func isoDateByNumbers(line []byte, i int) (year, mon, day, j int, ok bool) {
	year, j, ok = number(line, i, 4)
	if !ok || j-i != 4 || j >= len(line) || line[j] != '-' {
		return 0, 0, 0, i, false
	}
	mon, j, ok = number(line, j+1, 2)
	if !ok || j >= len(line) || line[j] != '-' {
		return 0, 0, 0, i, false
	}
	day, j, ok = number(line, j+1, 2)
	if !ok {
		return 0, 0, 0, i, false
	}
	return year, mon, day, j, true
}

// notDigit is 0 when d, a byte less '0', is a decimal digit's value, and
// not 0 otherwise: a byte below '0' wrapped round when '0' was taken
// away, so it is above 9 too, and 9-d is negative (all bits above the
// sign's set) for any d above 9. ORing several tests them all without a
// branch each.
func notDigit(d byte) int { return (9 - int(d)) >> 8 }

// clock parses "hh:mm:ss" with an optional fraction of up to nine digits.
func clock(line []byte, i int) (h, m, s, ns, j int, ok bool) {
	if i+8 <= len(line) && line[i+2] == ':' && line[i+5] == ':' {
		// Two digits each, as nearly always: the eight bytes at once.
		b := line[i : i+8]
		h0, h1, m0, m1, s0, s1 := b[0]-'0', b[1]-'0', b[3]-'0', b[4]-'0', b[6]-'0', b[7]-'0'
		if notDigit(h0)|notDigit(h1)|notDigit(m0)|notDigit(m1)|notDigit(s0)|notDigit(s1) == 0 {
			h, m, s = int(h0)*10+int(h1), int(m0)*10+int(m1), int(s0)*10+int(s1)
			if h > 23 || m > 59 || s > 60 {
				return 0, 0, 0, 0, i, false
			}
			return clockFraction(line, h, m, s, i+8, i)
		}
	}
	return clockByNumbers(line, i)
}

// clockByNumbers is clock reading each number digit by digit.
func clockByNumbers(line []byte, i int) (h, m, s, ns, j int, ok bool) {
	h, j, ok = number(line, i, 2)
	if !ok || j-i != 2 || h > 23 || j >= len(line) || line[j] != ':' {
		return 0, 0, 0, 0, i, false
	}
	m, j, ok = number(line, j+1, 2)
	if !ok || m > 59 || j >= len(line) || line[j] != ':' {
		return 0, 0, 0, 0, i, false
	}
	s, j, ok = number(line, j+1, 2)
	if !ok || s > 60 {
		return 0, 0, 0, 0, i, false
	}
	return clockFraction(line, h, m, s, j, i)
}

// clockFraction reads the optional fraction after the seconds of a clock
// that started at line[start], at line[j].
func clockFraction(line []byte, h, m, s, j, start int) (int, int, int, int, int, bool) {
	ns := 0
	if j < len(line) && (line[j] == '.' || line[j] == ',') {
		j++
		scale := 100000000
		k := j
		for ; k < len(line) && isDigit(line[k]); k++ {
			if scale > 0 {
				ns += int(line[k]-'0') * scale
				scale /= 10
			}
		}
		if k == j {
			return 0, 0, 0, 0, start, false
		}
		j = k
	}
	return h, m, s, ns, j, true
}

// number reads up to max decimal digits at line[i].
func number(line []byte, i, max int) (v, j int, ok bool) {
	j = i
	for j < len(line) && j-i < max && isDigit(line[j]) {
		v = v*10 + int(line[j]-'0')
		j++
	}
	return v, j, j > i
}

// paddedNumber reads a day of month that may be padded with a space.
func paddedNumber(line []byte, i int) (int, int, bool) {
	if i < len(line) && line[i] == ' ' {
		i++
	}
	return number(line, i, 2)
}

// monthAt recognises an English month abbreviation followed by a space.
func monthAt(line []byte, i int) (time.Month, bool) {
	if len(line) < i+4 || line[i+3] != ' ' {
		return 0, false
	}
	// Pack the three letters, case-folded, into one integer to compare.
	k := uint32(line[i]|0x20)<<16 | uint32(line[i+1]|0x20)<<8 | uint32(line[i+2]|0x20)
	for m, name := range monthKeys {
		if k == name {
			return time.Month(m + 1), true
		}
	}
	return 0, false
}

var monthKeys = func() (keys [12]uint32) {
	for i, n := range [12]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		keys[i] = uint32(n[0])<<16 | uint32(n[1])<<8 | uint32(n[2])
	}
	return keys
}()

// token returns the run of non-blank bytes at line[i:] and where it ends.
func token(line []byte, i int) ([]byte, int) {
	j := i
	for j < len(line) && line[j] != ' ' {
		j++
	}
	return line[i:j], j
}

func skipSpaces(line []byte, i int) int {
	for i < len(line) && line[i] == ' ' {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
