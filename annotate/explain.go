package annotate

import (
	"errors"
	"net/netip"
	"strconv"
	"time"

	"github.com/portnote/portnote/parsers"
)

// appendExplain appends, after a line, what the parsers made of it:
//
//	= netfilter: action=block in=eth0 src=203.0.113.5:51234 dst=198.51.100.7:23 proto=tcp(6) label="[UFW BLOCK]"
//	= 23/tcp telnet well-known abused=worm-botnet/high -- ...
//
// or, for a line no parser took, each parser's answer:
//
//	= no record: netfilter: not this format; filterlog: not this format; pf: at byte 31: bad source address
//
// It is a debugging aid, so it may allocate.
func (w *lineWorker) appendExplain(dst, line []byte, err error) []byte {
	if err == nil {
		r := &w.rec
		dst = append(dst, "  = "...)
		dst = append(dst, r.Format.String()...)
		dst = append(dst, ':')
		if s := r.Action.String(); s != "" {
			dst = append(dst, " action="...)
			dst = append(dst, s...)
		}
		if s := r.Direction.String(); s != "" {
			dst = append(dst, " dir="...)
			dst = append(dst, s...)
		}
		if len(r.InIface) > 0 {
			dst = append(dst, " in="...)
			dst = appendVisible(dst, r.InIface, &Colors{})
		}
		if len(r.OutIface) > 0 {
			dst = append(dst, " out="...)
			dst = appendVisible(dst, r.OutIface, &Colors{})
		}
		dst = appendExplainEndpoint(dst, " src=", r, true)
		dst = appendExplainEndpoint(dst, " dst=", r, false)
		dst = append(dst, " proto="...)
		if r.HasProto {
			if name := r.Proto.Name(); name != "" {
				dst = append(dst, name...)
			}
			dst = append(dst, '(')
			dst = appendUint16(dst, uint16(r.Proto))
			dst = append(dst, ')')
		} else {
			dst = append(dst, '?')
		}
		if r.HasTCPFlags {
			dst = append(dst, " flags="...)
			if r.TCPFlags == 0 {
				dst = append(dst, "none"...)
			}
			dst = r.TCPFlags.AppendNames(dst, ",")
		}
		dst = appendExplainNAT(dst, " src-nat=", r.SrcNAT, r.SrcNATPort)
		dst = appendExplainNAT(dst, " dst-nat=", r.DstNAT, r.DstNATPort)
		if r.Bytes > 0 {
			dst = append(dst, " bytes="...)
			dst = strconv.AppendUint(dst, r.Bytes, 10)
		}
		if r.Packets > 0 {
			dst = append(dst, " packets="...)
			dst = strconv.AppendUint(dst, r.Packets, 10)
		}
		if len(r.Session) > 0 {
			dst = append(dst, " session="...)
			dst = strconv.AppendQuote(dst, string(r.Session))
		}
		if len(r.RuleID) > 0 {
			dst = append(dst, " rule="...)
			dst = strconv.AppendQuote(dst, string(r.RuleID))
		}
		if r.Partial != 0 {
			dst = append(dst, " partial="...)
			dst = r.Partial.AppendNames(dst, ",")
		}
		if len(r.Label) > 0 {
			dst = append(dst, " label="...)
			dst = strconv.AppendQuote(dst, string(r.Label))
		}
		if len(r.Host) > 0 {
			dst = append(dst, " host="...)
			dst = appendVisible(dst, r.Host, &Colors{})
		}
		if !r.Time.IsZero() {
			dst = append(dst, " time="...)
			dst = r.Time.AppendFormat(dst, time.RFC3339Nano)
		}
		dst = append(dst, "\n  ="...)
		dst = w.appendAnnotation(dst)
		return append(dst, '\n')
	}

	dst = append(dst, "  = no record:"...)
	for i, f := range parsers.Formats() {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, ' ')
		dst = append(dst, f.String()...)
		dst = append(dst, ": "...)
		w.explain = w.parser
		w.explain.Format = f
		var r parsers.Record
		var se *parsers.SyntaxError
		switch e := w.explain.Parse(line, &r); {
		case errors.As(e, &se):
			dst = append(dst, "at byte "...)
			dst = strconv.AppendInt(dst, int64(se.Offset), 10)
			dst = append(dst, ": "...)
			dst = append(dst, se.Msg...)
		case e != nil:
			dst = append(dst, "not this format"...)
		default:
			dst = append(dst, "recognised"...)
		}
	}
	return append(dst, '\n')
}

// appendExplainNAT writes a translated address and port, when there is
// one.
func appendExplainNAT(dst []byte, key string, ip netip.Addr, port uint16) []byte {
	if !ip.IsValid() && port == 0 {
		return dst
	}
	dst = append(dst, key...)
	if ip.IsValid() {
		if ip.Is6() && port != 0 {
			dst = append(dst, '[')
			dst = ip.AppendTo(dst)
			dst = append(dst, ']')
		} else {
			dst = ip.AppendTo(dst)
		}
	}
	if port != 0 {
		dst = append(dst, ':')
		dst = appendUint16(dst, port)
	}
	return dst
}

func appendExplainEndpoint(dst []byte, key string, r *parsers.Record, src bool) []byte {
	ip, port, hasPort, lost := r.Dst, r.DstPort, r.HasPorts, parsers.PartialDst
	if src {
		ip, port, hasPort, lost = r.Src, r.SrcPort, hasSrcPort(r), parsers.PartialSrc
	}
	if !ip.IsValid() && !hasPort && r.Partial&lost == 0 {
		return dst
	}
	dst = append(dst, key...)
	switch {
	case r.Partial&lost != 0:
		dst = append(dst, '?') // in the line, but unreadable
	case ip.Is6() && hasPort:
		dst = append(dst, '[')
		dst = ip.AppendTo(dst)
		dst = append(dst, ']')
	case ip.IsValid():
		dst = ip.AppendTo(dst)
	}
	if hasPort {
		dst = append(dst, ':')
		dst = appendUint16(dst, port)
	}
	return dst
}
