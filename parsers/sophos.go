package parsers

// Sophos firewalls log key=value text in two families of products:
//
//	SFOS (Sophos Firewall, XG):
//	device="SFW" date=2025-11-12 time=09:14:02 timezone="CET" device_name="XG125w" device_id=C44313350024- P29PUA log_id=010101600001 log_type="Firewall" log_component="Firewall Rule" log_subtype="Allowed" status="Allow" ... fw_rule_id=5 in_interface="Port2" out_interface="Port1" src_ip=10.1.1.30 dst_ip=203.0.113.181 protocol="TCP" src_port=45294 dst_port=443 sent_bytes=... connid="2674291981"
//	(version 19 on: timestamp="..." device_model="XGS2100" ... fw_rule_name="LAN to WAN", quoted values)
//
//	UTM 9 packet filter (ulogd):
//	2025:11:12-09:14:02 utm ulogd[5208]: id="2001" severity="info" sys="SecureNet" sub="packetfilter" name="Packet filter rule #3" action="drop" fwrule="3" initf="eth1" srcip="203.0.113.9" dstip="198.51.100.2" proto="6" length="60" ... srcport="40192" dstport="23"
//
// Values are quoted or bare, and a bare one may hold blanks ("device_id=
// C44313350024- P29PUA", "ether_type=Unknown (0x0000)"); a line may end
// inside a quoted value. Both products log web filtering, WAF, SD-WAN,
// authentication and system events in the same grammar: only SFOS logs
// of type "Firewall" and "IDP" (intrusion prevention) and UTM packet
// filter logs are records. Each names its rule (SFOS fw_rule_id=, UTM
// fwrule=), which the pre-check looks for.
//
// SFOS names the protocol (protocol="TCP"); on fragment drops it writes
// "0" there, which says no protocol is known, and zero ports. UTM gives
// its number (proto="6"). ICMP records carry icmp_type=/icmp_code= (UTM
// type=/code=) and no ports.
//
// The verdict is SFOS status= (or log_subtype= "Allowed"/"Denied",
// IDP's "Drop"/"Alert"), UTM action=. The record also takes the rule
// (SFOS fw_rule_id= and fw_rule_name=; UTM fwrule= and name=), the
// interfaces, the connection id (SFOS connid=), bytes and packets, and
// the translated source and destination (SFOS tran_src_ip= ...; from
// version 19 the keys are renamed: con_id=, bytes_sent=, src_trans_ip=).

var sophosFw = []byte("fw")

// mayBeSophos is Sophos's pre-check: every record names its destination
// (dst_ip=, dstip=) and its rule (fw_rule_id=, fwrule=).
func mayBeSophos(s *lineShape) bool {
	return s.first('=') >= 0 && s.holdsDst() && s.contains(sophosFw)
}

// sophos is the parser of Sophos's row: parseSophos, which stops at the
// packet under NoEnvelope.
func (p *Parser) sophos(msg []byte, r *Record) result {
	return readSophos(msg, p.NoEnvelope, r, &p.err)
}

// soKey names the fields a Sophos record is made of; the comments give
// the SFOS key, then UTM's where it has one.
type soKey uint8

const (
	soNone        soKey = iota
	soType              // log_type; sub
	soRuleID            // fw_rule_id; fwrule
	soSrc               // src_ip; srcip
	soDst               // dst_ip; dstip
	soSrcPort           // src_port; srcport
	soDstPort           // dst_port; dstport
	soProto             // protocol; proto
	soStatus            // status; action
	soSubtype           // log_subtype
	soRuleName          // fw_rule_name; name
	soInIface           // in_interface; initf
	soOutIface          // out_interface; outitf
	soSession           // connid (version 19 on: con_id)
	soSentBytes         // sent_bytes (bytes_sent)
	soRecvBytes         // recv_bytes (bytes_received)
	soSentPkts          // sent_pkts (packets_sent)
	soRecvPkts          // recv_pkts (packets_received)
	soTranSrc           // tran_src_ip (src_trans_ip)
	soTranSrcPort       // tran_src_port (src_trans_port)
	soTranDst           // tran_dst_ip (dst_trans_ip)
	soTranDstPort       // tran_dst_port (dst_trans_port)
	soKeys
)

// soFieldOf maps a key of SFOS, or with utm of UTM, to its field.
func soFieldOf(key []byte, utm bool) soKey {
	if utm {
		switch string(key) {
		case "sub":
			return soType
		case "fwrule":
			return soRuleID
		case "srcip":
			return soSrc
		case "dstip":
			return soDst
		case "srcport":
			return soSrcPort
		case "dstport":
			return soDstPort
		case "proto":
			return soProto
		case "action":
			return soStatus
		case "name":
			return soRuleName
		case "initf":
			return soInIface
		case "outitf":
			return soOutIface
		}
		return soNone
	}
	switch string(key) {
	case "log_type":
		return soType
	case "fw_rule_id":
		return soRuleID
	case "src_ip":
		return soSrc
	case "dst_ip":
		return soDst
	case "src_port":
		return soSrcPort
	case "dst_port":
		return soDstPort
	case "protocol":
		return soProto
	case "status":
		return soStatus
	case "log_subtype":
		return soSubtype
	case "fw_rule_name":
		return soRuleName
	case "in_interface":
		return soInIface
	case "out_interface":
		return soOutIface
	case "connid", "con_id":
		return soSession
	case "sent_bytes", "bytes_sent":
		return soSentBytes
	case "recv_bytes", "bytes_received":
		return soRecvBytes
	case "sent_pkts", "packets_sent":
		return soSentPkts
	case "recv_pkts", "packets_received":
		return soRecvPkts
	case "tran_src_ip", "src_trans_ip":
		return soTranSrc
	case "tran_src_port", "src_trans_port":
		return soTranSrcPort
	case "tran_dst_ip", "dst_trans_ip":
		return soTranDst
	case "tran_dst_port", "dst_trans_port":
		return soTranDstPort
	}
	return soNone
}

// soPacket are the fields of the packet, and of what says the log is a
// record: all that readSophos reads when packetOnly is set.
const soPacket = 1<<soType | 1<<soRuleID | 1<<soSrc | 1<<soDst | 1<<soSrcPort | 1<<soDstPort | 1<<soProto

// parseSophos reads an SFOS or UTM log message.
func parseSophos(msg []byte, r *Record, e *SyntaxError) result {
	return readSophos(msg, false, r, e)
}

// readSophos is parseSophos, which with packetOnly stops once it has the
// addresses, ports and protocol: no verdict, rule, interfaces, session,
// counters nor NAT.
func readSophos(msg []byte, packetOnly bool, r *Record, e *SyntaxError) result {
	s := newKV(msg, ' ', true)
	var v [soKeys]kvValue
	var seen uint32
	want := uint32(1<<soKeys - 2)
	if packetOnly {
		want = soPacket
	}
	// UTM's messages start with id=, SFOS's with device= (timestamp=
	// from version 19).
	var p kvPair
	if !s.next(&p) {
		return notMine
	}
	utm := string(p.key) == "id"
	for {
		k := soFieldOf(p.key, utm)
		if k != soNone && seen&(1<<k) == 0 {
			if k == soType && !soRecordType(p.val, utm) {
				return notMine
			}
			seen |= 1 << k
			v[k] = kvValue{p.val, p.at}
		}
		if seen&want == want || !s.next(&p) {
			break
		}
	}
	has := func(k soKey) bool { return seen&(1<<k) != 0 }
	if !has(soType) || !has(soRuleID) || !has(soDst) || !has(soProto) {
		return notMine
	}

	// SFOS names the protocol, and writes "0" for none it knows; UTM
	// gives the number.
	proto, hasProto := Protocol(0), true
	pv := v[soProto].val
	switch {
	case utm || len(pv) > 0 && isDigit(pv[0]) && string(pv) != "0":
		var ok bool
		if proto, ok = protoNumber(pv); !ok {
			return brokenAt(e, v[soProto].at, "bad protocol")
		}
	case string(pv) == "0":
		hasProto = false
	default:
		var ok bool
		if proto, ok = LookupProtocol(pv); !ok {
			return brokenAt(e, v[soProto].at, "unknown protocol")
		}
	}
	var sport, dport uint16
	ports := has(soDstPort) && (!hasProto || proto.HasPorts())
	if ports {
		var ok bool
		if dport, ok = parsePort(v[soDstPort].val); !ok {
			return brokenAt(e, v[soDstPort].at, "bad destination port")
		}
		if has(soSrcPort) {
			if sport, ok = parsePort(v[soSrcPort].val); !ok {
				return brokenAt(e, v[soSrcPort].at, "bad source port")
			}
		}
	}
	if !ports && !hasProto {
		return notMine
	}
	r.Proto, r.HasProto = proto, hasProto
	r.SrcPort, r.DstPort, r.HasPorts = sport, dport, ports
	r.Src, _ = parseAddr(v[soSrc].val)
	r.Dst, _ = parseAddr(v[soDst].val)
	if packetOnly {
		return parsed
	}
	r.Action = soVerdict(v[soStatus].val, v[soSubtype].val)
	r.RuleID, r.Label = nonEmpty(v[soRuleID].val), nonEmpty(v[soRuleName].val)
	r.InIface, r.OutIface = nonEmpty(v[soInIface].val), nonEmpty(v[soOutIface].val)
	r.Session = nonEmpty(v[soSession].val)
	r.Bytes = sumCounters(v[soSentBytes].val, v[soRecvBytes].val)
	r.Packets = sumCounters(v[soSentPkts].val, v[soRecvPkts].val)
	r.SrcNAT, r.SrcNATPort = natOf(v[soTranSrc].val, v[soTranSrcPort].val)
	r.DstNAT, r.DstNATPort = natOf(v[soTranDst].val, v[soTranDstPort].val)
	return parsed
}

// soRecordType reports whether a log of this type is a record: SFOS
// firewall and intrusion prevention logs, the UTM packet filter's.
func soRecordType(t []byte, utm bool) bool {
	if utm {
		return string(t) == "packetfilter"
	}
	return string(t) == "Firewall" || string(t) == "IDP"
}

// soVerdict maps SFOS status= (or, without it, log_subtype=) and UTM
// action=.
func soVerdict(status, subtype []byte) Action {
	if len(status) == 0 {
		status = subtype
	}
	switch string(status) {
	case "Allow", "Allowed", "Allow Session", "Would deny", "Alert", "Detect", "accept":
		return ActionPass
	case "Deny", "Denied", "Deny Session", "Drop", "drop":
		return ActionBlock
	case "reject":
		return ActionReject
	}
	return ActionUnknown
}
