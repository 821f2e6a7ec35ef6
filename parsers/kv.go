package parsers

// The appliances that log key=value text (FortiGate, SonicWall, Sophos,
// the extension of CEF) share one grammar, with a few variations that
// kvScanner reads alike:
//
//	date=2024-05-10 type="traffic" msg="a, b=c" device_id=C443- P29PUA ether_type=Unknown (0x0000)
//	date=2024-05-10,type="traffic",dstport=443
//
// A key is a run of letters, digits and "_-." followed at once by '='.
// Pairs are separated by blanks (any number) or, in the comma variant,
// by a comma. A value is quoted or bare:
//
//   - A quoted value starts with '"' (or '\'', as SonicWall writes some)
//     and runs to the same quote not escaped by a backslash; nothing in
//     it is a key, so `url="/x?dstport=22"` names no port (Graylog2
//     PR 26050: a parser that re-reads quoted text lets a client choose
//     the fields of its own record). A quote left open runs to the end
//     of the line, as on Sophos lines cut in the middle of a value.
//   - A bare value runs to the separator before the next key, so that it
//     may hold blanks where a vendor writes them unquoted (Sophos
//     "ether_type=Unknown (0x0000)", CEF "msg=Connection opened"): a
//     token that is not key=... belongs to the value before it. A bare
//     value is empty when a key follows its '=' at once ("a= b=1").
//
// Where a value may hold the separator or a quote itself (CEF's "\=" and
// "\\"), the value is returned raw: callers that read ports and
// addresses never meet escapes in them.
//
// Text before the first key (a relay's host name, a CEF header's rest)
// is skipped token by token.

// kvScanner walks the key=value pairs of a message. Its zero value is not
// ready: set b, and sep and quotes as the vendor writes.
type kvScanner struct {
	b      []byte
	i      int  // where the next pair, or the blanks before it, start
	sep    byte // ' ', or ',' for the comma variant
	quotes bool // a value starting with a quote runs to the closing one

	// A bare value ends where the next key starts, which next finds
	// before it can return the value: it keeps the '=' of that key, at
	// eqAt, so that the next call need not find it again. 0: none kept.
	keyAt, eqAt int
}

// kvPair is one pair a kvScanner read: key and val alias the message, and
// at is the offset of val in it (past the opening quote of a quoted one).
type kvPair struct {
	key, val []byte
	at       int
	quoted   bool
}

// kvValue is a value a family keeps from a kvPair, with its offset in
// the message for a SyntaxError.
type kvValue struct {
	val []byte
	at  int
}

// newKV returns a scanner of b's pairs, separated by sep, quotes
// honoured when quotes is set.
func newKV(b []byte, sep byte, quotes bool) kvScanner {
	return kvScanner{b: b, sep: sep, quotes: quotes}
}

// next reads the next pair into p, and reports false when none is left.
func (s *kvScanner) next(p *kvPair) bool {
	b := s.b
	n := len(b)
	i, eq := s.i, 0
	if s.eqAt > 0 && s.keyAt == i {
		eq = s.eqAt
	} else {
		for {
			for i < n && (b[i] == ' ' || b[i] == s.sep) {
				i++
			}
			if i >= n {
				s.i = n
				return false
			}
			if eq = kvKeyEnd(b, i); eq > i {
				break
			}
			// Not a key: skip the token.
			for i < n && b[i] != ' ' && b[i] != s.sep {
				i++
			}
		}
	}
	s.eqAt = 0
	p.key = b[i:eq]
	v := eq + 1
	if s.quotes && v < n && (b[v] == '"' || b[v] == '\'') {
		end := closingQuote(b, v+1, b[v])
		p.val, p.at, p.quoted = b[v+1:end], v+1, true
		s.i = min(end+1, n)
		return true
	}
	p.at, p.quoted = v, false
	for j := v; ; {
		k := nextByte(b, j, s.sep)
		t := k + 1
		for t < n && (b[t] == ' ' || b[t] == s.sep) {
			t++
		}
		if t >= n {
			p.val, s.i = b[v:min(k, n)], n
			return true
		}
		if e := kvKeyEnd(b, t); e > t {
			p.val, s.i = b[v:k], t
			s.keyAt, s.eqAt = t, e
			return true
		}
		j = t
	}
}

// kvKeyEnd returns the index of the '=' that ends the key starting at
// b[i], or -1 when no key starts there.
func kvKeyEnd(b []byte, i int) int {
	j := i
	for j < len(b) && kvKeyByte[b[j]] {
		j++
	}
	if j == i || j >= len(b) || b[j] != '=' {
		return -1
	}
	return j
}

// kvKeyByte holds the bytes of keys: ASCII letters, digits and "_-.".
var kvKeyByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	t['_'], t['-'], t['.'] = true, true, true
	return t
}()

// closingQuote returns the index of the first q in b from i that no
// backslash escapes, or len(b). Values are short: a word-at-a-time
// search beats an IndexByte call on them.
func closingQuote(b []byte, i int, q byte) int {
	for {
		k := nextByte(b, i, q)
		if k >= len(b) || b[k-1] != '\\' {
			return k
		}
		// An odd run of backslashes before the quote escapes it.
		j := k - 1
		for j > i && b[j-1] == '\\' {
			j--
		}
		if (k-j)%2 == 0 {
			return k
		}
		i = k + 1
	}
}

// cefHead is the header of a CEF event (ArcSight Common Event Format),
// the fields before the key=value extension:
//
//	CEF:0|Fortinet|Fortigate|v6.0.3|00013|traffic:forward close|3|src=...
//
// Its slices alias the message; ext is the offset of the extension.
type cefHead struct {
	vendor, product, version, class, name, severity []byte
	ext                                             int
}

// cefHeader reads the header of a CEF event. It accepts "CEF: 0|" and,
// since some relays drop it, no "CEF:" at all before the version. A '|'
// in a header field is escaped as "\|".
func cefHeader(msg []byte) (h cefHead, ok bool) {
	i := 0
	if startsWith(msg, "CEF:") {
		i = skipSpaces(msg, len("CEF:"))
	}
	v := i
	for i < len(msg) && isDigit(msg[i]) {
		i++
	}
	if i == v || i-v > 2 || i >= len(msg) || msg[i] != '|' {
		return h, false
	}
	fields := [6]*[]byte{&h.vendor, &h.product, &h.version, &h.class, &h.name, &h.severity}
	for _, f := range fields {
		start := i + 1
		i = start
		for i < len(msg) && msg[i] != '|' {
			if msg[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(msg) {
			return cefHead{}, false
		}
		*f = msg[start:i]
	}
	h.ext = i + 1
	return h, true
}

// decimal64 reads a run of decimal digits, all of b, as a counter: one
// to 19 digits, so that it fits.
func decimal64(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}

// protoNumber reads a protocol given as its IANA number, "6".
func protoNumber(b []byte) (Protocol, bool) {
	v, ok := decimal(b, 3)
	return Protocol(v), ok && v <= 255
}

// kvSeparator tells the comma variant of key=value text from the usual
// one by what ends the first value: ',' or a blank.
func kvSeparator(b []byte) byte {
	for i := 0; i < len(b); {
		for i < len(b) && (b[i] == ' ' || b[i] == ',') {
			i++
		}
		eq := kvKeyEnd(b, i)
		if eq < 0 {
			for i < len(b) && b[i] != ' ' {
				i++
			}
			continue
		}
		v := eq + 1
		if v < len(b) && (b[v] == '"' || b[v] == '\'') {
			v = closingQuote(b, v+1, b[v]) + 1
		}
		for v < len(b) && b[v] != ' ' && b[v] != ',' {
			v++
		}
		if v < len(b) && b[v] == ',' {
			return ','
		}
		return ' '
	}
	return ' '
}
