package parsers

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"time"
	"unicode/utf8"
)

// journalJSON reads one "journalctl -o json" object: MESSAGE is the
// message, _HOSTNAME the host, SYSLOG_IDENTIFIER the tag and
// __REALTIME_TIMESTAMP (microseconds since the epoch) the time. journald
// writes a MESSAGE that is not valid UTF-8 as an array of byte values;
// that form is decoded too. It reports false for anything that is not a
// JSON object with a MESSAGE.
func (p *Parser) journalJSON(line []byte, r *Record) (msg, tag []byte, ok bool) {
	i := skipJSONSpace(line, 1)
	found := false
	for i < len(line) && line[i] != '}' {
		key, j, kok := jsonKey(line, i)
		if !kok {
			return nil, nil, false
		}
		i = skipJSONSpace(line, j)
		if i >= len(line) || line[i] != ':' {
			return nil, nil, false
		}
		i = skipJSONSpace(line, i+1)
		if i >= len(line) {
			return nil, nil, false
		}
		switch string(key) {
		case "MESSAGE":
			var vok bool
			if line[i] == '[' {
				msg, i, vok = p.jsonByteArray(line, i)
			} else {
				var raw []byte
				var esc bool
				raw, esc, i, vok = jsonString(line, i)
				msg = raw
				if vok && esc {
					msg = p.unescapeJSON(raw)
				}
			}
			if !vok {
				return nil, nil, false
			}
			found = true
		case "_HOSTNAME", "SYSLOG_IDENTIFIER", "__REALTIME_TIMESTAMP":
			raw, esc, j, vok := jsonString(line, i)
			if !vok {
				return nil, nil, false
			}
			i = j
			if esc {
				break
			}
			switch string(key) {
			case "_HOSTNAME":
				r.Host = raw
			case "SYSLOG_IDENTIFIER":
				tag = raw
			default:
				if p.NoTime {
					break // the time is not wanted: its digits need no reading
				}
				if us, n, nok := number(raw, 0, 19); nok && n == len(raw) {
					r.Time = time.UnixMicro(int64(us)).UTC()
				}
			}
		default:
			var vok bool
			if i, vok = skipJSONValue(line, i); !vok {
				return nil, nil, false
			}
		}
		i = skipJSONSpace(line, i)
		if i < len(line) && line[i] == ',' {
			i = skipJSONSpace(line, i+1)
		}
	}
	return msg, tag, found
}

// jsonKey returns the bytes between the quotes of the key at line[i],
// and the index after it. A key with an escape, or without its closing
// quote, is not one of journald's: ok is false, as it is for anything
// that does not start with a quote.
//
// Keys are short: eight bytes a step, with the "has a zero byte" trick
// on the word XOR '"' and XOR '\\', beats an IndexByte call for each.
func jsonKey(line []byte, i int) (key []byte, end int, ok bool) {
	if i >= len(line) || line[i] != '"' {
		return nil, i, false
	}
	j := i + 1
	for ; j+8 <= len(line); j += 8 {
		w := binary.LittleEndian.Uint64(line[j:])
		if z := zeroBytes(w^(lsbs*'"')) | zeroBytes(w^(lsbs*'\\')); z != 0 {
			j += bits.TrailingZeros64(z) / 8
			break
		}
	}
	for ; j < len(line); j++ {
		switch line[j] {
		case '"':
			return line[i+1 : j], j + 1, true
		case '\\':
			return nil, i, false
		}
	}
	return nil, i, false
}

// jsonString returns the raw bytes between the quotes of the JSON string
// at line[i], whether it contains escapes, and the index after it.
func jsonString(line []byte, i int) (raw []byte, esc bool, end int, ok bool) {
	end, ok = jsonStringEnd(line, i)
	if !ok {
		return nil, false, i, false
	}
	raw = line[i+1 : end-1]
	return raw, bytes.IndexByte(raw, '\\') >= 0, end, true
}

// jsonStringEnd returns the index after the JSON string at line[i].
//
// It jumps from quote to quote with IndexByte: journald's values (the
// cursor, the message) are long and most hold no escapes, and even for
// the short keys an IndexByte call beats a byte loop. A quote ends the
// string unless an odd run of backslashes comes right before it: reading
// escapes left to right, each backslash takes the byte after it, so
// backslashes pair up and only an unpaired one takes the quote.
func jsonStringEnd(line []byte, i int) (int, bool) {
	if i >= len(line) || line[i] != '"' {
		return i, false
	}
	for j := i + 1; j < len(line); {
		k := bytes.IndexByte(line[j:], '"')
		if k < 0 {
			break
		}
		q := j + k
		b := q
		for line[b-1] == '\\' { // stops at the opening quote at the latest
			b--
		}
		if (q-b)%2 == 0 {
			return q + 1, true
		}
		j = q + 1
	}
	return i, false
}

// unescapeJSON decodes a JSON string body into p.scratch. The scratch
// buffer only grows, so a stream of messages allocates once.
func (p *Parser) unescapeJSON(raw []byte) []byte {
	out := p.scratch[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			out = append(out, c)
			continue
		}
		i++
		switch raw[i] {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'u':
			r, n := hex4(raw, i+1)
			if n == 0 {
				out = append(out, '\\', 'u')
				continue
			}
			i += n
			if 0xD800 <= r && r < 0xDC00 && i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				if lo, m := hex4(raw, i+3); m != 0 && 0xDC00 <= lo && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					i += 2 + m
				}
			}
			out = utf8.AppendRune(out, r)
		default: // \" \\ \/
			out = append(out, raw[i])
		}
	}
	p.scratch = out
	return out
}

func hex4(b []byte, i int) (rune, int) {
	if i+4 > len(b) {
		return 0, 0
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, 0
		}
		r = r<<4 | rune(c)
	}
	return r, 4
}

// jsonByteArray decodes journald's [104,105] form of a binary MESSAGE.
func (p *Parser) jsonByteArray(line []byte, i int) ([]byte, int, bool) {
	out := p.scratch[:0]
	i = skipJSONSpace(line, i+1)
	for i < len(line) && line[i] != ']' {
		v, j, ok := number(line, i, 3)
		if !ok || v > 255 {
			return nil, i, false
		}
		out = append(out, byte(v))
		i = skipJSONSpace(line, j)
		if i < len(line) && line[i] == ',' {
			i = skipJSONSpace(line, i+1)
		}
	}
	if i >= len(line) {
		return nil, i, false
	}
	p.scratch = out
	return out, i + 1, true
}

// skipJSONValue skips any JSON value; nesting is tracked by depth only,
// which is enough to find where a well-formed value ends.
func skipJSONValue(line []byte, i int) (int, bool) {
	// Nearly every journald value is a string that a ',' or the '}'
	// follows, which the loop below would end at once too.
	if i < len(line) && line[i] == '"' {
		if j, ok := jsonStringEnd(line, i); ok && j < len(line) && (line[j] == ',' || line[j] == '}') {
			return j, true
		}
	}
	depth := 0
	for i < len(line) {
		switch c := line[i]; c {
		case '"':
			j, ok := jsonStringEnd(line, i)
			if !ok {
				return i, false
			}
			i = j
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i, true
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i, true
			}
			i++
		default:
			i++
		}
		if depth == 0 && i < len(line) && (line[i] == ',' || line[i] == '}') {
			return i, true
		}
	}
	return i, depth == 0
}

func skipJSONSpace(line []byte, i int) int {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\r') {
		i++
	}
	return i
}
