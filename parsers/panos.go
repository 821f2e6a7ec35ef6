package parsers

import (
	"bytes"
	"net/netip"
)

// PAN-OS (Palo Alto Networks firewalls, Panorama) logs each kind of
// record as a comma-separated line, in the same positions from PAN-OS
// 6.x to 11.x (new fields are appended), after a syslog header or bare:
//
//	1,2025/11/12 09:14:02,012801000001,TRAFFIC,end,2816,2025/11/12 09:14:02,192.168.10.21,203.0.113.35,198.51.100.2,203.0.113.35,LAN-out,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,2025/11/12 09:14:02,105048,1,58012,443,40012,443,0x40001c,tcp,allow,49412,1188,48224,57,...
//
// The fields, 1-based as Palo Alto numbers them: 4 type, 5 subtype, 8
// source, 9 destination, 10 and 11 their NAT addresses, 12 rule, 19 and
// 20 the interfaces, 23 session id, 25 source port, 26 destination port,
// 27 and 28 their NAT ports, 30 protocol (a name: tcp, udp, icmp), 31
// action; TRAFFIC logs go on with 32 bytes and 35 packets, THREAT logs
// with 32 the URL or file name, quoted with "" for a quote, as any field
// holding a comma is. The line is read from its type field, which names
// the log: a syslog relay that took the first field, or the first two,
// for a host name ("Oct 30 09:46:13 1,2025/10/30 09:46:12,...") leaves
// the rest where it was. A line cut before its action is no record: it
// has too few commas for the pre-check.
//
// TRAFFIC and THREAT logs are records; SYSTEM, CONFIG, USERID,
// GLOBALPROTECT, HIPMATCH, AUTHENTICATION, DECRYPTION (TLS handshakes of
// sessions a TRAFFIC log records) and the rest are not, though some carry
// addresses and ports. ICMP has no ports (PAN-OS writes 0).
//
// A THREAT log of the server-to-client direction (a virus in a
// download, an exploit in a server's answer) is written attacker first:
// its source is the session's server, its destination the client, and
// the destination port the client's own, ephemeral one. The record keeps
// the log's reading, which is the packets': the threat went to that
// port of that host, and the service it came from is the record's
// source port. (PAN-OS's TRAFFIC log of the same session names the
// server as its destination.)
//
// The same logs come in CEF ("CEF:0|Palo Alto Networks|PAN-OS|...|end|
// TRAFFIC|...": src=, dst=, spt=, dpt=, proto=tcp, act=, cs1= the rule)
// and, from Cortex Data Lake and Strata Logging Service, as JSON objects
// ("LogType":"TRAFFIC", "DestinationPort":443, "Protocol":"tcp" ...).
// NAT addresses and ports of 0.0.0.0 and 0 mean none.

// mayBePanos is PAN-OS's pre-check: a CSV log has 30 commas or more
// before its action, a JSON one as many between its members; a CEF one
// names its destination and has its '|'.
func mayBePanos(s *lineShape) bool {
	return s.commaCount() >= 30 || s.first('=') >= 0 && s.holdsDst() && s.first('|') >= 0
}

// panos is the parser of PAN-OS's row.
func (p *Parser) panos(msg []byte, r *Record) result { return readPanos(msg, p.NoEnvelope, r, &p.err) }

// parsePanos reads a PAN-OS log in any of its forms.
func parsePanos(msg []byte, r *Record, e *SyntaxError) result {
	return readPanos(msg, false, r, e)
}

// readPanos is parsePanos, which with packetOnly leaves out the verdict,
// rule, interfaces, session, counters and NAT.
func readPanos(msg []byte, packetOnly bool, r *Record, e *SyntaxError) result {
	if len(msg) > 0 && msg[0] == '{' {
		return readPanosJSON(msg, packetOnly, r, e)
	}
	if h, ok := cefHeader(msg); ok {
		return readPanosCEF(msg, h, packetOnly, r, e)
	}
	return readPanosCSV(msg, packetOnly, r, e)
}

// paFields are the values of a PAN-OS record, in any form, with the
// offsets of the ones a SyntaxError may point at.
type paFields struct {
	typ, src, dst, natSrc, natDst, rule, inIface, outIface, session []byte
	sport, dport, natSport, natDport, proto, action                 kvValue
	bytes, packets                                                  []byte
}

var paTraffic, paThreat = []byte("TRAFFIC"), []byte("THREAT")

// paRecordType reports whether a log of this type is a record.
func paRecordType(t []byte) bool { return string(t) == "TRAFFIC" || string(t) == "THREAT" }

// paLogType reports whether t is a type PAN-OS writes in field 4.
func paLogType(t []byte) bool {
	switch string(t) {
	case "TRAFFIC", "THREAT", "SYSTEM", "CONFIG", "USERID", "GLOBALPROTECT", "HIPMATCH", "HIP-MATCH",
		"AUTHENTICATION", "DECRYPTION", "CORRELATION", "TUNNEL", "GTP", "SCTP", "IPTAG", "URL", "DATA", "WILDFIRE":
		return true
	}
	return false
}

// readPanosCSV reads the comma-separated form.
func readPanosCSV(msg []byte, packetOnly bool, r *Record, e *SyntaxError) result {
	var c paCSV
	c.b = msg
	// The type is field 4; a relay may have taken the first ones.
	var f paFields
	n := 0
	for ; n < 4; n++ {
		v, ok := c.next()
		if !ok {
			return notMine
		}
		if paLogType(v.val) {
			f.typ = v.val
			break
		}
	}
	if f.typ == nil || !paRecordType(f.typ) {
		return notMine
	}
	// Fields 5 to 31, numbered from the type's, 4.
	for k := 5; k <= 31; k++ {
		v, ok := c.next()
		if !ok {
			// Cut before its action: too few commas for the pre-check,
			// which would have turned the line away under another
			// envelope.
			return notMine
		}
		switch k {
		case 8:
			f.src = v.val
		case 9:
			f.dst = v.val
		case 10:
			f.natSrc = v.val
		case 11:
			f.natDst = v.val
		case 12:
			f.rule = v.val
		case 19:
			f.inIface = v.val
		case 20:
			f.outIface = v.val
		case 23:
			f.session = v.val
		case 25:
			f.sport = v
		case 26:
			f.dport = v
		case 27:
			f.natSport = v
		case 28:
			f.natDport = v
		case 30:
			f.proto = v
		case 31:
			f.action = v
		}
	}
	if string(f.typ) == "TRAFFIC" && !packetOnly {
		for k := 32; k <= 35; k++ {
			v, ok := c.next()
			if !ok {
				break
			}
			switch k {
			case 32:
				f.bytes = v.val
			case 35:
				f.packets = v.val
			}
		}
	}
	return paRecord(&f, true, packetOnly, r, e)
}

// paRecord fills r from the fields of a TRAFFIC or THREAT log. With
// named, the protocol is a name ("tcp"), else a name or a number.
func paRecord(f *paFields, named, packetOnly bool, r *Record, e *SyntaxError) result {
	if len(f.proto.val) == 0 {
		return brokenAt(e, f.proto.at, "no protocol")
	}
	proto, ok := LookupProtocol(f.proto.val)
	if !ok && !named && isDigit(f.proto.val[0]) {
		proto, ok = protoNumber(f.proto.val)
	}
	if !ok {
		return brokenAt(e, f.proto.at, "unknown protocol")
	}
	var sport, dport uint16
	ports := proto.HasPorts() && len(f.dport.val) > 0
	if ports {
		if dport, ok = parsePort(f.dport.val); !ok {
			return brokenAt(e, f.dport.at, "bad destination port")
		}
		if sport, ok = parsePort(f.sport.val); !ok && len(f.sport.val) > 0 {
			return brokenAt(e, f.sport.at, "bad source port")
		}
	}
	r.Proto, r.HasProto = proto, true
	r.SrcPort, r.DstPort, r.HasPorts = sport, dport, ports
	r.Src, _ = parseAddr(f.src)
	r.Dst, _ = parseAddr(f.dst)
	if packetOnly {
		return parsed
	}
	r.Action = paVerdict(f.action.val)
	r.Label = nonEmpty(f.rule)
	r.InIface, r.OutIface = nonEmpty(f.inIface), nonEmpty(f.outIface)
	r.Session = nonEmpty(f.session)
	r.Bytes, _ = decimal64(f.bytes)
	r.Packets, _ = decimal64(f.packets)
	r.SrcNAT, r.SrcNATPort = paNAT(f.natSrc, f.natSport.val)
	r.DstNAT, r.DstNATPort = paNAT(f.natDst, f.natDport.val)
	return parsed
}

// paNAT reads a translated address and port; 0.0.0.0 (and ::) is none.
func paNAT(addr, port []byte) (a netip.Addr, p uint16) {
	a, p = natOf(addr, port)
	if a.IsUnspecified() {
		return netip.Addr{}, 0
	}
	return a, p
}

// paVerdict maps the action field: a TRAFFIC log's policy action, or
// what a THREAT log's profile did.
func paVerdict(a []byte) Action {
	switch string(a) {
	case "allow", "alert", "continue", "override":
		return ActionPass
	case "deny", "drop", "drop-icmp", "drop-all-packets", "block-url", "block-ip", "random-drop",
		"sinkhole", "block-continue", "block-override", "override-lockout":
		return ActionBlock
	case "reset-client", "reset-server", "reset-both":
		return ActionReject
	}
	return ActionUnknown
}

// paCSV walks the fields of a PAN-OS CSV line: a field that starts with
// '"' runs to the '"' before the next ',' and holds "" for a quote.
type paCSV struct {
	b []byte
	i int // start of the next field; len(b)+1 once the last was read
}

// next returns the next field, unquoted (its "" left as they are), and
// its offset; ok is false past the last field.
func (c *paCSV) next() (v kvValue, ok bool) {
	at := c.i
	if at > len(c.b) {
		return kvValue{at: len(c.b)}, false
	}
	if at < len(c.b) && c.b[at] == '"' {
		j := at + 1
		for {
			k := bytes.IndexByte(c.b[j:], '"')
			if k < 0 {
				c.i = len(c.b) + 1
				return kvValue{c.b[at+1:], at + 1}, true
			}
			j += k + 1
			if j < len(c.b) && c.b[j] == '"' {
				j++ // a doubled quote
				continue
			}
			break
		}
		end := nextByte(c.b, j, ',')
		c.i = end + 1
		return kvValue{c.b[at+1 : j-1], at + 1}, true
	}
	end := nextByte(c.b, at, ',')
	c.i = end + 1
	return kvValue{c.b[at:end], at}, true
}

// readPanosCEF reads the CEF form: the header's name is the log type.
func readPanosCEF(msg []byte, h cefHead, packetOnly bool, r *Record, e *SyntaxError) result {
	if string(h.vendor) != "Palo Alto Networks" || !paRecordType(h.name) {
		return notMine
	}
	f := paFields{typ: h.name}
	s := newKV(msg, ' ', false)
	s.i = h.ext
	var rule, ruleLabel, session, sessionLabel []byte
	var sent, rcvd []byte
	var p kvPair
	for s.next(&p) {
		v := kvValue{p.val, p.at}
		switch string(p.key) {
		case "src":
			f.src = p.val
		case "dst":
			f.dst = p.val
		case "spt":
			f.sport = v
		case "dpt":
			f.dport = v
		case "proto":
			f.proto = v
		case "act":
			f.action = v
		case "sourceTranslatedAddress":
			f.natSrc = p.val
		case "destinationTranslatedAddress":
			f.natDst = p.val
		case "sourceTranslatedPort":
			f.natSport = v
		case "destinationTranslatedPort":
			f.natDport = v
		case "deviceInboundInterface":
			f.inIface = p.val
		case "deviceOutboundInterface":
			f.outIface = p.val
		case "cs1":
			rule = p.val
		case "cs1Label":
			ruleLabel = p.val
		case "cn1":
			session = p.val
		case "cn1Label":
			sessionLabel = p.val
		case "out":
			sent = p.val
		case "in":
			rcvd = p.val
		}
	}
	if f.dst == nil && f.dport.val == nil {
		return notMine
	}
	if string(ruleLabel) == "Rule" {
		f.rule = rule
	}
	if string(sessionLabel) == "SessionID" {
		f.session = session
	}
	if f.proto.val == nil {
		f.proto.at = len(msg)
	}
	res := paRecord(&f, false, packetOnly, r, e)
	if res == parsed && !packetOnly {
		r.Bytes = sumCounters(sent, rcvd)
	}
	return res
}

// readPanosJSON reads a log forwarded as a JSON object by Cortex Data
// Lake or Strata Logging Service: its members LogType, SourceAddress,
// DestinationAddress, SourcePort, DestinationPort, Protocol, Action,
// Rule, SessionID, InboundInterface, OutboundInterface, Bytes, Packets
// and the NAT ones, each a string or a number.
func readPanosJSON(msg []byte, packetOnly bool, r *Record, e *SyntaxError) result {
	var f paFields
	i := skipJSONSpace(msg, 1)
	for i < len(msg) && msg[i] != '}' {
		key, j, ok := jsonKey(msg, i)
		if !ok {
			return notMine
		}
		i = skipJSONSpace(msg, j)
		if i >= len(msg) || msg[i] != ':' {
			return notMine
		}
		i = skipJSONSpace(msg, i+1)
		end, ok := skipJSONValue(msg, i)
		if !ok {
			return notMine
		}
		v := kvValue{bytes.TrimRight(msg[i:end], " \t\r\n"), i}
		if len(v.val) >= 2 && v.val[0] == '"' && v.val[len(v.val)-1] == '"' {
			v.val, v.at = v.val[1:len(v.val)-1], i+1
		}
		switch string(key) {
		case "LogType", "log_type":
			f.typ = v.val
		case "SourceAddress":
			f.src = v.val
		case "DestinationAddress":
			f.dst = v.val
		case "SourcePort":
			f.sport = v
		case "DestinationPort":
			f.dport = v
		case "Protocol":
			f.proto = v
		case "Action":
			f.action = v
		case "Rule":
			f.rule = v.val
		case "SessionID":
			f.session = v.val
		case "InboundInterface":
			f.inIface = v.val
		case "OutboundInterface":
			f.outIface = v.val
		case "NATSource":
			f.natSrc = v.val
		case "NATDestination":
			f.natDst = v.val
		case "NATSourcePort":
			f.natSport = v
		case "NATDestinationPort":
			f.natDport = v
		case "Bytes":
			f.bytes = v.val
		case "Packets", "PacketsTotal":
			f.packets = v.val
		}
		i = skipJSONSpace(msg, end)
		if i < len(msg) && msg[i] == ',' {
			i = skipJSONSpace(msg, i+1)
		}
	}
	if !bytes.EqualFold(f.typ, paTraffic) && !bytes.EqualFold(f.typ, paThreat) || f.dst == nil && f.dport.val == nil {
		return notMine
	}
	if f.proto.val == nil {
		f.proto.at = len(msg)
	}
	return paRecord(&f, false, packetOnly, r, e)
}
