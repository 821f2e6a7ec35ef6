package annotate

import (
	"unicode/utf8"

	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Colors holds the terminal escape sequences the caller chose, already
// rendered to bytes. The zero value writes no escapes at all.
type Colors struct {
	Annotation []byte                    // the annotation of an ordinary record
	Severity   [registry.High + 1][]byte // abused records, by severity
	Control    []byte                    // control bytes made visible
	Reset      []byte
}

// appendAnnotation appends the text annotation of w.rec. Its grammar,
// documented in the README, is
//
//	" #pn " DEST [" " SERVICE " " CLASS [" abused=" CATEGORY "/" SEVERITY]
//	             [" reflection=" PORT "/udp"] [" -- " REASON]]
//
// where DEST is PORT "/" TRANSPORT ("23/tcp", "23/?" when the log does not
// say) for protocols with ports, and the protocol keyword ("icmp") or
// "proto=" NUMBER for the rest. SERVICE is the IANA name or "unassigned".
// REASON is free text and always last, so a reader can split on spaces up
// to " -- ".
func (w *lineWorker) appendAnnotation(dst []byte) []byte {
	r, l, c := &w.rec, &w.look, &w.cfg.Colors
	sev := registry.Severity(0)
	if l.Dest.Abuse != nil {
		sev = l.Dest.Abuse.Severity
	}
	if l.Reflector != nil && l.Reflector.Severity > sev {
		sev = l.Reflector.Severity
	}
	color := c.Annotation
	if l.Abused() {
		color = c.Severity[sev]
	}
	dst = append(dst, color...)
	dst = append(dst, separator...)
	dst = appendDest(dst, r)
	if !r.HasPorts {
		return append(dst, c.Reset...)
	}
	var reason []byte
	if cacheable(&l.Dest) {
		var words []byte
		words, reason = w.entries.rendering(&l.Dest)
		dst = append(dst, words...)
	} else {
		dst, _ = appendEntryText(dst, &l.Dest) // no abuse, so no reason
	}
	if l.Reflector != nil {
		dst = append(dst, " reflection="...)
		dst = appendUint16(dst, r.SrcPort)
		dst = append(dst, "/udp"...)
		if len(reason) > 0 {
			dst = append(dst, reason...)
			dst = append(dst, "; reflected from "...)
			dst = append(dst, l.Reflector.Label...)
		} else {
			dst = append(dst, " -- reflected from "...)
			dst = append(dst, l.Reflector.Label...)
			dst = append(dst, ": "...)
			dst = append(dst, l.Reflector.Reason...)
		}
	} else {
		dst = append(dst, reason...)
	}
	return append(dst, c.Reset...)
}

// appendNote writes what looking w.rec up adds to the output, the text
// annotation or JSON's destination members, for a worker that has not
// looked it up (bare): from the notes when they hold it, else looked up
// and written, and kept.
func (w *lineWorker) appendNote(dst []byte) []byte {
	r := &w.rec
	if !r.HasPorts || !r.HasProto || w.reflector() != nil {
		w.lookup()
		return w.appendLookup(dst)
	}
	s := w.notes.slot(r.DstPort, r.Proto)
	if s.note != nil && s.port == r.DstPort && s.proto == r.Proto {
		return append(dst, s.note...)
	}
	w.lookup()
	start := len(dst)
	dst = w.appendLookup(dst)
	if cacheable(&w.look.Dest) {
		s.port, s.proto = r.DstPort, r.Proto
		s.note = append(s.note[:0], dst[start:]...)
	}
	return dst
}

// appendLookup writes what w.look adds to the output.
func (w *lineWorker) appendLookup(dst []byte) []byte {
	if w.cfg.Output == JSON {
		return w.appendDestJSON(dst)
	}
	return w.appendAnnotation(dst)
}

// appendDest writes the DEST of r's annotation: PORT "/" TRANSPORT for
// a protocol with ports, else the protocol keyword, or "proto=" and its
// number when it has no keyword.
func appendDest(dst []byte, r *parsers.Record) []byte {
	if r.HasPorts {
		dst = appendUint16(dst, r.DstPort)
		dst = append(dst, '/')
		return appendTransport(dst, r)
	}
	if name := r.Proto.Name(); r.HasProto && name != "" {
		return append(dst, name...)
	}
	if r.HasProto {
		dst = append(dst, "proto="...)
		return appendUint16(dst, uint16(r.Proto))
	}
	return append(dst, "proto=?"...)
}

// appendTransport writes the transport keyword of a record with ports,
// or "?" when the log line did not reveal it.
func appendTransport(dst []byte, r *parsers.Record) []byte {
	if !r.HasProto {
		return append(dst, '?')
	}
	if name := r.Proto.Name(); name != "" {
		return append(dst, name...)
	}
	return appendUint16(dst, uint16(r.Proto))
}

// appendVisible appends b with control bytes shown in caret notation
// (ESC as ^[, DEL as ^?) and bytes that are not valid UTF-8, or that
// encode C1 controls, as \xHH, the way less shows them, each escape in
// the Control colour so it cannot pass for text. Tab stays a tab.
func appendVisible(dst, b []byte, c *Colors) []byte {
	for i := 0; i < len(b); {
		ch := b[i]
		if ch < utf8.RuneSelf {
			switch {
			case ch == '\t' || (ch >= 0x20 && ch < 0x7f):
				dst = append(dst, ch)
			case ch == 0x7f:
				dst = append(append(append(dst, c.Control...), '^', '?'), c.Reset...)
			default:
				dst = append(append(append(dst, c.Control...), '^', ch+'@'), c.Reset...)
			}
			i++
			continue
		}
		n := utf8SeqLen(b[i:])
		// U+0080-U+009F (C1 controls, encoded c2 80-c2 9f) act like
		// escapes on some terminals.
		isC1 := n == 2 && ch == 0xc2 && b[i+1] < 0xa0
		if n == 0 || isC1 {
			n = max(n, 1)
			dst = append(dst, c.Control...)
			for _, x := range b[i : i+n] {
				dst = append(dst, '\\', 'x', hexDigits[x>>4], hexDigits[x&15])
			}
			dst = append(dst, c.Reset...)
		} else {
			dst = append(dst, b[i:i+n]...)
		}
		i += n
	}
	return dst
}

const hexDigits = "0123456789abcdef"
