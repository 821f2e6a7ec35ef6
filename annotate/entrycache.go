package annotate

import (
	"strconv"

	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// entryCache keeps the rendering of the registry entries a worker met
// lately, in one output mode. An entry is a pure function of (port,
// transport) for the life of an Annotator, and the few assigned ports a
// log keeps meeting would otherwise have their service name,
// description, class and abuse reason copied piece by piece, or escaped
// for JSON, on every line. It is direct-mapped: a collision only costs a
// rendering. Unassigned ports that are not abused are not kept: they are
// cheap to write and a port scan would flush everything else.
type entryCache struct {
	render func(dst []byte, e *registry.Entry) (out []byte, mid int)
	slots  []entrySlot // 1 << entryCacheBits, made at first use
}

const entryCacheBits = 10

type entrySlot struct {
	port      uint16
	transport registry.Transport
	out       []byte // nil while the slot is empty
	mid       int    // what render said: where out's second part starts
}

// rendering returns the rendering of e, split where render split it.
func (c *entryCache) rendering(e *registry.Entry) (first, second []byte) {
	if c.slots == nil {
		c.slots = make([]entrySlot, 1<<entryCacheBits)
	}
	s := &c.slots[cacheIndex(e.Port, uint8(e.Transport))]
	if s.out == nil || s.port != e.Port || s.transport != e.Transport {
		s.port, s.transport = e.Port, e.Transport
		s.out, s.mid = c.render(s.out[:0], e)
	}
	return s.out[:s.mid], s.out[s.mid:]
}

// cacheIndex is the slot of a port and transport or protocol number in
// a direct-mapped cache of 1 << entryCacheBits slots.
func cacheIndex(port uint16, transport uint8) uint32 {
	h := (uint32(port)<<8 | uint32(transport)) * 0x9e3779b1 // Fibonacci hashing: the top bits mix all of the key
	return h >> (32 - entryCacheBits)
}

// noteCache keeps what a lookup adds to the output, whole text
// annotations (" #pn 443/tcp https well-known", colours and all) or
// JSON's destination members, by destination port and protocol, for
// records that come from no reflector, which is all that output then
// depends on. A log repeats a few of them, and a hit saves the registry
// lookup as well as the writing. Like entryCache it is direct-mapped and
// keeps only the notes of entries worth keeping.
type noteCache struct {
	slots []noteSlot // 1 << entryCacheBits, made at first use
}

type noteSlot struct {
	port  uint16
	proto parsers.Protocol
	note  []byte // nil while the slot is empty
}

// slot returns where the note of port and proto is kept, if it is.
func (c *noteCache) slot(port uint16, proto parsers.Protocol) *noteSlot {
	if c.slots == nil {
		c.slots = make([]noteSlot, 1<<entryCacheBits)
	}
	return &c.slots[cacheIndex(port, uint8(proto))]
}

// cacheable reports whether e's rendering is worth keeping.
func cacheable(e *registry.Entry) bool { return e.Service != "" || e.Abuse != nil }

// appendEntryJSON writes the part of the portnote object that depends
// only on e: service, description, class, abused and abuse, each key
// with its leading comma. It is all one part.
func appendEntryJSON(dst []byte, e *registry.Entry) ([]byte, int) {
	if e.Service != "" {
		dst = append(dst, `,"service":`...)
		dst = appendJSONString(dst, e.Service)
	}
	if e.Description != "" {
		dst = append(dst, `,"description":`...)
		dst = appendJSONString(dst, e.Description)
	}
	dst = append(dst, `,"class":`...)
	dst = appendJSONString(dst, e.Class.String())
	dst = append(dst, `,"abused":`...)
	dst = strconv.AppendBool(dst, e.Abuse != nil)
	if e.Abuse != nil {
		dst = append(dst, `,"abuse":`...)
		dst = appendAbuse(dst, e.Abuse, 0, false)
	}
	return dst, len(dst)
}

// appendEntryText writes the words of a text annotation that depend only
// on e, in two parts: " SERVICE CLASS [abused=CATEGORY/SEVERITY]", and
// " -- REASON" when e is abused. A reflection goes between the two.
func appendEntryText(dst []byte, e *registry.Entry) ([]byte, int) {
	dst = append(dst, ' ')
	if e.Service != "" {
		dst = append(dst, e.Service...)
	} else {
		dst = append(dst, "unassigned"...)
	}
	dst = append(dst, ' ')
	dst = append(dst, e.Class.String()...)
	if ab := e.Abuse; ab != nil {
		dst = append(dst, " abused="...)
		dst = append(dst, ab.Category.String()...)
		dst = append(dst, '/')
		dst = append(dst, ab.Severity.String()...)
	}
	mid := len(dst)
	if e.Abuse != nil {
		dst = append(dst, " -- "...)
		dst = append(dst, e.Abuse.Reason...)
	}
	return dst, mid
}
