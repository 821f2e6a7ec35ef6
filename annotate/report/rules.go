package report

import (
	"hash/maphash"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/portnote/portnote/parsers"
)

// Rules count records by where they were logged: the firewall host, the
// ingress interface and the rule (the log prefix or rule label). These
// strings come from the log, so they are hostile input: each is kept
// only up to maxRuleText bytes, and made visible (control bytes and
// invalid UTF-8 as \xNN escapes) before any report shows it. At most
// maxRules keys are kept; records of others are counted apart.
const (
	maxRules    = 1024
	maxRuleText = 64
)

type ruleKey struct{ host, iface, rule string }

type ruleCount struct {
	ruleKey
	tally
}

type rules struct {
	index  keyTable[int32] // by hash of the raw strings: 1 + index in list
	list   []ruleCount
	others tally // records of keys not kept
	seed   maphash.Seed
	led    *ledger
	last   int32 // 1 + index of the previous record's key, tried first
}

func newRules(led *ledger) rules {
	return rules{index: keyTable[int32]{led: led}, seed: maphash.MakeSeed(), led: led}
}

// observe counts r under its host, interface and rule. It allocates
// only for a key not seen before.
func (rs *rules) observe(r *parsers.Record, at int64) {
	// Records come in runs of one firewall and rule: try the last key
	// before hashing.
	if rs.last != 0 && rs.list[rs.last-1].same(r) {
		rs.list[rs.last-1].add(r.Action, at)
		return
	}
	h := rs.hash(r)
	if i, ok := rs.index.find(h); ok && rs.list[*i-1].same(r) {
		rs.last = *i
		rs.list[*i-1].add(r.Action, at)
		return
	}
	if len(rs.list) >= maxRules {
		rs.others.add(r.Action, at)
		return
	}
	rs.index.makeRoom()
	i, isNew := rs.index.get(h)
	if !isNew {
		// Two keys with one hash: count the second with the others.
		rs.others.add(r.Action, at)
		return
	}
	k := ruleKey{clip(r.Host), clip(r.InIface), clip(r.Label)}
	rs.led.reserve(growth(rs.list) + int64(len(k.host)+len(k.iface)+len(k.rule)))
	old := cap(rs.list)
	rs.list = append(rs.list, ruleCount{ruleKey: k})
	rs.led.charge(int64(cap(rs.list)-old)*int64(unsafe.Sizeof(ruleCount{})) + int64(len(k.host)+len(k.iface)+len(k.rule)))
	*i = int32(len(rs.list))
	rs.last = *i
	rs.list[*i-1].add(r.Action, at)
}

func (rs *rules) hash(r *parsers.Record) uint64 {
	h := maphash.Bytes(rs.seed, clipBytes(r.Host))
	h = mix64(h ^ maphash.Bytes(rs.seed, clipBytes(r.InIface)))
	h = mix64(h ^ maphash.Bytes(rs.seed, clipBytes(r.Label)))
	return h | 1
}

// same reports whether r's strings are the key's, as clipped.
func (c *ruleCount) same(r *parsers.Record) bool {
	return c.host == string(clipBytes(r.Host)) && c.iface == string(clipBytes(r.InIface)) && c.rule == string(clipBytes(r.Label))
}

func clipBytes(b []byte) []byte { return b[:min(len(b), maxRuleText)] }

func clip(b []byte) string { return string(clipBytes(b)) }

// visible returns s with control bytes (C0, DEL, C1) and invalid UTF-8
// written as \xNN, so that a string from a log can drive no terminal
// and hide nothing in a report.
func visible(s string) string {
	clean := true
	for _, c := range s {
		if c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == utf8.RuneError && size == 1 {
			for _, x := range []byte(s[i : i+size]) {
				b = append(b, `\x`...)
				b = strconv.AppendUint(b, uint64(x)>>4, 16)
				b = strconv.AppendUint(b, uint64(x)&15, 16)
			}
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
