package annotate

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/portnote/portnote/registry"
)

// appendJSON appends one JSON object for a line, with Elastic Common
// Schema field names (message, @timestamp, source.*, destination.*,
// network.*, event.action, observer.*, rule.name) and portnote's own
// enrichment under "portnote". Keys whose value is unknown are left out.
//
// JSON strings must be UTF-8, so message carries each byte that is not
// valid UTF-8 as U+FFFD; control bytes are escaped (\u001b) and so kept
// exactly. When the line was not valid UTF-8, portnote.message_base64
// carries the original bytes, so nothing is lost.
func (w *lineWorker) appendJSON(dst, line []byte, isRecord bool) []byte {
	var top jsonObject
	dst = append(dst, '{')
	r := &w.rec
	if isRecord && !r.Time.IsZero() {
		dst = top.key(dst, "@timestamp")
		dst = append(dst, '"')
		dst = w.stamp.append(dst, r.Time)
		dst = append(dst, '"')
	}
	dst = top.key(dst, "message")
	dst, valid := appendJSONStringValid(dst, line)
	if !isRecord {
		if !valid {
			dst = top.key(dst, "portnote")
			dst = append(dst, `{"message_base64":"`...)
			dst = base64.StdEncoding.AppendEncode(dst, line)
			dst = append(dst, `"}`...)
		}
		return append(dst, '}')
	}
	l := &w.look

	if act := r.Action.String(); act != "" {
		dst = top.key(dst, "event")
		dst = append(dst, `{"action":`...)
		dst = appendJSONString(dst, act)
		dst = append(dst, '}')
	}
	dst = appendEndpoint(dst, &top, "source", r.Src, r.SrcPort, r.HasPorts)
	dst = appendEndpoint(dst, &top, "destination", r.Dst, r.DstPort, r.HasPorts)

	if r.HasProto || r.Dst.IsValid() || r.Src.IsValid() {
		var o jsonObject
		dst = top.key(dst, "network")
		dst = append(dst, '{')
		if r.HasProto {
			if name := r.Proto.Name(); name != "" {
				dst = o.key(dst, "transport")
				dst = appendJSONString(dst, name)
			}
			dst = o.key(dst, "iana_number")
			dst = append(dst, '"')
			dst = strconv.AppendUint(dst, uint64(r.Proto), 10)
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
		dst = append(dst, '}')
	}

	if len(r.Host) > 0 || len(r.InIface) > 0 || len(r.OutIface) > 0 {
		var o jsonObject
		dst = top.key(dst, "observer")
		dst = append(dst, '{')
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
	if len(r.Label) > 0 {
		dst = top.key(dst, "rule")
		dst = append(dst, `{"name":`...)
		dst = appendJSONString(dst, r.Label)
		dst = append(dst, '}')
	}

	var o jsonObject
	dst = top.key(dst, "portnote")
	dst = append(dst, '{')
	dst = o.key(dst, "format")
	dst = appendJSONString(dst, r.Format.String())
	if r.HasPorts {
		if l.Guessed {
			dst = o.key(dst, "transport_guess")
			dst = appendJSONString(dst, l.Dest.Transport.String())
		}
		if l.Dest.Service != "" {
			dst = o.key(dst, "service")
			dst = appendJSONString(dst, l.Dest.Service)
		}
		if l.Dest.Description != "" {
			dst = o.key(dst, "description")
			dst = appendJSONString(dst, l.Dest.Description)
		}
		dst = o.key(dst, "class")
		dst = appendJSONString(dst, l.Dest.Class.String())
		dst = o.key(dst, "abused")
		dst = strconv.AppendBool(dst, l.Dest.Abuse != nil)
		if l.Dest.Abuse != nil {
			dst = o.key(dst, "abuse")
			dst = appendAbuse(dst, l.Dest.Abuse, 0, false)
		}
		if l.Reflector != nil {
			dst = o.key(dst, "reflection")
			dst = appendAbuse(dst, l.Reflector, r.SrcPort, true)
		}
	}
	if !valid {
		dst = o.key(dst, "message_base64")
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, line)
		dst = append(dst, '"')
	}
	dst = append(dst, '}')
	return append(dst, '}')
}

// appendEndpoint writes source or destination: ip and, when the
// protocol has ports, port.
func appendEndpoint(dst []byte, top *jsonObject, name string, ip netip.Addr, port uint16, hasPort bool) []byte {
	if !ip.IsValid() && !hasPort {
		return dst
	}
	var o jsonObject
	dst = top.key(dst, name)
	dst = append(dst, '{')
	if ip.IsValid() {
		dst = o.key(dst, "ip")
		dst = append(dst, '"')
		dst = ip.AppendTo(dst)
		dst = append(dst, '"')
	}
	if hasPort {
		dst = o.key(dst, "port")
		dst = strconv.AppendUint(dst, uint64(port), 10)
	}
	return append(dst, '}')
}

// appendAbuse writes an abuse object; a reflection also names the
// source port it was seen on.
func appendAbuse(dst []byte, ab *registry.Abuse, reflectorPort uint16, reflection bool) []byte {
	var o jsonObject
	dst = append(dst, '{')
	if reflection {
		dst = o.key(dst, "port")
		dst = strconv.AppendUint(dst, uint64(reflectorPort), 10)
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
// U+FFFD; control characters are escaped. It is generic so that static
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
	start := 0
	for i := 0; i < len(s); {
		// Plain ASCII, most of a log line, goes by a word at a time.
		for i+8 <= len(s) {
			w := s[i : i+8] // a fixed length lets the compiler drop bounds checks and merge the loads
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			if needsEscape(x) {
				break
			}
			i += 8
		}
		// Something in these eight bytes needs care: take them one by
		// one, then go back to whole words.
		for end := min(i+8, len(s)); i < end; {
			c := s[i]
			if c < utf8.RuneSelf {
				if c >= 0x20 && c != '"' && c != '\\' {
					i++
					continue
				}
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
				i += n
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			valid = false
			i++
			start = i
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), valid
}

// stampCache formats RFC 3339 timestamps, remembering the date, clock
// and zone of the last second it wrote: consecutive records often share
// their second. Otherwise it writes the digits itself, which is several
// times cheaper than time.Time.AppendFormat.
type stampCache struct {
	sec  int64
	loc  *time.Location
	head [25]byte // "2006-01-02T15:04:05" and up to "+hh:mm" of zone
	n    int      // bytes of head used by the date and clock
	z    int      // bytes of head used by the zone, after n
}

// append writes t as time.RFC3339Nano does.
func (c *stampCache) append(dst []byte, t time.Time) []byte {
	if sec := t.Unix(); sec != c.sec || t.Location() != c.loc || c.n == 0 {
		c.sec, c.loc = sec, t.Location()
		year, month, day := t.Date()
		hour, min, sec := t.Clock()
		h := c.head[:0]
		h = append4(h, year)
		h = append(h, '-')
		h = append2(h, int(month))
		h = append(h, '-')
		h = append2(h, day)
		h = append(h, 'T')
		h = append2(h, hour)
		h = append(h, ':')
		h = append2(h, min)
		h = append(h, ':')
		h = append2(h, sec)
		c.n = len(h)
		_, offset := t.Zone()
		if offset == 0 {
			h = append(h, 'Z')
		} else {
			sign := byte('+')
			if offset < 0 {
				sign, offset = '-', -offset
			}
			h = append(h, sign)
			h = append2(h, offset/3600)
			h = append(h, ':')
			h = append2(h, offset/60%60)
		}
		c.z = len(h) - c.n
	}
	dst = append(dst, c.head[:c.n]...)
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
	return append(dst, c.head[c.n:c.n+c.z]...)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// needsEscape reports whether any byte of the word x needs a closer look
// in a JSON string: a control byte, '"', '\\' or a byte of a multi-byte
// UTF-8 sequence. It tests all eight at once with the classic "has a zero
// byte" bit tricks.
func needsEscape(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	control := (x - ones*0x20) &^ x
	quote := x ^ (ones * '"')
	quote = (quote - ones) &^ quote
	backslash := x ^ (ones * '\\')
	backslash = (backslash - ones) &^ backslash
	return (control|quote|backslash|x)&highs != 0
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
