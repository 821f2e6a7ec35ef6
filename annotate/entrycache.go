package annotate

import (
	"strconv"

	"github.com/portnote/portnote/registry"
)

// entryCache keeps the JSON of the registry entries a worker met lately.
// An entry is a pure function of (port, transport) for the life of an
// Annotator, and the few assigned ports a log keeps meeting would
// otherwise have their service name, description, class and abuse
// reason escaped again on every line. It is direct-mapped: a collision
// only costs a rendering.
type entryCache struct {
	slots []entrySlot // entryCacheSize, made at first use
}

const entryCacheSize = 1024 // a power of two

type entrySlot struct {
	port      uint16
	transport registry.Transport
	json      []byte // nil while the slot is empty
}

// appendJSON writes the part of the portnote object that depends only on
// e: service, description, class, abused and abuse, each key with its
// leading comma.
func (c *entryCache) appendJSON(dst []byte, e *registry.Entry) []byte {
	if e.Service == "" && e.Abuse == nil {
		// Unassigned and not abused: nothing worth remembering.
		return appendEntryJSON(dst, e)
	}
	if c.slots == nil {
		c.slots = make([]entrySlot, entryCacheSize)
	}
	h := (uint32(e.Port)<<8 | uint32(e.Transport)) * 0x9e3779b1
	s := &c.slots[h>>(32-10)&(entryCacheSize-1)]
	if s.json == nil || s.port != e.Port || s.transport != e.Transport {
		s.port, s.transport = e.Port, e.Transport
		s.json = appendEntryJSON(s.json[:0], e)
	}
	return append(dst, s.json...)
}

func appendEntryJSON(dst []byte, e *registry.Entry) []byte {
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
	return dst
}
