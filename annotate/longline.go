package annotate

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"
)

// Lines longer than MaxLine go through Run in pieces (see split): the
// start of such a line comes to appendLongStart, the rest, in as many
// pieces as it takes, to appendLongRest. Such a line is no firewall
// record, so only an inactive selection keeps it, and nothing in it is
// parsed.

// appendLongStart writes the start of a long line.
func (w *lineWorker) appendLongStart(dst, piece []byte) []byte {
	w.stats.Bytes += int64(len(piece))
	if w.cfg.Select.Active() || w.cfg.Discard {
		return dst
	}
	dst = append(dst, w.filePrefix...)
	if w.cfg.Output == JSON {
		return w.appendTruncatedJSON(dst, piece)
	}
	return w.appendPiece(dst, piece)
}

// appendLongRest writes more of a long line; ends says the line ends
// with piece, with a newline when newline is set.
func (w *lineWorker) appendLongRest(dst, piece []byte, ends, newline bool) []byte {
	w.stats.Bytes += int64(len(piece))
	keep := !w.cfg.Select.Active() && !w.cfg.Discard
	if keep && w.cfg.Output == Text {
		dst = w.appendPiece(dst, piece)
		if ends && newline {
			dst = append(dst, '\n')
		}
	}
	if !ends {
		return dst
	}
	if newline {
		w.stats.Bytes++
	}
	w.stats.Lines++
	if keep {
		w.stats.Selected++
	}
	if w.cfg.Explain {
		dst = append(dst, "  = no record: longer than "...)
		dst = strconv.AppendInt(dst, MaxLine, 10)
		dst = append(dst, " bytes, passed through unparsed\n"...)
	}
	return dst
}

// appendPiece writes a piece of a long line in text, made visible on a
// terminal (a UTF-8 character that straddles two pieces shows as \xHH
// escapes there).
func (w *lineWorker) appendPiece(dst, piece []byte) []byte {
	if w.cfg.Visible {
		return appendVisible(dst, piece, &w.cfg.Colors)
	}
	return append(dst, piece...)
}

// appendTruncatedJSON writes the JSON object of a long line from its
// start: the first MaxLine bytes as message, and log.flags saying it was
// cut.
func (w *lineWorker) appendTruncatedJSON(dst, start []byte) []byte {
	kept := wholeRunes(start[:min(len(start), MaxLine)])
	dst = append(dst, `{"message":`...)
	dst, valid := appendJSONStringValid(dst, kept)
	if n := len(w.fileJSON); n > 0 {
		// `,"log":{"file":{...}}` gains a member before its last brace.
		dst = append(dst, w.fileJSON[:n-1]...)
		dst = append(dst, `,"flags":["truncated"]}`...)
	} else {
		dst = append(dst, `,"log":{"flags":["truncated"]}`...)
	}
	if !valid {
		dst = append(dst, `,"portnote":{"message_base64":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, kept)
		dst = append(dst, `"}`...)
	}
	return append(dst, "}\n"...)
}

// wholeRunes cuts b back to the end of its last whole UTF-8 character,
// when a cut has split one.
func wholeRunes(b []byte) []byte {
	for k := 1; k <= utf8.UTFMax && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < utf8.RuneSelf {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return b[:len(b)-k]
			}
			break
		}
	}
	return b
}
