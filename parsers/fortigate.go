package parsers

import (
	"bytes"
	"net/netip"
)

// FortiOS (FortiGate, FortiWiFi) logs key=value text, sent over syslog
// with or without a header, in three shapes:
//
//	date=2024-05-10 time=11:37:47 logid="0000000013" type="traffic" subtype="forward" ... srcip=10.1.100.11 srcport=58012 srcintf="port12" dstip=203.0.113.35 dstport=80 dstintf="port11" sessionid=105048 proto=6 action="close" policyid=1 ...
//	date=2024-05-10,time=11:37:47,logid=0000000013,type=traffic,...          (the comma variant)
//	CEF:0|Fortinet|Fortigate|v6.0.3|00013|traffic:forward close|3|FTNTFGTlogid=0000000013 cat=traffic:forward src=10.1.100.11 spt=54190 dst=203.0.113.35 dpt=443 proto=6 act=close ...
//
// Values are quoted or bare in the native shapes (the key=value grammar
// of kv.go); CEF drops the quotes, renames the common fields (src, dpt,
// act, deviceInboundInterface, externalId, sourceTranslatedAddress,
// out/in for bytes) and prefixes the others with "FTNTFGT" (FortiOS 7:
// "FortinetFortiGate"), which are read as their FortiOS names. Some
// relays drop the "CEF:" before the version.
//
// A record is a log of type "traffic", "utm" (and the FortiOS 5 names of
// its subtypes: "ips", "webfilter", "virus", "app-ctrl"...), "anomaly"
// or "dns" (in CEF, cat= "type:subtype") that names a destination
// address, and a destination port or protocol. Event logs (type="event":
// VPN tunnels with remport=500, admin logins, system and HA events) are
// not records even when they name ports: they pass through untouched.
// The protocol is proto=, an IANA number; the ports are srcport= and
// dstport=, taken only for protocols that have ports: ICMP records carry
// type and code there (anomaly logs: code<<8|type, 20882 for type 82
// code 81), which are no port. A masked or invalid address is left out;
// the record keeps its port and protocol.
//
// What else the record takes: the verdict from action= (a traffic log's
// close reasons are all sessions the policy allowed: "close",
// "timeout", "server-rst"...; "deny" is a policy's block), policyname=
// as the label and policyid= as the rule id, srcintf= and dstintf=, the
// session id, bytes and packets of both directions, and the source NAT
// (transip=, transport=) and destination NAT (tranip=, tranport=). Only
// a key's first occurrence counts, and text inside a quoted value is
// never a key: a client that puts "dstport=22" in a URL does not choose
// its record's port.

var fortigateLogID = []byte("logid=")

// mayBeFortigate is FortiGate's pre-check: every record names its
// destination (dstip=, or CEF's dst=) and its log id (logid=, or CEF's
// FTNTFGTlogid=).
func mayBeFortigate(s *lineShape) bool {
	return s.first('=') >= 0 && s.holdsDst() && s.contains(fortigateLogID)
}

// fortigate is the parser of FortiGate's row: parseFortigate, which
// stops at the packet under NoEnvelope.
func (p *Parser) fortigate(msg []byte, r *Record) result {
	return readFortigate(msg, p.NoEnvelope, r, &p.err)
}

// fgKey names the fields a FortiGate record is made of.
type fgKey uint8

const (
	fgNone fgKey = iota
	fgLogID
	fgType
	fgSrcIP
	fgDstIP
	fgSrcPort
	fgDstPort
	fgProto
	fgAction
	fgPolicyID
	fgPolicyName
	fgSrcIntf
	fgDstIntf
	fgSession
	fgSentByte
	fgRcvdByte
	fgSentPkt
	fgRcvdPkt
	fgTransIP
	fgTransPort
	fgTranIP
	fgTranPort
	fgKeys
)

// fgFieldOf maps a key, FortiOS's or CEF's, to its field. In CEF, cat=
// is "type:subtype".
func fgFieldOf(key []byte, cef bool) fgKey {
	if cef {
		switch {
		case startsWith(key, "FTNTFGT"):
			key = key[len("FTNTFGT"):]
		case startsWith(key, "FortinetFortiGate"):
			key = key[len("FortinetFortiGate"):]
		default:
			switch string(key) {
			case "src":
				return fgSrcIP
			case "dst":
				return fgDstIP
			case "spt":
				return fgSrcPort
			case "dpt":
				return fgDstPort
			case "proto":
				return fgProto
			case "act":
				return fgAction
			case "cat":
				return fgType
			case "deviceInboundInterface":
				return fgSrcIntf
			case "deviceOutboundInterface":
				return fgDstIntf
			case "externalId":
				return fgSession
			case "out":
				return fgSentByte
			case "in":
				return fgRcvdByte
			case "sourceTranslatedAddress":
				return fgTransIP
			case "sourceTranslatedPort":
				return fgTransPort
			case "destinationTranslatedAddress":
				return fgTranIP
			case "destinationTranslatedPort":
				return fgTranPort
			}
			return fgNone
		}
	}
	switch string(key) {
	case "logid":
		return fgLogID
	case "type":
		if cef {
			return fgNone // cat= says it
		}
		return fgType
	case "srcip":
		return fgSrcIP
	case "dstip":
		return fgDstIP
	case "srcport":
		return fgSrcPort
	case "dstport":
		return fgDstPort
	case "proto":
		return fgProto
	case "action":
		return fgAction
	case "policyid":
		return fgPolicyID
	case "policyname":
		return fgPolicyName
	case "srcintf":
		return fgSrcIntf
	case "dstintf":
		return fgDstIntf
	case "sessionid":
		return fgSession
	case "sentbyte":
		return fgSentByte
	case "rcvdbyte":
		return fgRcvdByte
	case "sentpkt":
		return fgSentPkt
	case "rcvdpkt":
		return fgRcvdPkt
	case "transip":
		return fgTransIP
	case "transport":
		return fgTransPort
	case "tranip":
		return fgTranIP
	case "tranport":
		return fgTranPort
	}
	return fgNone
}

// parseFortigate reads a FortiGate log message, in any of its shapes.
func parseFortigate(msg []byte, r *Record, e *SyntaxError) result {
	return readFortigate(msg, false, r, e)
}

// fgPacket are the fields of the packet, and of what says the log is a
// record: all that readFortigate reads when packetOnly is set.
const fgPacket = 1<<fgLogID | 1<<fgType | 1<<fgSrcIP | 1<<fgDstIP | 1<<fgSrcPort | 1<<fgDstPort | 1<<fgProto

// readFortigate is parseFortigate, which with packetOnly stops reading
// once it has the addresses, ports and protocol: the record has no
// verdict, rule, interfaces, session, counters nor NAT.
func readFortigate(msg []byte, packetOnly bool, r *Record, e *SyntaxError) result {
	var s kvScanner
	cef := false
	if h, ok := cefHeader(msg); ok {
		if string(h.vendor) != "Fortinet" || !startsWith(h.product, "Forti") {
			return notMine
		}
		cef = true
		s = newKV(msg, ' ', false)
		s.i = h.ext
	} else {
		s = newKV(msg, kvSeparator(msg), true)
	}

	var v [fgKeys]kvValue
	var seen uint32
	want := uint32(1<<fgKeys - 2) // every field but fgNone
	if packetOnly {
		want = fgPacket
	}
	var p kvPair
	for seen&want != want && s.next(&p) {
		k := fgFieldOf(p.key, cef)
		if k != fgNone && seen&(1<<k) == 0 {
			seen |= 1 << k
			v[k] = kvValue{p.val, p.at}
		}
	}
	has := func(k fgKey) bool { return seen&(1<<k) != 0 }
	typ := v[fgType].val
	if cef {
		if i := bytes.IndexByte(typ, ':'); i >= 0 {
			typ = typ[:i]
		}
	}
	if !has(fgLogID) || !has(fgDstIP) || !fgRecordType(typ) || !has(fgProto) && !has(fgDstPort) {
		return notMine
	}

	var proto Protocol
	if has(fgProto) {
		var ok bool
		if proto, ok = protoNumber(v[fgProto].val); !ok {
			return brokenAt(e, v[fgProto].at, "bad protocol")
		}
	}
	var sport, dport uint16
	ports := has(fgDstPort) && (!has(fgProto) || proto.HasPorts())
	if ports {
		var ok bool
		if dport, ok = parsePort(v[fgDstPort].val); !ok {
			return brokenAt(e, v[fgDstPort].at, "bad destination port")
		}
		if has(fgSrcPort) {
			if sport, ok = parsePort(v[fgSrcPort].val); !ok {
				return brokenAt(e, v[fgSrcPort].at, "bad source port")
			}
		}
	}

	r.Proto, r.HasProto = proto, has(fgProto)
	r.SrcPort, r.DstPort, r.HasPorts = sport, dport, ports
	r.Src, _ = parseAddr(v[fgSrcIP].val)
	r.Dst, _ = parseAddr(v[fgDstIP].val)
	if packetOnly {
		return parsed
	}
	r.Action = fgVerdict(v[fgAction].val)
	r.InIface, r.OutIface = nonEmpty(v[fgSrcIntf].val), nonEmpty(v[fgDstIntf].val)
	r.Label, r.RuleID = nonEmpty(v[fgPolicyName].val), nonEmpty(v[fgPolicyID].val)
	r.Session = nonEmpty(v[fgSession].val)
	r.Bytes = sumCounters(v[fgSentByte].val, v[fgRcvdByte].val)
	r.Packets = sumCounters(v[fgSentPkt].val, v[fgRcvdPkt].val)
	r.SrcNAT, r.SrcNATPort = natOf(v[fgTransIP].val, v[fgTransPort].val)
	r.DstNAT, r.DstNATPort = natOf(v[fgTranIP].val, v[fgTranPort].val)
	return parsed
}

// fgRecordType reports whether a log of this type is a record: traffic,
// UTM (FortiOS 6 and later say "utm" and put the kind in subtype=,
// FortiOS 5 said the kind), anomalies and DNS queries. Event logs are
// not, nor is anything unknown.
func fgRecordType(t []byte) bool {
	switch string(t) {
	case "traffic", "utm", "anomaly", "dns",
		"ips", "webfilter", "virus", "app-ctrl", "dlp", "emailfilter", "spam",
		"voip", "waf", "ssh", "ssl", "file-filter", "icap", "cifs", "casb", "virtual-patch":
		return true
	}
	return false
}

// fgVerdict maps action= (and CEF's act=). A traffic log names how an
// allowed session ended; the UTM logs name what the profile did.
func fgVerdict(a []byte) Action {
	switch string(a) {
	case "accept", "close", "timeout", "server-rst", "client-rst", "start", "ip-conn",
		"pass", "passthrough", "allowed", "monitored", "detected", "pass_session", "exempt":
		return ActionPass
	case "deny", "blocked", "block", "dropped", "drop", "clear_session":
		return ActionBlock
	case "reset", "reject":
		return ActionReject
	}
	return ActionUnknown
}

// nonEmpty returns b, or nil when it is empty.
func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// sumCounters adds the counters of two directions, each a decimal or
// empty; one that does not read counts for nothing.
func sumCounters(a, b []byte) uint64 {
	x, _ := decimal64(a)
	y, _ := decimal64(b)
	return x + y
}

// natOf reads a translated address and port; an invalid or absent one
// is left out.
func natOf(addr, port []byte) (a netip.Addr, p uint16) {
	a, _ = parseAddr(addr)
	if a.IsValid() {
		p, _ = parsePort(port)
	}
	return a, p
}
