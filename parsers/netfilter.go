package parsers

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
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
// record without ports, and one with DPT= but no SPT= a record whose
// source port is missing (Record.Partial). So does an SRC= or DST= that
// holds no address (masked, "SRC=35.xxx.xxx.xxx", or mistyped): the
// address is left out, the rest stands.
//
// Record.Label is the prefix as logged, trimmed of blanks: brackets, quotes
// and a trailing ':' stay, and so does the "vmid loglevel chain timestamp"
// header pvefw-logger writes before the rule's own prefix. Text before an
// OUT= that starts the body is prefix too, even when it looks like a key
// ("XX=enp1s0 OUT= ..."): only IN= may come first in a body.
//
// The verdict is read from the prefix, which netfilter itself does not
// interpret, by Parser.Parse unless NoAction is set: see nfPrefixAction.
// The direction follows IN= and OUT=: a
// packet with only IN= set came in, with only OUT= set went out; a
// forwarded (or bridged) packet has both and is left DirUnknown, because
// it is neither to nor from the logging host.

var (
	nfProtoKey = []byte("PROTO=")
	nfInKey    = []byte("IN=")
	nfOutKey   = []byte("OUT=")
)

// mayBeNetfilter is netfilter's pre-check. A record needs a PROTO=
// token (scanBody and scan both want one), so a line without "PROTO=" is
// not one; most records show themselves sooner, by the IN= that holds
// their line's first '='.
func mayBeNetfilter(s *lineShape) bool {
	eq := s.first('=')
	return eq >= 0 && (nfEqualsOfIN(s.b, eq) || s.contains(nfProtoKey))
}

// nfEqualsOfIN reports whether the '=' at line[eq] is that of an "IN=".
func nfEqualsOfIN(line []byte, eq int) bool {
	return eq >= 2 && line[eq-2] == 'I' && line[eq-1] == 'N'
}

// netfilter is the parser of netfilter's row: parseNetfilter, the TCP
// flags unless p.NoTCPFlags, and the verdict from the log prefix unless
// p.NoAction.
func (p *Parser) netfilter(msg []byte, r *Record) result {
	res := readNetfilter(msg, !p.NoTCPFlags, r, &p.err)
	if res == parsed && !p.NoAction {
		r.Action = p.verdicts.action(r.Label)
	}
	return res
}

// parseNetfilter parses the message part of a line (the syslog envelope is
// already stripped). It reports notMine for anything without the netfilter
// shape, leaving r untouched; broken (with e.Offset and e.Msg set, r
// untouched) for a netfilter line with an unreadable address, port or
// protocol; parsed once r is filled.
func parseNetfilter(msg []byte, r *Record, e *SyntaxError) result {
	return readNetfilter(msg, true, r, e)
}

// readNetfilter is parseNetfilter, which reads the TCP flags only when
// flags is set.
func readNetfilter(msg []byte, flags bool, r *Record, e *SyntaxError) result {
	start, truncated := netfilterBody(msg)
	res := scanNetfilter(msg, start, truncated, flags, r, e)
	if res == parsed {
		label := trimSpace(msg[:start])
		if len(label) == 0 {
			label = nil
		}
		r.Label = label
	}
	return res
}

// scanNetfilter is readNetfilter for a body found at msg[start:] by
// netfilterBody, but for the label.
func scanNetfilter(msg []byte, start int, truncated, flags bool, r *Record, e *SyntaxError) result {
	var s nfScan
	var res result
	if truncated {
		// Every record has PROTO=: one SIMD search turns away most
		// lines before the slow scan of a body that may be cut off.
		if !bytes.Contains(msg, nfProtoKey) {
			return notMine
		}
		res = s.scan(msg, start, true)
	} else {
		// No search for PROTO= first: scanBody needs a PROTO= token,
		// and finds one, or not, in the pass that reads the fields.
		res = s.scanBody(msg, start)
	}
	if res != parsed {
		return res
	}
	if s.errMsg != "" {
		e.Offset, e.Msg = s.errOff, s.errMsg
		return broken
	}
	if s.proto.HasPorts() && s.hasSPT && !s.hasDPT {
		e.Offset, e.Msg = s.sptOff, "SPT= without DPT="
		return broken
	}

	switch {
	case len(s.in) > 0 && len(s.out) == 0:
		r.Direction = DirIn
	case len(s.in) == 0 && len(s.out) > 0:
		r.Direction = DirOut
	}
	r.InIface, r.OutIface = s.in, s.out
	r.Src, r.Dst = s.src, s.dst
	r.Proto, r.HasProto = s.proto, true
	r.Partial = s.partial
	if s.proto.HasPorts() && s.hasDPT {
		r.SrcPort, r.DstPort, r.HasPorts = s.spt, s.dpt, true
		if !s.hasSPT {
			// A relay or a paste lost SPT=: the destination is what
			// matters.
			r.Partial |= PartialSrcPort
		}
		if flags && s.proto == ProtoTCP {
			r.TCPFlags, r.HasTCPFlags = nfTCPFlags(msg, nextBlank(msg, s.dptOff))
		}
	}
	return parsed
}

// nfTCPFlags reads the TCP flags the kernel prints as words after the
// ports (and SEQ=, ACK=, WINDOW=, RES=), right before URGP=:
//
//	SPT=51234 DPT=22 WINDOW=64240 RES=0x00 CWR ECE SYN URGP=0
//
// from msg[i:], right after the DPT= token: one search for the URGP=,
// then the words before it, four bytes each. Without URGP= the header
// was cut off ("INCOMPLETE [20 bytes]") or the line was, and the flags
// are unknown. "ACK" alone is the flag; "ACK=" is the acknowledgement
// number.
func nfTCPFlags(msg []byte, i int) (TCPFlags, bool) {
	k := bytes.Index(msg[i:], nfURGPKey)
	if k < 0 {
		return 0, false
	}
	j := i + k + 1 // the U of URGP=; each word read ends at j
	var f TCPFlags
	for {
		if j-5 >= i && msg[j-5] == ' ' {
			if g := nfFlagOfWord(binary.LittleEndian.Uint32(msg[j-4:])); g != 0 {
				f |= g
				j -= 4
				continue
			}
		}
		if j-4 >= i && msg[j-4] == ' ' && string(msg[j-3:j]) == "AE " {
			f |= TCPAE
			j -= 3
			continue
		}
		return f, true
	}
}

// nfFlagOfWord returns the TCP flag whose word, with the blank after it,
// is w, or 0.
func nfFlagOfWord(w uint32) TCPFlags {
	switch w {
	case nfWordSYN:
		return TCPSyn
	case nfWordACK:
		return TCPAck
	case nfWordFIN:
		return TCPFin
	case nfWordRST:
		return TCPRst
	case nfWordPSH:
		return TCPPsh
	case nfWordURG:
		return TCPUrg
	case nfWordECE:
		return TCPEce
	case nfWordCWR:
		return TCPCwr
	}
	return 0
}

var nfURGPKey = []byte(" URGP=")

// The TCP flags nfTCPFlags reads, each with the blank after it, as
// little-endian words.
const (
	nfWordSYN = 'S' | 'Y'<<8 | 'N'<<16 | ' '<<24
	nfWordACK = 'A' | 'C'<<8 | 'K'<<16 | ' '<<24
	nfWordFIN = 'F' | 'I'<<8 | 'N'<<16 | ' '<<24
	nfWordRST = 'R' | 'S'<<8 | 'T'<<16 | ' '<<24
	nfWordPSH = 'P' | 'S'<<8 | 'H'<<16 | ' '<<24
	nfWordURG = 'U' | 'R'<<8 | 'G'<<16 | ' '<<24
	nfWordECE = 'E' | 'C'<<8 | 'E'<<16 | ' '<<24
	nfWordCWR = 'C' | 'W'<<8 | 'R'<<16 | ' '<<24
)

// netfilterBody returns where the key=value body starts: at the first
// IN= that begins a token or follows punctuation ("[WAN_IN-default-D]IN=",
// "DROP(src wan)IN=", "Shorewall:net2fw:DROP:IN="), or that is glued to a
// word but followed by the kernel's " OUT=" ("droppedIN=eth0 OUT="); failing
// that at an OUT= that begins a token (pvefw-logger prints no empty IN=).
// Without either, the line is taken as cut off at its start and truncated
// is set.
func netfilterBody(msg []byte) (start int, truncated bool) {
	// Most prefixes hold no '=', so the first '=' is that of the body's
	// IN=, and one IndexByte finds it where bytes.Index would stop at
	// every 'I' of the prefix. Had no "IN=" occurrence ended at the first
	// '=' at k, none starts before k+1; had one, it is the first, and is
	// judged without a search that would find it again.
	k := bytes.IndexByte(msg, '=')
	if k < 0 {
		return 0, true // neither IN= nor OUT=
	}
	if k >= 2 && msg[k-2] == 'I' && msg[k-1] == 'N' && nfBodyInAt(msg, k-2) {
		return k - 2, false
	}
	for off := k + 1; ; {
		k := bytes.Index(msg[off:], nfInKey)
		if k < 0 {
			break
		}
		k += off
		off = k + len(nfInKey)
		if nfBodyInAt(msg, k) {
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

// nfBodyInAt reports whether the "IN=" at msg[k:] starts the body.
func nfBodyInAt(msg []byte, k int) bool {
	if k == 0 || !nfWordByte(msg[k-1]) {
		return true
	}
	if k >= 4 && string(msg[k-4:k]) == "PHYS" {
		return false
	}
	v := k + len(nfInKey)
	for v < len(msg) && msg[v] != ' ' {
		v++
	}
	return bytes.HasPrefix(msg[v:], []byte(" OUT="))
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
	partial          Partial // SRC= or DST= that is no address
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

// scanBody is scan for a body that was not cut off, which is nearly
// every line, with the same result, reached sooner:
//
//   - kernelLayout first reads the tokens the kernel prints in a fixed
//     order, as long as they come in that order.
//   - Each token is looked at as the word of eight bytes it starts with
//     (load8): its blank is found in that word for most tokens, and its
//     key is told by comparing the word with the few keys a record
//     needs. A token whose key is SRC starts with "SRC=" and no other
//     does, so the '=' of the keys nobody reads is never looked for.
//   - It stops once SRC=, DST=, PROTO=, SPT= and DPT= have been seen
//     (settle).
//
// Brackets and "OPT (" groups are skipped as scan skips them.
func (s *nfScan) scanBody(msg []byte, i int) result {
	n := len(msg)
	i = s.kernelLayout(msg, i)
	settled := false // the rest of the line may hold an IN= or OUT= that counts
	if s.seenAll() {
		if s.settle(msg[i:]) {
			return parsed
		}
		settled = true
	}
	for i < n {
		w := load8(msg, i)
		switch byte(w) {
		case ' ':
			i++
			continue
		case '[':
			j := nfClosingBracket(msg, i)
			if j < 0 {
				return s.scanned()
			}
			i = j + 1
			continue
		}
		e := nfTokenEnd(msg, i, w)
		k, klen := nfKeyOfWord(w)
		if k == nfNoKey {
			if w&0xff_ffff_ffff == nfWordOPT {
				// "OPT (...)": i+4 is the '('.
				close := bytes.IndexByte(msg[i+4:], ')')
				if close < 0 {
					return s.scanned()
				}
				i += 4 + close + 1
				continue
			}
			i = e
			continue
		}
		s.value(k, msg[i+klen:e], i+klen)
		i = e
		if !settled && s.seenAll() {
			if s.settle(msg[i:]) {
				return parsed
			}
			settled = true
		}
	}
	return s.scanned()
}

// seenAll reports whether the keys whose first occurrence makes the
// record have all been read.
func (s *nfScan) seenAll() bool {
	return s.hasSrc && s.hasDst && s.hasProto && s.hasSPT && s.hasDPT
}

// settle reports whether, all keys seen, the rest of the line can change
// nothing: only a key's first occurrence counts, so later tokens matter
// only for an IN= or OUT= still empty, and one search of rest for "IN="
// or "OUT=" says whether there is one.
func (s *nfScan) settle(rest []byte) bool {
	// What follows DPT= (SEQ= ACK= WINDOW= RES= flags URGP=, or LEN=)
	// rarely holds a 'T', and without one there is no "OUT=": a search
	// for one byte is quicker than one for four.
	return (s.in != nil || !bytes.Contains(rest, nfInKey)) &&
		(s.out != nil || bytes.IndexByte(rest, 'T') < 0 || !bytes.Contains(rest, nfOutKey))
}

// nfTokenEnd returns the index of the blank that ends the token at msg[i:]
// (or len(msg)), given w = load8(msg, i).
func nfTokenEnd(msg []byte, i int, w uint64) int {
	if z := zeroBytes(w ^ (lsbs * ' ')); z != 0 {
		return i + bits.TrailingZeros64(z)/8
	}
	if i+8 < len(msg) {
		return nextBlank(msg, i+8)
	}
	return len(msg)
}

// kernelLayout reads, from msg[i:], the tokens that the kernel's
// nf_log_syslog prints in a fixed order, for as long as they come in that
// order:
//
//	IN= OUT= MAC= SRC= DST= LEN= TOS= PREC= TTL= ID= [CE] [DF] [MF] PROTO= SPT= DPT=
//	IN= OUT= MAC= SRC= DST= LEN= TC= HOPLIMIT= FLOWLBL= PROTO= SPT= DPT=
//
// (OUT= and MAC= may be missing). It returns where it stopped, at a
// token or a blank, for scanBody to go on from there. Each step is one
// comparison of a token's first bytes with the key expected there, and
// it reads and skips tokens exactly as scanBody's loop would: a token it
// skips starts with a key none of nfKeyOfWord's, and is neither a '['
// nor "OPT". Its straight line of branches, each mostly taken the same
// way, is what makes it quicker than the loop.
func (s *nfScan) kernelLayout(msg []byte, i int) int {
	e := nfAt(msg, i, nfWordIN, 0xff_ffff)
	if e < 0 {
		return i
	}
	takeIface(&s.in, msg[i+3:e])
	i = e + 1
	if e = nfAt(msg, i, nfWordOUT, 0xffff_ffff); e >= 0 {
		takeIface(&s.out, msg[i+4:e])
		i = e + 1
	}
	if e = nfAt(msg, i, nfWordMAC, 0xffff_ffff); e >= 0 {
		i = e + 1
	}
	if e = s.layoutAddr(msg, i, nfWordSRC, nfSRC); e < 0 {
		return min(i, len(msg))
	}
	i = e + 1
	if e = s.layoutAddr(msg, i, nfWordDST, nfDST); e < 0 {
		return min(i, len(msg))
	}
	i = e + 1
	if e = nfAt(msg, i, nfWordLEN, 0xffff_ffff); e < 0 {
		return min(i, len(msg))
	}
	i = e + 1
	ipv4 := false
	if n := nfTOSPREC(msg, i); n > 0 {
		i, ipv4 = i+n, true
	} else if e = nfAt(msg, i, nfWordTOS, 0xffff_ffff); e >= 0 {
		i = e + 1
		if e = nfAt(msg, i, nfWordPREC, 0xff_ffff_ffff); e < 0 {
			return min(i, len(msg))
		}
		i, ipv4 = e+1, true
	}
	if ipv4 {
		if e = nfAt(msg, i, nfWordTTL, 0xffff_ffff); e < 0 {
			return min(i, len(msg))
		}
		i = e + 1
		if e = nfAt(msg, i, nfWordID, 0xff_ffff); e < 0 {
			return min(i, len(msg))
		}
		i = e + 1
		// The IP flags, bare words.
		for {
			if e = nfFlagAt(msg, i); e < 0 {
				break
			}
			i = e + 1
		}
	} else {
		if e = nfAt(msg, i, nfWordTC, 0xff_ffff); e < 0 {
			return min(i, len(msg))
		}
		i = e + 1
		if e = nfAt(msg, i, nfWordHOPLIMIT, 0xffff_ffff_ffff_ffff); e < 0 {
			return min(i, len(msg))
		}
		i = e + 1
		if e = nfAt(msg, i, nfWordFLOWLBL, 0xffff_ffff_ffff_ffff); e < 0 {
			return min(i, len(msg))
		}
		i = e + 1
	}
	if e = nfAt(msg, i, nfWordPROTO, 0xffff_ffff_ffff); e < 0 {
		return min(i, len(msg))
	}
	s.takeProto(msg[i+6:e], i+6)
	i = e + 1
	if e = nfAt(msg, i, nfWordSPT, 0xffff_ffff); e < 0 {
		return min(i, len(msg))
	}
	s.takeSPT(msg[i+4:e], i+4)
	i = e + 1
	if e = nfAt(msg, i, nfWordDPT, 0xffff_ffff); e < 0 {
		return min(i, len(msg))
	}
	s.takeDPT(msg[i+4:e], i+4)
	return min(e+1, len(msg))
}

// layoutAddr reads the address of SRC= or DST= (word, k) at msg[i:] for
// kernelLayout, and returns the end of its token, or -1. An IPv4 address
// that a blank follows is read in the same pass that finds its end; any
// other value goes through value as scanBody would send it.
func (s *nfScan) layoutAddr(msg []byte, i int, word uint64, k nfKey) int {
	if i+8 > len(msg) || uint32(binary.LittleEndian.Uint64(msg[i:])) != uint32(word) {
		return -1
	}
	var a [4]byte
	if e, ok := dottedQuadPrefix(msg, i+4, &a); ok && (e == len(msg) || msg[e] == ' ') {
		// The quad has no blank, so e ends the token.
		// What value would do with an address parseAddr accepts. The
		// kernel prints SRC= and DST= once each; first occurrence is
		// still checked so that this stays value's twin.
		if k == nfSRC && !s.hasSrc {
			s.hasSrc, s.src = true, netip.AddrFrom4(a)
		} else if k == nfDST && !s.hasDst {
			s.hasDst, s.dst = true, netip.AddrFrom4(a)
		}
		return e
	}
	e := nfAt(msg, i, word, 0xffff_ffff)
	s.value(k, msg[i+4:e], i+4)
	return e
}

// nfTOSPREC returns the length, with their blanks, of the TOS= and PREC=
// tokens at msg[i:] when they are as the kernel prints them, "TOS=0x%02X
// PREC=0x%02X ", or 0. Their fixed width puts the token after them at a
// known place, and kernelLayout goes on from there at once, where
// finding each token's end would have waited for its bytes: what nfAt
// would find is only checked, off that chain of loads.
func nfTOSPREC(msg []byte, i int) int {
	const n = len("TOS=0x00 PREC=0x00 ")
	if i+n > len(msg) {
		return 0
	}
	tos, prec := binary.LittleEndian.Uint64(msg[i:]), binary.LittleEndian.Uint64(msg[i+9:])
	if tos&0xffff_ffff_ffff != nfWordTOS0x || prec&0xff_ffff_ffff_ffff != nfWordPREC0x ||
		zeroBytes(tos^(lsbs*' '))|zeroBytes(prec^(lsbs*' ')) != 0 ||
		msg[i+8] != ' ' || msg[i+17] == ' ' || msg[i+18] != ' ' {
		return 0
	}
	return n
}

// nfFlagAt is nfAt for the IP flags kernelLayout reads, "CE", "DF" and
// "MF": their word holds the blank after them, so a match tells where
// the token ends without looking for it.
func nfFlagAt(msg []byte, i int) int {
	if i+8 > len(msg) {
		return -1
	}
	switch binary.LittleEndian.Uint64(msg[i:]) & 0xff_ffff {
	case nfWordDF, nfWordCE, nfWordMF:
		return i + 2
	}
	return -1
}

// nfAt returns the index of the blank (or the end of msg) that ends the
// token at msg[i:] when the token's first eight bytes, masked, are word;
// otherwise, or when fewer than eight bytes are left, -1.
func nfAt(msg []byte, i int, word, mask uint64) int {
	if i+8 > len(msg) {
		return -1
	}
	w := binary.LittleEndian.Uint64(msg[i:])
	if w&mask != word {
		return -1
	}
	if z := zeroBytes(w ^ (lsbs * ' ')); z != 0 {
		return i + bits.TrailingZeros64(z)/8
	}
	return nextBlank(msg, i+8)
}

// scanned is the verdict of a full body: the kernel prints SRC= and DST=
// before PROTO= in every IP record, so a body lacking them is text that
// happens to contain "IN=".
func (s *nfScan) scanned() result {
	if !s.hasProto || !s.hasSrc || !s.hasDst {
		return notMine
	}
	return parsed
}

// The first bytes of the tokens scanBody looks for, as little-endian
// words: nfWordSRC is "SRC=".
const (
	nfWordIN    = 'I' | 'N'<<8 | '='<<16
	nfWordOUT   = 'O' | 'U'<<8 | 'T'<<16 | '='<<24
	nfWordSRC   = 'S' | 'R'<<8 | 'C'<<16 | '='<<24
	nfWordDST   = 'D' | 'S'<<8 | 'T'<<16 | '='<<24
	nfWordSPT   = 'S' | 'P'<<8 | 'T'<<16 | '='<<24
	nfWordDPT   = 'D' | 'P'<<8 | 'T'<<16 | '='<<24
	nfWordPROTO = 'P' | 'R'<<8 | 'O'<<16 | 'T'<<24 | 'O'<<32 | '='<<40
	nfWordOPT   = 'O' | 'P'<<8 | 'T'<<16 | ' '<<24 | '('<<32

	// Keys and flags kernelLayout skips, with the blank after a flag.
	nfWordMAC      = 'M' | 'A'<<8 | 'C'<<16 | '='<<24
	nfWordLEN      = 'L' | 'E'<<8 | 'N'<<16 | '='<<24
	nfWordTOS      = 'T' | 'O'<<8 | 'S'<<16 | '='<<24
	nfWordTOS0x    = nfWordTOS | '0'<<32 | 'x'<<40
	nfWordPREC     = 'P' | 'R'<<8 | 'E'<<16 | 'C'<<24 | '='<<32
	nfWordPREC0x   = nfWordPREC | '0'<<40 | 'x'<<48
	nfWordTTL      = 'T' | 'T'<<8 | 'L'<<16 | '='<<24
	nfWordID       = 'I' | 'D'<<8 | '='<<16
	nfWordTC       = 'T' | 'C'<<8 | '='<<16
	nfWordHOPLIMIT = 'H' | 'O'<<8 | 'P'<<16 | 'L'<<24 | 'I'<<32 | 'M'<<40 | 'I'<<48 | 'T'<<56
	nfWordFLOWLBL  = 'F' | 'L'<<8 | 'O'<<16 | 'W'<<24 | 'L'<<32 | 'B'<<40 | 'L'<<48 | '='<<56
	nfWordDF       = 'D' | 'F'<<8 | ' '<<16
	nfWordCE       = 'C' | 'E'<<8 | ' '<<16
	nfWordMF       = 'M' | 'F'<<8 | ' '<<16
)

// nfKeyOfWord tells which of the keys a record needs starts the token
// whose first eight bytes are w, and the length of that key with its '='.
func nfKeyOfWord(w uint64) (nfKey, int) {
	switch uint32(w) {
	case nfWordSRC:
		return nfSRC, 4
	case nfWordDST:
		return nfDST, 4
	case nfWordSPT:
		return nfSPT, 4
	case nfWordDPT:
		return nfDPT, 4
	case nfWordOUT:
		return nfOUT, 4
	}
	if w&0xff_ffff == nfWordIN {
		return nfIN, 3
	}
	if w&0xffff_ffff_ffff == nfWordPROTO {
		return nfPROTO, 6
	}
	return nfNoKey, 0
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
	key := msg[i:eq]
	if !s.truncated && !nfInterestingKey(key) {
		return true
	}
	k := nfNoKey
	switch string(key) {
	case "IN":
		k = nfIN
	case "OUT":
		k = nfOUT
	case "SRC":
		k = nfSRC
	case "DST":
		k = nfDST
	case "PROTO":
		k = nfPROTO
	case "SPT":
		k = nfSPT
	case "DPT":
		k = nfDPT
	default:
		if s.truncated && !nfKnownKey(key) {
			return s.cutOff(msg[i:j])
		}
		return true
	}
	s.value(k, msg[eq+1:j], eq+1)
	return true
}

// nfKey names the keys whose values make a record.
type nfKey uint8

const (
	nfNoKey nfKey = iota
	nfIN
	nfOUT
	nfSRC
	nfDST
	nfPROTO
	nfSPT
	nfDPT
)

// value takes the value val, at offset v of the message, of key k. Only a
// key's first occurrence counts (the first non-empty one for IN= and
// OUT=), and only the first malformed value is reported.
func (s *nfScan) value(k nfKey, val []byte, v int) {
	switch k {
	case nfIN:
		takeIface(&s.in, val)
	case nfOUT:
		takeIface(&s.out, val)
	case nfSRC:
		s.takeAddr(&s.hasSrc, &s.src, val, PartialSrc)
	case nfDST:
		s.takeAddr(&s.hasDst, &s.dst, val, PartialDst)
	case nfPROTO:
		s.takeProto(val, v)
	case nfSPT:
		s.takeSPT(val, v)
	case nfDPT:
		s.takeDPT(val, v)
	}
}

// The take functions are value for one kind of key each, for
// kernelLayout, which knows the key and need not go through value's
// switch.

func takeIface(iface *[]byte, val []byte) {
	if *iface == nil && len(val) > 0 {
		*iface = val
	}
}

// takeAddr reads an address. One it cannot read ("35.xxx.xxx.xxx", "…"
// where a log was masked before it was shared, a mistyped IPv6) is left
// out, and the record marked partial: the key says what the field is,
// and the rest of the record stands.
func (s *nfScan) takeAddr(seen *bool, addr *netip.Addr, val []byte, part Partial) {
	if !*seen {
		*seen = true
		a, ok := parseAddr(val)
		if !ok {
			s.partial |= part
		}
		*addr = a
	}
}

func (s *nfScan) takeProto(val []byte, v int) {
	if !s.hasProto {
		s.hasProto = true
		p, ok := nfProtocol(val)
		if !ok {
			s.fail(v, "unknown protocol")
		}
		s.proto = p
	}
}

func (s *nfScan) takeSPT(val []byte, v int) {
	s.takePort(&s.hasSPT, &s.sptOff, &s.spt, val, v, "invalid source port")
}

func (s *nfScan) takeDPT(val []byte, v int) {
	s.takePort(&s.hasDPT, &s.dptOff, &s.dpt, val, v, "invalid destination port")
}

func (s *nfScan) takePort(seen *bool, off *int, port *uint16, val []byte, v int, bad string) {
	if !*seen {
		*seen, *off = true, v
		p, ok := parsePort(val)
		if !ok {
			s.fail(v, bad)
		}
		*port = p
	}
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
	// The kernel's own spellings first, as LookupProtocol reads them.
	switch string(b) {
	case "TCP":
		return ProtoTCP, true
	case "UDP":
		return ProtoUDP, true
	case "ICMP":
		return ProtoICMP, true
	}
	if len(b) > 0 && isDigit(b[0]) {
		v, ok := decimal(b, 3)
		return Protocol(v), ok && v <= 255
	}
	return LookupProtocol(b)
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

// verdictMemo remembers the verdicts of recent log prefixes. A log
// repeats a few prefixes, one per rule, and finding one in the memo
// costs less than nfPrefixAction's walk through its words, whose
// branches the variety of prefixes defeats.
type verdictMemo struct {
	slots []verdictSlot // 1 << verdictMemoBits, made at first use
	seed  maphash.Seed
}

const verdictMemoBits = 8

type verdictSlot struct {
	prefix []byte
	action Action
	used   bool
}

// action is nfPrefixAction(prefix), from the memo when it has it.
func (m *verdictMemo) action(prefix []byte) Action {
	if m.slots == nil {
		m.slots = make([]verdictSlot, 1<<verdictMemoBits)
		m.seed = maphash.MakeSeed()
	}
	s := &m.slots[maphash.Bytes(m.seed, prefix)>>(64-verdictMemoBits)]
	if s.used && string(s.prefix) == string(prefix) {
		return s.action
	}
	a := nfPrefixAction(prefix)
	s.prefix, s.action, s.used = append(s.prefix[:0], prefix...), a, true
	return a
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
		u := nfWordUpper[prefix[i]]
		if u == 0 {
			i++
			continue
		}
		j := i + 1
		switch u {
		case 'A', 'B', 'D', 'P', 'R': // the initials of the verdict words
			// Pack the word, upper-cased, into w: a verdict word has at
			// most eight letters, and comparing words is comparing
			// integers.
			w := uint64(u)
			for ; j < len(prefix); j++ {
				u := nfWordUpper[prefix[j]]
				if u == 0 {
					break
				}
				if j-i < 8 {
					w |= uint64(u) << (8 * (j - i))
				}
			}
			if a := nfVerdictWord(prefix, i, j, w); a != ActionUnknown {
				return a
			}
		default: // no verdict: skip the word
			for j < len(prefix) && nfWordUpper[prefix[j]] != 0 {
				j++
			}
		}
		i = j
	}
	return ActionUnknown
}

// nfVerdictWord reads the word prefix[i:j], packed upper-cased in w.
func nfVerdictWord(prefix []byte, i, j int, w uint64) Action {
	switch n := j - i; {
	case n > 8:
		return ActionUnknown
	case n == 1:
		if !(i > 0 && prefix[i-1] == '-' || j < len(prefix) && prefix[j] == '-') {
			return ActionUnknown
		}
		switch w {
		case 'A':
			return ActionPass
		case 'D':
			return ActionBlock
		case 'R':
			return ActionReject
		}
		return ActionUnknown
	}
	switch w {
	case nfVerdictDrop, nfVerdictDropped, nfVerdictBlock, nfVerdictBlocked, nfVerdictDeny, nfVerdictDenied:
		return ActionBlock
	case nfVerdictReject, nfVerdictRejected:
		return ActionReject
	case nfVerdictAccept, nfVerdictAccepted, nfVerdictAllow, nfVerdictAllowed, nfVerdictPass, nfVerdictAcc:
		return ActionPass
	case nfVerdictAudit:
		return ActionLog
	}
	return ActionUnknown
}

// The verdict words, packed as nfPrefixAction packs them: the first
// letter in the low byte.
const (
	nfVerdictDrop     = 'D' | 'R'<<8 | 'O'<<16 | 'P'<<24
	nfVerdictDropped  = 'D' | 'R'<<8 | 'O'<<16 | 'P'<<24 | 'P'<<32 | 'E'<<40 | 'D'<<48
	nfVerdictBlock    = 'B' | 'L'<<8 | 'O'<<16 | 'C'<<24 | 'K'<<32
	nfVerdictBlocked  = 'B' | 'L'<<8 | 'O'<<16 | 'C'<<24 | 'K'<<32 | 'E'<<40 | 'D'<<48
	nfVerdictDeny     = 'D' | 'E'<<8 | 'N'<<16 | 'Y'<<24
	nfVerdictDenied   = 'D' | 'E'<<8 | 'N'<<16 | 'I'<<24 | 'E'<<32 | 'D'<<40
	nfVerdictReject   = 'R' | 'E'<<8 | 'J'<<16 | 'E'<<24 | 'C'<<32 | 'T'<<40
	nfVerdictRejected = 'R' | 'E'<<8 | 'J'<<16 | 'E'<<24 | 'C'<<32 | 'T'<<40 | 'E'<<48 | 'D'<<56
	nfVerdictAccept   = 'A' | 'C'<<8 | 'C'<<16 | 'E'<<24 | 'P'<<32 | 'T'<<40
	nfVerdictAccepted = 'A' | 'C'<<8 | 'C'<<16 | 'E'<<24 | 'P'<<32 | 'T'<<40 | 'E'<<48 | 'D'<<56
	nfVerdictAllow    = 'A' | 'L'<<8 | 'L'<<16 | 'O'<<24 | 'W'<<32
	nfVerdictAllowed  = 'A' | 'L'<<8 | 'L'<<16 | 'O'<<24 | 'W'<<32 | 'E'<<40 | 'D'<<48
	nfVerdictPass     = 'P' | 'A'<<8 | 'S'<<16 | 'S'<<24
	nfVerdictAcc      = 'A' | 'C'<<8 | 'C'<<16
	nfVerdictAudit    = 'A' | 'U'<<8 | 'D'<<16 | 'I'<<24 | 'T'<<32
)

// nfWordUpper maps the bytes of a prefix's words (ASCII letters and
// digits) to themselves upper-cased, and every other byte to 0.
var nfWordUpper = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c)
		t[c+'a'-'A'] = byte(c)
	}
	return t
}()

func nfWordByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
