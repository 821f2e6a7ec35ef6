package annotate

import (
	"bytes"

	"github.com/portnote/portnote/parsers"
	"github.com/portnote/portnote/registry"
)

// Reading portnote's own output again. A stored, annotated log must give
// the records of the original, and annotating it again must change
// nothing; yet a log line is text from the network and may carry " #pn "
// anywhere. So only trailing annotations count: ones that run to the end
// of the line (before a CR), each up to the next, and follow the
// annotation's grammar. The line is parsed without them, and the last
// stands for the record's annotation only when its DEST is the record's
// own destination; otherwise the record gets its real annotation after
// them. Parsing without all of them, not only the last, is what makes a
// second run see the line as the first did.

// trailingAnnotations returns where the annotations that end line start
// (first) and where the last of them does, each at its separator, or -1
// and -1 when the line ends in none. It goes backwards from '#' to '#'
// (a vectorised search, where bytes.LastIndex of the separator is a
// byte loop), so a line full of them costs one pass.
func trailingAnnotations(line []byte) (first, last int) {
	first, last = -1, -1
	end := len(line) // the annotation tried runs to end
	for stop := len(line); ; {
		h := bytes.LastIndexByte(line[:stop], '#')
		if h < 0 {
			return first, last
		}
		stop = h
		i := h - 1 // where the separator would start
		// One that overlaps the annotation after it is text.
		if i < 0 || i+len(separator) > end || string(line[i:i+len(separator)]) != separator {
			continue
		}
		if isAnnotation(line[i+len(separator) : end]) {
			first, end = i, i
			if last < 0 {
				last = i
			}
		}
	}
}

// isAnnotation reports whether s, what follows a separator, is
//
//	DEST [" " SERVICE " " CLASS [" abused=" CATEGORY "/" SEVERITY]
//	     [" reflection=" PORT "/udp"] [" -- " REASON]]
//
// with REASON running to the end.
func isAnnotation(s []byte) bool {
	dest, s := cutWord(s)
	if !isDest(dest) {
		return false
	}
	if len(s) == 0 {
		return true
	}
	service, s := cutWord(s[1:])
	if len(service) == 0 || len(s) == 0 {
		return false
	}
	class, s := cutWord(s[1:])
	if !isClass(class) {
		return false
	}
	if rest, ok := bytes.CutPrefix(s, []byte(" abused=")); ok {
		var abuse []byte
		abuse, s = cutWord(rest)
		category, severity, ok := bytes.Cut(abuse, []byte("/"))
		if !ok {
			return false
		}
		if _, ok := registry.ParseCategory(string(category)); !ok {
			return false
		}
		if _, ok := registry.ParseSeverity(string(severity)); !ok {
			return false
		}
	}
	if rest, ok := bytes.CutPrefix(s, []byte(" reflection=")); ok {
		var reflector []byte
		reflector, s = cutWord(rest)
		port, ok := bytes.CutSuffix(reflector, []byte("/udp"))
		if !ok || !isPort(port) {
			return false
		}
	}
	return len(s) == 0 || bytes.HasPrefix(s, []byte(" -- "))
}

// cutWord splits s at its first blank: the word, and the rest from the
// blank on.
func cutWord(s []byte) (word, rest []byte) {
	if i := bytes.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i:]
	}
	return s, nil
}

// isDest reports whether s is a DEST as appendDest writes them: "23/tcp",
// "23/?", "23/253", "icmp", "proto=253", "proto=?".
func isDest(s []byte) bool {
	if port, transport, ok := bytes.Cut(s, []byte("/")); ok && isPort(port) {
		return string(transport) == "?" || isPort(transport) || isProtocol(transport)
	}
	if n, ok := bytes.CutPrefix(s, []byte("proto=")); ok {
		return string(n) == "?" || isPort(n)
	}
	return isProtocol(s)
}

func isProtocol(s []byte) bool {
	p, ok := parsers.LookupProtocol(s)
	return ok && p.Name() == string(s)
}

// isPort reports whether s is a decimal number of a port's size.
func isPort(s []byte) bool {
	if len(s) == 0 || len(s) > 5 {
		return false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n <= 65535
}

func isClass(s []byte) bool {
	switch string(s) {
	case "well-known", "registered", "dynamic":
		return true
	}
	return false
}

// annotates reports whether ann, a trailing annotation found by
// trailingAnnotation (separator and all), is w.rec's own: its DEST is the
// record's destination.
func (w *lineWorker) annotates(ann []byte) bool {
	dest, _ := cutWord(ann[len(separator):])
	var buf [24]byte // "proto=?", "65535/" and the longest keyword fit
	return bytes.Equal(dest, appendDest(buf[:0], &w.rec))
}
