package parsers

import (
	"net/netip"
	"time"
)

// Action is the verdict the firewall logged for the packet.
type Action uint8

const (
	ActionUnknown  Action = iota
	ActionBlock           // dropped silently
	ActionReject          // dropped with an ICMP error or TCP reset
	ActionPass            // accepted
	ActionLog             // logged only (UFW AUDIT, nftables log without verdict)
	ActionMatch           // pf "match" rules: classified, no verdict yet
	ActionRedirect        // pf "rdr"
	ActionNAT             // pf "nat"/"binat"
)

var actionNames = [...]string{"", "block", "reject", "pass", "log", "match", "rdr", "nat"}

// String returns the lower-case action name, or "" for ActionUnknown.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return ""
}

// Direction is the packet's direction relative to the logging host.
type Direction uint8

const (
	DirUnknown Direction = iota
	DirIn
	DirOut
)

// String returns "in", "out" or "".
func (d Direction) String() string {
	switch d {
	case DirIn:
		return "in"
	case DirOut:
		return "out"
	}
	return ""
}

// TCPFlags is a set of TCP header flags, each at its bit in the header's
// flags field: FIN is 0x01, SYN 0x02, ... CWR 0x80, and AE (once NS)
// 0x100.
type TCPFlags uint16

const (
	TCPFin TCPFlags = 1 << iota
	TCPSyn
	TCPRst
	TCPPsh
	TCPAck
	TCPUrg
	TCPEce
	TCPCwr
	TCPAE
)

// tcpFlagNames are the lower-case names of the flags, bit by bit.
var tcpFlagNames = [...]string{"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ae"}

// AppendNames appends the names of the flags in f, lower case and in bit
// order, each passed to sep first when it is not the first ("syn",
// "ack"): a caller lists them its own way without allocating.
func (f TCPFlags) AppendNames(dst []byte, sep string) []byte {
	return appendBitNames(dst, uint(f), tcpFlagNames[:], sep)
}

// appendBitNames appends names[i] for each bit i set in bits, in order,
// with sep between two.
func appendBitNames(dst []byte, bits uint, names []string, sep string) []byte {
	first := true
	for i, n := range names {
		if bits&(1<<i) == 0 {
			continue
		}
		if !first {
			dst = append(dst, sep...)
		}
		first = false
		dst = append(dst, n...)
	}
	return dst
}

// String returns the flags' names joined by commas ("syn,ack"), or ""
// for none.
func (f TCPFlags) String() string { return string(f.AppendNames(nil, ",")) }

// Protocol is an IANA "Assigned Internet Protocol Number" (6 for TCP, 17
// for UDP, 58 for ICMPv6...). Record.HasProto says whether it is known.
type Protocol uint8

const (
	ProtoICMP    Protocol = 1
	ProtoIGMP    Protocol = 2
	ProtoTCP     Protocol = 6
	ProtoUDP     Protocol = 17
	ProtoDCCP    Protocol = 33
	ProtoGRE     Protocol = 47
	ProtoESP     Protocol = 50
	ProtoAH      Protocol = 51
	ProtoICMPv6  Protocol = 58
	ProtoSCTP    Protocol = 132
	ProtoUDPLite Protocol = 136
)

// HasPorts reports whether packets of this protocol carry 16-bit source
// and destination ports in the first bytes of their header.
func (p Protocol) HasPorts() bool {
	switch p {
	case ProtoTCP, ProtoUDP, ProtoDCCP, ProtoSCTP, ProtoUDPLite:
		return true
	}
	return false
}

// Record is one firewall log entry. Parsers fill it in place so that a
// caller can reuse one Record for every line without allocating.
//
// The byte-slice fields alias the line that was parsed: they are valid
// only until that buffer is overwritten, exactly like bufio.Scanner.Bytes.
// Copy them to keep them.
type Record struct {
	Format    Format
	Action    Action
	Direction Direction

	// InIface and OutIface are the ingress and egress interfaces where
	// the log names them (netfilter IN=/OUT=, pf "on em0", filterlog).
	InIface  []byte
	OutIface []byte

	Src, Dst netip.Addr

	// Proto is valid when HasProto is set. pf text does not always reveal
	// the transport: such a record has ports but no protocol.
	Proto    Protocol
	HasProto bool

	// SrcPort and DstPort are valid when HasPorts is set. ICMP, GRE, ESP,
	// IP fragments and the like have no ports. An ICMP error quoting
	// another packet is an ICMP record without ports: the quoted
	// packet's ports are not this record's.
	SrcPort, DstPort uint16
	HasPorts         bool

	// Partial names the fields of the packet that the line holds but
	// that could not be read, such as an address masked before the log
	// was shared ("SRC=35.xxx.xxx.xxx", pf's "45.FOO.BAR.IP.23") or
	// mistyped, or that it leaves out though records of its kind have
	// them (a source port). Those fields are zero and must not be shown;
	// the rest of the record, its destination port and protocol above
	// all, stands.
	Partial Partial

	// TCPFlags are the flags of a TCP record's header, valid when
	// HasTCPFlags is set: where the log shows them (netfilter's SYN ACK
	// words, pf's "Flags [S.]" or "S ... ack", filterlog's flags field),
	// with none set for a packet the log shows without flags, such as a
	// NULL scan's.
	TCPFlags    TCPFlags
	HasTCPFlags bool

	// Label is the name of the rule or policy that logged the record:
	// the log prefix (netfilter: "[UFW BLOCK]",
	// "Shorewall:net-fw:DROP:"), the rule label (pf "rule 12/(match)",
	// filterlog rule number and tracker) or a policy name, trimmed of
	// surrounding blanks.
	Label []byte
	// RuleID identifies that rule where the log has an identifier
	// (pf's rule number, filterlog's tracker), or is nil.
	RuleID []byte

	// Bytes and Packets count the traffic of a flow or session record
	// where the log says (0: it does not): CEF and LEEF events, session
	// ends of the appliances. A packet log's record is one packet.
	Bytes, Packets uint64

	// SrcNAT and DstNAT are the addresses the firewall translated the
	// source and destination to, SrcNATPort and DstNATPort their ports,
	// where the log says (invalid and 0: it does not).
	SrcNAT, DstNAT         netip.Addr
	SrcNATPort, DstNATPort uint16

	// Session is the firewall's identifier of the connection the record
	// belongs to (a connection or session id), or nil.
	Session []byte

	// Host and Time come from the syslog envelope when it carries them.
	// Time is the zero time.Time when unknown.
	Host []byte
	Time time.Time

	// Message is the part of the line after the syslog envelope: the
	// text the format parser saw.
	Message []byte
}

// Partial is a set of a record's fields that its line holds unreadably
// or leaves out (Record.Partial).
type Partial uint8

const (
	PartialSrc     Partial = 1 << iota // the source address
	PartialDst                         // the destination address
	PartialSrcPort                     // the source port of a record with a destination port
)

// partialNames are the fields of Partial by their ECS names, bit by bit.
var partialNames = [...]string{"source.ip", "destination.ip", "source.port"}

// AppendNames appends the ECS names of the fields in f ("source.ip",
// "destination.ip", "source.port"), each but the first after sep.
func (f Partial) AppendNames(dst []byte, sep string) []byte {
	return appendBitNames(dst, uint(f), partialNames[:], sep)
}

// Reset clears r for reuse without releasing anything it points to.
func (r *Record) Reset() { *r = Record{} }
