package annotate

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"math/bits"
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// appendJSON appends one JSON object for a line, with Elastic Common
// Schema field names (message, @timestamp, source.*, destination.*,
// network.*, event.action, observer.*, rule.name) and portnote's own
// enrichment under "portnote". Keys whose value is unknown are left out.
//
// JSON strings must be UTF-8, so message carries each byte that is not
// valid UTF-8 as U+FFFD; control bytes are escaped (\u001b) and so kept
// exactly. message is line, without the CR of a CRLF ending; when line
// is not valid UTF-8, portnote.message_base64 carries raw, the line with
// that CR, so nothing is lost.
//
// Keys come in a fixed order and message is always there, so every key
// after it is written with its comma as one constant.
func (w *lineWorker) appendJSON(dst, line, raw []byte, isRecord bool) []byte {
	r := &w.rec
	if isRecord && !r.Time.IsZero() {
		dst = append(dst, `{"@timestamp":"`...)
		dst = w.stamp.append(dst, r.Time)
		dst = append(dst, `","message":`...)
	} else {
		dst = append(dst, `{"message":`...)
	}
	dst, valid := appendJSONStringValid(dst, line)
	dst = append(dst, w.fileJSON...)
	if !isRecord {
		if !valid {
			dst = append(dst, `,"portnote":{"message_base64":"`...)
			dst = base64.StdEncoding.AppendEncode(dst, raw)
			dst = append(dst, `"}`...)
		}
		return append(dst, '}')
	}
	if act := r.Action.String(); act != "" {
		dst = append(dst, `,"event":{"action":`...)
		dst = append(dst, actionJSON[r.Action]...)
		dst = append(dst, '}')
	}
	if r.SrcNAT.IsValid() || r.SrcNATPort != 0 || r.DstNAT.IsValid() || r.DstNATPort != 0 {
		dst = appendEndpointNAT(dst, `,"source":{`, r.Src, r.SrcPort, hasSrcPort(r), r.SrcNAT, r.SrcNATPort)
		dst = appendEndpointNAT(dst, `,"destination":{`, r.Dst, r.DstPort, r.HasPorts, r.DstNAT, r.DstNATPort)
	} else {
		dst = appendEndpoint(dst, `,"source":{`, r.Src, r.SrcPort, hasSrcPort(r))
		dst = appendEndpoint(dst, `,"destination":{`, r.Dst, r.DstPort, r.HasPorts)
	}

	if r.HasProto || r.Dst.IsValid() || r.Src.IsValid() || r.Direction != parsers.DirUnknown || r.Bytes > 0 || r.Packets > 0 {
		var o jsonObject
		// The direction is the host's or its interface's, which ECS
		// names ingress and egress.
		dst = append(dst, networkJSON[r.Direction]...)
		if r.Direction != parsers.DirUnknown {
			o.n++
		}
		if r.HasProto {
			if name := r.Proto.Name(); name != "" {
				dst = o.key(dst, "transport")
				dst = append(dst, protocolJSON[r.Proto]...)
			}
			dst = o.key(dst, "iana_number")
			dst = append(dst, '"')
			dst = appendUint16(dst, uint16(r.Proto))
			dst = append(dst, '"')
		}
		addr := r.Dst
		if !addr.IsValid() {
			addr = r.Src
		}
		if addr.IsValid() {
			dst = o.key(dst, "type")
			if addr.Is4() || addr.Is4In6() {
				dst = append(dst, `"ipv4"`...)
			} else {
				dst = append(dst, `"ipv6"`...)
			}
		}
		if r.Bytes > 0 {
			dst = o.key(dst, "bytes")
			dst = strconv.AppendUint(dst, r.Bytes, 10)
		}
		if r.Packets > 0 {
			dst = o.key(dst, "packets")
			dst = strconv.AppendUint(dst, r.Packets, 10)
		}
		dst = append(dst, '}')
	}

	if len(r.Host) > 0 || len(r.InIface) > 0 || len(r.OutIface) > 0 {
		var o jsonObject
		dst = append(dst, `,"observer":{`...)
		if len(r.Host) > 0 {
			dst = o.key(dst, "hostname")
			dst = appendJSONString(dst, r.Host)
		}
		if len(r.InIface) > 0 {
			dst = o.key(dst, "ingress")
			dst = append(dst, `{"interface":{"name":`...)
			dst = appendJSONString(dst, r.InIface)
			dst = append(dst, "}}"...)
		}
		if len(r.OutIface) > 0 {
			dst = o.key(dst, "egress")
			dst = append(dst, `{"interface":{"name":`...)
			dst = appendJSONString(dst, r.OutIface)
			dst = append(dst, "}}"...)
		}
		dst = append(dst, '}')
	}
	switch {
	case len(r.RuleID) > 0:
		dst = append(dst, `,"rule":{"id":`...)
		dst = appendJSONString(dst, r.RuleID)
		if len(r.Label) > 0 {
			dst = append(dst, `,"name":`...)
			dst = appendJSONString(dst, r.Label)
		}
		dst = append(dst, '}')
	case len(r.Label) > 0:
		dst = append(dst, `,"rule":{"name":`...)
		dst = appendJSONString(dst, r.Label)
		dst = append(dst, '}')
	}

	dst = append(dst, `,"portnote":{"format":`...)
	dst = append(dst, formatJSON[r.Format]...)
	if r.HasTCPFlags {
		dst = append(dst, tcpFlagsJSON[r.TCPFlags&0x1ff]...)
	}
	if r.Partial != 0 {
		// What the line holds unreadably (a masked address) or leaves
		// out: absent above, named here.
		dst = append(dst, `,"partial":["`...)
		dst = r.Partial.AppendNames(dst, `","`)
		dst = append(dst, `"]`...)
	}
	if len(r.Session) > 0 {
		dst = append(dst, `,"session_id":`...)
		dst = appendJSONString(dst, r.Session)
	}
	if r.HasPorts {
		if w.bare {
			dst = w.appendNote(dst)
		} else {
			dst = w.appendDestJSON(dst)
		}
	}
	if !valid {
		dst = append(dst, `,"message_base64":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, raw)
		dst = append(dst, '"')
	}
	return append(dst, "}}"...)
}

// appendDestJSON writes the portnote members that w.look adds for a
// record with ports: what the registry says of its destination, and of
// the reflector it came from.
func (w *lineWorker) appendDestJSON(dst []byte) []byte {
	l := &w.look
	if l.Guessed {
		dst = append(dst, `,"transport_guess":`...)
		dst = appendJSONString(dst, l.Dest.Transport.String())
	}
	if cacheable(&l.Dest) {
		part, _ := w.entries.rendering(&l.Dest)
		dst = append(dst, part...)
	} else {
		dst, _ = appendEntryJSON(dst, &l.Dest)
	}
	if l.Reflector != nil {
		dst = append(dst, `,"reflection":`...)
		dst = appendAbuse(dst, l.Reflector, w.rec.SrcPort, true)
	}
	return dst
}

// The names of actions, protocols and formats as JSON strings, quotes
// and all: one is written on nearly every record, and copying costs less
// than escaping.
var (
	actionJSON   = quotedNames(func(i uint8) string { return parsers.Action(i).String() })
	protocolJSON = quotedNames(func(i uint8) string { return parsers.Protocol(i).Name() })
	formatJSON   = quotedNames(func(i uint8) string { return parsers.Format(i).String() })
	// The network object, opened with ECS's direction from the host's
	// point of view when the record has one.
	networkJSON = [...]string{parsers.DirUnknown: `,"network":{`,
		parsers.DirIn: `,"network":{"direction":"ingress"`, parsers.DirOut: `,"network":{"direction":"egress"`}
	// The TCP flags as portnote.tcp_flags, for every set of them: ECS has
	// no field for them, so they are named as Elastic's VPC flow log
	// integration lists them, an empty list for a packet with none (a
	// NULL scan).
	tcpFlagsJSON = func() (t [1 << 9]string) {
		for f := range t {
			b := []byte(`,"tcp_flags":[`)
			if f != 0 {
				b = append(parsers.TCPFlags(f).AppendNames(append(b, '"'), `","`), '"')
			}
			t[f] = string(append(b, ']'))
		}
		return t
	}()
)

func quotedNames(name func(uint8) string) (quoted [256]string) {
	for i := range quoted {
		// Most numbers have no name: "" for those costs start-up nothing.
		quoted[i] = `""`
		if n := name(uint8(i)); n != "" {
			quoted[i] = string(appendJSONString(nil, n))
		}
	}
	return quoted
}

// hasSrcPort reports whether r has a source port to show: a record with
// ports may have lost it (parsers.PartialSrcPort).
func hasSrcPort(r *parsers.Record) bool {
	return r.HasPorts && r.Partial&parsers.PartialSrcPort == 0
}

// appendEndpoint writes source or destination, opened by head: ip and,
// when the protocol has ports, port.
func appendEndpoint(dst []byte, head string, ip netip.Addr, port uint16, hasPort bool) []byte {
	if !ip.IsValid() && !hasPort {
		return dst
	}
	dst = append(dst, head...)
	if ip.IsValid() {
		dst = append(dst, `"ip":"`...)
		dst = appendAddr(dst, ip)
		dst = append(dst, '"')
		if hasPort {
			dst = append(dst, ',')
		}
	}
	if hasPort {
		dst = append(dst, `"port":`...)
		dst = appendUint16(dst, port)
	}
	return append(dst, '}')
}

// appendEndpointNAT is appendEndpoint for a record the firewall
// translated: the endpoint also holds the address and port it became,
// as nat.ip and nat.port.
func appendEndpointNAT(dst []byte, head string, ip netip.Addr, port uint16, hasPort bool, natIP netip.Addr, natPort uint16) []byte {
	if !natIP.IsValid() && natPort == 0 {
		return appendEndpoint(dst, head, ip, port, hasPort)
	}
	var o jsonObject
	dst = append(dst, head...)
	if ip.IsValid() {
		dst = o.key(dst, "ip")
		dst = append(dst, '"')
		dst = appendAddr(dst, ip)
		dst = append(dst, '"')
	}
	if hasPort {
		dst = o.key(dst, "port")
		dst = appendUint16(dst, port)
	}
	var n jsonObject
	dst = o.key(dst, "nat")
	dst = append(dst, '{')
	if natIP.IsValid() {
		dst = n.key(dst, "ip")
		dst = append(dst, '"')
		dst = appendAddr(dst, natIP)
		dst = append(dst, '"')
	}
	if natPort != 0 {
		dst = n.key(dst, "port")
		dst = appendUint16(dst, natPort)
	}
	return append(dst, "}}"...)
}

// appendAddr writes ip as netip.Addr.AppendTo does, IPv4 by itself: most
// addresses in firewall logs are IPv4, and netip's general writer costs
// several times as much for them.
func appendAddr(dst []byte, ip netip.Addr) []byte {
	if !ip.Is4() {
		return ip.AppendTo(dst)
	}
	// Each octet's digits and a dot are stored as one word and the
	// quad appended at once: octet lengths vary from address to address,
	// and branching on them mispredicts.
	var quad [16]byte
	n := 0
	for _, b := range ip.As4() {
		o := &octetText[b]
		binary.LittleEndian.PutUint32(quad[n:], o.digitsDot)
		n += int(o.n)
	}
	return append(dst, quad[:n-1]...)
}

// octetText holds each byte value in decimal followed by a dot, packed
// little-endian, and how many of those bytes there are.
var octetText = func() (t [256]struct {
	digitsDot uint32
	n         uint8
}) {
	for v := range t {
		var b [4]byte
		s := append(strconv.AppendUint(b[:0], uint64(v), 10), '.')
		t[v].digitsDot = binary.LittleEndian.Uint32(b[:])
		t[v].n = uint8(len(s))
	}
	return t
}()

// appendUint16 writes a port or protocol number in decimal.
// strconv.AppendUint costs about twice as much for numbers past 99: it
// formats into a buffer of its own and copies, where this appends the
// digits directly.
func appendUint16(dst []byte, p uint16) []byte {
	switch {
	case p < 10:
		return append(dst, byte('0'+p))
	case p < 100:
		return append(dst, byte('0'+p/10), byte('0'+p%10))
	case p < 1000:
		return append(dst, byte('0'+p/100), byte('0'+p/10%10), byte('0'+p%10))
	case p < 10000:
		return append(dst, byte('0'+p/1000), byte('0'+p/100%10), byte('0'+p/10%10), byte('0'+p%10))
	}
	return append(dst, byte('0'+p/10000), byte('0'+p/1000%10), byte('0'+p/100%10), byte('0'+p/10%10), byte('0'+p%10))
}

// appendAbuse writes an abuse object; a reflection also names the
// source port it was seen on.
func appendAbuse(dst []byte, ab *registry.Abuse, reflectorPort uint16, reflection bool) []byte {
	var o jsonObject
	dst = append(dst, '{')
	if reflection {
		dst = o.key(dst, "port")
		dst = appendUint16(dst, reflectorPort)
		dst = o.key(dst, "transport")
		dst = append(dst, `"udp"`...)
	}
	dst = o.key(dst, "category")
	dst = appendJSONString(dst, ab.Category.String())
	dst = o.key(dst, "severity")
	dst = appendJSONString(dst, ab.Severity.String())
	if ab.Label != "" {
		dst = o.key(dst, "label")
		dst = appendJSONString(dst, ab.Label)
	}
	dst = o.key(dst, "reason")
	dst = appendJSONString(dst, ab.Reason)
	return append(dst, '}')
}

// jsonObject tracks whether a key needs a leading comma.
type jsonObject struct{ n int }

func (o *jsonObject) key(dst []byte, k string) []byte {
	if o.n > 0 {
		dst = append(dst, ',')
	}
	o.n++
	dst = append(dst, '"')
	dst = append(dst, k...)
	return append(dst, '"', ':')
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD; control characters, C0 and C1, are escaped. It is generic so that static
// strings from the registry are written without a []byte conversion.
func appendJSONString[T ~string | ~[]byte](dst []byte, s T) []byte {
	dst, _ = appendJSONStringValid(dst, s)
	return dst
}

// appendJSONStringValid is appendJSONString that also reports whether s
// was valid UTF-8, which it learns on the way.
func appendJSONStringValid[T ~string | ~[]byte](dst []byte, s T) ([]byte, bool) {
	valid := true
	dst = append(dst, '"')
	start := 0 // s[start:i] is plain and not yet copied
	for i := 0; ; {
		i = nextSpecial(s, i)
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			}
			i++
			start = i
			continue
		}
		if n := utf8SeqLen(s[i:]); n > 0 {
			if n == 2 && c == 0xc2 && s[i+1] < 0xa0 {
				// A C1 control (U+0080-U+009F) drives some terminals as
				// ESC does: escaped, it is the same string to a JSON
				// reader and harmless on a screen.
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[s[i+1]>>4], hexDigits[s[i+1]&15])
				i += n
				start = i
				continue
			}
			i += n
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, `\ufffd`...)
		valid = false
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), valid
}

// nextSpecial returns the index of the first byte at or after i that a
// JSON string cannot hold as it is: a control byte, '"', '\\', or the
// start of a multi-byte sequence; len(s) when there is none. Plain ASCII,
// most of a log line, is checked a word at a time. The loop makes no
// calls, so that its state stays in registers: the caller's appends
// would otherwise push it to the stack on every word.
func nextSpecial[T ~string | ~[]byte](s T, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8] // a fixed length lets the compiler drop bounds checks and merge the loads
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if m := escapeMask(x); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return i
		}
	}
	return i
}

// stampCache formats RFC 3339 timestamps, remembering the zone offset
// of the last location it wrote and how long that offset holds, and the
// date of the last day: records of one source share their zone for
// months and their day for hours, while their seconds change every few
// lines. The clock is written from the seconds since local midnight,
// which is several times cheaper than time.Time.AppendFormat.
type stampCache struct {
	loc                *time.Location
	zoneStart, zoneEnd int64 // Unix seconds in which offset holds for loc
	offset             int64 // seconds east of UTC
	zone               [6]byte
	zoneLen            int
	day                int64 // days from 1970-01-01 to the local date below
	date               [11]byte
	dateOK             bool
}

// append writes t as time.RFC3339Nano does.
func (c *stampCache) append(dst []byte, t time.Time) []byte {
	sec := t.Unix()
	if loc := t.Location(); loc != c.loc || sec < c.zoneStart || sec >= c.zoneEnd {
		c.setZone(t)
	}
	local := sec + c.offset
	day := local / secondsPerDay
	if local%secondsPerDay < 0 {
		day--
	}
	if !c.dateOK || day != c.day {
		y, m, d := t.Date()
		c.date = [11]byte{
			byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
			byte('0' + m/10), byte('0' + m%10), '-',
			byte('0' + d/10), byte('0' + d%10), 'T',
		}
		c.day, c.dateOK = day, true
	}
	dst = append(dst, c.date[:]...)
	clock := int(local - day*secondsPerDay)
	dst = append2(dst, clock/3600)
	dst = append(dst, ':')
	dst = append2(dst, clock/60%60)
	dst = append(dst, ':')
	dst = append2(dst, clock%60)
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i > 0; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		dst = append(dst, frac[:n]...)
	}
	return append(dst, c.zone[:c.zoneLen]...)
}

const secondsPerDay = 24 * 60 * 60

// setZone learns the offset of t's location at t, how long it holds, and
// how RFC 3339 writes it.
func (c *stampCache) setZone(t time.Time) {
	_, offset := t.Zone()
	start, end := t.ZoneBounds() // zero when the zone has no such bound
	c.loc, c.offset, c.dateOK = t.Location(), int64(offset), false
	c.zoneStart, c.zoneEnd = math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		c.zoneStart = start.Unix()
	}
	if !end.IsZero() {
		c.zoneEnd = end.Unix()
	}
	z := c.zone[:0]
	if offset == 0 {
		z = append(z, 'Z')
	} else {
		sign := byte('+')
		if offset < 0 {
			sign, offset = '-', -offset
		}
		z = append(z, sign)
		z = append2(z, offset/3600)
		z = append(z, ':')
		z = append2(z, offset/60%60)
	}
	c.zoneLen = len(z)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }

// escapeMask flags the bytes of the word x that need a closer look in a
// JSON string: a control byte, '"', '\\' or a byte of a multi-byte UTF-8
// sequence, testing all eight at once with the classic "has a zero byte"
// bit tricks. A borrow can flag a byte above a flagged one by mistake, but
// never one below it: only the lowest flag is to be trusted.
func escapeMask(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// Taking 0x20 away sets the high bit of a byte below 0x20, and
	// taking 1 away that of '"' and '\\' once they are made zero; a byte
	// of 0x80 or more has it already. Any other byte stays below 0x80 in
	// all four unless a borrow rises into it from a flagged byte below.
	control := x - ones*0x20
	quote := (x ^ ones*'"') - ones
	backslash := (x ^ ones*'\\') - ones
	return (control | quote | backslash | x) & highs
}

// utf8SeqLen returns the length of the valid UTF-8 sequence that starts
// s (whose first byte is not ASCII), or 0 when s does not start with one.
// It accepts exactly what unicode/utf8 accepts: no overlong forms, no
// surrogates, nothing above U+10FFFF.
func utf8SeqLen[T ~string | ~[]byte](s T) int {
	cont := func(i int, lo, hi byte) bool { return i < len(s) && lo <= s[i] && s[i] <= hi }
	switch c := s[0]; {
	case c < 0xc2:
		return 0
	case c < 0xe0:
		if cont(1, 0x80, 0xbf) {
			return 2
		}
	case c < 0xf0:
		lo, hi := byte(0x80), byte(0xbf)
		if c == 0xe0 {
			lo = 0xa0
		} else if c == 0xed {
			hi = 0x9f
		}
		if cont(1, lo, hi) && cont(2, 0x80, 0xbf) {
			return 3
		}
	case c < 0xf5:
		lo, hi := byte(0x80), byte(0xbf)
		if c == 0xf0 {
			lo = 0x90
		} else if c == 0xf4 {
			hi = 0x8f
		}
		if cont(1, lo, hi) && cont(2, 0x80, 0xbf) && cont(3, 0x80, 0xbf) {
			return 4
		}
	}
	return 0
}
