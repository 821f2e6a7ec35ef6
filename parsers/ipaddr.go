package parsers

import "net/netip"

// parseAddr parses an IP address as firewalls print it: dotted-quad IPv4
// ("192.0.2.1") or IPv6 in any RFC 4291 text form, full, zero-padded
// ("2001:0db8:0000:0000:0000:0000:0000:0001", as ip6tables logs it) or
// "::"-compressed, with or without an embedded IPv4 tail
// ("::ffff:192.0.2.1"). It accepts exactly what netip.ParseAddr accepts,
// which rejects IPv4 octets with leading zeros, except zones ("fe80::1%em0"):
// no firewall log puts a zone where an address field is expected.
//
// It exists because netip.ParseAddr takes a string, and converting the
// log line's bytes to one would allocate for every address.
func parseAddr(b []byte) (netip.Addr, bool) {
	// A valid address has its first separator within five bytes: at most
	// three decimal digits before a '.', four hex digits before a ':'.
	for i := 0; i < len(b) && i < 5; i++ {
		switch b[i] {
		case '.':
			var a [4]byte
			if !parseDottedQuad(b, &a) {
				return netip.Addr{}, false
			}
			return netip.AddrFrom4(a), true
		case ':':
			return parseIPv6Text(b)
		}
	}
	return netip.Addr{}, false
}

// parseDottedQuad parses exactly four dotted decimal octets, each without
// leading zeros, into a.
func parseDottedQuad(b []byte, a *[4]byte) bool {
	field, val, digits := 0, 0, 0
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			if digits == 1 && val == 0 {
				return false // leading zero
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return false
			}
		case c == '.':
			if digits == 0 || field == 3 {
				return false
			}
			a[field] = byte(val)
			field++
			val, digits = 0, 0
		default:
			return false
		}
	}
	if field != 3 || digits == 0 {
		return false
	}
	a[3] = byte(val)
	return true
}

// parseIPv6Text parses colon-separated groups of one to four hex digits with at
// most one "::" standing for one or more zero groups, and an optional IPv4
// tail in place of the last two groups.
func parseIPv6Text(b []byte) (netip.Addr, bool) {
	var ip [16]byte
	ellipsis := -1 // byte index in ip where "::" stands
	if len(b) >= 2 && b[0] == ':' && b[1] == ':' {
		ellipsis = 0
		b = b[2:]
		if len(b) == 0 {
			return netip.IPv6Unspecified(), true
		}
	}
	i := 0
	for i < 16 {
		n, acc := 0, uint32(0)
		for ; n < len(b); n++ {
			d := hexNibble[b[n]]
			if d == 0xff {
				break
			}
			if n == 4 {
				return netip.Addr{}, false // a group has at most four digits
			}
			acc = acc<<4 | uint32(d)
		}
		if n == 0 {
			return netip.Addr{}, false
		}
		if n < len(b) && b[n] == '.' {
			// The digits just read begin an IPv4 tail, which must fill
			// the last four bytes, or sit anywhere after a "::".
			if (ellipsis < 0 && i != 12) || i > 12 {
				return netip.Addr{}, false
			}
			var a [4]byte
			if !parseDottedQuad(b, &a) {
				return netip.Addr{}, false
			}
			copy(ip[i:], a[:])
			i += 4
			b = nil
			break
		}
		ip[i], ip[i+1] = byte(acc>>8), byte(acc)
		i += 2
		b = b[n:]
		if len(b) == 0 {
			break
		}
		if b[0] != ':' || len(b) == 1 {
			return netip.Addr{}, false
		}
		b = b[1:]
		if b[0] == ':' {
			if ellipsis >= 0 {
				return netip.Addr{}, false // a second "::"
			}
			ellipsis = i
			b = b[1:]
			if len(b) == 0 {
				break
			}
		}
	}
	if len(b) != 0 {
		return netip.Addr{}, false
	}
	switch {
	case i < 16:
		if ellipsis < 0 {
			return netip.Addr{}, false
		}
		// Slide the groups after "::" to the end and zero the gap.
		gap := 16 - i
		copy(ip[ellipsis+gap:], ip[ellipsis:i])
		clear(ip[ellipsis : ellipsis+gap])
	case ellipsis >= 0:
		return netip.Addr{}, false // "::" must stand for at least one group
	}
	return netip.AddrFrom16(ip), true
}

// hexNibble maps a byte to its hex digit value, or 0xff.
var hexNibble = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c-'a') + 10
		t[c-'a'+'A'] = byte(c-'a') + 10
	}
	return t
}()
