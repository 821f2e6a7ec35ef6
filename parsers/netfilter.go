package parsers

import (
	"bytes"
	"net/netip"
)

// Netfilter's LOG target (iptables, ip6tables, nftables "log", ulogd's
// LOGEMU, Proxmox's pvefw-logger) prints the rule's log prefix glued to a
// run of key=value tokens and bare flags:
//
//	[UFW BLOCK] IN=eth0 OUT= MAC=... SRC=198.51.100.7 DST=192.0.2.1 LEN=60
//	TOS=0x00 PREC=0x00 TTL=52 ID=4120 DF PROTO=TCP SPT=51234 DPT=22
//	WINDOW=64240 RES=0x00 SYN URGP=0
//
// The kernel writes "PREFIX" "IN=%s OUT=%s " with nothing in between, so the
// prefix ends where the body's first key begins: usually IN=, OUT= when
// pvefw-logger omits an empty IN=. A line whose start was cut off by a
// syslog relay has no prefix and no IN=: it is accepted only when every
// token is a netfilter token (the first may be a fragment of one), which
// keeps application messages that merely mention "DPT=80" out.
//
// The record's fields come from the first SRC=, DST=, PROTO=, SPT= and DPT=
// outside brackets: an ICMP or ICMPv6 error quotes the offending packet as
// "[SRC=... PROTO=UDP SPT=53 DPT=40000 ...]", whose ports are not this
// record's, and "INCOMPLETE [N bytes]" and "OPT (...)" blobs are skipped
// whole. Ports are taken only for protocols that carry them; TCP or UDP
// without SPT=/DPT= (a non-first fragment, a truncated header) yields a
// record without ports.
//
// Record.Label is the prefix as logged, trimmed of blanks: brackets, quotes
// and a trailing ':' stay, and so does the "vmid loglevel chain timestamp"
// header pvefw-logger writes before the rule's own prefix. Text before an
// OUT= that starts the body is prefix too, even when it looks like a key
// ("XX=enp1s0 OUT= ..."): only IN= may come first in a body.
//
// The verdict is read from the prefix, which netfilter itself does not
// interpret: see nfPrefixAction. The direction follows IN= and OUT=: a
// packet with only IN= set came in, with only OUT= set went out; a
// forwarded (or bridged) packet has both and is left DirUnknown, because
// it is neither to nor from the logging host.

var (
	nfProtoKey = []byte("PROTO=")
	nfInKey    = []byte("IN=")
	nfOutKey   = []byte("OUT=")
)

// parseNetfilter parses the message part of a line (the syslog envelope is
// already stripped). It reports notMine for anything without the netfilter
// shape, leaving r untouched; broken (with e.Offset and e.Msg set, r
// untouched) for a netfilter line with an unreadable address, port or
// protocol; parsed once r is filled.
func parseNetfilter(msg []byte, r *Record, e *SyntaxError) result {
	// Every record has PROTO=; one SIMD scan rejects other formats.
	if !bytes.Contains(msg, nfProtoKey) {
		return notMine
	}
	start, truncated := netfilterBody(msg)
	var s nfScan
	if res := s.scan(msg, start, truncated); res != parsed {
		return res
	}
	if s.errMsg != "" {
		e.Offset, e.Msg = s.errOff, s.errMsg
		return broken
	}
	if s.proto.HasPorts() && s.hasSPT != s.hasDPT {
		if s.hasSPT {
			e.Offset, e.Msg = s.sptOff, "SPT= without DPT="
		} else {
			e.Offset, e.Msg = s.dptOff, "DPT= without SPT="
		}
		return broken
	}

	label := bytes.TrimSpace(msg[:start])
	if len(label) == 0 {
		label = nil
	}
	r.Label = label
	r.Action = nfPrefixAction(label)
	switch {
	case len(s.in) > 0 && len(s.out) == 0:
		r.Direction = DirIn
	case len(s.in) == 0 && len(s.out) > 0:
		r.Direction = DirOut
	}
	r.InIface, r.OutIface = s.in, s.out
	r.Src, r.Dst = s.src, s.dst
	r.Proto, r.HasProto = s.proto, true
	if s.proto.HasPorts() && s.hasDPT {
		r.SrcPort, r.DstPort, r.HasPorts = s.spt, s.dpt, true
	}
	return parsed
}

// netfilterBody returns where the key=value body starts: at the first
// IN= that begins a token or follows punctuation ("[WAN_IN-default-D]IN=",
// "DROP(src wan)IN=", "Shorewall:net2fw:DROP:IN="), or that is glued to a
// word but followed by the kernel's " OUT=" ("droppedIN=eth0 OUT="); failing
// that at an OUT= that begins a token (pvefw-logger prints no empty IN=).
// Without either, the line is taken as cut off at its start and truncated
// is set.
func netfilterBody(msg []byte) (start int, truncated bool) {
	for off := 0; ; {
		k := bytes.Index(msg[off:], nfInKey)
		if k < 0 {
			break
		}
		k += off
		off = k + len(nfInKey)
		if k == 0 || !nfWordByte(msg[k-1]) {
			return k, false
		}
		if k >= 4 && string(msg[k-4:k]) == "PHYS" {
			continue
		}
		v := off
		for v < len(msg) && msg[v] != ' ' {
			v++
		}
		if bytes.HasPrefix(msg[v:], []byte(" OUT=")) {
			return k, false
		}
	}
	for off := 0; ; {
		k := bytes.Index(msg[off:], nfOutKey)
		if k < 0 {
			break
		}
		k += off
		off = k + len(nfOutKey)
		if k == 0 || !nfWordByte(msg[k-1]) {
			return k, false
		}
	}
	return 0, true
}

// nfScan collects the fields of a netfilter body.
type nfScan struct {
	in, out          []byte
	src, dst         netip.Addr
	proto            Protocol
	hasProto         bool
	hasSrc, hasDst   bool
	spt, dpt         uint16
	hasSPT, hasDPT   bool
	sptOff, dptOff   int
	errOff           int
	errMsg           string // first malformed value, reported if the shape holds
	truncated, first bool
}

func (s *nfScan) fail(off int, msg string) {
	if s.errMsg == "" {
		s.errOff, s.errMsg = off, msg
	}
}

// scan reads the tokens of msg from i. It returns notMine when the body
// lacks PROTO= outside brackets, SRC= or DST= (unless the line was cut at
// its start) or, for a line cut at its start, holds a token netfilter
// never prints; otherwise parsed, with any malformed value noted in
// s.errMsg.
func (s *nfScan) scan(msg []byte, i int, truncated bool) result {
	s.truncated, s.first = truncated, truncated
	n := len(msg)
	tokens := 0
	for i < n {
		c := msg[i]
		if c == ' ' {
			i++
			continue
		}
		if c == '[' {
			// A quoted packet or "INCOMPLETE [N bytes]", both after
			// PROTO=. Unclosed, it runs to the end of a cut line:
			// nothing after it is ours.
			if s.truncated && !s.hasProto {
				return notMine
			}
			j := nfClosingBracket(msg, i)
			if j < 0 {
				break
			}
			i = j + 1
			s.first = false
			continue
		}
		j := i
		for j < n && msg[j] != '=' && msg[j] != ' ' {
			j++
		}
		if j < n && msg[j] == '=' {
			eq := j
			for j++; j < n && msg[j] != ' '; j++ {
			}
			if !s.field(msg, i, eq, j) {
				return notMine
			}
		} else {
			word := msg[i:j]
			if string(word) == "OPT" && j+1 < n && msg[j+1] == '(' {
				// IPv4 "OPT (0204...)", IPv6 "OPT ( FRAG:0 ID:... )".
				k := bytes.IndexByte(msg[j+1:], ')')
				if k < 0 {
					break
				}
				i = j + 1 + k + 1
				s.first = false
				tokens++
				continue
			}
			if s.truncated && !nfKnownFlag(word) && !s.cutOff(word) {
				return notMine
			}
		}
		s.first = false
		tokens++
		i = j
	}
	// The kernel prints SRC= and DST= before PROTO= in every IP record, so
	// a full body lacking them is text that happens to contain "IN=";
	// a line cut at its start may have lost them.
	if !s.hasProto || (truncated && tokens < 2) || (!truncated && !(s.hasSrc && s.hasDst)) {
		return notMine
	}
	return parsed
}

// cutOff reports whether tok, the first token of a line cut at its start,
// can be the tail of a netfilter token ("L=126" of "TTL=126", "0" of
// "TOS=0x00"): upper-case key letters, digits, hex and address punctuation,
// nothing like the lower-case words of an application message.
func (s *nfScan) cutOff(tok []byte) bool {
	if !s.first {
		return false
	}
	for _, c := range tok {
		switch {
		case 'A' <= c && c <= 'Z', isDigit(c), 'a' <= c && c <= 'f':
		case c == 'x', c == ':', c == '.', c == '=', c == '_', c == '-', c == '/':
		default:
			return false
		}
	}
	return true
}

// field handles the token msg[i:j] whose first '=' is at eq. It reports
// false when a cut-off line holds a key netfilter does not print.
func (s *nfScan) field(msg []byte, i, eq, j int) bool {
	key, val, v := msg[i:eq], msg[eq+1:j], eq+1
	if !s.truncated && !nfInterestingKey(key) {
		return true
	}
	switch string(key) {
	case "IN":
		if s.in == nil && len(val) > 0 {
			s.in = val
		}
	case "OUT":
		if s.out == nil && len(val) > 0 {
			s.out = val
		}
	case "SRC":
		if !s.hasSrc {
			s.hasSrc = true
			a, ok := parseAddr(val)
			if !ok {
				s.fail(v, "invalid source address")
			}
			s.src = a
		}
	case "DST":
		if !s.hasDst {
			s.hasDst = true
			a, ok := parseAddr(val)
			if !ok {
				s.fail(v, "invalid destination address")
			}
			s.dst = a
		}
	case "PROTO":
		if !s.hasProto {
			s.hasProto = true
			p, ok := nfProtocol(val)
			if !ok {
				s.fail(v, "unknown protocol")
			}
			s.proto = p
		}
	case "SPT":
		if !s.hasSPT {
			s.hasSPT, s.sptOff = true, v
			p, ok := nfPort(val)
			if !ok {
				s.fail(v, "invalid source port")
			}
			s.spt = p
		}
	case "DPT":
		if !s.hasDPT {
			s.hasDPT, s.dptOff = true, v
			p, ok := nfPort(val)
			if !ok {
				s.fail(v, "invalid destination port")
			}
			s.dpt = p
		}
	default:
		if s.truncated && !nfKnownKey(key) {
			return s.cutOff(msg[i:j])
		}
	}
	return true
}

// nfInterestingKey is a cheap filter for the keys field reads: most
// tokens (MAC, LEN, TOS, TTL...) are skipped without a string switch.
func nfInterestingKey(key []byte) bool {
	switch len(key) {
	case 2:
		return key[0] == 'I'
	case 3:
		c := key[0]
		return c == 'O' || c == 'S' || c == 'D'
	case 5:
		return key[0] == 'P'
	}
	return false
}

// nfClosingBracket returns the index of the ']' matching the '[' at msg[i],
// or -1.
func nfClosingBracket(msg []byte, i int) int {
	depth := 0
	for ; i < len(msg); i++ {
		switch msg[i] {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// nfProtocol reads PROTO=: a name the kernel or ulogd prints ("TCP",
// "UDPLITE", "ICMPv6") or the decimal number it prints for the rest.
func nfProtocol(b []byte) (Protocol, bool) {
	if len(b) > 0 && isDigit(b[0]) {
		if len(b) > 3 {
			return 0, false
		}
		v := 0
		for _, c := range b {
			if !isDigit(c) {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return Protocol(v), v <= 255
	}
	return LookupProtocol(b)
}

// nfPort reads a decimal port number.
func nfPort(b []byte) (uint16, bool) {
	if len(b) == 0 || len(b) > 5 {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return uint16(v), v <= 65535
}

// nfKnownKey reports whether key is one the kernel's nf_log_syslog,
// ulogd or pvefw-logger prints; only lines cut at their start are held
// to it.
func nfKnownKey(key []byte) bool {
	switch string(key) {
	case "IN", "OUT", "PHYSIN", "PHYSOUT", "MAC", "MACSRC", "MACDST", "MACPROTO",
		"VPROTO", "VID", "TUNNEL", "SRC", "DST", "LEN", "TOS", "PREC", "TTL",
		"ID", "TC", "HOPLIMIT", "FLOWLBL", "PROTO", "SPT", "DPT", "SEQ", "ACK",
		"WINDOW", "RES", "URGP", "TYPE", "CODE", "PARAMETER", "POINTER",
		"GATEWAY", "MTU", "SPI", "UID", "GID", "MARK":
		return true
	}
	return false
}

// nfKnownFlag reports whether word is a bare token of a netfilter body:
// IP and TCP flags, "INCOMPLETE", "TRUNCATED" or a fragment offset.
func nfKnownFlag(word []byte) bool {
	switch string(word) {
	case "CE", "DF", "MF", "AE", "CWR", "ECE", "URG", "ACK", "PSH", "RST",
		"SYN", "FIN", "INCOMPLETE", "TRUNCATED":
		return true
	}
	return len(word) > 5 && string(word[:5]) == "FRAG:"
}

// nfPrefixAction reads the verdict from a log prefix. Netfilter logs before
// the verdict and knows nothing of it, so this follows naming conventions:
// the first word (split at anything but letters and digits, case
// ignored) that names a verdict wins. DROP, BLOCK, DENY and their -ED forms
// are ActionBlock; REJECT is ActionReject; ACCEPT, ALLOW, PASS and
// SuSEfirewall2's ACC are ActionPass; UFW's AUDIT is ActionLog. Ubiquiti's
// single-letter rule actions count when a dash touches them:
// "[WAN_LOCAL-default-D]", "[WAN_OUT-2000-A]", "[WAN_LOCAL-D-2147483647]"
// (A accept, D drop, R reject). A prefix without such a word, "TRACE:" or
// free text, is ActionUnknown: the LOG rule did not say what came next.
func nfPrefixAction(prefix []byte) Action {
	for i := 0; i < len(prefix); {
		if !nfWordByte(prefix[i]) {
			i++
			continue
		}
		j := i
		for j < len(prefix) && nfWordByte(prefix[j]) {
			j++
		}
		if a := nfVerdictWord(prefix, i, j); a != ActionUnknown {
			return a
		}
		i = j
	}
	return ActionUnknown
}

func nfVerdictWord(prefix []byte, i, j int) Action {
	var buf [8]byte
	if j-i > len(buf) {
		return ActionUnknown
	}
	w := buf[:j-i]
	for k, c := range prefix[i:j] {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		w[k] = c
	}
	if len(w) == 1 {
		if !(i > 0 && prefix[i-1] == '-' || j < len(prefix) && prefix[j] == '-') {
			return ActionUnknown
		}
		switch w[0] {
		case 'A':
			return ActionPass
		case 'D':
			return ActionBlock
		case 'R':
			return ActionReject
		}
		return ActionUnknown
	}
	switch string(w) {
	case "DROP", "DROPPED", "BLOCK", "BLOCKED", "DENY", "DENIED":
		return ActionBlock
	case "REJECT", "REJECTED":
		return ActionReject
	case "ACCEPT", "ACCEPTED", "ALLOW", "ALLOWED", "PASS", "ACC":
		return ActionPass
	case "AUDIT":
		return ActionLog
	}
	return ActionUnknown
}

func nfWordByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
