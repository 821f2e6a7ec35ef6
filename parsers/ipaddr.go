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
	// IPv4 is the common case: try it first. A dotted quad has a '.'
	// before any ':', so this is what the search below would choose.
	var a [4]byte
	if parseDottedQuad(b, &a) {
		return netip.AddrFrom4(a), true
	}
	// A valid address has its first separator within five bytes: at most
	// three decimal digits before a '.', four hex digits before a ':'.
	for i := 0; i < len(b) && i < 5; i++ {
		switch b[i] {
		case '.':
			return netip.Addr{}, false // not a dotted quad, as just seen
		case ':':
			if len(b) == len("2001:0db8:0000:0000:0000:0000:0000:0001") {
				if a, ok := parseIPv6Full(b); ok {
					return a, true
				}
			}
			return parseIPv6Text(b)
		}
	}
	return netip.Addr{}, false
}

// parseDottedQuad parses exactly four dotted decimal octets, each without
// leading zeros, into a.
func parseDottedQuad(b []byte, a *[4]byte) bool {
	end, ok := dottedQuadPrefix(b, 0, a)
	return ok && end == len(b)
}

// dottedQuadPrefix parses the four dotted decimal octets, each without
// leading zeros, that start b[i:] into a, and returns where they end: the
// first byte that cannot continue the last octet. The octets are read
// with fixed steps (a first digit and, unless that is a 0, up to two
// more) rather than a loop that branches on every byte, since addresses
// are a good part of a line.
func dottedQuadPrefix(b []byte, i int, a *[4]byte) (end int, ok bool) {
	for f := range a {
		if f > 0 {
			if i >= len(b) || b[i] != '.' {
				return i, false
			}
			i++
		}
		if i >= len(b) {
			return i, false
		}
		v := uint(b[i] - '0')
		if v > 9 {
			return i, false
		}
		i++
		if v != 0 { // after a leading 0 the octet is over
			if i < len(b) {
				if d := uint(b[i] - '0'); d <= 9 {
					v = v*10 + d
					i++
					if i < len(b) {
						if d := uint(b[i] - '0'); d <= 9 {
							v = v*10 + d
							i++
						}
					}
				}
			}
			if v > 255 {
				return i, false
			}
		}
		a[f] = byte(v)
	}
	return i, true
}

// parseIPv6Full parses the full form ip6tables logs, eight groups of four
// hex digits, as parseIPv6Text would, with no loop and no branch on the
// digits: a byte that is not a hex digit has 0xff in hexNibble, which
// leaves a high bit in bad. Anything else, ok false, is for
// parseIPv6Text to judge.
func parseIPv6Full(b []byte) (netip.Addr, bool) {
	t := (*[39]byte)(b)
	var ip [16]byte
	var bad byte
	for g := range 8 {
		h0, h1, h2, h3 := hexNibble[t[5*g]], hexNibble[t[5*g+1]], hexNibble[t[5*g+2]], hexNibble[t[5*g+3]]
		bad |= h0 | h1 | h2 | h3
		ip[2*g], ip[2*g+1] = h0<<4|h1, h2<<4|h3
	}
	if bad > 0xf || t[4] != ':' || t[9] != ':' || t[14] != ':' || t[19] != ':' ||
		t[24] != ':' || t[29] != ':' || t[34] != ':' {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16(ip), true
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
