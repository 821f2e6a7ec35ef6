package parsers

import "bytes"

// SonicOS (SonicWall TZ, NSa, NSv) logs key=value text in its Default
// syslog format, and CEF in its ArcSight format:
//
//	id=firewall sn=0040103A0000 time="2025-11-12 09:14:02 UTC" fw=198.51.100.2 pri=6 c=262144 m=98 msg="Connection Opened" n=2231 src=203.0.113.7:51234:X1 dst=198.51.100.2:443:X0:www.example.com proto=tcp/https sent=52 rule="17 (WAN->LAN)" fw_action="NA"
//	CEF:0|SonicWall|NSa 2700|7.0.1|98|Connection Opened|5|src=203.0.113.7 spt=51234 deviceInboundInterface=X1 dst=198.51.100.2 dpt=443 deviceOutboundInterface=X0 proto=tcp/https
//
// The Default format names both ends as ADDRESS:PORT:INTERFACE[:HOST],
// any part of which may be empty: an IPv6 address is in srcV6= and
// dstV6=, and src= and dst= then start with ':' ("dst=:8080:X20-V68",
// "dst=::LAN:HOST"); a connection without a port has none ("dst=10.0.0.5
// proto=tcp/dns"). proto= is the transport, a slash and the service:
// its name ("tcp/https") or its port ("udp/8800"), which is the port of
// the service, not necessarily the destination's: the port comes from
// dst= alone. ICMP records carry the ICMP type and id where the ports
// would be, which are no ports.
//
// Every SonicOS message has an id, m=, and many that are no traffic
// carry addresses and ports too: administrator logins (m=30), IKE
// (m=346, m=483) and IPsec events (m=1388), NAT pool mappings (m=1197).
// So a message is a record when it names a destination (dst=, dstV6=) and
// either a protocol in proto= and is not one of those, or is one of the
// traffic messages that name none: the dropped packets (m=36 TCP, m=37
// UDP, m=38 ICMP) and the intrusion prevention alerts (m=608 detected,
// m=609 prevented), whose protocol is ICMP when their signature
// category says so ("ICMP Echo Reply") and unknown otherwise.
//
// The verdict is fw_action= when it names one ("drop"), else what the
// message says: dropped, denied, blocked and prevented packets are
// blocked; opened and closed connections, web sites hit and detections
// passed. The record also takes the interfaces of src= and dst=, rule=
// ("17 (WAN->LAN)": the label, and its number the rule id), the
// translated addresses and ports of natSrc= and natDst=, and the bytes
// and packets of both directions (sent=, rcvd=, spkt=, rpkt=).

var (
	sonicwallSn  = []byte("sn=")
	swVendor     = []byte("SonicWall")
	swDellVendor = []byte("Dell SonicWALL")
)

// mayBeSonicwall is SonicWall's pre-check: every record names its
// destination (dst=, dstV6=) and, in the Default format, the appliance's
// serial number (sn=), or is CEF, with its '|'.
func mayBeSonicwall(s *lineShape) bool {
	return s.first('=') >= 0 && s.holdsDst() && (s.first('|') >= 0 || s.contains(sonicwallSn))
}

// sonicwall is the parser of SonicWall's row: parseSonicwall, which stops
// at the packet under NoEnvelope.
func (p *Parser) sonicwall(msg []byte, r *Record) result {
	return readSonicwall(msg, p.NoEnvelope, r, &p.err)
}

// swKey names the fields a SonicWall record is made of.
type swKey uint8

const (
	swNone swKey = iota
	swSn
	swPri
	swMsgID
	swMsg
	swSrc
	swDst
	swSrcV6
	swDstV6
	swProto
	swIPSCat
	swAction
	swRule
	swNATSrc
	swNATDst
	swSent
	swRcvd
	swSentPkt
	swRcvdPkt
	// CEF's, which the Default format writes inside src= and dst=.
	swSrcPort
	swDstPort
	swInIface
	swOutIface
	swKeys
)

// swFieldOf maps a key of the Default format, or of CEF, to its field.
func swFieldOf(key []byte, cef bool) swKey {
	if cef {
		switch string(key) {
		case "src":
			return swSrc
		case "dst":
			return swDst
		case "spt":
			return swSrcPort
		case "dpt":
			return swDstPort
		case "proto":
			return swProto
		case "act":
			return swAction
		case "deviceInboundInterface":
			return swInIface
		case "deviceOutboundInterface":
			return swOutIface
		case "out":
			return swSent
		case "in":
			return swRcvd
		case "sourceTranslatedAddress":
			return swNATSrc
		case "destinationTranslatedAddress":
			return swNATDst
		}
		return swNone
	}
	switch string(key) {
	case "sn":
		return swSn
	case "pri":
		return swPri
	case "m":
		return swMsgID
	case "msg":
		return swMsg
	case "src":
		return swSrc
	case "dst":
		return swDst
	case "srcV6":
		return swSrcV6
	case "dstV6":
		return swDstV6
	case "proto":
		return swProto
	case "ipscat":
		return swIPSCat
	case "fw_action":
		return swAction
	case "rule":
		return swRule
	case "natSrc":
		return swNATSrc
	case "natDst":
		return swNATDst
	case "sent":
		return swSent
	case "rcvd":
		return swRcvd
	case "spkt":
		return swSentPkt
	case "rpkt":
		return swRcvdPkt
	}
	return swNone
}

// swPacket are the fields of the packet, and of what says the message is
// a record: all that readSonicwall reads when packetOnly is set.
const swPacket = 1<<swSn | 1<<swPri | 1<<swMsgID | 1<<swMsg | 1<<swSrc | 1<<swDst | 1<<swProto | 1<<swIPSCat

// parseSonicwall reads a SonicOS message, in either format.
func parseSonicwall(msg []byte, r *Record, e *SyntaxError) result {
	return readSonicwall(msg, false, r, e)
}

// readSonicwall is parseSonicwall, which with packetOnly stops once it
// has what makes the record and its packet: no verdict, rule, NAT nor
// counters.
func readSonicwall(msg []byte, packetOnly bool, r *Record, e *SyntaxError) result {
	var s kvScanner
	var id, name []byte // the message id and text
	cef := false
	if h, ok := cefHeader(msg); ok {
		if !bytes.EqualFold(h.vendor, swVendor) && !bytes.EqualFold(h.vendor, swDellVendor) {
			return notMine
		}
		cef = true
		s = newKV(msg, ' ', false)
		s.i = h.ext
		// The header's class id and name are the message's m= and msg=.
		id, name = h.class, h.name
	} else {
		s = newKV(msg, ' ', true)
	}

	var v [swKeys]kvValue
	var seen uint32
	want := uint32(1<<swKeys - 2)
	if packetOnly {
		want = swPacket
		if cef {
			want |= 1<<swSrcPort | 1<<swDstPort
		}
	}
	var p kvPair
	for seen&want != want && s.next(&p) {
		k := swFieldOf(p.key, cef)
		if k != swNone && seen&(1<<k) == 0 {
			seen |= 1 << k
			v[k] = kvValue{p.val, p.at}
		}
	}
	has := func(k swKey) bool { return seen&(1<<k) != 0 }
	if !cef {
		if !has(swSn) || !has(swPri) {
			return notMine
		}
		id, name = v[swMsgID].val, v[swMsg].val
	}

	// The ends: ADDRESS:PORT:INTERFACE[:HOST] in the Default format, and
	// an IPv6 address apart.
	var src, dst swEnd
	if cef {
		src = swEnd{addr: v[swSrc].val, port: v[swSrcPort].val, portAt: v[swSrcPort].at, iface: v[swInIface].val}
		dst = swEnd{addr: v[swDst].val, port: v[swDstPort].val, portAt: v[swDstPort].at, iface: v[swOutIface].val}
	} else {
		src, dst = swEndOf(v[swSrc]), swEndOf(v[swDst])
		if len(src.addr) == 0 {
			src.addr = v[swSrcV6].val
		}
		if len(dst.addr) == 0 {
			dst.addr = v[swDstV6].val
		}
	}
	if len(dst.addr) == 0 && len(dst.port) == 0 {
		return notMine
	}

	proto, hasProto := Protocol(0), false
	if has(swProto) {
		if swNotTraffic(id) {
			return notMine
		}
		var ok bool
		if proto, ok = swProtocol(v[swProto].val); !ok {
			return brokenAt(e, v[swProto].at, "bad protocol")
		}
		hasProto = true
	} else {
		switch string(id) {
		case "36":
			proto, hasProto = ProtoTCP, true
		case "37":
			proto, hasProto = ProtoUDP, true
		case "38":
			proto, hasProto = ProtoICMP, true
		case "608", "609":
			if swICMPSignature(v[swIPSCat].val) {
				proto, hasProto = ProtoICMP, true
			}
		default:
			return notMine
		}
	}

	var sport, dport uint16
	ports := len(dst.port) > 0 && (!hasProto || proto.HasPorts())
	if ports {
		var ok bool
		if dport, ok = parsePort(dst.port); !ok {
			return brokenAt(e, dst.portAt, "bad destination port")
		}
		if len(src.port) > 0 {
			if sport, ok = parsePort(src.port); !ok {
				return brokenAt(e, src.portAt, "bad source port")
			}
		}
	}
	if !ports && !hasProto {
		return notMine
	}
	r.Proto, r.HasProto = proto, hasProto
	r.SrcPort, r.DstPort, r.HasPorts = sport, dport, ports
	r.Src, _ = parseAddr(src.addr)
	r.Dst, _ = parseAddr(dst.addr)
	if packetOnly {
		return parsed
	}
	r.InIface, r.OutIface = nonEmpty(src.iface), nonEmpty(dst.iface)
	r.Action = swVerdict(v[swAction].val, name)
	if rule := v[swRule].val; len(rule) > 0 {
		r.Label = rule
		n := 0
		for n < len(rule) && isDigit(rule[n]) {
			n++
		}
		r.RuleID = nonEmpty(rule[:n])
	}
	r.Bytes = sumCounters(v[swSent].val, v[swRcvd].val)
	r.Packets = sumCounters(v[swSentPkt].val, v[swRcvdPkt].val)
	if cef {
		r.SrcNAT, _ = parseAddr(v[swNATSrc].val)
		r.DstNAT, _ = parseAddr(v[swNATDst].val)
	} else {
		nat := swEndOf(v[swNATSrc])
		r.SrcNAT, r.SrcNATPort = natOf(nat.addr, nat.port)
		nat = swEndOf(v[swNATDst])
		r.DstNAT, r.DstNATPort = natOf(nat.addr, nat.port)
	}
	return parsed
}

// swEnd is one end of a connection as SonicOS names it.
type swEnd struct {
	addr, port, iface []byte
	portAt            int
}

// swEndOf splits ADDRESS:PORT:INTERFACE[:HOST]. The address is IPv4 or
// empty: SonicOS writes IPv6 apart.
func swEndOf(v kvValue) swEnd {
	var end swEnd
	b := v.val
	i := bytes.IndexByte(b, ':')
	if i < 0 {
		end.addr = b
		return end
	}
	end.addr = b[:i]
	rest := b[i+1:]
	j := bytes.IndexByte(rest, ':')
	if j < 0 {
		j = len(rest)
	}
	end.port, end.portAt = rest[:j], v.at+i+1
	if j < len(rest) {
		rest = rest[j+1:]
		if k := bytes.IndexByte(rest, ':'); k >= 0 {
			rest = rest[:k]
		}
		end.iface = rest
	}
	return end
}

// swProtocol reads proto=: the transport's name or number, before the
// service ("tcp/https", "udp/8800", "icmp").
func swProtocol(b []byte) (Protocol, bool) {
	if i := bytes.IndexByte(b, '/'); i >= 0 {
		b = b[:i]
	}
	if len(b) > 0 && isDigit(b[0]) {
		return protoNumber(b)
	}
	return LookupProtocol(b)
}

// swNotTraffic reports whether a message id is of an event that names
// addresses but is no traffic record: administrator logins, IKE and
// IPsec, NAT pool mappings.
func swNotTraffic(id []byte) bool {
	switch string(id) {
	case "29", "30", "31", "346", "483", "1388", "1197":
		return true
	}
	return false
}

// swICMPSignature reports whether an intrusion prevention category names
// ICMP, as SonicWall's ICMP signatures' do ("ICMP Echo Reply").
func swICMPSignature(cat []byte) bool {
	return len(cat) >= 5 && string(cat[:5]) == "ICMP "
}

// swVerdict maps fw_action=, or when it says nothing ("NA"), the
// message's own words.
func swVerdict(action, msg []byte) Action {
	switch string(action) {
	case "drop", "deny", "block":
		return ActionBlock
	case "reset", "reject":
		return ActionReject
	case "forward", "allow", "accept", "pass":
		return ActionPass
	}
	for _, w := range swVerdictWords {
		if bytes.Contains(msg, []byte(w.word)) {
			return w.action
		}
	}
	return ActionUnknown
}

// swVerdictWords are the words of SonicOS messages that say what became
// of the traffic, the blocking ones first.
var swVerdictWords = [...]struct {
	word   string
	action Action
}{
	{"dropped", ActionBlock}, {"denied", ActionBlock}, {"blocked", ActionBlock},
	{"Prevention", ActionBlock}, {"Opened", ActionPass}, {"Closed", ActionPass},
	{"site hit", ActionPass}, {"allowed", ActionPass}, {"Detection", ActionPass},
}
