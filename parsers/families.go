package parsers

import (
	"bytes"
	"math"
	"strings"
)

// Format names the family of firewall log a record came from: a row of
// families.
type Format uint8

// A family's Format is declared here, beside the others; its row in
// families says everything else. FormatCount stays last.
const (
	FormatUnknown         Format = iota
	FormatNetfilter              // iptables, ip6tables, nftables log, ulogd LOGEMU
	FormatPF                     // OpenBSD/FreeBSD pf as printed by tcpdump on pflog
	FormatFilterlog              // pfSense/OPNsense filterlog CSV
	FormatWindowsFirewall        // Windows Defender Firewall pfirewall.log
	FormatCiscoASA               // Cisco ASA, PIX, FWSM and Firepower Threat Defense
	FormatFortigate              // FortiOS key=value, its comma variant and CEF
	FormatSonicwall              // SonicOS key=value and CEF
	FormatPanos                  // PAN-OS CSV, CEF and JSON
	FormatSophos                 // Sophos SFOS (XG) and UTM packet filter key=value

	// FormatCount is one more than the last family's Format: the length
	// of arrays indexed by Format.
	FormatCount
)

// families is every log family Parse detects, in the order it tries
// them. A family is a row: the name users see, the syslog tags and
// message markers that put it first, its pre-check and its parser.
//
// Adding a family: its own file (pre-check and parser, nothing else), a
// test file, an example log in examples/, a Format constant above and a
// row here. Nothing else names a family: --format, --stats, --explain,
// the report and the JSON output all read this table. (Listings follow
// the Format constants; --explain's answers, the order of this table.)
//
// The row's pre-check (may) is what keeps a line that is no firewall
// record cheap, however many families there are. It is asked about the
// whole line before its envelope is read (about the decoded message, in
// a JSON object), and may answer false only for lines whose message the
// parser would turn away (notMine) under any envelope. So it looks for
// what every record of the family contains, wherever it is: a byte, a
// substring, a number of commas; not what the line starts with, since
// the envelope comes first. It is a test on the lineShape's shared
// searches (first, commaCount), which every family asking about the same
// byte shares, plus at most one search of its own (contains), made only
// when the shared ones pass: pick a byte its records always hold and
// other lines rarely do. BenchmarkNoise and TestNoiseSearches keep a
// line that is no record at a few searches; TestFastPathsAgree checks
// that each pre-check speaks for its parser.
//
// Rows are tried in table order, except that a row whose tag is the
// line's syslog tag ("filterlog[123]:"), or whose marker the message
// starts with ("%ASA-"), is tried first. A family whose records another
// row's parser could also read needs a tag or marker, or an earlier row:
// that is how the line reaches it first. Netfilter stays first. Tags and
// markers are not free: plain text mode reads a netfilter record
// straight from its body, and first rules out that the line names
// another family before the body (preempted) by searching the few dozen
// bytes before the body for a byte of each tag and marker; tags and
// markers that share a byte share the search.
var families = [...]family{
	{format: FormatNetfilter, name: "netfilter", may: mayBeNetfilter, parse: (*Parser).netfilter},
	{format: FormatFilterlog, name: "filterlog", tags: []string{"filterlog"}, may: mayBeFilterlog, parse: (*Parser).filterlog},
	{format: FormatPF, name: "pf", tags: []string{"pf", "pflogd", "pflog"}, may: mayBePF, parse: (*Parser).pf},
	{format: FormatWindowsFirewall, name: "windows-firewall", whole: true, may: mayBeWindowsFirewall, parse: (*Parser).windowsFirewall},
	// No marker: no row before it reads Cisco's messages, and "%ASA-"
	// would cost every netfilter line in plain text mode a search.
	{format: FormatCiscoASA, name: "cisco-asa", may: mayBeCiscoASA, parse: (*Parser).ciscoASA},
	{format: FormatPanos, name: "panos", may: mayBePanos, parse: (*Parser).panos},
	{format: FormatFortigate, name: "fortigate", may: mayBeFortigate, parse: (*Parser).fortigate},
	{format: FormatSonicwall, name: "sonicwall", may: mayBeSonicwall, parse: (*Parser).sonicwall},
	{format: FormatSophos, name: "sophos", may: mayBeSophos, parse: (*Parser).sophos},
}

// family is one row of families.
type family struct {
	format  Format
	name    string   // --format NAME, portnote.format, --stats, --explain
	tags    []string // syslog program names that put the row first
	markers []string // what a message of the family starts with: puts the row first
	// whole says a record of the family may be a line of its own whose
	// start an envelope would misread (a table row beginning with its
	// date and time): when the row's pre-check is the first to pass, its
	// parser reads the whole line before the envelope is read.
	whole bool
	may   func(s *lineShape) bool

	// parse reads the message the envelope left: notMine leaves r as
	// it was; broken sets p.err's Offset, in msg, and Msg; parsed fills
	// r but for Format, which the dispatcher sets.
	parse func(p *Parser, msg []byte, r *Record) result
}

// rowOf is the index in families of each Format's row, -1 for none.
var rowOf = func() (rows [FormatCount]int) {
	for f := range rows {
		rows[f] = -1
	}
	for i := range families {
		f := families[i].format
		if f == FormatUnknown || f >= FormatCount || rows[f] >= 0 {
			panic("parsers: families: bad or repeated Format " + families[i].name)
		}
		rows[f] = i
	}
	return rows
}()

// String returns the family's name, as used in output and on the
// command line ("netfilter", "pf", "filterlog"...), or "" for
// FormatUnknown.
func (f Format) String() string {
	if f < FormatCount && rowOf[f] >= 0 {
		return families[rowOf[f]].name
	}
	return ""
}

// ParseFormat is the inverse of Format.String.
func ParseFormat(s string) (Format, bool) {
	for i := range families {
		if families[i].name == s {
			return families[i].format, true
		}
	}
	return FormatUnknown, false
}

// Formats returns every family's Format in the order Parse tries them
// on a line whose syslog tag names none of them.
func Formats() []Format {
	fs := make([]Format, len(families))
	for i := range families {
		fs[i] = families[i].format
	}
	return fs
}

// lead is a tag or marker of a row.
type lead struct {
	s      string
	row    int
	marker bool // a message marker, not a syslog tag
	at     int  // where in s its byte of leadsBy is
}

// leads holds every row's tags and markers by their first byte, for
// leaderOf. leadsBy holds them again by one of their bytes, which
// preempted searches for: the bytes of leadSearch, few, since one byte
// may stand for several ("pf", "pflog" and "filterlog" share an 'f').
// leadMax is the length of the longest marker.
var leads, leadsBy, leadSearch, leadMax = func() (first, by [256][]lead, search []byte, n int) {
	var all []lead
	for i := range families {
		for _, s := range families[i].tags {
			all = append(all, lead{s: s, row: i})
		}
		for _, s := range families[i].markers {
			all = append(all, lead{s: s, row: i, marker: true})
			n = max(n, len(s))
		}
	}
	for _, l := range all {
		first[l.s[0]] = append(first[l.s[0]], l)
	}
	// Greedily, the byte that most leads not yet covered hold.
	left := all
	for len(left) > 0 {
		var holders [256]int
		for _, l := range left {
			var seen [256]bool
			for k := range len(l.s) {
				if c := l.s[k]; !seen[c] {
					seen[c] = true
					holders[c]++
				}
			}
		}
		best := 0
		for c := range holders {
			if holders[c] > holders[best] {
				best = c
			}
		}
		c := byte(best)
		search = append(search, c)
		var rest []lead
		for _, l := range left {
			if k := strings.IndexByte(l.s, c); k >= 0 {
				l.at = k
				by[c] = append(by[c], l)
			} else {
				rest = append(rest, l)
			}
		}
		left = rest
	}
	return first, by, search, n
}()

// leadStart has bit 1 set for the first byte of each tag, and bit 2 for
// that of each marker: leaderOf's quick look at a line's tag and message.
var leadStart = func() (t [256]uint8) {
	for _, ls := range leads {
		for _, l := range ls {
			if l.marker {
				t[l.s[0]] |= 2
			} else {
				t[l.s[0]] |= 1
			}
		}
	}
	return t
}()

// netfilterRow is the row of netfilter, whose records plain text mode
// reads past their envelope.
var netfilterRow = rowOf[FormatNetfilter]

// leaderOf returns the row that the syslog tag or the start of the
// message names, or -1.
func leaderOf(tag, msg []byte) int {
	if len(tag) > 0 && leadStart[tag[0]]&1 != 0 {
		for _, l := range leads[tag[0]] {
			if !l.marker && isTag(tag, l.s) {
				return l.row
			}
		}
	}
	if len(msg) > 0 && leadStart[msg[0]]&2 != 0 {
		for _, l := range leads[msg[0]] {
			if l.marker && startsWith(msg, l.s) {
				return l.row
			}
		}
	}
	return -1
}

// preempted reports whether a row other than netfilter's could take the
// line before netfilter does, for a line whose netfilter body starts at
// in: one earlier in the table whose pre-check passes, or one whose tag
// or marker is in the line before the body and whose pre-check passes.
// The envelope ends, and the message starts, at or before in, so a tag
// lies before in, and a marker before in+leadMax. That head is short,
// and searched once for each of leadSearch: a tag or marker that shares
// no byte with the others costs every netfilter line in plain text mode
// one search of the few dozen bytes before its IN=.
func preempted(s *lineShape, in int) bool {
	for i := range netfilterRow {
		if s.may(i) {
			return true
		}
	}
	head := s.b[:min(len(s.b), in+leadMax)]
	for _, c := range leadSearch {
		if k := bytes.IndexByte(head, c); k >= 0 && leadsFrom(s, head, k) {
			return true
		}
	}
	return false
}

// leadsFrom is preempted for the head from k on, where a byte of
// leadSearch is. A syslog tag is followed by the ':' or the '[pid]' that
// made it one.
func leadsFrom(s *lineShape, head []byte, k int) bool {
	c := head[k]
	for {
		for _, l := range leadsBy[c] {
			j, end := k-l.at, k-l.at+len(l.s)
			if j < 0 || end > len(head) || !l.marker && (end == len(head) || head[end] != ':' && head[end] != '[') {
				continue
			}
			if string(head[j:end]) == l.s && l.row != netfilterRow && s.may(l.row) {
				return true
			}
		}
		next := bytes.IndexByte(head[k+1:], c)
		if next < 0 {
			return false
		}
		k += 1 + next
	}
}

// lineShape answers the pre-checks' questions about a line: where its
// first '=' is, how many commas it holds... Each answer costs one SIMD
// search, made on the first question and remembered, so families asking
// about the same byte share it. The bytes it remembers are shapeBytes:
// a pre-check may ask about others, but each such question is a search.
type lineShape struct {
	b []byte
	// at holds, for each of shapeBytes, 2 more than the index of its
	// first place in the line (1 for none), or 0 until searched for.
	at     [len(shapeBytes) + 1]int32
	commas int32 // how many ',', plus one; 0 until counted
	dst    int8  // whether the line holds "dst": 0 until searched, then preNo or preYes
	// pre holds each row's pre-check: 0 until asked, then preNo or
	// preYes. There is a row for each Format but FormatUnknown.
	pre [FormatCount]int8
	// firstYes is 1 more than the row whose pre-check mayHoldRecord
	// found to pass first, or 0.
	firstYes int8
	searches int // SIMD searches made, for TestNoiseSearches
}

// shapeBytes are the bytes whose first place in a line lineShape
// remembers: what pre-checks look for first. Add one here when a new
// family's records always hold a byte that other lines rarely do.
const shapeBytes = "=(%|>{[:O"

// shapeSlot maps each of shapeBytes to its slot in lineShape.at, and
// every other byte to the last slot, which stays 0.
var shapeSlot = func() (t [256]uint8) {
	for c := range t {
		t[c] = uint8(len(shapeBytes))
	}
	for k := range len(shapeBytes) {
		t[shapeBytes[k]] = uint8(k)
	}
	return t
}()

// reset readies s for a new line, forgetting every answer.
func (s *lineShape) reset(line []byte) {
	s.b = line
	s.at = [len(shapeBytes) + 1]int32{}
	s.pre = [FormatCount]int8{}
	s.commas, s.searches, s.dst, s.firstYes = 0, 0, 0, 0
}

// first returns the index of the first c in the line, or -1.
func (s *lineShape) first(c byte) int {
	if v := s.at[shapeSlot[c]]; v != 0 {
		return int(v - 2)
	}
	return s.search(c)
}

// firstEquals is first('=') for a new line, which Parse asks of nearly
// every line before anything else.
func (s *lineShape) firstEquals() int {
	s.searches++
	i := bytes.IndexByte(s.b, '=')
	if i < math.MaxInt32-2 {
		s.at[equalsSlot] = int32(i + 2)
	}
	return i
}

var equalsSlot = shapeSlot['=']

// search is first for a byte not searched for yet.
func (s *lineShape) search(c byte) int {
	s.searches++
	i := bytes.IndexByte(s.b, c)
	if k := int(shapeSlot[c]); k < len(shapeBytes) && i < math.MaxInt32-2 {
		s.at[k] = int32(i + 2)
	}
	return i
}

// commaCount returns how many ',' the line holds.
func (s *lineShape) commaCount() int {
	if s.commas == 0 {
		s.countCommas()
	}
	return int(s.commas) - 1
}

//go:noinline
func (s *lineShape) countCommas() {
	s.searches++
	s.commas = int32(min(bytes.Count(s.b, comma), math.MaxInt32-1) + 1)
}

// holdsDst reports whether the line holds "dst": the key of the
// destination address in every key=value family ("dstip=", "dst=",
// "dst_ip=", "dstV6=", CEF's "dst="), searched for once for all of them.
func (s *lineShape) holdsDst() bool {
	if s.dst == 0 {
		s.searches++
		s.dst = preNo
		if bytes.Contains(s.b, dstWord) {
			s.dst = preYes
		}
	}
	return s.dst == preYes
}

var dstWord = []byte("dst")

// contains reports whether the line holds sub: a pre-check's own search.
func (s *lineShape) contains(sub []byte) bool {
	s.searches++
	return bytes.Contains(s.b, sub)
}

// may returns the pre-check of row i, asking it at most once.
func (s *lineShape) may(i int) bool {
	if v := s.pre[i]; v != 0 {
		return v == preYes
	}
	return s.ask(i)
}

const (
	preNo  = 1
	preYes = 2
)

// ask runs the pre-check of row i for may.
func (s *lineShape) ask(i int) bool {
	ok := families[i].may(s)
	s.pre[i] = preNo
	if ok {
		s.pre[i] = preYes
	}
	return ok
}

var comma = []byte{','}
